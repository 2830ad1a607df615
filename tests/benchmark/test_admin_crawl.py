"""The benchmark's gunicorn launcher and its admin crawl, on the demo data (PostgreSQL only, like the benchmark)."""

import io
import urllib.error
import urllib.request

import pytest
from django.conf import global_settings
from django.contrib import admin
from django.core.management import call_command
from django.db import connection

from accounts.roles import REGISTRY_APPS
from benchmark.admin_crawl import measure, table
from benchmark.server import peak_rss_mb, serve

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the benchmark runs on PostgreSQL only")


@pytest.mark.django_db
def test_serve_runs_gunicorn_with_two_workers_until_the_block_ends():
    with serve(connection.settings_dict["NAME"]) as server:
        with urllib.request.urlopen(f"{server.base_url}/readyz") as response:
            assert response.status == 200
            assert int(response.headers["X-Benchmark-Queries"]) >= 1
        pids = server.worker_pids()
        assert len(pids) == 2
        assert peak_rss_mb(pids) > 10
    assert peak_rss_mb(pids) is None
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(f"{server.base_url}/readyz", timeout=5)


# The server reads the data in connections of its own: it must be committed.
@pytest.mark.django_db(transaction=True)
def test_the_crawl_opens_every_registry_page_of_the_demo_as_ministry_staff(settings):
    call_command("load_demo", verbosity=0)
    # The server checks the password with its own hashers, not the tests' fast one.
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    progress = io.StringIO()

    result = measure(connection.settings_dict["NAME"], repeat=1, stdout=progress)

    pages = result["admin"]
    registry_models = [model for model in admin.site._registry if model._meta.app_label in REGISTRY_APPS]
    assert {f"{model._meta.label_lower} list" for model in registry_models} <= pages.keys()
    biggest = ["partnercompany", "agency", "kol", "channel", "mou"]
    assert {f"partners.{name} change" for name in biggest} | {"campaigns.campaign change"} <= pages.keys()
    assert {"partners.channel add", "partners.channel list q=nguyen", "partners.channel filter platform__exact"} <= (
        pages.keys()
    )
    assert {name: page["status"] for name, page in pages.items() if page["status"] != 200} == {}, progress.getvalue()
    assert all(page["queries"] > 0 and page["kb"] > 0 and page["median_ms"] > 0 for page in pages.values())
    assert pages["partners.channel add"]["options"] > 0
    assert result["admin_peak_rss_mb"] > 10
    assert "| partners.channel list |" in table(result)
