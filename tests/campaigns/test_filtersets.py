"""The campaigns FilterSets: what each filter selects, and invalid values answered with a 400."""

import datetime

import pytest
from rest_framework.test import APIClient

from campaigns.filtersets import AssignmentFilterSet, CampaignFilterSet, CampaignReportFilterSet, HashtagFilterSet
from campaigns.models import Assignment, Campaign, CampaignReport, Hashtag
from tests.factories import (
    AgencyFactory,
    AssignmentFactory,
    CampaignFactory,
    CampaignReportFactory,
    ChannelFactory,
    HashtagFactory,
    MouFactory,
    PartnerCompanyFactory,
    RosterMembershipFactory,
)
from tests.helpers import pks

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaigns():
    youth_union = AgencyFactory(slug="vietnam-youth-union")
    schannel = PartnerCompanyFactory(slug="schannel")
    flag = CampaignFactory(
        name="Towards the National Flag", starts_on=None, ends_on=None, platforms=["facebook", "instagram", "tiktok"]
    )
    flag.organisers.add(youth_union, AgencyFactory())
    flag.partners.add(schannel)
    flag.hashtags.add(HashtagFactory(name="NgayQuockhanh"), HashtagFactory(name="happyvietnam"))
    contest = CampaignFactory(
        name="Thời khắc khó quên",
        starts_on=datetime.date(2021, 9, 1),
        ends_on=datetime.date(2021, 9, 30),
        platforms=["tiktok"],
        mou=MouFactory(starts_on=None, ends_on=None),
    )
    contest.hashtags.add(HashtagFactory(name="ThoiKhacKhoQuen"))
    return {"flag": flag, "contest": contest}


def test_campaigns_by_agency_partner_and_mou(campaigns):
    flag, contest = campaigns["flag"], campaigns["contest"]
    assert pks(CampaignFilterSet, {"agency": "vietnam-youth-union"}, Campaign) == {flag.pk}
    assert pks(CampaignFilterSet, {"agency_id": flag.organisers.first().pk}, Campaign) == {flag.pk}
    assert pks(CampaignFilterSet, {"partner": "schannel"}, Campaign) == {flag.pk}
    assert pks(CampaignFilterSet, {"mou": contest.mou_id}, Campaign) == {contest.pk}


def test_campaigns_by_hashtag_ignore_case_and_hash(campaigns):
    assert pks(CampaignFilterSet, {"hashtag": "#thoikhackhoquen"}, Campaign) == {campaigns["contest"].pk}
    assert pks(CampaignFilterSet, {"hashtag": ["HappyVietnam", "ThoiKhacKhoQuen"]}, Campaign) == {
        campaigns["flag"].pk,
        campaigns["contest"].pk,
    }


def test_campaigns_by_platform_date_and_search(campaigns):
    assert pks(CampaignFilterSet, {"platform": "instagram"}, Campaign) == {campaigns["flag"].pk}
    assert pks(CampaignFilterSet, {"platform": ["tiktok"]}, Campaign) == {campaigns["flag"].pk, campaigns["contest"].pk}
    assert pks(CampaignFilterSet, {"active_on": "2021-09-15"}, Campaign) == {campaigns["contest"].pk}
    assert pks(CampaignFilterSet, {"q": "thoi khac"}, Campaign) == {campaigns["contest"].pk}


def test_hashtags_by_campaign_and_name(campaigns):
    flag = campaigns["flag"]
    assert pks(HashtagFilterSet, {"campaign": flag.slug}, Hashtag) == set(flag.hashtags.values_list("pk", flat=True))
    assert pks(HashtagFilterSet, {"q": "#khoquen"}, Hashtag) == {Hashtag.objects.get(name="ThoiKhacKhoQuen").pk}


def test_assignments_by_partner_managing_the_channel_during_the_assignment():
    campaign = CampaignFactory(starts_on=datetime.date(2025, 9, 1), ends_on=datetime.date(2025, 9, 30))
    managed = RosterMembershipFactory(partner__slug="schannel", starts_on=datetime.date(2025, 1, 1))
    earlier = RosterMembershipFactory(
        partner=managed.partner, starts_on=datetime.date(2020, 1, 1), ends_on=datetime.date(2021, 1, 1)
    )
    in_roster = AssignmentFactory(campaign=campaign, channel=managed.channel, status="completed")
    AssignmentFactory(campaign=campaign, channel=earlier.channel)
    AssignmentFactory(campaign=campaign, channel=ChannelFactory())
    assert pks(AssignmentFilterSet, {"partner": "schannel"}, Assignment) == {in_roster.pk}
    assert pks(AssignmentFilterSet, {"partner_id": managed.partner_id}, Assignment) == {in_roster.pk}
    assert pks(AssignmentFilterSet, {"status": ["completed", "active"]}, Assignment) == {in_roster.pk}
    assert pks(AssignmentFilterSet, {"channel": managed.channel_id}, Assignment) == {in_roster.pk}
    assert len(pks(AssignmentFilterSet, {"campaign": campaign.slug}, Assignment)) == 3


def test_reports_by_campaign_hashtag_and_platform():
    hashtag = HashtagFactory(name="ThoiKhacKhoQuen")
    tiktok = CampaignReportFactory(hashtag=hashtag, platforms=["tiktok"])
    combined = CampaignReportFactory(campaign=tiktok.campaign, platforms=["facebook", "instagram"])
    assert pks(CampaignReportFilterSet, {"hashtag": "thoikhackhoquen"}, CampaignReport) == {tiktok.pk}
    assert pks(CampaignReportFilterSet, {"hashtag_id": hashtag.pk}, CampaignReport) == {tiktok.pk}
    assert pks(CampaignReportFilterSet, {"platform": "tiktok"}, CampaignReport) == {tiktok.pk}
    assert pks(CampaignReportFilterSet, {"platform": "facebook"}, CampaignReport) == {combined.pk}
    assert pks(CampaignReportFilterSet, {"platform": ["instagram", "tiktok"]}, CampaignReport) == {
        tiktok.pk,
        combined.pk,
    }
    assert pks(CampaignReportFilterSet, {"campaign": tiktok.campaign.slug}, CampaignReport) == {tiktok.pk, combined.pk}


@pytest.mark.parametrize(
    ("path", "query", "field"),
    [
        ("campaigns", "hashtag=NoSuchTag", "hashtag"),
        ("campaigns", "platform=myspace", "platform"),
        ("campaigns", "active_on=31/12/2021", "active_on"),
        ("campaigns", "agency_id=x", "agency_id"),
        ("assignments", "status=done", "status"),
        ("assignments", "partner=nobody", "partner"),
        ("campaign-reports", "campaign=nothing", "campaign"),
        ("hashtags", "campaign_id=0", "campaign_id"),
    ],
)
def test_invalid_filter_values_are_a_400_with_a_message(staff_user, path, query, field):
    client = APIClient()
    client.force_authenticate(staff_user)
    response = client.get(f"/api/v1/{path}/?{query}")
    assert response.status_code == 400
    assert response.json()[field][0]
