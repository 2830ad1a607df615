"""Integrity and behaviour of the partners models.

Each named constraint is tested twice: the database rejects a row written past
validation, and ``full_clean()`` rejects it with a message keyed by field.
"""

import datetime
from contextlib import contextmanager

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import F, ProtectedError

from partners.choices import AgencyKind, MouStatus, Platform
from partners.models import Agency, Channel, ChannelMetric, Kol, Mou, PartnerCompany, RosterMembership
from tests.factories import (
    AgencyFactory,
    ChannelFactory,
    ChannelMetricFactory,
    KolFactory,
    MouFactory,
    PartnerCompanyFactory,
    RosterMembershipFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="exclusion constraints exist only on PostgreSQL; clean() covers SQLite"
)


@contextmanager
def db_rejects(constraint, unique=False):
    """The block raises IntegrityError from ``constraint``; the savepoint lets the test go on."""
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        yield
    message = str(excinfo.value)
    if unique and connection.vendor == "sqlite":
        # SQLite names the columns, not the index, of a failed unique constraint on fields.
        assert "UNIQUE constraint failed" in message
    else:
        assert constraint in message


def invalid(instance, field, message):
    """``full_clean()`` fails with ``message`` among the errors for ``field``."""
    with pytest.raises(ValidationError) as excinfo:
        instance.full_clean()
    assert message in excinfo.value.message_dict.get(field, []), excinfo.value.message_dict


# Agency


def test_db_rejects_agency_as_its_own_parent():
    agency = AgencyFactory()
    with db_rejects("agency_not_own_parent"):
        Agency.objects.filter(pk=agency.pk).update(parent=F("pk"))


def test_validation_rejects_agency_as_its_own_parent():
    agency = AgencyFactory()
    agency.parent = agency
    invalid(agency, "parent", "An agency cannot be its own parent.")


@pytest.fixture
def agency_tree():
    ministry = AgencyFactory(name="Ministry of Information and Communications", kind=AgencyKind.MINISTRY)
    department = AgencyFactory(name="Department of External Information", kind=AgencyKind.DEPARTMENT, parent=ministry)
    center = AgencyFactory(name="Center for Press and International Cooperation", parent=department)
    return ministry, department, center


def test_validation_rejects_agency_cycle(agency_tree):
    ministry, _, center = agency_tree
    ministry.parent = center
    invalid(ministry, "parent", "An agency cannot sit below itself in the tree.")


def test_agency_may_move_to_another_branch(agency_tree):
    ministry, _, center = agency_tree
    center.parent = ministry
    center.full_clean()


def test_descendant_ids_cover_the_subtree(agency_tree):
    ministry, department, center = agency_tree
    AgencyFactory()  # outside the tree
    assert ministry.descendant_ids() == {ministry.pk, department.pk, center.pk}
    assert department.descendant_ids() == {department.pk, center.pk}
    assert center.descendant_ids() == {center.pk}


# Partner company


@pytest.mark.parametrize("tax_code", ["0312345678", "0312345678-001"])
def test_valid_tax_codes_are_accepted(tax_code):
    PartnerCompanyFactory.build(tax_code=tax_code).full_clean()


def test_db_rejects_malformed_tax_code():
    with db_rejects("partner_tax_code_format"):
        PartnerCompanyFactory(tax_code="031234567")


@pytest.mark.parametrize("tax_code", ["031234567", "0312345678-01", "0312345678 001", "MST0312345"])
def test_validation_rejects_malformed_tax_code(tax_code):
    partner = PartnerCompanyFactory.build(tax_code=tax_code)
    invalid(partner, "tax_code", "A tax code is 10 digits, optionally followed by -NNN.")


def test_db_rejects_duplicate_tax_code():
    PartnerCompanyFactory(tax_code="0312345678")
    with db_rejects("partner_tax_code_unique", unique=True):
        PartnerCompanyFactory(tax_code="0312345678")


def test_validation_rejects_duplicate_tax_code():
    PartnerCompanyFactory(tax_code="0312345678")
    partner = PartnerCompanyFactory.build(tax_code="0312345678")
    invalid(partner, NON_FIELD_ERRORS, "Another partner company already has this tax code.")


