"""Every list endpoint runs a fixed number of queries; on PostgreSQL, search and date filters use indexes."""

import datetime

import pytest
from django.db import connection, transaction
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.roles import MINISTRY_STAFF
from campaigns.api.views import CampaignViewSet
from campaigns.filtersets import CampaignFilterSet
from campaigns.models import Campaign
from partners.api.views import ChannelViewSet, KolViewSet, MouViewSet, PersonViewSet, RosterMembershipViewSet
from partners.filtersets import ChannelFilterSet, KolFilterSet, MouFilterSet, PersonFilterSet, RosterMembershipFilterSet
from partners.models import Agency, Channel, Kol, Mou, Person, RosterMembership
from tests.factories import (
    AgencyFactory,
    AssignmentFactory,
    CampaignFactory,
    CampaignReportFactory,
    ChannelFactory,
    ChannelMetricFactory,
    HashtagFactory,
    KolFactory,
    MouFactory,
    MouPersonFactory,
    PartnerCompanyFactory,
    PersonFactory,
    RosterMembershipFactory,
    StatedFactFactory,
)
from tests.helpers import partner_client, role_user

# The page and up to three prefetches (a superuser's session needs no query to resolve its access; reads open no
# transaction).
MAX_QUERIES = 4


def make_agencies(n):
    parent = AgencyFactory()
    AgencyFactory.create_batch(n - 1, parent=parent)


def make_mous(n):
    kols, channels = KolFactory.create_batch(3), ChannelFactory.create_batch(3)
    for mou in MouFactory.create_batch(n, agency=AgencyFactory(), partner=PartnerCompanyFactory()):
        mou.kols.set(kols)
        mou.channels.set(channels)


def make_campaigns(n):
    agencies, partners = AgencyFactory.create_batch(2), PartnerCompanyFactory.create_batch(2)
    hashtags = HashtagFactory.create_batch(2)
    mou = MouFactory(starts_on=None, ends_on=None)
    for campaign in CampaignFactory.create_batch(n, mou=mou):
        campaign.organisers.set(agencies)
        campaign.partners.set(partners)
        campaign.hashtags.set(hashtags)


def make_roster(n):
    partner = PartnerCompanyFactory(slug="roster-partner")
    for membership in RosterMembershipFactory.create_batch(n, partner=partner):
        ChannelMetricFactory(channel=membership.channel)


LIST_ENDPOINTS = {
    "agencies": make_agencies,
    "partners": PartnerCompanyFactory.create_batch,
    "kols": lambda n: ChannelFactory.create_batch(n),  # each with its own KOL
    "channels": lambda n: ChannelFactory.create_batch(n, agency=None),
    "memberships": RosterMembershipFactory.create_batch,
    "channel-metrics": ChannelMetricFactory.create_batch,
    "mous": make_mous,
    "people": lambda n: PersonFactory.create_batch(n, partner=PartnerCompanyFactory()),
    "mou-people": lambda n: MouPersonFactory.create_batch(n, mou=MouFactory()),
    "campaigns": make_campaigns,
    "hashtags": HashtagFactory.create_batch,
    "assignments": lambda n: AssignmentFactory.create_batch(n, campaign=CampaignFactory()),
    "campaign-reports": lambda n: CampaignReportFactory.create_batch(n, campaign=CampaignFactory(), hashtag=None),
    "stated-facts": lambda n: StatedFactFactory.create_batch(n, campaign=CampaignFactory()),
}


@pytest.mark.parametrize("rows", [1, 200])
@pytest.mark.parametrize("resource", LIST_ENDPOINTS)
def test_list_query_count_does_not_grow_with_the_page(api, django_assert_max_num_queries, resource, rows):
    LIST_ENDPOINTS[resource](rows)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = api.get(f"/api/v1/{resource}/?limit=200")
    assert response.status_code == 200
    assert len(response.json()["results"]) == rows


