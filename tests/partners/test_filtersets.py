"""The partners FilterSets: what each filter selects, and invalid values answered with a 400."""

import datetime

import pytest
from django.http import QueryDict

from partners.filtersets import (
    AgencyFilterSet,
    ChannelFilterSet,
    KolFilterSet,
    MouFilterSet,
    PartnerCompanyFilterSet,
    RosterMembershipFilterSet,
)
from partners.models import Agency, Channel, Kol, Mou, PartnerCompany, RosterMembership
from tests.factories import (
    AgencyFactory,
    AssignmentFactory,
    ChannelFactory,
    ChannelMetricFactory,
    KolFactory,
    MouFactory,
    PartnerCompanyFactory,
    RosterMembershipFactory,
)
from tests.helpers import partner_client, pks, results

pytestmark = pytest.mark.django_db


@pytest.fixture
def roster():
    """SChannel manages one channel over 2024, BHMedia another from 2020 with an open end."""
    schannel = PartnerCompanyFactory(slug="schannel")
    bhmedia = PartnerCompanyFactory(slug="bhmedia")
    in_2024 = RosterMembershipFactory(
        partner=schannel, starts_on=datetime.date(2024, 1, 1), ends_on=datetime.date(2024, 12, 31)
    )
    open_ended = RosterMembershipFactory(partner=bhmedia, starts_on=datetime.date(2020, 12, 14))
    unmanaged = ChannelFactory()
    return {"schannel": in_2024.channel, "bhmedia": open_ended.channel, "unmanaged": unmanaged}


def test_channels_by_partner_slug_and_id(roster):
    schannel = PartnerCompany.objects.get(slug="schannel")
    assert pks(ChannelFilterSet, {"partner": "schannel"}, Channel) == {roster["schannel"].pk}
    assert pks(ChannelFilterSet, {"partner_id": schannel.pk}, Channel) == {roster["schannel"].pk}


def test_channels_active_on_with_partner_is_that_roster_on_that_date(roster):
    assert pks(ChannelFilterSet, {"partner": "schannel", "active_on": "2024-06-01"}, Channel) == {roster["schannel"].pk}
    assert pks(ChannelFilterSet, {"partner": "schannel", "active_on": "2025-06-01"}, Channel) == set()


def test_channels_active_on_alone_is_any_management(roster):
    assert pks(ChannelFilterSet, {"active_on": "2024-06-01"}, Channel) == {roster["schannel"].pk, roster["bhmedia"].pk}
    assert pks(ChannelFilterSet, {"active_on": "2025-06-01"}, Channel) == {roster["bhmedia"].pk}
    assert pks(ChannelFilterSet, {"active_on": "2019-01-01"}, Channel) == set()


def test_channels_by_mou_named_or_managed_by_its_partner_during_its_period(roster):
    schannel = PartnerCompany.objects.get(slug="schannel")
    named = ChannelFactory()
    mou = MouFactory(partner=schannel, starts_on=datetime.date(2024, 6, 1), ends_on=datetime.date(2027, 12, 31))
    mou.channels.add(named)
    later = MouFactory(partner=schannel, starts_on=datetime.date(2025, 1, 1), ends_on=None)
    after = RosterMembershipFactory(partner=schannel, starts_on=datetime.date(2028, 1, 1))  # after the first one ended
    assert pks(ChannelFilterSet, {"mou": mou.pk}, Channel) == {named.pk, roster["schannel"].pk}
    assert pks(ChannelFilterSet, {"mou": later.pk}, Channel) == {after.channel_id}


def test_a_partner_filtering_by_date_learns_nothing_of_other_partners_rosters(client, roster):
    """SChannel sees the channel it managed in 2024; that BHMedia manages it in 2025 stays hidden."""
    RosterMembershipFactory(
        channel=roster["schannel"], partner=PartnerCompany.objects.get(slug="bhmedia"), starts_on="2025-01-01"
    )
    schannel = partner_client(client, PartnerCompany.objects.get(slug="schannel"))
    for day, expected in [("2024-06-01", [roster["schannel"].pk]), ("2025-06-01", [])]:
        response = schannel.get("/api/v1/channels/", {"active_on": day})
        assert [row["id"] for row in results(response)] == expected, day