def test_many_partners_may_have_no_tax_code():
    PartnerCompanyFactory(tax_code="")
    PartnerCompanyFactory.build(tax_code="").full_clean()
    PartnerCompanyFactory(tax_code="")
    assert PartnerCompany.objects.filter(tax_code="").count() == 2


# KOL


def test_db_rejects_nationality_that_is_not_an_iso_code():
    with db_rejects("kol_nationality_iso_code"):
        KolFactory(nationality="la")


def test_validation_rejects_nationality_that_is_not_an_iso_code():
    kol = KolFactory.build(nationality="la")
    invalid(kol, "nationality", "Use a two-letter ISO 3166 country code, e.g. VN or LA.")


def test_lao_kol_without_channel_is_valid():
    kol = KolFactory.build(name="Mayssa", name_en="Mayssa", nationality="LA")
    kol.full_clean()
    kol.save()
    assert not kol.channels.exists()


def test_search_text_folds_both_spellings():
    kol = KolFactory(name="Hoa hậu vỉa hè", name_en="Miss Sidewalk")
    assert kol.search_text == "hoa hau via he miss sidewalk"
    assert Kol.objects.filter(search_text__contains="quach beem").count() == 0
    KolFactory(name="Quách Beem", name_en="Quach Beem")
    assert Kol.objects.filter(search_text__contains="quach beem").count() == 1


def test_search_text_is_refreshed_when_saving_only_some_fields():
    kol = KolFactory(name="Quách Beem", name_en="")
    kol.name = "Đồng"
    kol.save(update_fields=["name"])
    assert Kol.objects.get(pk=kol.pk).search_text == "dong"


# Channel


def test_db_rejects_channel_without_owner():
    with db_rejects("channel_exactly_one_owner"):
        ChannelFactory(kol=None, agency=None)


def test_db_rejects_channel_with_two_owners():
    with db_rejects("channel_exactly_one_owner"):
        ChannelFactory(agency=AgencyFactory())


def test_validation_rejects_channel_without_owner():
    channel = ChannelFactory.build(kol=None, agency=None)
    invalid(channel, "kol", "Choose the KOL or the agency that owns this channel.")


def test_validation_rejects_channel_with_two_owners():
    channel = ChannelFactory(agency=None)
    channel.agency = AgencyFactory()
    invalid(channel, "agency", "A channel is owned by a KOL or an agency, not both.")


def test_agency_may_own_a_channel():
    qmg = AgencyFactory(name="QMG", acronym="QMG")
    channel = ChannelFactory.build(kol=None, agency=qmg, platform=Platform.WEIBO)
    channel.full_clean()
    channel.save()
    assert channel.owner == qmg


def test_handle_and_url_are_normalised():
    channel = ChannelFactory(handle=" @QuachBeem ", url="HTTPS://WWW.TikTok.com/@QuachBeem/#videos")
    channel.refresh_from_db()
    assert channel.handle == "quachbeem"
    assert channel.url == "https://tiktok.com/@QuachBeem"


def test_db_rejects_same_handle_on_one_platform_after_normalisation():
    ChannelFactory(platform=Platform.TIKTOK, handle="quachbeem")
    with db_rejects("channel_handle_unique_per_platform", unique=True):
        ChannelFactory(platform=Platform.TIKTOK, handle="@QuachBeem")


def test_validation_rejects_same_handle_on_one_platform_after_normalisation():
    ChannelFactory(platform=Platform.TIKTOK, handle="quachbeem")
    channel = ChannelFactory.build(kol=KolFactory(), platform=Platform.TIKTOK, handle="@QuachBeem")
    invalid(channel, NON_FIELD_ERRORS, "Another channel on this platform already has this handle.")


def test_same_handle_is_allowed_on_another_platform():
    ChannelFactory(platform=Platform.TIKTOK, handle="quachbeem")
    channel = ChannelFactory.build(kol=KolFactory(), platform=Platform.YOUTUBE, handle="@QuachBeem")
    channel.full_clean()
    channel.save()


