"""Fixtures for the access tests: two partner companies' worlds, a user per role, token helpers."""

import datetime

import pytest
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from accounts.models import ApiToken, PartnerAccount
from accounts.roles import MINISTRY_ADMINISTRATORS, MINISTRY_STAFF, PARTNER_USERS
from partners.choices import MouSide
from tests.factories import (
    AgencyFactory,
    AssignmentFactory,
    CampaignFactory,
    CampaignReportFactory,
    ChannelFactory,
    ChannelMetricFactory,
    HashtagFactory,
    MouFactory,
    MouPersonFactory,
    PartnerCompanyFactory,
    PersonFactory,
    RosterMembershipFactory,
    StatedFactFactory,
    UserFactory,
)

PASSWORD = "test-password-123"


@pytest.fixture
def world(db):
    """SChannel and Vitamin, each with a channel, an MOU, a campaign, an assignment, a metric, a report and a fact.

    ``moved`` was on SChannel's roster in 2023 and is on Vitamin's now; ``joint`` is a campaign
    SChannel is not a partner of, but in which its channel has an assignment. Each MOU has its
    partner's signatory (``person_s``, ``person_v``) and an agency official (``official_s``, ``official_v``).
    """
    w = type("World", (), {})()
    w.schannel = PartnerCompanyFactory(slug="schannel", short_name="SChannel")
    w.vitamin = PartnerCompanyFactory(slug="vitamin", short_name="Vitamin")
    w.other = PartnerCompanyFactory(slug="other")
    w.ministry = AgencyFactory(slug="ministry")
    w.province = AgencyFactory(slug="province")
    w.organiser = AgencyFactory(slug="organiser")
    w.unrelated_agency = AgencyFactory(slug="unrelated")

    w.channel_s = ChannelFactory()
    w.channel_v = ChannelFactory()
    w.moved = ChannelFactory()
    w.unmanaged = ChannelFactory()
    w.membership_s = RosterMembershipFactory(partner=w.schannel, channel=w.channel_s)
    w.membership_v = RosterMembershipFactory(partner=w.vitamin, channel=w.channel_v)
    w.membership_moved_s = RosterMembershipFactory(
        partner=w.schannel, channel=w.moved, starts_on=datetime.date(2023, 1, 1), ends_on=datetime.date(2023, 12, 31)
    )
    w.membership_moved_v = RosterMembershipFactory(partner=w.vitamin, channel=w.moved)

    w.mou_s = MouFactory(partner=w.schannel, agency=w.ministry, notes="internal: renegotiate in 2026")
    w.mou_v = MouFactory(partner=w.vitamin, agency=w.province)

    w.person_s = PersonFactory(partner=w.schannel, email="signatory@schannel.test")
    w.person_v = PersonFactory(partner=w.vitamin, email="signatory@vitamin.test")
    w.official_s = PersonFactory(partner=None, agency=w.ministry, email="official@ministry.test")
    w.official_v = PersonFactory(partner=None, agency=w.province, email="official@province.test")
    w.link_s = MouPersonFactory(mou=w.mou_s, person=w.person_s)
    w.link_official_s = MouPersonFactory(mou=w.mou_s, person=w.official_s, side=MouSide.AGENCY)
    w.link_v = MouPersonFactory(mou=w.mou_v, person=w.person_v)
    w.link_official_v = MouPersonFactory(mou=w.mou_v, person=w.official_v, side=MouSide.AGENCY)

    w.hashtag_s, w.hashtag_v, w.hashtag_joint = HashtagFactory(), HashtagFactory(), HashtagFactory()
    w.campaign_s = CampaignFactory(slug="campaign-s")
    w.campaign_s.partners.add(w.schannel)
    w.campaign_s.organisers.add(w.organiser)
    w.campaign_s.hashtags.add(w.hashtag_s)
    w.campaign_v = CampaignFactory(slug="campaign-v")
    w.campaign_v.partners.add(w.vitamin)
    w.campaign_v.hashtags.add(w.hashtag_v)
    w.joint = CampaignFactory(slug="joint")
    w.joint.partners.add(w.other)
    w.joint.hashtags.add(w.hashtag_joint)

    w.assignment_s = AssignmentFactory(campaign=w.joint, channel=w.channel_s)
    w.assignment_v = AssignmentFactory(campaign=w.campaign_v, channel=w.channel_v)
    w.assignment_other = AssignmentFactory(campaign=w.joint, channel=w.unmanaged)

    w.metric_s = ChannelMetricFactory(channel=w.channel_s)
    w.metric_v = ChannelMetricFactory(channel=w.channel_v)
    w.metric_moved = ChannelMetricFactory(channel=w.moved)
    w.report_s = CampaignReportFactory(campaign=w.campaign_s)
    w.report_v = CampaignReportFactory(campaign=w.campaign_v)
    w.report_joint = CampaignReportFactory(campaign=w.joint)
    # Stated facts are seen through their subject: SChannel's channel, Vitamin's campaign, an agency nobody deals with.
    w.fact_s = StatedFactFactory(campaign=None, channel=w.channel_s)
    w.fact_v = StatedFactFactory(campaign=w.campaign_v)
    w.fact_unrelated = StatedFactFactory(campaign=None, agency=w.unrelated_agency)
    return w


def user_with_role(username, group=None, partner=None, **extra):
    user = UserFactory(username=username, **extra)
    if group:
        user.groups.add(Group.objects.get(name=group))
    if partner:
        PartnerAccount.objects.create(user=user, partner=partner)
    return user


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def administrator(db):
    return user_with_role("ministry.admin", MINISTRY_ADMINISTRATORS, is_staff=True)


@pytest.fixture
def staff(db):
    return user_with_role("ministry.staff", MINISTRY_STAFF, is_staff=True)


@pytest.fixture
def schannel_user(world):
    return user_with_role("schannel.user", PARTNER_USERS, partner=world.schannel)


@pytest.fixture
def vitamin_user(world):
    return user_with_role("vitamin.user", PARTNER_USERS, partner=world.vitamin)


@pytest.fixture
def nobody(db):
    return user_with_role("nobody")


def token_client(owner, **token_fields):
    """An APIClient authenticating with a fresh token of ``owner``; returns ``(client, token, key)``."""
    token, key = ApiToken.objects.issue(owner=owner, name=token_fields.pop("name", "test"), **token_fields)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client, token, key


def session_client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client
