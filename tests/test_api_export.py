"""``?format=csv`` and ``?updated_since=`` on every list endpoint."""

import csv
import datetime
import io

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from partners.models import Channel, ChannelMetric
from tests.factories import ChannelFactory, KolFactory, PartnerCompanyFactory, RosterMembershipFactory
from tests.helpers import partner_client, results

pytestmark = pytest.mark.django_db


def read_csv(response):
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(body.removeprefix("\ufeff"))))


def test_csv_is_the_whole_list_with_api_field_headers_and_flattened_relations(api):
    kol = KolFactory(name="Quách Beem")
    for number in range(3):
        ChannelFactory(kol=kol, display_name=f"Kênh {number}")
    response = api.get("/api/v1/channels/", {"format": "csv", "limit": 1})
    assert response["Content-Disposition"].startswith('attachment; filename="channel-')
    rows = read_csv(response)
    assert len(rows) == 3  # not one page
    assert rows[0]["display_name"] == "Kênh 0"  # ordered as JSON: by name
    assert rows[0]["kol.id"] == str(kol.pk) and rows[0]["kol.display"] == str(kol)
    assert rows[0]["agency.id"] == ""
    assert "channel_url" in rows[0] and "notes" in rows[0]


def test_csv_neutralises_formulas(api):
    ChannelFactory(display_name='=HYPERLINK("http://evil.test")', handle="-1+1")
    [row] = read_csv(api.get("/api/v1/channels/?format=csv"))
    assert row["display_name"] == '\'=HYPERLINK("http://evil.test")'
    assert row["handle"] == "'-1+1"


def test_csv_keeps_filters_search_and_scope():
    ours, theirs = PartnerCompanyFactory(), PartnerCompanyFactory()
    mine = RosterMembershipFactory(partner=ours, channel=ChannelFactory(display_name="Beem"))
    RosterMembershipFactory(partner=ours, channel=ChannelFactory(display_name="Other"))
    RosterMembershipFactory(partner=theirs, channel=ChannelFactory(display_name="Beem too"))
    client = partner_client(APIClient(), ours)
    rows = read_csv(client.get("/api/v1/channels/", {"format": "csv", "q": "beem"}))
    assert [row["id"] for row in rows] == [str(mine.channel_id)]
    rows = read_csv(client.get("/api/v1/memberships/?format=csv"))
    assert {row["partner.id"] for row in rows} == {str(ours.pk)}
    assert "notes" not in rows[0]  # internal, as in JSON


def test_csv_errors_and_refusals_are_json(api):
    response = api.get("/api/v1/channels/", {"format": "csv", "kol_id": "x"})
    assert response.status_code == 400 and response["Content-Type"] == "application/json"
    assert APIClient().get("/api/v1/channels/?format=csv").status_code == 401
    assert api.get("/api/v1/channels/1/?format=csv").status_code == 404  # lists only


def test_csv_queries_do_not_grow_with_rows():
    partner = PartnerCompanyFactory()
    client = partner_client(APIClient(), partner)

    def queries_for(rows):
        for _ in range(rows):
            RosterMembershipFactory(partner=partner, channel=ChannelFactory(kol=KolFactory()))
        with CaptureQueriesContext(connection) as captured:
            assert len(read_csv(client.get("/api/v1/channels/?format=csv"))) == Channel.objects.count()
        return len(captured)

    assert queries_for(2) == queries_for(8)


def test_every_list_takes_updated_since(api):
    old = ChannelFactory()
    Channel.objects.filter(pk=old.pk).update(updated_at=timezone.now() - datetime.timedelta(days=2))
    new = ChannelFactory()
    since = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    assert [row["id"] for row in results(api.get("/api/v1/channels/", {"updated_since": since}))] == [new.pk]
    assert results(api.get("/api/v1/memberships/", {"updated_since": since})) == []
    assert len(read_csv(api.get("/api/v1/channels/", {"updated_since": since, "format": "csv"}))) == 1


@pytest.mark.parametrize(
    "since",
    [
        "2026-12-01",
        "2026-12-1",
        "2026-12-01T00:00:00",
        "2026-12-01T00:00:00+07:00",
        "2026-11-30T17:00:00Z",
        "2026-11-30T12:00-05:00",
    ],
)
def test_updated_since_a_date_is_its_midnight_in_the_registrys_time_zone(api, since):
    """Hanoi's midnight starting 1 December is 17:00 UTC on 30 November; a time without an offset is Hanoi's too."""
    last_minute, first_minute = ChannelFactory(), ChannelFactory()
    midnight = datetime.datetime(2026, 11, 30, 17, tzinfo=datetime.UTC)
    Channel.objects.filter(pk=last_minute.pk).update(updated_at=midnight - datetime.timedelta(microseconds=1))
    Channel.objects.filter(pk=first_minute.pk).update(updated_at=midnight)
    assert [row["id"] for row in results(api.get("/api/v1/channels/", {"updated_since": since}))] == [first_minute.pk]


@pytest.mark.parametrize("value", ["yesterday", "2026-02-30", "0001-01-01T00:00:00+07:00"])
def test_a_bad_updated_since_is_a_400(api, value):
    response = api.get("/api/v1/kols/", {"updated_since": value})
    assert response.status_code == 400
    assert "ISO 8601" in response.json()["updated_since"][0]


@pytest.mark.parametrize(
    ("model", "index"), [(Channel, "channel_updated_at_idx"), (ChannelMetric, "channel_metric_updated_at_idx")]
)
def test_updated_since_on_the_large_tables_uses_an_index(model, index):
    if connection.vendor != "postgresql":
        pytest.skip("the plan is PostgreSQL's")
    since = timezone.now() - datetime.timedelta(days=1)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        explained = model.objects.filter(updated_at__gte=since).explain()
    assert index in explained
