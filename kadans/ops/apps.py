from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations: backup and restore (manage.py kadans_backup, kadans_restore). No models."""

    name = "kadans.ops"
