#!/usr/bin/env python
"""Show that ``?format=csv`` streams in flat memory: peak RSS for a 10k-row and a 100k-row channel export.

Usage: DATABASE_URL=postgres://.../NAME python scripts/csv_export_memory.py [--channels 100000]

It fills a scratch database next to DATABASE_URL's (Django's test database, ``test_<name>``) with
the benchmark's dataset (``benchmark.dataset``, scaled to the number of channels), then, for each export,
starts a fresh Python process that streams
``/api/v1/channels/?format=csv`` through the whole stack (Django's test client, as a superuser) and reports
its peak RSS (``VmHWM``) beside its RSS before the request. ``?min_followers=5000000`` selects
a tenth of the channels. PostgreSQL only: the processes share the scratch database. Not part of the tests.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kolregistry.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

EXPORTS = [("a tenth", "/api/v1/channels/?format=csv&min_followers=5000000"), ("all", "/api/v1/channels/?format=csv")]


def rss_mib(key="VmRSS"):
    """This process's resident set size now (``VmRSS``) or at its peak (``VmHWM``), in MiB.

    Not ``resource.getrusage``'s ``ru_maxrss``: Linux carries that across fork and exec, so a child would
    report the parent's peak (the one that filled the database).
    """
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith(f"{key}:"))
    return int(line.split()[1]) / 1024


def stream(url):
    """Stream one export in this process; print ``{rows, bytes, rss_before, peak_rss}`` as JSON."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.DEBUG = False
    client = Client()
    client.force_login(get_user_model().objects.get(username="csv-memory"))
    client.get("/api/v1/channels/?limit=1")  # load the URLconf, serializers and translations first
    before = rss_mib()
    started = time.perf_counter()
    response = client.get(url)
    assert response.status_code == 200 and response.streaming, response
    size = lines = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        lines += chunk.count(b"\n")
    peak = rss_mib("VmHWM")
    seconds = time.perf_counter() - started
    print(json.dumps({"rows": lines - 1, "bytes": size, "rss_before": before, "peak_rss": peak, "seconds": seconds}))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--channels", type=int, default=100_000)
    parser.add_argument("--stream", help=argparse.SUPPRESS)  # in the child process: the URL to stream
    options = parser.parse_args()
    if options.stream:
        stream(options.stream)
        return
    if connection.vendor != "postgresql":
        sys.exit("Run it on PostgreSQL (DATABASE_URL=postgres://...): each export runs in its own process.")

    from benchmark.dataset import CHANNELS, load

    old_name = connection.settings_dict["NAME"]
    test_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        started = time.perf_counter()
        load(options.channels / CHANNELS, sys.stdout)
        get_user_model().objects.create_superuser("csv-memory", "csv-memory@example.test", "unused-password-1")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"postgresql: {options.channels} channels loaded in {time.perf_counter() - started:.1f} s\n")
        print(f"{'export':<10} {'rows':>7} {'MiB':>7} {'RSS before':>11} {'peak RSS':>9} {'seconds':>8}")
        environment = {**os.environ, "DATABASE_URL": os.environ["DATABASE_URL"].rsplit("/", 1)[0] + f"/{test_name}"}
        for label, url in EXPORTS:
            child = subprocess.run(
                [sys.executable, __file__, "--stream", url], env=environment, capture_output=True, text=True, check=True
            )
            figures = json.loads(child.stdout.strip().splitlines()[-1])
            print(
                f"{label:<10} {figures['rows']:>7} {figures['bytes'] / 2**20:>7.1f} {figures['rss_before']:>9.0f} MiB"
                f" {figures['peak_rss']:>5.0f} MiB {figures['seconds']:>8.1f}"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