def test_channels_without_handle_or_url_do_not_clash():
    ChannelFactory(handle="", url="")
    channel = ChannelFactory.build(kol=KolFactory(), handle="", url="")
    channel.full_clean()
    channel.save()


def test_db_rejects_same_url_on_one_platform_after_normalisation():
    ChannelFactory(platform=Platform.FACEBOOK, handle="", url="https://facebook.com/qmg")
    with db_rejects("channel_url_unique_per_platform", unique=True):
        ChannelFactory(platform=Platform.FACEBOOK, handle="", url="https://www.facebook.com/qmg/")


def test_validation_rejects_same_url_on_one_platform_after_normalisation():
    ChannelFactory(platform=Platform.FACEBOOK, handle="", url="https://facebook.com/qmg")
    channel = ChannelFactory.build(
        kol=KolFactory(), platform=Platform.FACEBOOK, handle="", url="https://www.facebook.com/qmg/"
    )
    invalid(channel, NON_FIELD_ERRORS, "Another channel on this platform already has this URL.")


# Channel metrics


def test_db_rejects_channel_metric_without_source():
    with db_rejects("channel_metric_has_source"):
        ChannelMetricFactory(source_url="", source_note="")


def test_validation_rejects_channel_metric_without_source():
    metric = ChannelMetricFactory.build(channel=ChannelFactory(), source_url="", source_note="")
    invalid(metric, "source_url", "Give the source of the figures: a URL or a description.")


def test_channel_metric_source_may_be_a_description():
    ChannelMetricFactory.build(channel=ChannelFactory(), source_url="", source_note="VTC News, 2025").full_clean()


def test_db_rejects_channel_metric_without_figures():
    with db_rejects("channel_metric_has_a_figure"):
        ChannelMetricFactory(followers=None)


def test_validation_rejects_channel_metric_without_figures():
    metric = ChannelMetricFactory.build(channel=ChannelFactory(), followers=None)
    invalid(metric, "followers", "Record at least one figure.")


def test_validation_rejects_channel_metric_in_the_future():
    metric = ChannelMetricFactory.build(channel=ChannelFactory(), measured_on=D(2999, 1, 1))
    invalid(metric, "measured_on", "A measurement cannot be in the future.")


def test_channel_shows_the_latest_whole_channel_follower_count():
    channel = ChannelFactory()
    ChannelMetricFactory(channel=channel, measured_on=D(2024, 1, 1), followers=1_000)
    ChannelMetricFactory(channel=channel, measured_on=None, followers=9_000)  # undated counts as oldest
    ChannelMetricFactory(channel=channel, measured_on=D(2025, 1, 1), followers=2_000)
    ChannelMetricFactory(channel=channel, measured_on=D(2025, 6, 1), followers=None, views=5_000)
    ChannelMetricFactory(channel=channel, measured_on=D(2025, 7, 1), followers=7_000, subject="Livestream")
    channel.refresh_from_db()
    assert (channel.followers, channel.followers_on) == (2_000, D(2025, 1, 1))


def test_deleting_a_metric_updates_the_channel_followers():
    channel = ChannelFactory()
    ChannelMetricFactory(channel=channel, measured_on=D(2024, 1, 1), followers=1_000)
    newest = ChannelMetricFactory(channel=channel, measured_on=D(2025, 1, 1), followers=2_000)
    newest.delete()
    channel.refresh_from_db()
    assert (channel.followers, channel.followers_on) == (1_000, D(2024, 1, 1))


def test_bulk_deleting_metrics_clears_the_channel_followers():
    channel = ChannelFactory()
    ChannelMetricFactory(channel=channel, measured_on=D(2024, 1, 1), followers=1_000)
    ChannelMetric.objects.filter(channel=channel).delete()
    channel.refresh_from_db()
    assert (channel.followers, channel.followers_on) == (None, None)


def test_conflicting_channel_metrics_stand_side_by_side():
    channel = ChannelFactory()
    ChannelMetricFactory(channel=channel, measured_on=D(2025, 1, 1), followers=1_000, source_url="https://a.test/")
    ChannelMetricFactory(channel=channel, measured_on=D(2025, 1, 1), followers=1_200, source_url="https://b.test/")
    assert sorted(channel.metrics.values_list("followers", flat=True)) == [1_000, 1_200]


