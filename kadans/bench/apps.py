from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The benchmark: the workload loader and the measuring commands. No models, no migrations."""

    name = "kadans.bench"
    label = "bench"
    verbose_name = "Benchmark"
