"""The campaigns app's date rules at their boundaries, as tables (issue 15).

As in ``tests/partners/test_date_boundaries.py``: each row is a rule's facts, a day and what the registry
answers, at the day before, the day itself and the day after each end, and at the first and last possible
days of a date known only to the month or year. Each row builds the least data and asks one public interface.
"""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from campaigns.choices import AssignmentRole, AssignmentStatus
from tests.date_tables import AFTER_BEFORE, PARTIAL_PERIODS, TODAY, as_date, days, ids
from tests.factories import (
    AssignmentFactory,
    CampaignFactory,
    CampaignReportFactory,
    ChannelFactory,
    MouFactory,
    RosterMembershipFactory,
    StatedFactFactory,
)
from tests.helpers import freeze_today, listed

pytestmark = pytest.mark.django_db


def campaign(period, **extra):
    starts_on, ends_on = period
    return CampaignFactory(starts_on=as_date(starts_on), ends_on=as_date(ends_on), **extra)


# A campaign runs from its start's first possible day to its end's last (no end: still running)

DAY_PERIOD = ("2025-09-01", "2025-09-30")
OPEN_PERIOD = ("2025-09-01", None)
ONE_DAY = ("2025-09-02", "2025-09-02")
START_UNKNOWN = (None, "2025-09-30")

CAMPAIGN_RUNNING = [
    pytest.param(DAY_PERIOD, "2025-08-31", False, id="start-day/day-before"),
    pytest.param(DAY_PERIOD, "2025-09-01", True, id="start-day/day-itself"),
    pytest.param(DAY_PERIOD, "2025-09-02", True, id="start-day/day-after"),
    pytest.param(DAY_PERIOD, "2025-09-29", True, id="end-day/day-before"),
    pytest.param(DAY_PERIOD, "2025-09-30", True, id="end-day/day-itself"),
    pytest.param(DAY_PERIOD, "2025-10-01", False, id="end-day/day-after"),
    pytest.param(OPEN_PERIOD, "2025-08-31", False, id="open-end/start-day-before"),
    pytest.param(OPEN_PERIOD, "2025-09-01", True, id="open-end/start-day-itself"),
    pytest.param(OPEN_PERIOD, "2099-12-31", True, id="open-end/decades-later"),
    pytest.param(ONE_DAY, "2025-09-01", False, id="one-day/day-before"),
    pytest.param(ONE_DAY, "2025-09-02", True, id="one-day/day-itself"),
    pytest.param(ONE_DAY, "2025-09-03", False, id="one-day/day-after"),
    *PARTIAL_PERIODS,
    # As the code has it: with no known start, a campaign is running on no day.
    pytest.param(START_UNKNOWN, "2025-09-15", False, id="start-unknown/within-its-end"),
]


@pytest.mark.parametrize(("period", "day", "running"), CAMPAIGN_RUNNING)
def test_campaigns_running_on(api, period, day, running):
    row = campaign(period)
    assert (row.pk in ids(api.get("/api/v1/campaigns/", {"active_on": day}))) is running


AROUND_TODAY = [
    pytest.param((days(1), None), False, id="starts-tomorrow"),
    pytest.param((days(0), None), True, id="starts-today"),
    pytest.param((days(-1), None), True, id="started-yesterday"),
    pytest.param((days(-10), days(1)), True, id="ends-tomorrow"),
    pytest.param((days(-10), days(0)), True, id="ends-today"),
    pytest.param((days(-10), days(-1)), False, id="ended-yesterday"),
]


@pytest.mark.parametrize(("period", "running"), AROUND_TODAY)
def test_admin_campaigns_active_today(admin_client, monkeypatch, period, running):
    freeze_today(monkeypatch, TODAY)
    row = campaign(period)
    response = admin_client.get(reverse("admin:campaigns_campaign_changelist"), {"active_today": "yes"})
    assert (row in listed(response)) is running


