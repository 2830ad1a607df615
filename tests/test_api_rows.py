"""A list shows each row exactly as its detail does, whichever way the list read it.

For a caller who sees everything, a list whose fields are columns, foreign keys, prefetched to-many relations or
values the model computes from its own row (channels, KOLs, MOUs, campaigns, agencies, partners, people, hashtags)
reads its page as ``.values()`` rows (``RegistrySerializer.row_plan``); every other list, and every list a partner
reads, builds model instances, as a detail does.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.roles import PARTNER_USERS
from kolregistry.api.urls import ROUTERS
from kolregistry.dates import DatePrecision, PartialDate
from partners.models import Channel, PartnerCompany
from tests.factories import (
    AgencyFactory,
    AssignmentFactory,
    CampaignFactory,
    ChannelFactory,
    HashtagFactory,
    KolFactory,
    MouFactory,
    PartnerCompanyFactory,
    RosterMembershipFactory,
)
from tests.helpers import results, role_user

LISTS = sorted(prefix for router in ROUTERS for prefix, _viewset, _basename in router.registry)


@pytest.fixture
def schannel(demo_data_for_module, db, staff_user):
    """SChannel, with the demo's rows and what the demo does not have:

    - on its roster since 2024, a KOL's two channels and an agency's channel, assigned to a campaign;
    - a terminated MOU with a document and a responsible staff member, naming two KOLs and two channels, added
      in the reverse of the order they are listed in;
    - a campaign with two organisers, two partners and two hashtags, added in the reverse of their order.
    """
    schannel = PartnerCompany.objects.get(slug="schannel")
    kol = KolFactory(name="Quách Beem")
    kols_channels = [ChannelFactory(kol=kol), ChannelFactory(kol=kol)]
    channel = ChannelFactory(kol=None, agency=AgencyFactory())
    for roster_channel in (*kols_channels, channel):
        RosterMembershipFactory(channel=roster_channel, partner=schannel)
    AssignmentFactory(channel=channel)
    mou = MouFactory(
        partner=schannel,
        document="mous/2024/signed.pdf",
        responsible=staff_user,
        terminated_on=datetime.date(2025, 3, 1),
        termination_reason="Replaced by a new MOU.",
    )
    mou.kols.set([KolFactory(), kol])
    mou.channels.set(reversed(kols_channels))
    campaign = CampaignFactory(mou=mou, platforms=["tiktok", "youtube"])
    campaign.organisers.set([AgencyFactory(name="Zz agency"), AgencyFactory(name="Aa agency")])
    campaign.partners.set([PartnerCompanyFactory(short_name="Zz"), schannel])
    campaign.hashtags.set([HashtagFactory(name="ZzRowsTag"), HashtagFactory(name="AaRowsTag")])
    return schannel


@pytest.fixture
def staff_api(schannel, staff_user):
    client = APIClient()
    client.force_authenticate(staff_user)
    return client


@pytest.fixture
def schannel_api(schannel):
    client = APIClient()
    client.force_authenticate(role_user(PARTNER_USERS, schannel))
    return client


def assert_rows_are_their_details(client, path):
    rows = results(client.get(path, {"limit": 500}))
    assert rows, f"{path} lists nothing: the comparison would prove nothing"
    for row in rows:
        assert client.get(row["url"]).json() == row


@pytest.mark.parametrize("resource", LISTS)
def test_a_staff_members_list_rows_are_their_details(staff_api, resource):
    assert_rows_are_their_details(staff_api, f"/api/v1/{resource}/")


@pytest.mark.parametrize("resource", ["channels", "agencies", "partners", "kols", "mous"])
def test_a_partners_list_rows_are_their_details(schannel_api, resource):
    assert_rows_are_their_details(schannel_api, f"/api/v1/{resource}/")


def test_a_roster_shows_its_channels_as_their_details(staff_api, schannel):
    assert_rows_are_their_details(staff_api, f"/api/v1/partners/{schannel.pk}/roster/?on=2024-06-01")


def test_rows_read_as_values_keep_partial_dates_empty_owners_and_the_follower_order(staff_api):
    launched = PartialDate(datetime.date(2019, 5, 1), DatePrecision.MONTH)
    by_agency = ChannelFactory(kol=None, agency=AgencyFactory(), launched_on=launched, display_name="Zz agency")
    by_kol = ChannelFactory(kol=KolFactory(name="Quách Beem"), display_name="Zz kol", handle="")
    Channel.objects.filter(pk=by_agency.pk).update(followers=10)
    rows = {row["id"]: row for row in results(staff_api.get("/api/v1/channels/", {"q": "zz"}))}
    assert rows[by_agency.pk]["launched_on"] == "2019-05"
    assert rows[by_agency.pk]["kol"] is None and rows[by_agency.pk]["agency"]["id"] == by_agency.agency_id
    assert rows[by_kol.pk]["agency"] is None and rows[by_kol.pk]["kol"]["display"].startswith("Quách Beem")
    # The cursor of an order on an annotation (the follower rank) is read off the rows too.
    ordered = staff_api.get("/api/v1/channels/", {"q": "zz", "ordering": "-followers", "limit": 1}).json()
    assert [row["id"] for row in ordered["results"]] == [by_agency.pk]
    assert [row["id"] for row in results(staff_api.get(ordered["next"]))] == [by_kol.pk]


def page_sql(client, path, table):
    with CaptureQueriesContext(connection) as captured:
        results(client.get(path))
    # The page's query is the one whose first FROM is the table (a scope subquery may name it later).
    pages = [query["sql"] for query in captured if query["sql"].partition(" FROM ")[2].startswith(f'"{table}"')]
    assert len(pages) == 1, [query["sql"] for query in captured]
    return pages[0]


@pytest.mark.parametrize(
    ("resource", "table"),
    [
        ("channels", "partners_channel"),
        ("kols", "partners_kol"),
        ("mous", "partners_mou"),
        ("campaigns", "campaigns_campaign"),
    ],
)
def test_staff_read_only_the_shown_columns_and_partners_whole_rows(staff_api, schannel_api, resource, table):
    # A value row holds the columns the fields show; a model instance every column, the search text included.
    search_text = f'"{table}"."search_text"'
    assert search_text not in page_sql(staff_api, f"/api/v1/{resource}/", table)
    assert search_text in page_sql(schannel_api, f"/api/v1/{resource}/", table)