def test_deleting_a_channel_with_metrics_is_refused():
    metric = ChannelMetricFactory()
    with pytest.raises(ProtectedError):
        metric.channel.delete()
    assert ChannelMetric.objects.filter(pk=metric.pk).exists()


def test_channel_may_be_deleted_once_its_metrics_are():
    metric = ChannelMetricFactory()
    ChannelMetric.objects.filter(channel=metric.channel).delete()
    metric.channel.delete()
    assert not Channel.objects.filter(pk=metric.channel_id).exists()


# Roster memberships


def test_db_rejects_membership_ending_before_it_starts():
    with db_rejects("membership_period_ordered"):
        RosterMembershipFactory(starts_on=D(2024, 6, 1), ends_on=D(2024, 1, 1))


def test_validation_rejects_membership_ending_before_it_starts():
    membership = RosterMembershipFactory.build(
        channel=ChannelFactory(), partner=PartnerCompanyFactory(), starts_on=D(2024, 6, 1), ends_on=D(2024, 1, 1)
    )
    invalid(membership, "ends_on", "The end date cannot be before the start date.")


@on_postgresql
def test_db_rejects_overlapping_memberships_of_one_channel():
    first = RosterMembershipFactory(starts_on=D(2024, 1, 1), ends_on=D(2024, 12, 31))
    with db_rejects("membership_no_overlap_per_channel"):
        RosterMembershipFactory(channel=first.channel, starts_on=D(2024, 12, 31), ends_on=None)


@on_postgresql
def test_db_rejects_a_later_membership_while_one_is_open_ended():
    first = RosterMembershipFactory(starts_on=D(2024, 1, 1), ends_on=None)
    with db_rejects("membership_no_overlap_per_channel"):
        RosterMembershipFactory(channel=first.channel, starts_on=D(2026, 1, 1), ends_on=D(2026, 12, 31))


def test_validation_rejects_overlapping_memberships_of_one_channel():
    first = RosterMembershipFactory(starts_on=D(2024, 1, 1), ends_on=D(2024, 12, 31))
    second = RosterMembershipFactory.build(
        channel=first.channel, partner=PartnerCompanyFactory(), starts_on=D(2024, 12, 31), ends_on=None
    )
    invalid(
        second,
        "starts_on",
        f"This channel is already managed by {first.partner} from 1 Jan 2024 to 31 Dec 2024.",
    )


def test_validation_rejects_a_later_membership_while_one_is_open_ended():
    first = RosterMembershipFactory(starts_on=D(2024, 1, 1), ends_on=None)
    later = RosterMembershipFactory.build(
        channel=first.channel, partner=PartnerCompanyFactory(), starts_on=D(2026, 1, 1), ends_on=D(2026, 12, 31)
    )
    invalid(later, "starts_on", f"This channel is already managed by {first.partner} from 1 Jan 2024 to open end.")


def test_adjacent_memberships_are_allowed():
    first = RosterMembershipFactory(starts_on=D(2024, 1, 1), ends_on=D(2024, 6, 30))
    second = RosterMembershipFactory.build(
        channel=first.channel, partner=PartnerCompanyFactory(), starts_on=D(2024, 7, 1), ends_on=None
    )
    second.full_clean()
    second.save()
    assert first.channel.memberships.count() == 2


def test_editing_a_membership_does_not_clash_with_itself():
    membership = RosterMembershipFactory(starts_on=D(2024, 1, 1), ends_on=None)
    membership.ends_on = D(2025, 1, 1)
    membership.full_clean()


def test_other_channels_may_overlap():
    first = RosterMembershipFactory(starts_on=D(2024, 1, 1), ends_on=None)
    RosterMembershipFactory.build(channel=ChannelFactory(), partner=first.partner, starts_on=D(2024, 1, 1)).full_clean()