# A period ends no earlier than it starts: the end's last possible day is not before the start's first
# (a one-day period is one); the API refuses it (400 on the end), and so does the database's check constraint

PERIOD_ORDER = [
    pytest.param(("2025-09-15", "2025-09-14"), False, id="day/end-day-before-start"),
    pytest.param(("2025-09-15", "2025-09-15"), True, id="day/one-day-period"),
    pytest.param(("2025-09-15", "2025-09-16"), True, id="day/end-day-after-start"),
    pytest.param(("2025-09", "2025-08-31"), False, id="start-month/end-day-before-first-day"),
    pytest.param(("2025-09", "2025-09-01"), True, id="start-month/end-on-first-day"),
    pytest.param(("2025-09-15", "2025-08"), False, id="end-month/month-before-start"),
    pytest.param(("2025-09-15", "2025-09"), True, id="end-month/month-holding-start"),
]


def undated_campaign():
    return CampaignFactory(starts_on=None, ends_on=None)


# resource: (constraint, start and end fields, the rest of a valid body, a row written past validation)
ORDERED = {
    "campaigns": (
        "campaign_period_ordered",
        ("starts_on", "ends_on"),
        lambda: {"name": "Campaign", "slug": "campaign"},
        lambda dates: CampaignFactory(**dates),
    ),
    "assignments": (
        "assignment_period_ordered",
        ("starts_on", "ends_on"),
        lambda: {
            "campaign": undated_campaign().pk,
            "channel": ChannelFactory().pk,
            "role": AssignmentRole.CREATOR,
            "status": AssignmentStatus.PLANNED,
        },
        lambda dates: AssignmentFactory(campaign=undated_campaign(), **dates),
    ),
    "campaign-reports": (
        "campaign_report_period_ordered",
        ("period_starts_on", "period_ends_on"),
        lambda: {"campaign": undated_campaign().pk, "views": 1000, "source_note": "partner report"},
        lambda dates: CampaignReportFactory(**dates),
    ),
}


@pytest.mark.parametrize("resource", ORDERED)
@pytest.mark.parametrize(("period", "accepted"), PERIOD_ORDER)
def test_period_ends_no_earlier_than_it_starts(api, resource, period, accepted):
    constraint, (start, end), body, create = ORDERED[resource]
    response = api.post(f"/api/v1/{resource}/", {**body(), start: period[0], end: period[1]})

    assert response.status_code == (201 if accepted else 400), response.content
    if not accepted:
        assert list(response.json()) == [end]
        with transaction.atomic(), pytest.raises(IntegrityError, match=constraint):
            create({start: as_date(period[0]), end: as_date(period[1])})


# A campaign's period lies inside its MOU's, and an assignment's inside its campaign's: refused (a 400 on
# the field) only when no possible day of the inner date is inside the outer period.

MOU_DAYS = ("2025-03-15", "2025-09-15")
MOU_YEARS = ("2025", "2026")

