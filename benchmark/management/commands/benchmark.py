"""``manage.py benchmark``: the registry at national scale, measured on a scratch PostgreSQL database.

It creates the database ``kolreg_benchmark`` beside DATABASE_URL's, migrates it, loads the generated dataset
(``benchmark.dataset``), runs ``VACUUM ANALYZE`` and then the parts: the queries (R1-R8, implementations A/B/C),
the HTTP runs and the admin crawl. It prints markdown tables on stdout (progress goes to stderr), writes one JSON
object with ``--json``, and drops the database at the end, on error and on Ctrl-C too, unless ``--keep-db``.
A kept database is reused by a later ``--keep-db`` run of the same scale.
"""

import datetime
import importlib
import json
import os
import platform
import time
from pathlib import Path

import django
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from benchmark import dataset
from kolregistry.backup import opened

DATABASE_NAME = "kolreg_benchmark"
# Part -> module. Each module has measure(...) -> dict and table(result) -> str; they are imported only when run,
# so that a part not written yet is reported rather than stopping the others.
PARTS = {"queries": "benchmark.queries", "http": "benchmark.http", "admin": "benchmark.admin_crawl"}
# --only dataset: build (or reuse) the dataset and run no part.
ONLY_CHOICES = [*PARTS, "dataset"]


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="Dataset size: 1 = 100k channels (default 1).")
        parser.add_argument(
            "--json", dest="json_path", type=Path, help="Also write the results as one JSON object to this file."
        )
        parser.add_argument(
            "--keep-db", action="store_true", help="Keep the scratch database, and reuse one of the same scale."
        )
        parser.add_argument("--repeat", type=int, default=5, help="Timed runs per measurement (default 5).")
        parser.add_argument(
            "--only", nargs="+", choices=ONLY_CHOICES, help="Run only these parts ('dataset': none, just the data)."
        )
        parser.add_argument(
            "--database-name", default=DATABASE_NAME, help=f"The scratch database's name (default {DATABASE_NAME})."
        )

    def handle(self, *args, scale, json_path, keep_db, repeat, only, database_name, **options):
        if connection.vendor != "postgresql":
            raise CommandError("the benchmark needs PostgreSQL: set DATABASE_URL=postgres://…")
        if not scale > 0:
            raise CommandError(f"--scale must be positive, not {scale}.")
        if repeat < 1:
            raise CommandError(f"--repeat must be at least 1, not {repeat}.")
        parts = [part for part in PARTS if part in (only or PARTS)]
        settings_dict = connection.settings_dict
        original_name = settings_dict["NAME"]
        if database_name in (original_name, "postgres"):
            raise CommandError(f"--database-name {database_name}: the benchmark drops that database; name another.")
        try:
            # The machine first: its load average then says what else was running.
            results = {"scale": scale, "machine": machine_facts(settings_dict)}
            results["dataset"] = self.prepare(database_name, scale, keep_db)
            self.stdout.write(dataset_table(results))
            for part in parts:
                results.update(self.run_part(part, database_name, repeat))
            if json_path:
                json_path.write_text(to_json(results) + "\n", encoding="utf-8")
                self.stderr.write(f"results written to {json_path}")
        finally:
            connection.close()
            settings_dict["NAME"] = original_name
            if not keep_db:
                drop_database(settings_dict, database_name)

    def prepare(self, name, scale, keep_db):
        """Point the default connection at a migrated, loaded, analysed database ``name``; return its facts.

        With ``--keep-db``, a kept database that has every migration is reused when it holds this scale's
        dataset, and reloaded in place (no new database, no migrate) when it holds another.
        """
        settings_dict = connection.settings_dict
        comment = database_comment(settings_dict, name)
        if keep_db and comment is not None:
            use_database(name)
            executor = MigrationExecutor(connection)
            if not executor.migration_plan(executor.loader.graph.leaf_nodes()):
                kept = kept_dataset(comment)
                if kept and kept["scale"] == scale:
                    self.stderr.write(f"reusing the kept database {name} (scale {scale})")
                    return {**kept, "counts": row_counts(), "reused": True}
                return self.load(name, scale, migrate_s=0.0)
            self.stderr.write(f"the kept database {name} misses migrations: rebuilding it")
        connection.close()
        drop_database(settings_dict, name)
        with opened({**settings_dict, "NAME": "postgres"}) as maintenance, maintenance.cursor() as cursor:
            cursor.execute(f"CREATE DATABASE {maintenance.ops.quote_name(name)}")
        use_database(name)
        started = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        return self.load(name, scale, migrate_s=round(time.perf_counter() - started, 1))

    def load(self, name, scale, migrate_s):
        """Load the dataset into the migrated database ``name`` and analyse it; return its facts."""
        self.stderr.write(f"loading the dataset at scale {scale} into {name}")
        facts = {"scale": scale, "migrate_s": migrate_s}
        started = time.perf_counter()
        dataset.load(scale, self.stderr)
        facts["load_s"] = round(time.perf_counter() - started, 1)
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
            facts["vacuum_analyze_s"] = round(time.perf_counter() - started, 1)
            # The scale, for a later --keep-db run to know what the database holds.
            comment = json.dumps(facts).replace("'", "''")
            cursor.execute(f"COMMENT ON DATABASE {connection.ops.quote_name(name)} IS '{comment}'")
        return {**facts, "counts": row_counts(), "reused": False}

    def run_part(self, part, database_name, repeat):
        """The part's results for the JSON (None when its module is not there yet), its table on stdout."""
        module_name = PARTS[part]
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name != module_name:
                raise
            self.stdout.write(f"\n## {part}\n\nNot measured: {module_name} is not installed yet.\n")
            return {"admin": None, "admin_peak_rss_mb": None} if part == "admin" else {part: None}
        self.stderr.write(f"running {part}")
        if part == "queries":
            result = module.measure(repeat=repeat, stdout=self.stderr)
        elif part == "http":
            result = module.measure(database_name, stdout=self.stderr)
        else:
            result = module.measure(database_name, repeat=repeat, stdout=self.stderr)
        self.stdout.write(f"\n## {part}\n\n{module.table(result)}\n")
        return result if part == "admin" else {part: result}


