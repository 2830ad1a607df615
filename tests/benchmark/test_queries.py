"""The benchmark's queries: A, B and C answer R1-R8 with the same rows, and ``measure`` reports what it finds."""

import orjson
import pytest
from django.db import connection

from benchmark import floor, queries
from tests.factories import AgencyFactory, ChannelMetricFactory, MouFactory

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the benchmark needs PostgreSQL")

TIMINGS = {"median_ms", "p95_ms", "queries", "kb"}


@pytest.fixture
def dataset(demo_data_for_module, db):
    """The demo, plus an agency tree with MOUs in force and a channel with several snapshots."""
    parent = AgencyFactory()
    MouFactory(agency=AgencyFactory(parent=parent))
    MouFactory(agency=parent)
    snapshot = ChannelMetricFactory()
    ChannelMetricFactory.create_batch(3, channel=snapshot.channel)


def test_a_b_and_c_return_the_same_rows_for_every_query(dataset):
    result = queries.measure(repeat=1)

    names = set(result) - {"probes", "stack"}
    assert {"R1", "R1 roster", "R2", "R3", "R5", "R6 page 1", "R6 deep", "R7 detail", "R7 snapshots"} <= names
    assert {f"R4 {resource} {term}" for resource in queries.SEARCHED for term in queries.SEARCH_TERMS} <= names
    assert {f"R8 {resource} {limit}" for resource in ("channels", "mous", "campaigns") for limit in (500, 50)} <= names
    for name in names:
        row = result[name]
        assert row["ok"], f"{name}: {row.get('message')}"
        assert all(set(row[impl]) == TIMINGS for impl in "ABC")
        assert row["C"]["queries"] == 1
    assert result["R1"]["rows"] > 0
    assert result["R7 snapshots"]["rows"] == 4
    assert "| R1 | " in queries.table(result)
    # The stack's empty page reads nothing but the token, its owner's roles and permissions included.
    assert result["stack"]["queries"] == 1
    assert "The stack alone" in queries.table(result)


def test_a_throttled_implementation_is_reported_not_raised(dataset, settings, monkeypatch):
    every_case = queries.cases
    monkeypatch.setattr(queries, "cases", lambda probes: every_case(probes)[:3])
    # Two requests per token: the warm-up and one timed run of the first query.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "user": "2/hour"},
    }

    result = queries.measure(repeat=1)

    assert result["R1"]["ok"]
    assert not result["R2"]["ok"]
    assert "throttled (429)" in result["R2"]["message"]
    assert "median_ms" in result["R2"]["C"]
    assert "**NO**" in queries.table(result)


def test_the_floor_views_answer_the_floor_queries(dataset, client, settings):
    settings.ROOT_URLCONF = "benchmark.urls"
    probes = queries.choose_probes()
    partner_id, day = probes["partner"]["id"], probes["day"]

    roster = client.get("/benchmark/floor/roster/", {"partner_id": partner_id, "on": day})
    found = client.get("/benchmark/floor/channels/", {"q": "Nguyễn"})

    assert roster.content == floor.roster(queries.FLOOR_BASE, partner_id, day)
    assert orjson.loads(roster.content)["results"]
    assert found.content == floor.channel_search(queries.FLOOR_BASE, ["nguyen"])