CAMPAIGN_IN_MOU = [
    pytest.param(MOU_DAYS, ("2025-03-14", "2025-04-30"), "starts_on", id="start-day/day-before"),
    pytest.param(MOU_DAYS, ("2025-03-15", "2025-04-30"), None, id="start-day/day-itself"),
    pytest.param(MOU_DAYS, ("2025-03-16", "2025-04-30"), None, id="start-day/day-after"),
    pytest.param(MOU_DAYS, ("2025-06-01", "2025-09-14"), None, id="end-day/day-before"),
    pytest.param(MOU_DAYS, ("2025-06-01", "2025-09-15"), None, id="end-day/day-itself"),
    pytest.param(MOU_DAYS, ("2025-06-01", "2025-09-16"), "ends_on", id="end-day/day-after"),
    pytest.param(MOU_DAYS, ("2025-09-15", None), None, id="open-campaign/starts-on-end-day"),
    pytest.param(MOU_DAYS, ("2025-09-16", None), "starts_on", id="open-campaign/starts-day-after-end"),
    pytest.param(MOU_DAYS, (None, "2025-03-15"), None, id="start-unknown/ends-on-start-day"),
    pytest.param(MOU_DAYS, (None, "2025-03-14"), "ends_on", id="start-unknown/ends-day-before-start"),
    pytest.param(MOU_DAYS, ("2025-02", "2025-04-30"), "starts_on", id="campaign-start-month/before"),
    pytest.param(MOU_DAYS, ("2025-03", "2025-04-30"), None, id="campaign-start-month/holding-start-day"),
    pytest.param(MOU_DAYS, ("2025-06-01", "2025-09"), None, id="campaign-end-month/holding-end-day"),
    pytest.param(MOU_DAYS, ("2025-06-01", "2025-10"), "ends_on", id="campaign-end-month/after"),
    pytest.param(MOU_YEARS, ("2024-12-31", "2025-06-30"), "starts_on", id="mou-start-year/day-before"),
    pytest.param(MOU_YEARS, ("2025-01-01", "2025-06-30"), None, id="mou-start-year/first-day"),
    pytest.param(MOU_YEARS, ("2025-06-01", "2026-12-31"), None, id="mou-end-year/last-day"),
    pytest.param(MOU_YEARS, ("2025-06-01", "2027-01-01"), "ends_on", id="mou-end-year/day-after"),
]


@pytest.mark.parametrize(("mou_period", "period", "refused"), CAMPAIGN_IN_MOU)
def test_campaign_period_inside_its_mou(api, mou_period, period, refused):
    starts_on, ends_on = mou_period
    mou = MouFactory(starts_on=as_date(starts_on), ends_on=as_date(ends_on))
    body = {"name": "Campaign", "slug": "campaign", "mou": mou.pk, "starts_on": period[0], "ends_on": period[1]}
    response = api.post("/api/v1/campaigns/", body)
    if refused:
        assert (response.status_code, list(response.json())) == (400, [refused])
    else:
        assert response.status_code == 201, response.content


CAMPAIGN_DAYS = ("2025-09-01", "2025-09-30")
CAMPAIGN_MONTH = ("2025-09", "2025-09")

ASSIGNMENT_IN_CAMPAIGN = [
    pytest.param(CAMPAIGN_DAYS, ("2025-08-31", None), "starts_on", id="start-day/day-before"),
    pytest.param(CAMPAIGN_DAYS, ("2025-09-01", None), None, id="start-day/day-itself"),
    pytest.param(CAMPAIGN_DAYS, ("2025-09-30", None), None, id="end-day/starts-on-it"),
    pytest.param(CAMPAIGN_DAYS, ("2025-10-01", None), "starts_on", id="end-day/starts-day-after"),
    pytest.param(CAMPAIGN_DAYS, ("2025-09-10", "2025-09-30"), None, id="end-day/ends-on-it"),
    pytest.param(CAMPAIGN_DAYS, ("2025-09-10", "2025-10-01"), "ends_on", id="end-day/ends-day-after"),
    pytest.param(CAMPAIGN_MONTH, ("2025-08-31", None), "starts_on", id="month/day-before-first-day"),
    pytest.param(CAMPAIGN_MONTH, ("2025-09-01", "2025-09-30"), None, id="month/first-to-last-day"),
    pytest.param(CAMPAIGN_MONTH, ("2025-09-10", "2025-10-01"), "ends_on", id="month/day-after-last-day"),
]


@pytest.mark.parametrize(("campaign_period", "period", "refused"), ASSIGNMENT_IN_CAMPAIGN)
def test_assignment_period_inside_its_campaign(api, campaign_period, period, refused):
    body = {
        "campaign": campaign(campaign_period).pk,
        "channel": ChannelFactory().pk,
        "role": AssignmentRole.CREATOR,
        "status": AssignmentStatus.PLANNED,
        "starts_on": period[0],
        "ends_on": period[1],
    }
    response = api.post("/api/v1/assignments/", body)
    if refused:
        assert (response.status_code, list(response.json())) == (400, [refused])
    else:
        assert response.status_code == 201, response.content


