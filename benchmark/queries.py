"""R1-R8: the registry's read queries timed side by side under three implementations, in one process.

- A, the naive DRF draft (benchmark/naive.py, under /benchmark/naive/);
- B, the real endpoint through the whole stack (middleware, token authentication, throttling, DEBUG off),
  in process with django.test.Client;
- C, the floor: one hand-written SQL query encoded with orjson (benchmark/floor.py).

Each is run once to warm up, then ``repeat`` times; the first page's ids must be the same, in the same
order, under all three, or the query is reported with ``"ok": false`` and a message. The probes (which
partner, date, agency, channel) are chosen from the loaded data, so any dataset works.
PostgreSQL only (the probes and the floor use its SQL).
"""

import base64
import math
import statistics
import time
from dataclasses import dataclass
from functools import partial
from urllib.parse import urlencode

import orjson
from django.conf import settings
from django.db import connection, reset_queries
from django.db.models import Count
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import ApiToken
from kolregistry.search import search_terms
from partners.models import Agency, Channel, ChannelMetric, Mou, PartnerCompany, RosterMembership

from . import floor
from .users import ministry_staff_user

API = floor.API_PATH
SEARCH_TERMS = ("nguyen", "Nguyễn", "đức", "quang ninh", "ng")
SEARCHED = ("channels", "kols", "mous")
NAIVE = "/benchmark/naive/"
STACK = "/benchmark/stack/"
HOST = "testserver"
FLOOR_BASE = f"http://{HOST}{API}"
DEEP = 0.9


@dataclass(frozen=True)
class Case:
    """One query: the URL of A (under NAIVE) and of B (under API), and C's function."""

    name: str
    naive: str
    real: str
    floor: object
    detail: bool = False


def url(path, **params):
    pairs = [(key, item) for key, value in params.items() for item in (value if isinstance(value, list) else [value])]
    return f"{path}?{urlencode(pairs)}" if pairs else path


