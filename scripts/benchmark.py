#!/usr/bin/env python
"""Time the API's list endpoints on a registry of a few thousand channels.

Usage: DATABASE_URL=... python scripts/benchmark.py [--channels 20000] [--repeat 5]

It creates a scratch database next to DATABASE_URL's (Django's test database, ``test_<name>``;
in memory on SQLite), fills it, times each request through the whole stack with
``time.perf_counter`` and drops the scratch database again. Not part of the test suite.
"""

import argparse
import datetime
import os
import statistics
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
from django.test.utils import CaptureQueriesContext  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from partners.models import Agency, Channel, Kol, Mou, PartnerCompany, RosterMembership  # noqa: E402

DAY = datetime.date(2020, 1, 1)


def fill(channel_count):
    """Agencies, partners, one KOL per channel, one roster membership per channel, MOUs."""
    agencies = Agency.objects.bulk_create(
        Agency(name=f"Provincial Media Center {n}", kind="provincial", slug=f"agency-{n}", search_text=f"center {n}")
        for n in range(50)
    )
    partners = PartnerCompany.objects.bulk_create(
        PartnerCompany(short_name=f"Network {n}", legal_name=f"Network {n} JSC", kind="creator_network", slug=f"p-{n}")
        for n in range(20)
    )
    kols = [Kol(name=f"Nhà sáng tạo {n}", name_en=f"Creator {n}", slug=f"kol-{n}") for n in range(channel_count)]
    # One findable KOL, in the middle of the table (every tenth channel belongs to an agency instead).
    beem = kols[channel_count // 2 + 1]
    beem.name, beem.name_en = "Quách Beem", "Quach Beem"
    for kol in kols:
        kol.search_text = kol.build_search_text()
    kols = Kol.objects.bulk_create(kols, batch_size=2000)
    channels = []
    for n, kol in enumerate(kols):
        owner = {"agency": agencies[n % 50]} if n % 10 == 0 else {"kol": kol}
        channel = Channel(
            platform=["tiktok", "youtube", "facebook"][n % 3],
            display_name=f"Kênh {n}",
            handle=f"channel{n}",
            followers=(n * 7919) % 1_000_000,
            followers_on=DAY,
            **owner,
        )
        channel.search_text = channel.build_search_text()
        channels.append(channel)
    channels = Channel.objects.bulk_create(channels, batch_size=2000)
    RosterMembership.objects.bulk_create(
        (
            RosterMembership(
                channel=channel,
                partner=partners[n % 20],
                starts_on=DAY + datetime.timedelta(days=n % 1500),
                ends_on=None if n % 4 else DAY + datetime.timedelta(days=n % 1500 + 365),
            )
            for n, channel in enumerate(channels)
        ),
        batch_size=2000,
    )
    mous = Mou.objects.bulk_create(
        Mou(
            title=f"MOU {n}",
            agency=agencies[n % 50],
            partner=partners[n % 20],
            starts_on=DAY + datetime.timedelta(days=n),
            ends_on=DAY + datetime.timedelta(days=n + 2000),
            search_text=f"mou {n}",
        )
        for n in range(1000)
    )
    return partners, mous


def deep_cursor(client, url):
    """The ``next`` link of the last page but one, reached by walking 500-row pages."""
    previous, link = None, f"{url}&limit=500"
    while link:
        previous, link = link, client.get(link).json()["next"]
    return previous.replace("limit=500", "limit=50")


def timed(client, url, repeat):
    client.get(url)  # warm caches
    durations, rows, queries = [], 0, 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            durations.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.content[:300]
        rows, queries = len(response.json()["results"]), len(captured)
    return statistics.median(durations), rows, queries


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--channels", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.DEBUG = False
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        started = time.perf_counter()
        partners, _mous = fill(options.channels)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(f"{connection.vendor}: {options.channels} channels loaded in {time.perf_counter() - started:.1f} s\n")
        user = get_user_model().objects.create_superuser("benchmark", "benchmark@example.test", "unused-password-1")
        client = APIClient()
        client.force_authenticate(user)
        checks = [
            ("channels, first page", "/api/v1/channels/?limit=50"),
            ("channels, deep cursor page", deep_cursor(client, "/api/v1/channels/?ordering=-followers")),
            ("channels, first page by -followers", "/api/v1/channels/?ordering=-followers&limit=50"),
            ("channels ?q=quach beem", "/api/v1/channels/?q=quach+beem"),
            ("channels ?q=center 7 (broad, via agency)", "/api/v1/channels/?q=center+7"),
            ("channels ?active_on", "/api/v1/channels/?active_on=2022-06-01"),
            ("channels ?partner&active_on", f"/api/v1/channels/?partner={partners[3].slug}&active_on=2022-06-01"),
            ("channels ?platform&min_followers", "/api/v1/channels/?platform=tiktok&min_followers=900000"),
            ("kols ?q=quach", "/api/v1/kols/?q=quach"),
            ("memberships ?active_on", "/api/v1/memberships/?active_on=2022-06-01"),
            ("mous ?active_on", "/api/v1/mous/?active_on=2022-06-01"),
            ("mous ?expires_within=180", "/api/v1/mous/?expires_within=180"),
            ("partners/{id}/roster/?on", f"/api/v1/partners/{partners[3].pk}/roster/?on=2022-06-01"),
            ("channels, 500 rows", "/api/v1/channels/?limit=500"),
        ]
        print(f"{'endpoint':<40} {'rows':>5} {'queries':>7} {'median ms':>10}")
        for label, url in checks:
            median, rows, queries = timed(client, url, options.repeat)
            print(f"{label:<40} {rows:>5} {queries:>7} {median:>10.1f}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