# Assignments of a partner (?partner=): of the channels it managed at any time during the assignment's
# period, or the campaign's where the assignment's own dates are unknown

UNDATED = (None, None)
DATED = ("2025-09-10", "2025-09-20")
IN_MONTH = ("2025-09", "2025-09")

ASSIGNMENTS_OF_PARTNER = [
    pytest.param(
        DAY_PERIOD, UNDATED, ("2025-01-01", "2025-08-31"), False, id="campaign-start/managed-until-day-before"
    ),
    pytest.param(DAY_PERIOD, UNDATED, ("2025-01-01", "2025-09-01"), True, id="campaign-start/managed-until-day-itself"),
    pytest.param(DAY_PERIOD, UNDATED, ("2025-09-30", None), True, id="campaign-end/managed-from-day-itself"),
    pytest.param(DAY_PERIOD, UNDATED, ("2025-10-01", None), False, id="campaign-end/managed-from-day-after"),
    pytest.param(IN_MONTH, UNDATED, ("2025-09-30", None), True, id="campaign-end-month/managed-from-last-day"),
    pytest.param(IN_MONTH, UNDATED, ("2025-10-01", None), False, id="campaign-end-month/managed-from-day-after"),
    pytest.param(DAY_PERIOD, DATED, ("2025-01-01", "2025-09-09"), False, id="start/managed-until-day-before"),
    pytest.param(DAY_PERIOD, DATED, ("2025-01-01", "2025-09-10"), True, id="start/managed-until-day-itself"),
    pytest.param(DAY_PERIOD, DATED, ("2025-09-20", None), True, id="end/managed-from-day-itself"),
    pytest.param(DAY_PERIOD, DATED, ("2025-09-21", None), False, id="end/managed-from-day-after"),
    pytest.param(DAY_PERIOD, IN_MONTH, ("2025-01-01", "2025-08-31"), False, id="start-month/managed-until-day-before"),
    pytest.param(DAY_PERIOD, IN_MONTH, ("2025-01-01", "2025-09-01"), True, id="start-month/managed-until-first-day"),
    pytest.param(DAY_PERIOD, IN_MONTH, ("2025-09-30", None), True, id="end-month/managed-from-last-day"),
    pytest.param(DAY_PERIOD, IN_MONTH, ("2025-10-01", None), False, id="end-month/managed-from-day-after"),
]


@pytest.mark.parametrize(("campaign_period", "period", "managed", "shown"), ASSIGNMENTS_OF_PARTNER)
def test_assignments_of_channels_a_partner_managed_then(api, campaign_period, period, managed, shown):
    membership = RosterMembershipFactory(starts_on=as_date(managed[0]), ends_on=as_date(managed[1]))
    row = AssignmentFactory(
        campaign=campaign(campaign_period),
        channel=membership.channel,
        starts_on=as_date(period[0]),
        ends_on=as_date(period[1]),
    )
    response = api.get("/api/v1/assignments/", {"partner": membership.partner.slug})
    assert (row.pk in ids(response)) is shown


# stated_after / stated_before: inclusive, on the first possible day of the date the figure refers to

STATED_AFTER_BEFORE = [row for row in AFTER_BEFORE if not row.id.startswith("year/")]


@pytest.mark.parametrize(("side", "stated_on", "day", "shown"), STATED_AFTER_BEFORE)
def test_stated_facts_after_and_before(api, side, stated_on, day, shown):
    row = StatedFactFactory(stated_on=as_date(stated_on))
    assert (row.pk in ids(api.get("/api/v1/stated-facts/", {f"stated_{side}": day}))) is shown