def use_database(name):
    """Send the default connection's next queries to database ``name``."""
    connection.close()
    connection.settings_dict["NAME"] = name


def drop_database(settings_dict, name):
    with opened({**settings_dict, "NAME": "postgres"}) as maintenance, maintenance.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {maintenance.ops.quote_name(name)} WITH (FORCE)")


def database_comment(settings_dict, name):
    """The comment on database ``name`` ("" when it has none), or None when there is no such database."""
    with opened({**settings_dict, "NAME": "postgres"}) as maintenance, maintenance.cursor() as cursor:
        cursor.execute("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [name])
        row = cursor.fetchone()
    return None if row is None else row[0] or ""


def kept_dataset(comment):
    """What a kept database's comment says it holds, or None when it says nothing of a dataset."""
    try:
        facts = json.loads(comment)
    except ValueError:
        return None
    return facts if isinstance(facts, dict) and "scale" in facts else None


def row_counts():
    """Rows per table of the dataset."""
    tables = [model._meta.db_table for model in dataset.Generator.all_tables()]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(f"SELECT '{table}', count(*) FROM {table}" for table in tables))
        counts = dict(cursor.fetchall())
    return {table: counts[table] for table in tables}


def machine_facts(settings_dict):
    """What the figures depend on: CPUs, memory, load, PostgreSQL and Python versions."""
    with opened({**settings_dict, "NAME": "postgres"}) as maintenance, maintenance.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgresql = cursor.fetchone()[0]
    return {
        "cpu_count": os.cpu_count(),
        "cpu_model": proc_value("/proc/cpuinfo", "model name"),
        "memory_total": proc_value("/proc/meminfo", "MemTotal"),
        # What else was running: the 1, 5 and 15 minute load averages when the measurements began.
        "load_average": [round(load, 2) for load in os.getloadavg()],
        "postgresql": postgresql,
        "python": platform.python_version(),
        "django": django.get_version(),
        "platform": platform.platform(),
        "measured_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
    }


def proc_value(path, key):
    """The value of ``key`` in a ``key: value`` file such as /proc/cpuinfo (None where there is none)."""
    try:
        with open(path) as lines:
            for line in lines:
                name, _, value = line.partition(":")
                if name.strip() == key:
                    return value.strip()
    except OSError:
        pass
    return None


def dataset_table(results):
    facts = results["dataset"]
    rows = "\n".join(f"| {table} | {count:,} |" for table, count in facts["counts"].items())
    if facts["reused"]:
        timing = f"Reused a kept database, loaded earlier in {facts['load_s']} s."
    else:
        timing = (
            f"Loaded in {facts['load_s']} s (migrate {facts['migrate_s']} s, "
            f"VACUUM ANALYZE {facts['vacuum_analyze_s']} s)."
        )
    machine = results["machine"]
    return (
        f"## Dataset at scale {results['scale']}\n\n| table | rows |\n|---|---:|\n{rows}\n\n{timing}\n\n"
        f"Machine: {machine['cpu_count']} x {machine['cpu_model']}, PostgreSQL {machine['postgresql']}, "
        f"load average {' / '.join(map(str, machine['load_average']))}.\n"
    )


def to_json(value):
    return json.dumps(value, indent=2, ensure_ascii=False)
