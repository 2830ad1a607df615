"""The backup drill: `make backup`, `make restore FILE=…`, and proof that a restore is complete.

The scripts run as separate processes on the test database (committed demo data), as an operator
would run them; the restored database is compared table by table with the source.
"""

import os
import re
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from accounts.roles import ensure_roles
from kolregistry.backup import differences, opened, table_checksums
from partners.models import Mou
from tests.helpers import database_url_for_subprocesses

# Committed data, so that the scripts' processes see it.
committed = pytest.mark.django_db(transaction=True)
pytestmark = pytest.mark.skipif(
    connection.vendor == "postgresql" and not shutil.which("pg_dump"),
    reason="the PostgreSQL client tools (pg_dump, pg_restore) are not installed",
)

# The registry's own tables, history tables included, that the demo data fills.
DEMO_TABLES = {
    "partners_agency",
    "partners_partnercompany",
    "partners_kol",
    "partners_channel",
    "partners_rostermembership",
    "partners_mou",
    "partners_historicalmou",
    "partners_historicalchannel",
    "campaigns_campaign",
    "campaigns_hashtag",
    "campaigns_campaignreport",
    "campaigns_historicalcampaign",
}


def backup_script(*arguments, database_url, backup_dir):
    """scripts/backup.py in a process of its own, on ``database_url``, keeping backups in ``backup_dir``."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}
    environment.update(
        DJANGO_SETTINGS_MODULE="kolregistry.settings", DATABASE_URL=database_url, KOLREG_BACKUP_DIR=str(backup_dir)
    )
    return subprocess.run(
        [sys.executable, str(settings.BASE_DIR / "scripts" / "backup.py"), *arguments],
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def demo_database(tmp_path, monkeypatch):
    """The demo data, committed; its DATABASE_URL for the scripts."""
    monkeypatch.setenv("KOLREG_DEMO_PASSWORD", "demo-password-for-the-drill")
    ensure_roles()  # a transactional test before this one may have flushed the groups the migrations made
    call_command("load_demo", verbosity=0)
    return database_url_for_subprocesses(tmp_path)


@pytest.fixture
def fresh_database(tmp_path):
    """A database that does not exist yet (restore creates it): its settings and DATABASE_URL."""
    source = connection.settings_dict
    if connection.vendor == "sqlite":
        path = tmp_path / "restored.sqlite3"
        yield {**source, "NAME": str(path)}, f"sqlite:///{path}"
        return
    name = f"{source['NAME']}_restored_{uuid.uuid4().hex[:8]}"
    yield {**source, "NAME": name}, database_url_for_subprocesses(tmp_path).rsplit("/", 1)[0] + f"/{name}"
    with opened({**source, "NAME": "postgres"}) as maintenance, maintenance.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {maintenance.ops.quote_name(name)} WITH (FORCE)")


def source_checksums(database_url):
    """The source's tables, read where the scripts read them (SQLite: the file copy)."""
    if connection.vendor == "sqlite":
        with opened({**connection.settings_dict, "NAME": database_url.removeprefix("sqlite:///")}) as source:
            return table_checksums(source)
    return table_checksums(connection)


@committed
def test_backup_restored_into_a_fresh_database_matches_every_table(demo_database, fresh_database, tmp_path):
    backup = backup_script("backup", database_url=demo_database, backup_dir=tmp_path / "backups")
    assert backup.returncode == 0, backup.stderr
    file = Path(backup.stdout.strip())
    assert file.parent == tmp_path / "backups"
    assert re.fullmatch(r"kolregistry-\d{8}T\d{6}Z\.(pgdump|sqlite3)", file.name)

    fresh, fresh_url = fresh_database
    restore = backup_script("restore", str(file), database_url=fresh_url, backup_dir=tmp_path / "backups")
    assert restore.returncode == 0, restore.stderr

    expected = source_checksums(demo_database)
    with opened(fresh) as restored:
        actual = table_checksums(restored)
    assert differences(expected, actual) == []
    business_tables = {
        model._meta.db_table
        for label in ("partners", "campaigns", "accounts")
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    }
    assert business_tables <= actual.keys()
    assert all(actual[table][0] > 0 for table in DEMO_TABLES), {table: actual[table][0] for table in DEMO_TABLES}


@committed
def test_backup_drill_finds_no_difference(demo_database, tmp_path):
    drill = backup_script("drill", database_url=demo_database, backup_dir=tmp_path)

    assert drill.returncode == 0, drill.stderr
    assert ": 0 differences in " in drill.stdout
    assert len(list(tmp_path.glob("kolregistry-*"))) == 1


@committed
def test_backup_drill_names_a_table_that_differs(demo_database, tmp_path):
    backup = backup_script("backup", database_url=demo_database, backup_dir=tmp_path)
    assert backup.returncode == 0, backup.stderr
    if connection.vendor == "sqlite":
        with opened({**connection.settings_dict, "NAME": demo_database.removeprefix("sqlite:///")}) as source:
            source.cursor().execute("UPDATE partners_mou SET title = title || ' (changed)'")
    else:
        Mou.objects.filter(pk=Mou.objects.first().pk).update(title="Changed after the backup")

    verify = backup_script("verify", backup.stdout.strip(), database_url=demo_database, backup_dir=tmp_path)

    assert verify.returncode == 1
    assert "partners_mou: same 3 rows, different contents" in verify.stderr
    assert ": 1 differences in " in verify.stdout


def test_make_restore_refuses_to_run_without_file():
    result = subprocess.run(["make", "restore"], cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=60)

    assert result.returncode != 0
    assert "make restore needs the backup to restore: make restore FILE=" in result.stderr
