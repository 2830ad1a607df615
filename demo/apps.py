from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data set (the article facts as data files) and the demo-only users; no models."""

    name = "demo"
    verbose_name = "Demo data"
