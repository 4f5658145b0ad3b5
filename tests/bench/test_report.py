"""The benchmark's Markdown report (kadans.bench.runner.markdown): a run with --heavy-rep shows a–c of
the heavy representative next to the ordinary ones."""

from kadans.bench.runner import OPERATIONS, markdown

META = {"db": "sqlite", "scale": 1, "date": "2026-12-02 04:00 UTC", "git": "abc1234", "command": "bench_run",
        "machine": "2 cores", "python": "3.11", "django": "5.2", "server": "gunicorn -w 1", "requests": 50,
        "warmup": 5}


def op(median, queries, cpu, size, floor=None):
    result = {"available": True, "median_ms": median, "p95_ms": median + 5, "queries": queries,
              "server_cpu_median_ms": cpu, "bytes": size}
    if floor is not None:
        result["floor"] = {"median_ms": floor, "p95_ms": floor + 1, "rows": int(floor * 100)}
    return result


def test_a_heavy_run_reports_a_to_c_next_to_the_ordinary_ones():
    operations = {key: {"available": False} for key in OPERATIONS}
    operations.update(a=op(17.1, [4], 13.8, 82_000, 1.5), b=op(25.9, [7], 23.7, 59_000, 4.5),
                      c=op(21.6, [9], 20.0, 27_000))
    heavy = {"a": op(59.4, [4], 56.8, 549_000, 12.5), "b": op(36.5, [7], 33.8, 58_000, 16.4),
             "c": op(35.9, [9, 10], 33.4, 117_000)}
    result = {"meta": META, "operations": operations,
              "targets": {"user_activities": 10007, "relation_c_activities": 31},
              "heavy_rep": {"user": "rep01", "factor": 10, "load": {"seconds": {"total": 30.0}},
                            "targets": {"user_activities": 100211, "relation_c_activities": 210},
                            "operations": heavy}}

    text = markdown(result)

    assert "rep01 with 10× the usual history (100211 activities as representative instead of 10007" in text
    rows = {line.split(" | ")[0]: line for line in text.splitlines() if line.startswith("| ") and "/" in line}
    assert rows["| a"] == ("| a | calendar week (events JSON) | 17.1 | 59.4 | 64.4 | 13.8 / 56.8 | 4 / 4 | 82 / 549 | "
                           "1.50 (150) | 12.50 (1250) |")
    assert "| 9 / 9–10 | 27 / 117 |" in rows["| c"]
    assert "Heavy representative" not in markdown({**result, "heavy_rep": None})
