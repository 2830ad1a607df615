"""``manage.py benchmark``: its scratch database, the dataset it loads and the results it reports.

The benchmark runs on PostgreSQL only; on SQLite it stops with a clear error. The test here has a scratch
database of its own (parallel runs never share one), at a tiny scale, dropped afterwards. CI's smoke run
(.ci/run) covers building one from nothing, migrations included.
"""

import contextlib
import io
import json
import sys
import uuid

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from benchmark import dataset
from benchmark.management.commands.benchmark import drop_database, use_database
from kolregistry.backup import opened, table_checksums
from kolregistry.models import SearchableModel
from partners.models import Channel, Kol

SCALE = 0.001
SAMPLE = 20


@pytest.fixture
def scratch_name(django_db_setup, django_db_blocker):
    """A scratch database name of its own, dropped afterwards.

    The database starts as a copy of the migrated test database where it can (nothing else may be connected
    to it), so that the command reloads it in place rather than spending most of the test on migrations.
    """
    name = f"kolreg_benchmark_test_{uuid.uuid4().hex[:8]}"
    settings_dict = connection.settings_dict
    with django_db_blocker.unblock():
        connection.close()
        with (
            contextlib.suppress(DatabaseError),
            opened({**settings_dict, "NAME": "postgres"}) as maintenance,
            maintenance.cursor() as cursor,
        ):
            quote = maintenance.ops.quote_name
            cursor.execute(f"CREATE DATABASE {quote(name)} TEMPLATE {quote(settings_dict['NAME'])}")
        yield name
        drop_database(settings_dict, name)


@contextlib.contextmanager
def on_database(name):
    """The default connection on database ``name``, and back on the test's own afterwards."""
    original = connection.settings_dict["NAME"]
    use_database(name)
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original


def run_benchmark(*args):
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("benchmark", "--scale", str(SCALE), *args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def assert_rows_are_valid(model):
    """A sample of ``model``'s rows passes full_clean(), and saving would not change its search_text."""
    last = model.objects.count()
    rows = list(model.objects.filter(pk__in=range(1, last + 1, max(1, last // SAMPLE))))
    assert rows, f"no {model.__name__} loaded"
    for row in rows:
        row.full_clean()
        if isinstance(row, SearchableModel):
            assert row.build_search_text() == row.search_text, row
        if isinstance(row, Channel):
            # What a snapshot's save() copies onto its channel.
            followers = (row.followers, row.followers_on)
            row.refresh_latest_followers()
            assert (row.followers, row.followers_on) == followers, row


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the benchmark runs on PostgreSQL only")
def test_loads_reports_and_reuses_a_valid_deterministic_dataset(tmp_path, scratch_name, django_db_blocker, monkeypatch):
    name, results = scratch_name, tmp_path / "results.json"
    with django_db_blocker.unblock():
        stdout, _ = run_benchmark("--keep-db", "--only", "dataset", "--database-name", name, "--json", results)

        reported = json.loads(results.read_text())
        assert reported["scale"] == SCALE
        assert reported["machine"]["cpu_count"] >= 1 and reported["machine"]["postgresql"]
        counts = reported["dataset"]["counts"]
        assert reported["dataset"]["reused"] is False and reported["dataset"]["load_s"] >= 0
        assert counts["partners_channel"] == 100 and counts["partners_kol"] == 50
        assert all(count > 0 for count in counts.values()), counts
        assert "## Dataset at scale 0.001" in stdout and "| partners_channel | 100 |" in stdout

        with on_database(name):
            for model in dataset.Generator.all_tables():
                if not model._meta.auto_created:
                    assert_rows_are_valid(model)
            assert Kol.objects.filter(search_text__contains="nguyen").exists()

            loaded = table_checksums(connection)
            dataset.load(SCALE, io.StringIO(), today=timezone.localdate())
            assert table_checksums(connection) == loaded
            with transaction.atomic():
                # COPY wrote the ids: the sequences were moved past them.
                assert Kol.objects.create(name="Mới", slug="moi").pk == counts["partners_kol"] + 1
                transaction.set_rollback(True)

        # A part not written yet is reported, not a crash; the kept database of the same scale is reused.
        monkeypatch.setitem(sys.modules, "benchmark.queries", None)
        stdout, stderr = run_benchmark("--keep-db", "--only", "queries", "--database-name", name, "--json", results)
        reported = json.loads(results.read_text())
        assert reported["dataset"]["reused"] is True and reported["dataset"]["counts"] == counts
        assert reported["queries"] is None
        assert "Not measured: benchmark.queries is not installed yet." in stdout
        assert f"reusing the kept database {name}" in stderr


@pytest.mark.skipif(connection.vendor != "sqlite", reason="checks the refusal on SQLite")
def test_refuses_sqlite():
    with pytest.raises(CommandError, match=r"the benchmark needs PostgreSQL: set DATABASE_URL=postgres://"):
        run_benchmark()