@pytest.mark.parametrize("reader", ["staff", "partner"])
def test_a_list_reads_only_the_brief_columns_of_its_joined_and_prefetched_rows(api, client, reader):
    # Compiling the columns a list does not show was most of compiling an MOU page's query, and loading them most
    # of its prefetch queries' time. Staff read their page as values (RowPlan), a partner as instances.
    parties = {
        "agency": AgencyFactory(name="Cục Thông tin đối ngoại", acronym="CTTĐN"),
        "partner": PartnerCompanyFactory(),
    }
    mou = MouFactory(**parties, renews=MouFactory(**parties, title="MOU 2021-2024"))
    channel = ChannelFactory(kol=KolFactory(name="Quách Beem"), display_name="Quách Beem", handle="quachbeem")
    mou.kols.add(channel.kol)
    mou.channels.add(channel)
    reader = api if reader == "staff" else partner_client(client, mou.partner)
    with CaptureQueriesContext(connection) as captured:
        listed = {row["id"]: row for row in reader.get("/api/v1/mous/?limit=10").json()["results"]}
    sql = "\n".join(query["sql"] for query in captured)
    assert '"partners_agency"."acronym"' in sql and '"partners_agency"."search_text"' not in sql
    assert '"partners_partnercompany"."short_name"' in sql and '"partners_partnercompany"."tax_code"' not in sql
    kols, channels = (
        next(query["sql"] for query in captured if query["sql"].partition(" FROM ")[2].startswith(f'"{table}"'))
        for table in ("partners_kol", "partners_channel")
    )
    assert '"partners_kol"."name_en"' in kols and '"partners_kol"."search_text"' not in kols
    assert '"partners_channel"."handle"' in channels and '"partners_channel"."search_text"' not in channels
    detail = reader.get(f"/api/v1/mous/{mou.pk}/").json()
    shown = ("agency", "partner", "renews", "kols", "channels")
    assert {name: listed[mou.pk][name] for name in shown} == {name: detail[name] for name in shown}
    assert detail["agency"]["display"] == "Cục Thông tin đối ngoại (CTTĐN)"
    assert detail["renews"]["display"] == "MOU 2021-2024"


@pytest.mark.parametrize("rows", [1, 200])
def test_brief_list_query_count(api, django_assert_max_num_queries, rows):
    make_mous(rows)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = api.get("/api/v1/mous/?limit=200&brief=1")
    assert set(response.json()["results"][0]) == {"id", "url", "display"}
    assert len(response.json()["results"]) == rows


@pytest.mark.parametrize("rows", [1, 200])
def test_roster_query_count(api, django_assert_max_num_queries, rows):
    make_roster(rows)
    partner_id = RosterMembership.objects.values_list("partner_id", flat=True).first()
    with django_assert_max_num_queries(MAX_QUERIES):
        response = api.get(f"/api/v1/partners/{partner_id}/roster/?on=2025-01-01&limit=200")
    assert len(response.json()["results"]) == rows
    assert all(row["followers"] == 1000 for row in response.json()["results"])


@pytest.mark.parametrize("rows", [1, 200])
def test_filtered_channel_list_query_count(api, django_assert_max_num_queries, rows):
    make_roster(rows)
    mou = MouFactory(partner=RosterMembership.objects.first().partner)
    query = f"q=kenh&partner=roster-partner&active_on=2025-01-01&mou={mou.pk}&ordering=-followers&limit=200"
    with django_assert_max_num_queries(MAX_QUERIES + 2):  # + the partner and MOU lookups that validate the filters
        response = api.get(f"/api/v1/channels/?{query}")
    assert len(response.json()["results"]) == rows


# EXPLAIN on PostgreSQL. Test tables are tiny, so they get a few thousand unrelated rows and fresh
# statistics, and sequential scans are priced out; the plan then shows what a full registry would use.