def test_channels_by_platform_owner_and_followers():
    kol = KolFactory(slug="quach-beem")
    agency = AgencyFactory(slug="qmg")
    tiktok = ChannelFactory(platform="tiktok", kol=kol)
    youtube = ChannelFactory(platform="youtube", kol=None, agency=agency)
    zalo = ChannelFactory(platform="zalo", kol=None, agency=agency)
    ChannelMetricFactory(channel=tiktok, followers=72_400)
    ChannelMetricFactory(channel=youtube, followers=175_000)
    assert pks(ChannelFilterSet, {"platform": ["tiktok", "youtube"]}, Channel) == {tiktok.pk, youtube.pk}
    assert pks(ChannelFilterSet, {"kol": "quach-beem"}, Channel) == {tiktok.pk}
    assert pks(ChannelFilterSet, {"kol_id": kol.pk}, Channel) == {tiktok.pk}
    assert pks(ChannelFilterSet, {"agency": "qmg"}, Channel) == {youtube.pk, zalo.pk}
    assert pks(ChannelFilterSet, {"agency_id": agency.pk}, Channel) == {youtube.pk, zalo.pk}
    assert pks(ChannelFilterSet, {"min_followers": 100_000}, Channel) == {youtube.pk}
    assert pks(ChannelFilterSet, {"max_followers": 100_000}, Channel) == {tiktok.pk}


def test_channels_by_campaign_without_duplicates():
    assignment = AssignmentFactory()
    AssignmentFactory(campaign=assignment.campaign, channel=assignment.channel, role="amplifier")
    ChannelFactory()
    filterset = ChannelFilterSet(QueryDict(f"campaign={assignment.campaign.slug}"), queryset=Channel.objects.all())
    assert [channel.pk for channel in filterset.qs] == [assignment.channel_id]
    assert pks(ChannelFilterSet, {"campaign_id": assignment.campaign_id}, Channel) == {assignment.channel_id}


def test_channel_search_ignores_accents_and_case_and_covers_owner_names():
    beem = ChannelFactory(display_name="Kênh", kol=KolFactory(name="Quách Beem", name_en="Quach Beem"))
    qmg = ChannelFactory(kol=None, agency=AgencyFactory(name="Quang Ninh Media Center", province="Quảng Ninh"))
    own = ChannelFactory(display_name="Hoa hậu vỉa hè")
    assert pks(ChannelFilterSet, {"q": "QUACH beem"}, Channel) == {beem.pk}
    assert pks(ChannelFilterSet, {"q": "quảng ninh"}, Channel) == {qmg.pk}
    assert pks(ChannelFilterSet, {"q": "hoa hau via he"}, Channel) == {own.pk}
    assert pks(ChannelFilterSet, {"q": "quach ninh"}, Channel) == set()


def test_kols_by_search_and_mou():
    beem = KolFactory(name="Quách Beem", name_en="Quach Beem")
    sidewalk = KolFactory(name="Hoa hậu vỉa hè", name_en="Miss Sidewalk")
    mou = MouFactory()
    mou.kols.add(sidewalk)
    assert pks(KolFilterSet, {"q": "quach"}, Kol) == {beem.pk}
    assert pks(KolFilterSet, {"q": "miss sidewalk"}, Kol) == {sidewalk.pk}
    assert pks(KolFilterSet, {"mou": mou.pk}, Kol) == {sidewalk.pk}


def test_partners_and_agencies():
    schannel = PartnerCompanyFactory(short_name="SChannel", other_names="Schannel Network")
    ministry = AgencyFactory(kind="ministry")
    department = AgencyFactory(kind="department", parent=ministry, name="Cục Thông tin đối ngoại")
    assert pks(PartnerCompanyFilterSet, {"q": "schannel network"}, PartnerCompany) == {schannel.pk}
    assert pks(AgencyFilterSet, {"parent": ministry.slug}, Agency) == {department.pk}
    assert pks(AgencyFilterSet, {"parent_id": ministry.pk}, Agency) == {department.pk}
    assert pks(AgencyFilterSet, {"kind": ["ministry"]}, Agency) == {ministry.pk}
    assert pks(AgencyFilterSet, {"q": "cuc thong tin doi ngoai"}, Agency) == {department.pk}


def test_memberships(roster):
    schannel = RosterMembership.objects.get(partner__slug="schannel")
    assert pks(RosterMembershipFilterSet, {"partner": "schannel"}, RosterMembership) == {schannel.pk}
    assert pks(RosterMembershipFilterSet, {"channel": schannel.channel_id}, RosterMembership) == {schannel.pk}
    assert pks(RosterMembershipFilterSet, {"active_on": "2025-01-01"}, RosterMembership) == {
        RosterMembership.objects.get(partner__slug="bhmedia").pk
    }