@pytest.fixture
def rosters():
    """Channel ``moved`` was with SChannel in 2024 and with Vitamin from 2025; ``stays`` is with SChannel."""
    schannel = PartnerCompanyFactory(short_name="SChannel")
    vitamin = PartnerCompanyFactory(short_name="Vitamin")
    moved, stays = ChannelFactory(), ChannelFactory()
    RosterMembershipFactory(channel=moved, partner=schannel, starts_on=D(2024, 1, 1), ends_on=D(2024, 12, 31))
    RosterMembershipFactory(channel=moved, partner=vitamin, starts_on=D(2025, 1, 1), ends_on=None)
    RosterMembershipFactory(channel=stays, partner=schannel, starts_on=D(2024, 6, 1), ends_on=None)
    return schannel, vitamin, moved, stays


def test_memberships_active_on_a_day_include_both_ends(rosters):
    _, _, moved, _ = rosters
    assert RosterMembership.objects.active_on(D(2023, 12, 31)).count() == 0
    assert RosterMembership.objects.active_on(D(2024, 1, 1)).count() == 1
    assert RosterMembership.objects.active_on(D(2024, 12, 31)).count() == 2
    assert RosterMembership.objects.active_on(D(2030, 1, 1)).count() == 2
    assert RosterMembership.objects.active_on(D(2024, 12, 31)).get(channel=moved).is_active_on(D(2024, 12, 31))


def test_who_managed_a_channel_on_a_day_is_one_query(rosters, django_assert_num_queries):
    schannel, vitamin, moved, _ = rosters
    with django_assert_num_queries(1):
        manager = RosterMembership.objects.active_on(D(2024, 7, 1)).filter(channel=moved).select_related("partner")
        assert manager.first().partner == schannel
    with django_assert_num_queries(1):
        manager = RosterMembership.objects.active_on(D(2025, 7, 1)).filter(channel=moved).select_related("partner")
        assert manager.first().partner == vitamin


def test_roster_of_a_partner_on_a_day_is_one_query(rosters, django_assert_num_queries):
    schannel, vitamin, moved, stays = rosters
    with django_assert_num_queries(1):
        assert set(Channel.objects.managed_by(schannel, on=D(2024, 7, 1))) == {moved, stays}
    with django_assert_num_queries(1):
        assert list(Channel.objects.managed_by(schannel, on=D(2025, 7, 1))) == [stays]
    with django_assert_num_queries(1):
        assert list(Channel.objects.managed_by(vitamin, on=D(2024, 7, 1))) == []


# MOUs


def test_db_rejects_mou_ending_before_it_starts():
    with db_rejects("mou_period_ordered"):
        MouFactory(starts_on=D(2024, 1, 1), ends_on=D(2023, 12, 31))


def test_validation_rejects_mou_ending_before_it_starts():
    mou = MouFactory.build(agency=AgencyFactory(), partner=PartnerCompanyFactory(), ends_on=D(2023, 12, 31))
    invalid(mou, "ends_on", "The end date cannot be before the start date.")


def test_db_rejects_mou_terminated_before_it_starts():
    with db_rejects("mou_terminated_after_start"):
        MouFactory(starts_on=D(2024, 1, 1), terminated_on=D(2023, 12, 31))


def test_validation_rejects_mou_terminated_before_it_starts():
    mou = MouFactory.build(agency=AgencyFactory(), partner=PartnerCompanyFactory(), terminated_on=D(2023, 12, 31))
    invalid(mou, "terminated_on", "An MOU cannot be terminated before its period starts.")


def test_db_rejects_termination_reason_without_date():
    with db_rejects("mou_termination_reason_needs_date"):
        MouFactory(termination_reason="Partner withdrew.")


def test_validation_rejects_termination_reason_without_date():
    mou = MouFactory.build(agency=AgencyFactory(), partner=PartnerCompanyFactory(), termination_reason="Withdrew.")
    invalid(mou, "terminated_on", "Give the termination date as well as the reason.")


def test_db_rejects_mou_renewing_itself():
    mou = MouFactory()
    with db_rejects("mou_not_renewing_itself"):
        Mou.objects.filter(pk=mou.pk).update(renews=F("pk"))


def test_validation_rejects_mou_renewing_itself():
    mou = MouFactory()
    mou.renews = mou
    invalid(mou, "renews", "An MOU cannot renew itself.")