def one(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def busiest_roster():
    """The partner with the most memberships, and the date (a start of one of them) its roster is largest."""
    partner_id = (
        RosterMembership.objects.values("partner").annotate(n=Count("id")).order_by("-n", "partner")[0]["partner"]
    )
    starts = one(
        "SELECT percentile_disc(ARRAY[0.2, 0.4, 0.6, 0.8, 1.0]) WITHIN GROUP (ORDER BY starts_on)"
        " FROM partners_rostermembership WHERE partner_id = %s",
        [partner_id],
    )[0]
    active = RosterMembership.objects.filter(partner_id=partner_id)
    day = max(sorted(set(starts)), key=lambda day: active.active_on(day).count())
    return PartnerCompany.objects.get(pk=partner_id), day


def follower_range(platform_filter="", params=()):
    """The 20th and 80th percentiles of the follower counts (of the rows ``platform_filter`` selects)."""
    low, high = one(
        "SELECT percentile_disc(0.2) WITHIN GROUP (ORDER BY followers), percentile_disc(0.8) WITHIN GROUP"
        f" (ORDER BY followers) FROM partners_channel WHERE followers IS NOT NULL {platform_filter}",
        params,
    )
    return low or 0, high or 0


def agency_with_active_mous(day):
    """Of the agencies with children, the one whose tree has the most MOUs in force on ``day``."""
    parents = Agency.objects.filter(children__isnull=False).distinct().annotate(n=Count("children"))
    best, best_count = None, -1
    for agency in parents.order_by("-n", "id")[:20]:
        count = Mou.objects.active_on(day).filter(agency__in=agency.descendant_ids()).count()
        if count > best_count:
            best, best_count = agency, count
    return best


def deep_position(count):
    """Row ``DEEP`` x ``count`` of the channel list by name: its offset, DRF's cursor to it, and the row before it."""
    offset = max(1, int(count * DEEP))
    ordered = Channel.objects.order_by("display_name", "id").values_list("display_name", "id")
    before, (name, _pk) = ordered[offset - 1 : offset + 1]
    # DRF's cursor: the last name before this name's run of ties, and the offset into the run.
    first = Channel.objects.filter(display_name__lt=name).count()
    tokens = {"o": str(offset - first)} if offset > first else {}
    if first:
        tokens["p"] = ordered[first - 1][0]
    cursor = base64.b64encode(urlencode(tokens).encode("ascii")).decode("ascii")
    return offset, cursor, before


def choose_probes():
    """Parameters for R1-R8 taken from the loaded data."""
    partner, day = busiest_roster()
    platform = Channel.objects.values("platform").annotate(n=Count("id")).order_by("-n", "platform")[0]["platform"]
    low, high = follower_range("AND platform = %s", [platform])
    roster = Channel.objects.managed_by(partner, day)
    roster_platforms = [
        row["platform"] for row in roster.values("platform").annotate(n=Count("id")).order_by("-n", "platform")[:2]
    ]
    roster_low, roster_high = follower_range(
        "AND id IN (SELECT channel_id FROM partners_rostermembership WHERE partner_id = %s)", [partner.pk]
    )
    today = timezone.localdate()
    agency = agency_with_active_mous(today)
    channel_id = ChannelMetric.objects.values("channel").annotate(n=Count("id")).order_by("-n", "channel")[0]["channel"]
    offset, cursor, before = deep_position(Channel.objects.count())
    return {
        "partner": {"id": partner.pk, "slug": partner.slug, "memberships": partner.memberships.count()},
        "day": day.isoformat(),
        "roster_size": roster.count(),
        "platform": platform,
        "followers": [low, high],
        "roster_platforms": roster_platforms,
        "roster_followers": [roster_low, roster_high],
        "agency": {"id": agency.pk, "slug": agency.slug} if agency else None,
        "agency_day": today.isoformat(),
        "channel": channel_id,
        "snapshots": ChannelMetric.objects.filter(channel_id=channel_id).count(),
        "deep": {"offset": offset, "cursor": cursor, "after": list(before)},
    }


def cases(probes):
    """The R1-R8 cases for ``probes`` (``choose_probes()``)."""
    partner, day = probes["partner"], probes["day"]
    slug = partner["slug"]
    platform, (low, high) = probes["platform"], probes["followers"]
    roster_low, roster_high = probes["roster_followers"]
    deep = probes["deep"]
    listed = [
        Case(
            "R1",
            url(f"{NAIVE}channels/", partner=slug, active_on=day),
            url(f"{API}channels/", partner=slug, active_on=day),
            lambda: floor.roster(FLOOR_BASE, partner["id"], day),
        ),
        # A has no shortcut: its answer is the filtered list's.
        Case(
            "R1 roster",
            url(f"{NAIVE}channels/", partner=slug, active_on=day),
            url(f"{API}partners/{partner['id']}/roster/", on=day),
            lambda: floor.roster(FLOOR_BASE, partner["id"], day),
        ),
        Case(
            "R2",
            url(
                f"{NAIVE}channels/", platform=platform, min_followers=low, max_followers=high, ordering="-followers,-id"
            ),
            url(
                f"{API}channels/",
                platform=platform,
                min_followers=low,
                max_followers=high,
                ordering="-followers",
            ),
            lambda: floor.channels_by_followers(FLOOR_BASE, [platform], low, high),
        ),
    ]
    agency = probes["agency"]
    if agency:
        mous = {"agency": agency["slug"], "include_children": "true", "active_on": probes["agency_day"]}
        listed.append(
            Case(
                "R3",
                url(f"{NAIVE}mous/", **mous),
                url(f"{API}mous/", **mous),
                lambda: floor.mous_active_for_agency(FLOOR_BASE, agency["id"], probes["agency_day"]),
            )
        )
    search = {
        "channels": floor.channel_search,
        "kols": floor.kol_search,
        "mous": floor.mou_search,
    }
    for resource in SEARCHED:
        for term in SEARCH_TERMS:
            listed.append(
                Case(
                    f"R4 {resource} {term}",
                    url(f"{NAIVE}{resource}/", q=term),
                    url(f"{API}{resource}/", q=term),
                    partial(search[resource], FLOOR_BASE, search_terms(term)),
                )
            )
    platforms = probes["roster_platforms"]
    combined = {
        "q": "nguyen",
        "platform": platforms,
        "partner": slug,
        "active_on": day,
        "min_followers": roster_low,
        "max_followers": roster_high,
    }
    listed += [
        Case(
            "R5",
            url(f"{NAIVE}channels/", **combined, ordering="-followers,-id"),
            url(f"{API}channels/", **combined, ordering="-followers"),
            lambda: floor.channels_filtered(
                FLOOR_BASE, ["nguyen"], platforms, partner["id"], day, roster_low, roster_high
            ),
        ),
        Case("R6 page 1", f"{NAIVE}channels/", f"{API}channels/", lambda: floor.channels_after(FLOOR_BASE)),
        Case(
            "R6 deep",
            url(f"{NAIVE}channels/", offset=deep["offset"]),
            url(f"{API}channels/", cursor=deep["cursor"]),
            lambda: floor.channels_after(FLOOR_BASE, deep["after"]),
        ),
        Case(
            "R7 detail",
            f"{NAIVE}channels/{probes['channel']}/",
            f"{API}channels/{probes['channel']}/",
            lambda: floor.channel_detail(FLOOR_BASE, probes["channel"]),
            detail=True,
        ),
        Case(
            "R7 snapshots",
            url(f"{NAIVE}channel-metrics/", channel=probes["channel"], limit=30),
            url(f"{API}channel-metrics/", channel=probes["channel"], limit=30),
            lambda: floor.channel_snapshots(FLOOR_BASE, probes["channel"]),
        ),
    ]
    pages = {"channels": floor.channels_after, "mous": floor.mou_list, "campaigns": floor.campaign_list}
    for resource, listing in pages.items():
        for limit in (500, 50):
            listed.append(
                Case(
                    f"R8 {resource} {limit}",
                    url(f"{NAIVE}{resource}/", limit=limit),
                    url(f"{API}{resource}/", limit=limit),
                    lambda listing=listing, limit=limit: listing(FLOOR_BASE, limit=limit),
                )
            )
    return listed


def staff_tokens():
    """One read-only token each for A and B of the ministry staff user: two throttle budgets."""
    user, _password = ministry_staff_user()
    return {name: ApiToken.objects.issue(owner=user, name=f"benchmark {name}", read_only=True) for name in "AB"}


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


class Failed(Exception):
    """An implementation did not answer 200."""


def timed(call, repeat):
    """``call()`` once to warm up, then ``repeat`` times: its last body, and median, p95 and queries."""
    call()
    durations, queries, body = [], 0, b""
    for _ in range(repeat):
        # Django empties the log when a request starts: an emptied log keeps the count right.
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            body = call()
            durations.append((time.perf_counter() - start) * 1000)
        queries = len(captured)
    stats = {
        "median_ms": round(statistics.median(durations), 2),
        "p95_ms": round(percentile(durations, 0.95), 2),
        "queries": queries,
        "kb": round(len(body) / 1024, 1),
    }
    return body, stats


def fetcher(client, path, key):
    def call():
        response = client.get(path, HTTP_AUTHORIZATION=f"Token {key}")
        if response.status_code == 429:
            rate = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["user"]
            raise Failed(f"{path}: throttled (429) with the user rate {rate}")
        if response.status_code != 200:
            raise Failed(f"{path}: HTTP {response.status_code}: {response.content[:200]!r}")
        return response.content

    return call


def first_page(body, detail):
    """The rows of a response: the object itself for a detail."""
    data = orjson.loads(body)
    return [data] if detail else data["results"]


def run_case(case, clients, repeat):
    """A, B and C of one case, and whether they agree."""
    result, pages = {}, {}
    calls = {"A": clients["A"](case.naive), "B": clients["B"](case.real), "C": case.floor}
    for name, call in calls.items():
        try:
            body, result[name] = timed(call, repeat)
            pages[name] = first_page(body, case.detail)
        except Failed as error:
            result[name] = {"error": str(error)}
    found = {name: [row["id"] for row in rows] for name, rows in pages.items()}
    result["url"] = case.real
    result["rows"] = len(found.get("B", found.get("C", [])))
    problems = [f"{name} failed: {result[name]['error']}" for name in calls if name not in found]
    reference = found.get("C")
    for name in ("A", "B"):
        if name in found and reference is not None and found[name] != reference:
            problems.append(f"{name} returns other rows than C: {found[name][:5]}… vs {reference[:5]}…")
    # The floor must do the real endpoint's work: the same fields on every row.
    if pages.get("B") and pages.get("C") and set(pages["B"][0]) != set(pages["C"][0]):
        problems.append(f"C's rows have other fields than B's: {sorted(set(pages['B'][0]) ^ set(pages['C'][0]))}")
    result["ok"] = not problems
    if problems:
        result["message"] = "; ".join(problems)
    return result


def measure(repeat=5, stdout=None):
    """Time R1-R8 under A, B and C, each warmed up once and then run ``repeat`` times.

    ``{"probes": {...}, "R1": {"A": {"median_ms", "p95_ms", "queries", "kb"}, "B": {...}, "C": {...}, "url": B's URL,
    "rows": n, "ok": bool[, "message": why not]}, ..., "stack": {"median_ms", ...}}``; an implementation that failed
    has ``{"error": ...}``. ``stack`` is B's stack answering an empty page (``benchmark.stack``).
    """
    write = stdout.write if stdout else (lambda text: None)
    probes = choose_probes()
    write(f"Probes: {orjson.dumps(probes).decode()}\n")
    tokens = staff_tokens()
    client = Client()
    clients = {name: (lambda path, key=key: fetcher(client, path, key)) for name, (_token, key) in tokens.items()}
    result = {"probes": probes}
    try:
        with override_settings(
            ROOT_URLCONF="benchmark.urls", DEBUG=False, ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, HOST]
        ):
            for case in cases(probes):
                if case.name.startswith("R4") and "R3" not in result:
                    result["R3"] = {"A": {}, "B": {}, "C": {}, "rows": 0, "ok": False}
                    result["R3"]["message"] = "not run: no agency in the data has subordinate agencies"
                result[case.name] = run_case(case, clients, repeat)
                write(summary(case.name, result[case.name]) + "\n")
            result["stack"] = measure_stack(clients["B"], repeat)
            write(f"The stack's empty page: {result['stack']}\n")
    finally:
        ApiToken.objects.filter(pk__in=[token.pk for token, _key in tokens.values()]).delete()
    return result


