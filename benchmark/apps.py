from django.apps import AppConfig


class BenchmarkConfig(AppConfig):
    """The benchmark tool: a generated dataset, timed queries, HTTP runs and an admin crawl; no models."""

    name = "benchmark"
    verbose_name = "Benchmark"