def test_mou_may_renew_an_earlier_one():
    earlier = MouFactory(starts_on=D(2021, 1, 1), ends_on=D(2023, 12, 31))
    renewal = MouFactory(renews=earlier)
    renewal.full_clean()
    assert list(earlier.renewals.all()) == [renewal]


def test_validation_rejects_mous_renewing_each_other():
    earlier = MouFactory()
    renewal = MouFactory(renews=earlier)
    earlier.renews = renewal
    invalid(earlier, "renews", "An MOU cannot renew one of its own renewals.")


def test_validation_rejects_a_longer_renewal_cycle():
    first = MouFactory()
    second = MouFactory(renews=first)
    third = MouFactory(renews=second)
    first.renews = third
    invalid(first, "renews", "An MOU cannot renew one of its own renewals.")


def test_renewal_check_ends_on_a_cycle_written_past_validation():
    first, second = MouFactory(), MouFactory()
    Mou.objects.filter(pk=first.pk).update(renews=second)
    Mou.objects.filter(pk=second.pk).update(renews=first)
    third = MouFactory(renews=first)
    assert third.renewed_ids() == {first.pk, second.pk}


def test_deleting_a_renewed_mou_is_refused():
    earlier = MouFactory()
    renewal = MouFactory(renews=earlier)
    with pytest.raises(ProtectedError):
        earlier.delete()
    renewal.refresh_from_db()
    assert renewal.renews == earlier


def test_a_renewal_may_be_deleted():
    renewal = MouFactory(renews=MouFactory())
    renewal.delete()
    assert not Mou.objects.filter(pk=renewal.pk).exists()


def test_db_rejects_duplicate_mou_reference():
    MouFactory(reference="01/2024/MOU")
    with db_rejects("mou_reference_unique", unique=True):
        MouFactory(reference="01/2024/MOU")


def test_validation_rejects_duplicate_mou_reference():
    MouFactory(reference="01/2024/MOU")
    mou = MouFactory.build(agency=AgencyFactory(), partner=PartnerCompanyFactory(), reference="01/2024/MOU")
    invalid(mou, NON_FIELD_ERRORS, "Another MOU already has this reference number.")


def test_many_mous_may_have_no_reference():
    MouFactory(reference="")
    MouFactory.build(agency=AgencyFactory(), partner=PartnerCompanyFactory(), reference="").full_clean()


@pytest.fixture
def mous():
    """One MOU per status on 2025-06-15, by title."""
    return {
        "draft": MouFactory(title="draft", signed=False, starts_on=D(2024, 7, 1), ends_on=D(2027, 6, 30)),
        "undated": MouFactory(title="undated", starts_on=None, ends_on=None),
        "signed": MouFactory(title="signed", starts_on=D(2025, 7, 1), ends_on=D(2027, 6, 30)),
        "active": MouFactory(title="active", starts_on=D(2024, 1, 1), ends_on=D(2027, 12, 31)),
        "open": MouFactory(title="open", starts_on=D(2024, 1, 1), ends_on=None),
        "ending": MouFactory(title="ending", starts_on=D(2024, 1, 1), ends_on=D(2025, 8, 31)),
        "expired": MouFactory(title="expired", starts_on=D(2022, 1, 1), ends_on=D(2025, 6, 14)),
        "terminated": MouFactory(
            title="terminated", starts_on=D(2024, 1, 1), ends_on=D(2025, 8, 31), terminated_on=D(2025, 6, 15)
        ),
        "terminating": MouFactory(
            title="terminating", starts_on=D(2024, 1, 1), ends_on=D(2027, 12, 31), terminated_on=D(2025, 7, 1)
        ),
    }


EXPECTED_STATUS = {
    "draft": MouStatus.DRAFT,
    "undated": MouStatus.SIGNED,
    "signed": MouStatus.SIGNED,
    "active": MouStatus.ACTIVE,
    "open": MouStatus.ACTIVE,
    "ending": MouStatus.ACTIVE,
    "expired": MouStatus.EXPIRED,
    "terminated": MouStatus.TERMINATED,
    "terminating": MouStatus.ACTIVE,
}
DAY = D(2025, 6, 15)