@pytest.fixture
def mous():
    ministry = AgencyFactory(slug="mic")
    center = AgencyFactory(slug="cpic", parent=AgencyFactory(slug="dei", parent=ministry))
    return {
        "center": MouFactory(
            agency=center,
            signed_on=datetime.date(2024, 5, 20),
            starts_on=datetime.date(2024, 1, 1),
            ends_on=datetime.date(2027, 12, 31),
        ),
        "ministry": MouFactory(agency=ministry, starts_on=datetime.date(2020, 1, 1), ends_on=datetime.date(2021, 1, 1)),
        "draft": MouFactory(agency=center, signed=False, starts_on=None, ends_on=None),
    }


def test_mous_by_agency_with_and_without_children(mous):
    assert pks(MouFilterSet, {"agency": "mic"}, Mou) == {mous["ministry"].pk}
    assert pks(MouFilterSet, {"agency": "mic", "include_children": "true"}, Mou) == {mou.pk for mou in mous.values()}
    assert pks(MouFilterSet, {"agency_id": mous["center"].agency_id}, Mou) == {mous["center"].pk, mous["draft"].pk}


def test_mous_by_status_dates_and_expiry(mous):
    assert pks(MouFilterSet, {"status": ["draft", "expired"]}, Mou) == {mous["draft"].pk, mous["ministry"].pk}
    assert pks(MouFilterSet, {"active_on": "2026-01-01"}, Mou) == {mous["center"].pk}
    assert pks(MouFilterSet, {"active_on": "2028-06-01"}, Mou) == set()
    assert pks(MouFilterSet, {"signed_after": "2024-05-01", "signed_before": "2024-05-31"}, Mou) == {mous["center"].pk}
    assert pks(MouFilterSet, {"expires_within": 36500}, Mou) == {mous["center"].pk}


@pytest.mark.parametrize(
    ("path", "query", "field"),
    [
        ("channels", "active_on=2024-13-01", "active_on"),
        ("channels", "platform=myspace", "platform"),
        ("channels", "partner_id=abc", "partner_id"),
        ("channels", "partner=no-such-partner", "partner"),
        ("channels", "mou=abc", "mou"),
        ("channels", "min_followers=many", "min_followers"),
        ("channels", "campaign=no-such-campaign", "campaign"),
        ("kols", "mou=999999", "mou"),
        ("agencies", "kind=galaxy", "kind"),
        ("mous", "status=pending", "status"),
        ("mous", "expires_within=1.5", "expires_within"),
        ("mous", "signed_after=yesterday", "signed_after"),
        ("memberships", "channel=abc", "channel"),
    ],
)
def test_invalid_filter_values_are_a_400_with_a_message(api, path, query, field):
    response = api.get(f"/api/v1/{path}/?{query}")
    assert response.status_code == 400
    assert response.json()[field][0]


def test_unknown_slug_names_the_slug(api):
    response = api.get("/api/v1/channels/?partner=vitamins")
    assert response.json() == {"partner": ["There is no partner company with the slug “vitamins”."]}


def test_a_partner_filtering_by_another_partners_slug_or_id_gets_the_answer_a_made_up_one_gets(client, roster):
    bhmedia = PartnerCompany.objects.get(slug="bhmedia")
    schannel = partner_client(client, PartnerCompany.objects.get(slug="schannel"))
    for name, value, message in [
        ("partner", "bhmedia", "There is no partner company with the slug “bhmedia”."),
        ("partner", "nobody", "There is no partner company with the slug “nobody”."),
        ("partner_id", bhmedia.pk, f"There is no partner company with the id {bhmedia.pk}."),
        ("partner_id", 0, "There is no partner company with the id 0."),
    ]:
        response = schannel.get("/api/v1/channels/", {name: value})
        assert (response.status_code, response.json()) == (400, {name: [message]}), value


def test_empty_values_of_a_repeated_filter_are_ignored(api, roster):
    schannel = PartnerCompany.objects.get(slug="schannel")
    response = api.get(f"/api/v1/channels/?partner_id=&partner_id={schannel.pk}&partner_id=")
    assert [row["id"] for row in results(response)] == [roster["schannel"].pk]


def test_a_filter_s_choices_are_scoped_anew_for_each_request(client, api, roster):
    """The filters' widgets are kept between requests (to see which filters a query names); their choices are not."""
    bhmedia_channel = [roster["bhmedia"].pk]
    schannel = partner_client(client, PartnerCompany.objects.get(slug="schannel"))
    for caller, status in [(api, 200), (schannel, 400), (api, 200), (schannel, 400)]:
        response = caller.get("/api/v1/channels/", {"partner": "bhmedia"})
        assert response.status_code == status
        if status == 200:
            assert [row["id"] for row in results(response)] == bhmedia_channel