def measure_stack(client, repeat):
    """B's stack answering an empty page (``benchmark.stack``): what B costs before reading a row."""
    try:
        return timed(client(STACK), repeat)[1]
    except Failed as error:
        return {"error": str(error)}


def summary(name, row):
    times = " ".join(
        f"{impl} {row[impl]['median_ms']:.1f} ms/{row[impl]['queries']}q" if "median_ms" in row[impl] else f"{impl} -"
        for impl in "ABC"
    )
    return f"{name}: {row['rows']} rows, {times}" + ("" if row["ok"] else f"  MISMATCH: {row['message']}")


def cell(row, impl, key):
    value = row[impl].get(key)
    return "-" if value is None else f"{value:g}"


def ratio(numerator, denominator):
    return f"{numerator / denominator:.1f}x" if numerator and denominator else "-"


def table(result):
    """The measurements as markdown: one row per query, then the checks and any mismatch."""
    lines = [
        "| query | rows | A median ms | A p95 | A queries | B median ms | B p95 | B queries | C median ms | C p95"
        " | C queries | A/B | B/C | same rows |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    rows = {name: row for name, row in result.items() if name not in {"probes", "stack"}}
    for name, row in rows.items():
        medians = {impl: row[impl].get("median_ms") for impl in "ABC"}
        lines.append(
            f"| {name} | {row['rows']} | "
            + " | ".join(f"{cell(row, impl, 'median_ms')} | {cell(row, impl, 'p95_ms')} | {cell(row, impl, 'queries')}"
                         for impl in "ABC")
            + f" | {ratio(medians['A'], medians['B'])} | {ratio(medians['B'], medians['C'])}"
            + f" | {'yes' if row['ok'] else '**NO**'} |"
        )  # fmt: skip
    notes = []
    for resource in ("channels", "mous", "campaigns"):
        big, small = rows.get(f"R8 {resource} 500"), rows.get(f"R8 {resource} 50")
        if big and small and big["B"].get("median_ms") and small["B"].get("median_ms"):
            times = big["B"]["median_ms"] / small["B"]["median_ms"]
            notes.append(f"- R8 {resource}: B's 500 rows take {times:.1f}x its 50 rows (target ≤ 10x).")
    deep, first = rows.get("R6 deep"), rows.get("R6 page 1")
    if deep and first and deep["B"].get("median_ms") and first["B"].get("median_ms"):
        times = deep["B"]["median_ms"] / first["B"]["median_ms"]
        notes.append(f"- R6: B's page at 90% depth takes {times:.2f}x its page 1 (target ≤ 1.2x).")
    stack = result.get("stack", {})
    if "median_ms" in stack:
        notes.append(
            f"- The stack alone (`benchmark.stack`: an empty page through B's middleware, token authentication,"
            f" permission check, throttling and renderer): {stack['median_ms']:g} ms median,"
            f" {stack['queries']} {'query' if stack['queries'] == 1 else 'queries'}. No B can take less."
        )
    notes += [f"- {name}: {row['message']}" for name, row in rows.items() if not row["ok"]]
    return "\n".join([*lines, "", *notes]) + "\n"