def test_mou_status_on_a_day(mous):
    assert {title: mou.status_on(DAY) for title, mou in mous.items()} == EXPECTED_STATUS


def test_mou_status_in_sql_matches_python(mous):
    annotated = Mou.objects.with_status(today=DAY)
    assert {mou.title: mou.status_code for mou in annotated} == EXPECTED_STATUS


def test_mou_status_property_uses_today():
    assert MouFactory(starts_on=D(2000, 1, 1), ends_on=D(2001, 1, 1)).status == MouStatus.EXPIRED
    assert MouFactory(starts_on=D(2000, 1, 1), ends_on=None).status == MouStatus.ACTIVE
    assert MouFactory(starts_on=D(2999, 1, 1), ends_on=None).status == MouStatus.SIGNED
    assert MouFactory(signed=False, starts_on=D(2000, 1, 1), ends_on=None).status == MouStatus.DRAFT
    terminated = MouFactory(starts_on=D(2000, 1, 1), ends_on=None, terminated_on=D(2001, 1, 1))
    assert terminated.status == MouStatus.TERMINATED
    assert terminated.get_status_display() == "Terminated"


def test_mous_filtered_by_status(mous):
    titles = set(
        Mou.objects.with_status_in([MouStatus.DRAFT, MouStatus.EXPIRED], today=DAY).values_list("title", flat=True)
    )
    assert titles == {"draft", "expired"}


def test_mous_active_on_a_day(mous):
    titles = set(Mou.objects.active_on(DAY).values_list("title", flat=True))
    assert titles == {"active", "open", "ending", "terminating"}
    assert all(mous[title].is_active_on(DAY) for title in titles)
    assert not mous["terminated"].is_active_on(DAY)


def test_mous_expiring_within_days(mous):
    assert set(Mou.objects.expiring_within(90, today=DAY).values_list("title", flat=True)) == {"ending"}
    assert set(Mou.objects.expiring_within(30, today=DAY).values_list("title", flat=True)) == set()


def test_mou_search_text_folds_title_then_its_parties_names():
    mou = MouFactory(title="Biên bản ghi nhớ hợp tác", reference="", agency__name="Sở Thông tin", agency__name_vi="")
    assert mou.search_text.startswith("bien ban ghi nho hop tac so thong tin ")
    assert mou.search_text.endswith(mou.partner.search_text)


# Signed MOU document


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_pdf_document_is_accepted_and_stored(media):
    mou = MouFactory.build(agency=AgencyFactory(), partner=PartnerCompanyFactory())
    mou.document = SimpleUploadedFile("mou.pdf", PDF, content_type="application/pdf")
    mou.full_clean()
    mou.save()
    stored = Mou.objects.get(pk=mou.pk)
    assert stored.document.name.startswith("mous/")
    assert (media / stored.document.name).read_bytes() == PDF
    stored.full_clean()  # later edits do not re-read the stored file


def test_document_that_is_not_a_pdf_is_rejected(media):
    mou = MouFactory.build(agency=AgencyFactory(), partner=PartnerCompanyFactory())
    mou.document = SimpleUploadedFile("mou.pdf", b"PK\x03\x04 a zip posing as a PDF", content_type="application/pdf")
    invalid(mou, "document", "The document is not a PDF file.")


def test_document_without_pdf_extension_is_rejected(media):
    mou = MouFactory.build(agency=AgencyFactory(), partner=PartnerCompanyFactory())
    mou.document = SimpleUploadedFile("mou.docx", PDF)
    with pytest.raises(ValidationError) as excinfo:
        mou.full_clean()
    assert "docx" in excinfo.value.message_dict["document"][0]


def test_oversize_document_is_rejected(media, settings):
    settings.KOLREG_MOU_DOCUMENT_MAX_BYTES = 16
    mou = MouFactory.build(agency=AgencyFactory(), partner=PartnerCompanyFactory())
    mou.document = SimpleUploadedFile("mou.pdf", PDF, content_type="application/pdf")
    invalid(mou, "document", f"The document is {len(PDF)} bytes; the limit is 16.")