def fill_search_tables(rows=2000):
    agency = Agency.objects.create(name="Filler", kind="other", slug="filler", search_text="filler")
    kols = Kol.objects.bulk_create(
        Kol(name=f"Creator {n}", slug=f"filler-{n}", search_text=f"creator {n}") for n in range(rows)
    )
    Agency.objects.bulk_create(
        Agency(name=f"Office {n}", kind="other", slug=f"office-{n}", search_text=f"office {n}") for n in range(rows)
    )
    Channel.objects.bulk_create(
        Channel(platform="tiktok", handle=f"h{n}", kol=kol, search_text=f"channel {n}") for n, kol in enumerate(kols)
    )
    Channel.objects.bulk_create(
        Channel(platform="youtube", handle=f"a{n}", agency=agency, search_text=f"agency channel {n}")
        for n in range(rows)
    )
    partner = PartnerCompanyFactory()
    RosterMembership.objects.bulk_create(
        RosterMembership(channel=channel, partner=partner, starts_on=datetime.date(2030, 1, 1) + datetime.timedelta(n))
        for n, channel in enumerate(Channel.objects.all())
    )


def plan(viewset, filterset_class, query, ordered=False, ordering=None):
    """EXPLAIN of the filtered rows; ``ordered``: of the first page in the viewset's default order, or in
    ``?ordering=`` ``ordering``."""
    filterset = filterset_class(QueryDict(query), queryset=viewset.queryset.all())
    assert filterset.is_valid(), filterset.errors
    order = viewset.ordering_choices[ordering] if ordering else viewset.ordering
    queryset = filterset.qs.order_by(*order)[:51] if ordered or ordering else filterset.qs
    with transaction.atomic(), connection.cursor() as cursor:
        # Bulk inserts wait in the GIN pending list until a VACUUM, which cannot run in a transaction.
        cursor.execute(
            "SELECT gin_clean_pending_list(indexrelid) FROM pg_index JOIN pg_class ON pg_class.oid = indexrelid"
            " WHERE relname LIKE '%%_search_trgm'"
        )
        cursor.execute("ANALYZE")
        cursor.execute("SET LOCAL enable_seqscan = off")
        return queryset.explain()


@pytest.fixture
def postgresql(db):
    if connection.vendor != "postgresql":
        pytest.skip("the trigram and range indexes are PostgreSQL's")


@pytest.mark.usefixtures("postgresql")
def test_channel_search_uses_the_trigram_index_of_channels_alone():
    fill_search_tables()
    explained = plan(ChannelViewSet, ChannelFilterSet, "q=quach+beem")
    assert "channel_search_trgm" in explained
    assert "kol_search_trgm" not in explained and "agency_search_trgm" not in explained


@pytest.mark.usefixtures("postgresql")
def test_a_frequent_search_term_walks_the_order_index_to_the_page():
    # Every filler channel's search_text holds "channel": the first page is the first rows of the index.
    fill_search_tables()
    assert "channel_display_name_id_idx" in plan(ChannelViewSet, ChannelFilterSet, "q=channel", ordered=True)
    assert "kol_name_id_idx" in plan(KolViewSet, KolFilterSet, "q=creator", ordered=True)


@pytest.mark.usefixtures("postgresql")
def test_a_follower_range_bounds_the_scan_of_the_follower_order_index():
    # Written on `followers`, the range was a filter over every channel above it: 190,000 rows passed before a
    # page at benchmark scale 10 (R2, 0.5 s).
    agency = AgencyFactory()
    Channel.objects.bulk_create(
        Channel(platform="tiktok", handle=f"f{n}", agency=agency, followers=n * 10) for n in range(2000)
    )
    explained = plan(ChannelViewSet, ChannelFilterSet, "min_followers=100&max_followers=5000", ordering="-followers")
    bounds = next(line for line in explained.splitlines() if "Index Cond" in line)
    assert "channel_followers_rank_idx" in explained
    assert "COALESCE(followers, '-1'::bigint) >= 100" in bounds and "<= 5000" in bounds


