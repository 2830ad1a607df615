"""A page deep in a big admin list: the rows of that slice of the ordered list, in as many queries as page 1.

Each big list's default ordering (and the dashboard's largest channels) is read from an index, on PostgreSQL.
"""

import datetime

import pytest
from django.contrib import admin
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns.models import Assignment, CampaignReport
from partners.models import Channel, ChannelMetric, RosterMembership
from tests.factories import SOURCE, ChannelFactory, PartnerCompanyFactory, RosterMembershipFactory
from tests.helpers import listed, partner_client

pytestmark = pytest.mark.django_db

METRICS_URL = reverse("admin:partners_channelmetric_changelist")
NEWEST_FIRST = (F("measured_on").desc(nulls_last=True), "-id")
FOLLOWERS_COLUMN = "4"  # after the selection box, the channel, the date and the subject


def metrics(count):
    """``count`` snapshots with repeated dates and figures, some undated: the ties the key must break."""
    channels = ChannelFactory.create_batch(3)
    ChannelMetric.objects.bulk_create(
        ChannelMetric(
            channel=channels[number % 3],
            measured_on=None if number % 10 == 0 else datetime.date(2025, 1, 1 + number % 7),
            followers=number % 5,
            source_url=SOURCE,
        )
        for number in range(count)
    )


@pytest.mark.parametrize(
    ("params", "ordering"),
    [
        ({}, NEWEST_FIRST),
        # A column sorts first, the default ordering next.
        ({"o": FOLLOWERS_COLUMN}, ("followers", *NEWEST_FIRST)),
        ({"o": f"-{FOLLOWERS_COLUMN}"}, ("-followers", *NEWEST_FIRST)),
        ({"o": FOLLOWERS_COLUMN, "approximate__exact": "0"}, ("followers", *NEWEST_FIRST)),
    ],
)
def test_a_deep_page_lists_that_slice_of_the_sorted_list(admin_client, params, ordering):
    metrics(130)

    response = admin_client.get(METRICS_URL, {**params, "p": 3})

    assert listed(response) == list(ChannelMetric.objects.order_by(*ordering)[100:150])
    assert response.context["cl"].result_count == 130


def test_a_deep_page_costs_the_queries_of_the_first(admin_client):
    metrics(130)

    def queries(page):
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(METRICS_URL, {"p": page}).status_code == 200
        return len(captured)

    first = queries(1)
    deep = queries(3)
    metrics(260)

    assert first == deep == queries(8)


def test_a_partner_users_deep_page_lists_only_its_own_rows(client):
    own, other = PartnerCompanyFactory(), PartnerCompanyFactory()
    RosterMembershipFactory.create_batch(60, partner=own)
    RosterMembershipFactory.create_batch(60, partner=other)
    partner_client(client, own)

    response = client.get(reverse("admin:partners_rostermembership_changelist"), {"p": 2})

    rows = listed(response)
    assert len(rows) == 10
    assert {row.partner for row in rows} == {own}
    assert rows == list(RosterMembership.objects.filter(partner=own).order_by("-starts_on", "-id")[50:])


def admin_ordering(model):
    return lambda: model.objects.order_by(*admin.site._registry[model].ordering).values_list("pk")[900:950]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="reads PostgreSQL's query plans")
@pytest.mark.parametrize(
    "keys",
    [
        admin_ordering(ChannelMetric),
        admin_ordering(RosterMembership),
        admin_ordering(Assignment),
        admin_ordering(CampaignReport),
        lambda: Channel.objects.filter(platform="tiktok", followers__isnull=False).order_by("-followers", "pk")[:3],
    ],
    ids=["metrics", "roster", "assignments", "reports", "largest channels"],
)
def test_big_lists_are_read_in_order_from_an_index(keys):
    with connection.cursor() as cursor:
        # Empty tables are cheapest to scan and sort; forbidding both leaves the plan an index would allow.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_incremental_sort = off")

    plan = keys().explain()

    assert "Index" in plan
    assert "Sort" not in plan
