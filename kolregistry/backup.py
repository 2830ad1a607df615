"""Database backups, restores, and the drill that proves a backup restores completely.

PostgreSQL is dumped with ``pg_dump`` in its custom format and restored with ``pg_restore``; SQLite is
copied with its online backup API, which gives a consistent copy even while the app writes. The
drill restores a backup into a fresh scratch database and compares every table with the source:
row count and a checksum of the ordered rows. Used by ``scripts/backup.py`` (``make backup``,
``make restore FILE=…``, ``make backup-drill``) and by the test suite.
"""

import datetime
import hashlib
import os
import sqlite3
import subprocess
import tempfile
import uuid
from contextlib import closing, contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connections

FETCH_SIZE = 2000


def create_backup(using="default", directory=None):
    """Back up database ``using`` into ``directory`` (KOLREG_BACKUP_DIR) under a timestamped name."""
    connection = connections[using]
    directory = Path(directory or settings.KOLREG_BACKUP_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    if connection.vendor == "postgresql":
        path = directory / f"kolregistry-{stamp}.pgdump"
        refuse_to_overwrite(path)
        pg_run(["pg_dump", "--format=custom", f"--file={path}"], connection.settings_dict)
    elif connection.vendor == "sqlite":
        path = directory / f"kolregistry-{stamp}.sqlite3"
        refuse_to_overwrite(path)
        connection.ensure_connection()
        with closing(sqlite3.connect(path)) as target:
            connection.connection.backup(target)
    else:
        raise NotImplementedError(f"No backup for {connection.vendor} databases.")
    return path


def restore_backup(file, database):
    """Restore ``file`` into ``database`` (a DATABASES entry), creating the database if it is missing.

    Objects in the backup replace those of the same name; asks no questions. Stop the app servers first.
    """
    file = Path(file)
    if not file.is_file():
        raise FileNotFoundError(f"No backup file at {file}.")
    if database["ENGINE"].endswith("postgresql"):
        create_postgresql_database(database)
        options = ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
        pg_run(["pg_restore", *options, f"--dbname={database['NAME']}", str(file)], database)
    elif database["ENGINE"].endswith("sqlite3"):
        Path(database["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(file)) as source, closing(sqlite3.connect(database["NAME"])) as target:
            source.backup(target)
    else:
        raise NotImplementedError(f"No restore for {database['ENGINE']}.")


def verify_backup(file, using="default"):
    """The drill: restore ``file`` into a fresh scratch database and compare it with database ``using``.

    Returns the differences (an empty list when every table matches). Run it right after the backup,
    while nothing writes, or the source will have moved on.
    """
    expected = table_checksums(connections[using])
    with scratch_database(connections[using].settings_dict) as database:
        restore_backup(file, database)
        with opened(database) as restored:
            actual = table_checksums(restored)
    return differences(expected, actual)


def table_checksums(connection):
    """Every table's ``(row count, md5 of its rows ordered by primary key)``, by table name."""
    quote = connection.ops.quote_name
    checksums = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            columns = sorted(column.name for column in connection.introspection.get_table_description(cursor, table))
            order = connection.introspection.get_primary_key_columns(cursor, table) or columns
            cursor.execute(
                f"SELECT {', '.join(map(quote, columns))} FROM {quote(table)} ORDER BY {', '.join(map(quote, order))}"
            )
            digest, count = hashlib.md5(usedforsecurity=False), 0
            while rows := cursor.fetchmany(FETCH_SIZE):
                for row in rows:
                    digest.update(repr(tuple(map(comparable, row))).encode())
                count += len(rows)
            checksums[table] = (count, digest.hexdigest())
    return checksums


def differences(expected, actual):
    """One line per table that is missing, extra, or differs in row count or checksum."""
    lines = []
    for table in sorted(expected.keys() | actual.keys()):
        if table not in actual:
            lines.append(f"{table}: missing from the restored database")
        elif table not in expected:
            lines.append(f"{table}: not in the source database")
        elif expected[table][0] != actual[table][0]:
            lines.append(f"{table}: {expected[table][0]} rows in the source, {actual[table][0]} restored")
        elif expected[table][1] != actual[table][1]:
            lines.append(f"{table}: same {expected[table][0]} rows, different contents")
    return lines


def comparable(value):
    # Binary columns come back as memoryview, whose repr is an address.
    return bytes(value).hex() if isinstance(value, memoryview | bytes) else value


def refuse_to_overwrite(path):
    if path.exists():
        raise FileExistsError(f"{path} already exists; try again in a second.")


def pg_environment(database):
    """libpq's variables for ``database``, so that no password appears on a command line."""
    values = {
        "PGHOST": database.get("HOST"),
        "PGPORT": str(database.get("PORT") or ""),
        "PGUSER": database.get("USER"),
        "PGPASSWORD": database.get("PASSWORD"),
        "PGDATABASE": database.get("NAME"),
        "PGSSLMODE": database.get("OPTIONS", {}).get("sslmode"),
    }
    return {**os.environ, **{name: value for name, value in values.items() if value}}


def pg_run(command, database):
    result = subprocess.run(command, env=pg_environment(database), capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(f"{command[0]} failed ({result.returncode}): {result.stderr.strip()}")


def create_postgresql_database(database):
    """Create ``database["NAME"]`` unless it exists (a restore onto a new server needs no createdb)."""
    with opened({**database, "NAME": "postgres"}) as maintenance, maintenance.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database["NAME"]])
        if cursor.fetchone() is None:
            cursor.execute(f"CREATE DATABASE {maintenance.ops.quote_name(database['NAME'])}")


@contextmanager
def scratch_database(database):
    """A fresh, empty database beside ``database``, dropped afterwards."""
    if database["ENGINE"].endswith("postgresql"):
        scratch = {**database, "NAME": f"{database['NAME']}_drill_{uuid.uuid4().hex[:8]}"}
        try:
            yield scratch
        finally:
            with opened({**database, "NAME": "postgres"}) as maintenance, maintenance.cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {maintenance.ops.quote_name(scratch['NAME'])} WITH (FORCE)")
    else:
        with tempfile.TemporaryDirectory() as directory:
            yield {**database, "NAME": str(Path(directory) / "drill.sqlite3")}


@contextmanager
def opened(database):
    """A Django connection to ``database`` in autocommit mode, under a temporary alias of its own.

    Registered in ``connections`` because backend signal handlers (django.contrib.postgres) look
    connections up by alias.
    """
    alias = f"kolregistry-backup-{uuid.uuid4().hex[:8]}"
    connections.settings[alias] = connections.configure_settings({"default": {**database, "ATOMIC_REQUESTS": False}})[
        "default"
    ]
    try:
        connections[alias].connect()  # explicitly: Django's test cases refuse lazy connections to unknown aliases
        yield connections[alias]
    finally:
        connections[alias].close()
        del connections[alias]
        del connections.settings[alias]
