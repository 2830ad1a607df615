#!/usr/bin/env python
"""Time a 10,000-row spreadsheet import (dry run, then for real) and its export, through the commands.

Usage: DATABASE_URL=... python scripts/benchmark_sheets.py [--rows 10000]

It generates a CSV of new channels (each owned by one of a few KOLs) and a metric per channel, in a
scratch database next to DATABASE_URL's (Django's test database; in memory on SQLite), which it drops
again. Not part of the test suite: the tests import a few rows of each kind.
"""

import argparse
import csv
import io
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kolregistry.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import translation  # noqa: E402

from partners.models import Channel, ChannelMetric, Kol  # noqa: E402


def write(path, rows):
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def timed(label, *args):
    started = time.perf_counter()
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    elapsed = time.perf_counter() - started
    summary = (out.getvalue().strip().splitlines() or [""])[-1]
    print(f"{label:<40} {elapsed:7.1f} s   {summary[:70]}")
    return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10000)
    options = parser.parse_args()
    translation.activate("en")
    old_name = settings.DATABASES["default"]["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        Kol.objects.bulk_create(Kol(name=f"Nhà sáng tạo {n}", slug=f"kol-{n}") for n in range(20))
        folder = Path(tempfile.mkdtemp())
        channels = [["Platform", "Handle", "Display name", "Launch date", "KOL (slug)"]]
        channels += [["tiktok", f"channel{n}", f"Kênh {n}", "05/2024", f"kol-{n % 20}"] for n in range(options.rows)]
        metrics = [["Channel platform", "Channel handle", "Measured on", "Followers", "Source URL"]]
        metrics += [["tiktok", f"channel{n}", "17/05/2025", n, "https://example.test/"] for n in range(options.rows)]
        print(f"{connection.vendor}, {options.rows} rows")
        timed(
            "channels: import --dry-run",
            "import_sheet",
            "channels",
            str(write(folder / "c.csv", channels)),
            "--dry-run",
        )
        timed("channels: import", "import_sheet", "channels", str(folder / "c.csv"))
        timed("metrics: import", "import_sheet", "metrics", str(write(folder / "m.csv", metrics)))
        timed("channels: export CSV", "export_sheet", "channels", "--output", str(folder / "out.csv"))
        timed("channels: export XLSX", "export_sheet", "channels", "--output", str(folder / "out.xlsx"))
        timed("channels: re-import export (unchanged)", "import_sheet", "channels", str(folder / "out.xlsx"))
        assert Channel.objects.count() == options.rows and ChannelMetric.objects.count() == options.rows
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
