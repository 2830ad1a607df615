"""Integrity and behaviour of the campaigns models.

Each named constraint is tested twice: the database rejects a row written past
validation, and ``full_clean()`` rejects it with a message keyed by field.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import ProtectedError

from campaigns.models import Assignment, Campaign, CampaignReport, Hashtag
from partners.choices import Platform
from tests.factories import (
    AssignmentFactory,
    CampaignFactory,
    CampaignReportFactory,
    ChannelFactory,
    HashtagFactory,
    MouFactory,
)
from tests.partners.test_models import db_rejects, invalid

pytestmark = pytest.mark.django_db

D = datetime.date


# Hashtags


@pytest.mark.parametrize("raw", ["#ThoiKhacKhoQuen#", " #ThoiKhacKhoQuen ", "ThoiKhacKhoQuen", "##ThoiKhacKhoQuen"])
def test_hashtag_is_stored_without_hash_signs_or_spaces(raw):
    tag = Hashtag(name=raw)
    tag.full_clean()
    tag.save()
    assert Hashtag.objects.get(pk=tag.pk).name == "ThoiKhacKhoQuen"
    assert str(tag) == "#ThoiKhacKhoQuen"


def test_db_rejects_hashtag_differing_only_in_case():
    HashtagFactory(name="#BanSacViet")
    with db_rejects("hashtag_name_unique_ci", unique=True):
        HashtagFactory(name="bansacviet")


def test_validation_rejects_hashtag_differing_only_in_case():
    HashtagFactory(name="#BanSacViet")
    invalid(Hashtag(name="bansacviet"), NON_FIELD_ERRORS, "This hashtag already exists (hashtags ignore case).")


def test_one_hashtag_is_shared_across_campaigns():
    tag = HashtagFactory(name="BanSacViet")
    first, second = CampaignFactory(), CampaignFactory()
    first.hashtags.add(tag)
    second.hashtags.add(Hashtag.objects.get(name__iexact="bansacviet"))
    assert set(tag.campaigns.all()) == {first, second}


def test_db_rejects_hashtag_with_spaces():
    tag = HashtagFactory()
    with db_rejects("hashtag_name_bare"):
        Hashtag.objects.filter(pk=tag.pk).update(name="Ban Sac Viet")


def test_db_rejects_empty_hashtag():
    with db_rejects("hashtag_name_bare"):
        HashtagFactory(name="#")


def test_validation_rejects_hashtag_with_spaces():
    invalid(Hashtag(name="Ban Sac Viet"), "name", "A hashtag is letters, digits and underscores only, e.g. BanSacViet.")


def test_validation_rejects_hashtag_with_inner_hash_sign():
    invalid(Hashtag(name="Ban#SacViet"), "name", "A hashtag is letters, digits and underscores only, e.g. BanSacViet.")


# Campaigns


def test_db_rejects_campaign_ending_before_it_starts():
    with db_rejects("campaign_period_ordered"):
        CampaignFactory(starts_on=D(2025, 9, 30), ends_on=D(2025, 9, 1))


def test_validation_rejects_campaign_ending_before_it_starts():
    campaign = CampaignFactory.build(starts_on=D(2025, 9, 30), ends_on=D(2025, 9, 1))
    invalid(campaign, "ends_on", "The end date cannot be before the start date.")


def test_validation_rejects_unknown_platform():
    campaign = CampaignFactory.build(platforms=["tiktok", "myspace"])
    with pytest.raises(ValidationError) as excinfo:
        campaign.full_clean()
    assert "platforms" in excinfo.value.message_dict


def test_platforms_are_deduplicated_and_sorted():
    campaign = CampaignFactory.build(platforms=[Platform.YOUTUBE, Platform.TIKTOK, Platform.YOUTUBE])
    campaign.full_clean()
    assert campaign.platforms == ["tiktok", "youtube"]
    assert campaign.get_platforms_display() == "TikTok, YouTube"


@pytest.fixture
def mou():
    return MouFactory(starts_on=D(2024, 1, 1), ends_on=D(2027, 12, 31))


def test_campaign_inside_its_mou_period_is_valid(mou):
    CampaignFactory.build(mou=mou, starts_on=D(2024, 1, 1), ends_on=D(2027, 12, 31)).full_clean()


def test_validation_rejects_campaign_starting_before_its_mou(mou):
    campaign = CampaignFactory.build(mou=mou, starts_on=D(2023, 12, 31), ends_on=D(2024, 3, 1))
    invalid(campaign, "starts_on", "Starts before the MOU period (1 Jan 2024).")


def test_validation_rejects_campaign_ending_after_its_mou(mou):
    campaign = CampaignFactory.build(mou=mou, starts_on=D(2027, 12, 1), ends_on=D(2028, 1, 1))
    invalid(campaign, "ends_on", "Ends after the MOU period (31 Dec 2027).")


def test_validation_rejects_campaign_entirely_after_its_mou(mou):
    campaign = CampaignFactory.build(mou=mou, starts_on=D(2028, 1, 1), ends_on=D(2028, 2, 1))
    with pytest.raises(ValidationError) as excinfo:
        campaign.full_clean()
    errors = excinfo.value.message_dict
    assert errors["starts_on"] == ["Starts after the MOU period ends (31 Dec 2027)."]
    assert errors["ends_on"] == ["Ends after the MOU period (31 Dec 2027)."]


def test_validation_rejects_campaign_entirely_before_its_mou(mou):
    campaign = CampaignFactory.build(mou=mou, starts_on=D(2023, 11, 1), ends_on=D(2023, 12, 31))
    with pytest.raises(ValidationError) as excinfo:
        campaign.full_clean()
    assert excinfo.value.message_dict == {
        "starts_on": ["Starts before the MOU period (1 Jan 2024)."],
        "ends_on": ["Ends before the MOU period starts (1 Jan 2024)."],
    }


def test_campaign_under_an_open_ended_mou_may_run_on(mou):
    mou.ends_on = None
    mou.save()
    CampaignFactory.build(mou=mou, starts_on=D(2030, 1, 1), ends_on=None).full_clean()


def test_deleting_a_campaign_with_reports_is_refused():
    report = CampaignReportFactory()
    with pytest.raises(ProtectedError):
        report.campaign.delete()
    assert CampaignReport.objects.filter(pk=report.pk).exists()


def test_deleting_a_campaign_with_assignments_is_refused():
    assignment = AssignmentFactory()
    with pytest.raises(ProtectedError):
        assignment.campaign.delete()
    assert Assignment.objects.filter(pk=assignment.pk).exists()


def test_campaign_may_be_deleted_once_its_reports_and_assignments_are():
    campaign = CampaignFactory()
    CampaignReportFactory(campaign=campaign)
    AssignmentFactory(campaign=campaign)
    campaign.reports.all().delete()
    campaign.assignments.all().delete()
    campaign.delete()
    assert not Campaign.objects.filter(pk=campaign.pk).exists()


def test_campaigns_active_on_a_day():
    running = CampaignFactory(starts_on=D(2025, 9, 1), ends_on=D(2025, 9, 30))
    CampaignFactory(starts_on=D(2025, 10, 1), ends_on=None)
    assert list(Campaign.objects.active_on(D(2025, 9, 30))) == [running]


def test_campaign_search_text_folds_both_names():
    campaign = CampaignFactory(name="Unforgettable Moments", name_vi="Thời khắc khó quên", description="")
    assert campaign.search_text == "unforgettable moments thoi khac kho quen"


# Assignments


def test_db_rejects_same_role_twice_for_a_channel_in_a_campaign():
    assignment = AssignmentFactory()
    with db_rejects("assignment_unique_role_per_channel", unique=True):
        AssignmentFactory(campaign=assignment.campaign, channel=assignment.channel, role=assignment.role)


def test_validation_rejects_same_role_twice_for_a_channel_in_a_campaign():
    assignment = AssignmentFactory()
    duplicate = AssignmentFactory.build(campaign=assignment.campaign, channel=assignment.channel, role=assignment.role)
    invalid(duplicate, NON_FIELD_ERRORS, "This channel already has this role in the campaign.")


def test_a_channel_may_hold_two_roles_in_a_campaign():
    assignment = AssignmentFactory(role="creator")
    AssignmentFactory.build(campaign=assignment.campaign, channel=assignment.channel, role="host").full_clean()


def test_db_rejects_assignment_ending_before_it_starts():
    with db_rejects("assignment_period_ordered"):
        AssignmentFactory(starts_on=D(2025, 9, 20), ends_on=D(2025, 9, 10))


def test_validation_rejects_assignment_ending_before_it_starts():
    assignment = AssignmentFactory.build(
        campaign=CampaignFactory(), channel=ChannelFactory(), starts_on=D(2025, 9, 20), ends_on=D(2025, 9, 10)
    )
    invalid(assignment, "ends_on", "The end date cannot be before the start date.")


def test_assignment_inside_its_campaign_period_is_valid():
    campaign = CampaignFactory(starts_on=D(2025, 9, 1), ends_on=D(2025, 9, 30))
    AssignmentFactory.build(
        campaign=campaign, channel=ChannelFactory(), starts_on=D(2025, 9, 1), ends_on=D(2025, 9, 30)
    ).full_clean()


def test_validation_rejects_assignment_outside_its_campaign_period():
    campaign = CampaignFactory(starts_on=D(2025, 9, 1), ends_on=D(2025, 9, 30))
    assignment = AssignmentFactory.build(
        campaign=campaign, channel=ChannelFactory(), starts_on=D(2025, 8, 31), ends_on=D(2025, 10, 1)
    )
    with pytest.raises(ValidationError) as excinfo:
        assignment.full_clean()
    errors = excinfo.value.message_dict
    assert errors["starts_on"] == ["Starts before the campaign period (1 Sep 2025)."]
    assert errors["ends_on"] == ["Ends after the campaign period (30 Sep 2025)."]


# Result reports


def test_db_rejects_report_without_source():
    with db_rejects("campaign_report_has_source"):
        CampaignReportFactory(source_url="", source_note="")


def test_validation_rejects_report_without_source():
    report = CampaignReportFactory.build(campaign=CampaignFactory(), source_url="", source_note="")
    invalid(report, "source_url", "Give the source of the figures: a URL or a description.")


def test_db_rejects_report_without_figures():
    with db_rejects("campaign_report_has_a_figure"):
        CampaignReportFactory(views=None)


def test_validation_rejects_report_without_figures():
    report = CampaignReportFactory.build(campaign=CampaignFactory(), views=None)
    invalid(report, "views", "Record at least one figure.")


def test_report_with_only_a_positive_share_is_valid():
    CampaignReportFactory.build(campaign=CampaignFactory(), views=None, positive_share_pct=Decimal("98.5")).full_clean()


@pytest.mark.parametrize("share", [Decimal("-0.01"), Decimal("100.01")])
def test_db_rejects_positive_share_outside_0_to_100(share):
    with db_rejects("campaign_report_positive_share_is_percentage"):
        CampaignReportFactory(positive_share_pct=share)


@pytest.mark.parametrize("share", [Decimal("-0.01"), Decimal("100.01")])
def test_validation_rejects_positive_share_outside_0_to_100(share):
    report = CampaignReportFactory.build(campaign=CampaignFactory(), positive_share_pct=share)
    invalid(report, "positive_share_pct", "The positive-content share is a percentage from 0 to 100.")


@pytest.mark.parametrize("share", [Decimal("0"), Decimal("100")])
def test_positive_share_bounds_are_allowed(share):
    report = CampaignReportFactory.build(campaign=CampaignFactory(), positive_share_pct=share)
    report.full_clean()
    report.save()


def test_db_rejects_report_period_ending_before_it_starts():
    with db_rejects("campaign_report_period_ordered"):
        CampaignReportFactory(period_starts_on=D(2025, 9, 10), period_ends_on=D(2025, 9, 1))


def test_validation_rejects_report_period_ending_before_it_starts():
    report = CampaignReportFactory.build(
        campaign=CampaignFactory(), period_starts_on=D(2025, 9, 10), period_ends_on=D(2025, 9, 1)
    )
    invalid(report, "period_ends_on", "The end date cannot be before the start date.")


def test_conflicting_reports_stand_side_by_side():
    tag = HashtagFactory(name="ThoiKhacKhoQuen")
    campaign = CampaignFactory()
    campaign.hashtags.add(tag)
    for views, source in [(253_000_000, "https://a.test/"), (331_200_000, "https://b.test/")]:
        report = CampaignReportFactory.build(campaign=campaign, hashtag=tag, views=views, source_url=source)
        report.full_clean()
        report.save()
    assert sorted(tag.reports.values_list("views", flat=True)) == [253_000_000, 331_200_000]


def test_reports_form_a_growth_series_in_date_order():
    campaign = CampaignFactory(starts_on=D(2025, 9, 1), ends_on=D(2025, 9, 30))
    CampaignReportFactory(campaign=campaign, reported_on=D(2025, 9, 8), views=13_000_000)
    CampaignReportFactory(campaign=campaign, reported_on=D(2025, 9, 4), views=1_000_000)
    assert list(CampaignReport.objects.filter(campaign=campaign).values_list("views", flat=True)) == [
        1_000_000,
        13_000_000,
    ]