@pytest.mark.usefixtures("postgresql")
def test_a_campaign_page_is_read_from_the_name_index():
    # Without it, each page sorted every campaign joined to its MOU: 118 ms at 20,000 campaigns (benchmark scale 10).
    Campaign.objects.bulk_create(Campaign(name=f"Campaign {n}", slug=f"campaign-{n}") for n in range(2000))
    assert "campaign_name_id_idx" in plan(CampaignViewSet, CampaignFilterSet, "", ordered=True)


@pytest.mark.usefixtures("postgresql")
def test_kol_search_uses_the_trigram_index():
    fill_search_tables()
    assert "kol_search_trgm" in plan(KolViewSet, KolFilterSet, "q=hoa+hau+via+he")


@pytest.mark.usefixtures("postgresql")
def test_people_search_uses_the_trigram_index():
    partner = PartnerCompanyFactory()
    Person.objects.bulk_create(
        Person(name=f"Person {n}", slug=f"person-{n}", partner=partner, search_text=f"person {n}") for n in range(2000)
    )
    assert "person_search_trgm" in plan(PersonViewSet, PersonFilterSet, "q=tran+hoang")


@pytest.mark.usefixtures("postgresql")
def test_membership_active_on_uses_an_index():
    fill_search_tables()
    explained = plan(RosterMembershipViewSet, RosterMembershipFilterSet, "active_on=2024-06-01")
    # The admin's newest-first index serves ``starts_on <= day`` as well as the period index does.
    indexes = ("membership_period_idx", "membership_partner_period_idx", "membership_newest_idx")
    assert any(index in explained for index in indexes), explained


@pytest.mark.usefixtures("postgresql")
def test_mou_active_on_and_expires_within_use_an_index():
    agency, partner = AgencyFactory(), PartnerCompanyFactory()
    Mou.objects.bulk_create(
        Mou(
            title=f"MOU {n}",
            agency=agency,
            partner=partner,
            starts_on=datetime.date(2030, 1, 1) + datetime.timedelta(n),
        )
        for n in range(2000)
    )
    MouFactory.create_batch(3, starts_on=datetime.date(2024, 1, 1), ends_on=datetime.date(2027, 12, 31))
    assert "mou_period_idx" in plan(MouViewSet, MouFilterSet, "active_on=2026-01-01")
    explained = plan(MouViewSet, MouFilterSet, "expires_within=180")
    assert "mou_period_idx" in explained or "mou_ends_on_idx" in explained


# A ministry staff member's token: the token lookup, which brings the owner with their partner account, roles and
# permissions; reads open no transaction.
TOKEN_QUERIES = 1
# Each list's own queries: the page and one per prefetched to-many relation.
OWN_QUERIES = {"kols": 2, "mous": 3, "campaigns": 4}


@pytest.fixture
def staff_token_api(db):
    _token, key = ApiToken.objects.issue(owner=role_user(MINISTRY_STAFF), name="sync", read_only=True)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    client.get("/api/v1/")  # The first use of a token records it (a write at most once a minute).
    return client


@pytest.mark.parametrize("rows", [1, 200])
@pytest.mark.parametrize("resource", LIST_ENDPOINTS)
def test_token_list_queries(staff_token_api, django_assert_max_num_queries, resource, rows):
    LIST_ENDPOINTS[resource](rows)
    with django_assert_max_num_queries(TOKEN_QUERIES + OWN_QUERIES.get(resource, 1)):
        response = staff_token_api.get(f"/api/v1/{resource}/?limit=200")
    assert len(response.json()["results"]) == rows


@pytest.mark.parametrize("depth", [1, 6])
def test_mous_of_an_agency_tree_cost_the_same_at_any_depth(api, django_assert_max_num_queries, depth):
    agency = root = AgencyFactory(slug="root")
    for _level in range(depth):
        agency = AgencyFactory(parent=agency)
    MouFactory(agency=agency)
    # The agency's slug, then the page (the whole subtree is one recursive subquery) and its two prefetches.
    with django_assert_max_num_queries(4):
        response = api.get(f"/api/v1/mous/?agency={root.slug}&include_children=true")
    assert [row["agency"]["id"] for row in response.json()["results"]] == [agency.pk]
