"""The partners app's date rules at their boundaries, as tables (issue 15).

Each row is a rule's facts, a day and what the registry answers on it: the day before, the day itself and
the day after each end (start, end, signing, termination, ``expires_within=N``, a notice period), and for a
date known only to the month or year its first and last possible days and the days just outside. A period
runs from the first possible day of its start to the last possible day of its end (``kolregistry.dates``).
Each row builds the least data it needs and asks one public interface; where a rule reads "today", today is
frozen at ``TODAY``. The campaigns app's rules are in ``tests/campaigns/test_date_boundaries.py``.
"""

import datetime
import json
import re
from io import StringIO

import pytest
from django.contrib.admin.models import LogEntry
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import translation

from kolregistry.dates import PartialDate
from partners.choices import MouAlertThreshold, MouStatus
from partners.models import Mou, MouAlert, RosterMembership
from tests.date_tables import AFTER_BEFORE, PARTIAL_PERIODS, TODAY, as_date, days, ids
from tests.factories import (
    AgencyFactory,
    ChannelFactory,
    ChannelMetricFactory,
    MouFactory,
    PartnerCompanyFactory,
    RosterMembershipFactory,
)
from tests.helpers import freeze_today, listed, opened_form

pytestmark = pytest.mark.django_db

ACTIVE, SIGNED, EXPIRED, TERMINATED = MouStatus.ACTIVE, MouStatus.SIGNED, MouStatus.EXPIRED, MouStatus.TERMINATED
NOTICE, EXPIRES_SOON = MouAlertThreshold.NOTICE, MouAlertThreshold.EXPIRES_SOON


def membership(period, **extra):
    starts_on, ends_on = period
    return RosterMembershipFactory(starts_on=as_date(starts_on), ends_on=as_date(ends_on), **extra)


def mou(facts, **extra):
    """A signed MOU with ``facts``: ``signed_on``, ``starts_on``, ``ends_on``, ``terminated_on`` (default: unknown)."""
    dated = {name: as_date(value) for name, value in facts.items()}
    if isinstance(dated.get("terminated_on"), PartialDate):
        dated["terminated_on"] = dated["terminated_on"].lower  # a termination date is always a day
    return MouFactory(**{"signed": True, **dated, **extra})


def changelist(model):
    return reverse(f"admin:partners_{model}_changelist")


# Roster membership: managed from the start's first possible day to the end's last (open end: still managed)

DAY_PERIOD = ("2024-03-15", "2024-06-15")
OPEN_PERIOD = ("2024-03-15", None)
ONE_DAY = ("2024-06-15", "2024-06-15")

MEMBERSHIP_PERIOD = [
    pytest.param(DAY_PERIOD, "2024-03-14", False, id="start-day/day-before"),
    pytest.param(DAY_PERIOD, "2024-03-15", True, id="start-day/day-itself"),
    pytest.param(DAY_PERIOD, "2024-03-16", True, id="start-day/day-after"),
    pytest.param(DAY_PERIOD, "2024-06-14", True, id="end-day/day-before"),
    pytest.param(DAY_PERIOD, "2024-06-15", True, id="end-day/day-itself"),
    pytest.param(DAY_PERIOD, "2024-06-16", False, id="end-day/day-after"),
    pytest.param(OPEN_PERIOD, "2024-03-14", False, id="open-end/start-day-before"),
    pytest.param(OPEN_PERIOD, "2024-03-15", True, id="open-end/start-day-itself"),
    pytest.param(OPEN_PERIOD, "2099-12-31", True, id="open-end/decades-later"),
    pytest.param(ONE_DAY, "2024-06-14", False, id="one-day/day-before"),
    pytest.param(ONE_DAY, "2024-06-15", True, id="one-day/day-itself"),
    pytest.param(ONE_DAY, "2024-06-16", False, id="one-day/day-after"),
    *PARTIAL_PERIODS,
]
PERIOD_DAY_ACTIVE = ("period", "day", "active")


@pytest.mark.parametrize(PERIOD_DAY_ACTIVE, MEMBERSHIP_PERIOD)
def test_memberships_active_on(api, period, day, active):
    row = membership(period)
    assert (row.pk in ids(api.get("/api/v1/memberships/", {"active_on": day}))) is active


@pytest.mark.parametrize(PERIOD_DAY_ACTIVE, MEMBERSHIP_PERIOD)
def test_membership_is_active_on(period, day, active):
    # The model's own reading, which the admin's "active today" column shows.
    row = RosterMembership.objects.get(pk=membership(period).pk)
    assert row.is_active_on(datetime.date.fromisoformat(day)) is active


@pytest.mark.parametrize(PERIOD_DAY_ACTIVE, MEMBERSHIP_PERIOD)
def test_channels_under_management_on(api, period, day, active):
    row = membership(period)
    assert (row.channel_id in ids(api.get("/api/v1/channels/", {"active_on": day}))) is active


@pytest.mark.parametrize(PERIOD_DAY_ACTIVE, MEMBERSHIP_PERIOD)
def test_channels_of_a_partner_on(api, period, day, active):
    row = membership(period)
    response = api.get("/api/v1/channels/", {"partner": row.partner.slug, "active_on": day})
    assert (row.channel_id in ids(response)) is active


@pytest.mark.parametrize(PERIOD_DAY_ACTIVE, MEMBERSHIP_PERIOD)
def test_partner_roster_on(api, period, day, active):
    row = membership(period)
    response = api.get(f"/api/v1/partners/{row.partner_id}/roster/", {"on": day})
    assert (row.channel_id in ids(response)) is active


# "Today": the roster's default day, the admin's "active today" and "managed by partner (today)" filters

AROUND_TODAY = [
    pytest.param((days(1), None), False, id="starts-tomorrow"),
    pytest.param((days(0), None), True, id="starts-today"),
    pytest.param((days(-1), None), True, id="started-yesterday"),
    pytest.param((days(-10), days(1)), True, id="ends-tomorrow"),
    pytest.param((days(-10), days(0)), True, id="ends-today"),
    pytest.param((days(-10), days(-1)), False, id="ended-yesterday"),
]


@pytest.fixture
def today(monkeypatch):
    freeze_today(monkeypatch, TODAY)
    return TODAY


@pytest.mark.parametrize(("period", "active"), AROUND_TODAY)
def test_partner_roster_defaults_to_today(api, today, period, active):
    row = membership(period)
    assert (row.channel_id in ids(api.get(f"/api/v1/partners/{row.partner_id}/roster/"))) is active


@pytest.mark.parametrize(("period", "active"), AROUND_TODAY)
def test_admin_memberships_active_today(admin_client, today, period, active):
    row = membership(period)
    assert (row in listed(admin_client.get(changelist("rostermembership"), {"active_today": "yes"}))) is active


@pytest.mark.parametrize(("period", "active"), AROUND_TODAY)
def test_admin_channels_managed_by_partner_today(admin_client, today, period, active):
    row = membership(period)
    response = admin_client.get(changelist("channel"), {"managed_by": row.partner_id})
    assert (row.channel in listed(response)) is active


@pytest.mark.parametrize(("period", "active"), AROUND_TODAY)
def test_admin_mous_active_today(admin_client, today, period, active):
    starts_on, ends_on = period
    row = mou({"starts_on": starts_on, "ends_on": ends_on})
    assert (row in listed(admin_client.get(changelist("mou"), {"active_today": "yes"}))) is active


# MOU status on a day: terminated (on or before it) > draft > signed (in force only later) > expired > active.
# In force from the later of the start's and the signing's first possible day to the end's last possible day.

MOU_DAYS = {"starts_on": "2025-03-15", "ends_on": "2025-09-15"}
MOU_OPEN = {"starts_on": "2025-03-15", "ends_on": None}
MOU_ONE_DAY = {"starts_on": "2025-06-15", "ends_on": "2025-06-15"}
SIGNED_AFTER_START = {**MOU_DAYS, "signed_on": "2025-04-10"}
SIGNED_BEFORE_START = {**MOU_DAYS, "signed_on": "2025-01-10"}
TERMINATED_WITHIN = {**MOU_DAYS, "terminated_on": "2025-07-01"}
TERMINATED_ON_START = {**MOU_DAYS, "terminated_on": "2025-03-15"}
TERMINATED_AFTER_END = {**MOU_DAYS, "terminated_on": "2025-09-16"}
MOU_MONTHS = {"starts_on": "2025-03", "ends_on": "2026-02"}
MOU_YEARS = {"starts_on": "2025", "ends_on": "2027"}
SIGNED_IN_MONTH = {**MOU_YEARS, "signed_on": "2025-04"}
SIGNED_IN_YEAR = {"starts_on": "2024-06", "ends_on": "2027", "signed_on": "2025"}

MOU_STATUS = [
    pytest.param(MOU_DAYS, "2025-03-14", SIGNED, id="start-day/day-before"),
    pytest.param(MOU_DAYS, "2025-03-15", ACTIVE, id="start-day/day-itself"),
    pytest.param(MOU_DAYS, "2025-03-16", ACTIVE, id="start-day/day-after"),
    pytest.param(MOU_DAYS, "2025-09-14", ACTIVE, id="end-day/day-before"),
    pytest.param(MOU_DAYS, "2025-09-15", ACTIVE, id="end-day/day-itself"),
    pytest.param(MOU_DAYS, "2025-09-16", EXPIRED, id="end-day/day-after"),
    pytest.param(MOU_OPEN, "2025-03-14", SIGNED, id="open-end/start-day-before"),
    pytest.param(MOU_OPEN, "2025-03-15", ACTIVE, id="open-end/start-day-itself"),
    pytest.param(MOU_OPEN, "2099-12-31", ACTIVE, id="open-end/decades-later"),
    pytest.param(MOU_ONE_DAY, "2025-06-14", SIGNED, id="one-day/day-before"),
    pytest.param(MOU_ONE_DAY, "2025-06-15", ACTIVE, id="one-day/day-itself"),
    pytest.param(MOU_ONE_DAY, "2025-06-16", EXPIRED, id="one-day/day-after"),
    pytest.param(SIGNED_AFTER_START, "2025-04-09", SIGNED, id="signing-after-start/day-before"),
    pytest.param(SIGNED_AFTER_START, "2025-04-10", ACTIVE, id="signing-after-start/day-itself"),
    pytest.param(SIGNED_AFTER_START, "2025-04-11", ACTIVE, id="signing-after-start/day-after"),
    pytest.param(SIGNED_BEFORE_START, "2025-03-14", SIGNED, id="signing-before-start/start-day-before"),
    pytest.param(SIGNED_BEFORE_START, "2025-03-15", ACTIVE, id="signing-before-start/start-day-itself"),
    pytest.param(TERMINATED_WITHIN, "2025-06-30", ACTIVE, id="termination/day-before"),
    pytest.param(TERMINATED_WITHIN, "2025-07-01", TERMINATED, id="termination/day-itself"),
    pytest.param(TERMINATED_WITHIN, "2025-07-02", TERMINATED, id="termination/day-after"),
    pytest.param(TERMINATED_ON_START, "2025-03-14", SIGNED, id="termination-on-start/day-before"),
    pytest.param(TERMINATED_ON_START, "2025-03-15", TERMINATED, id="termination-on-start/day-itself"),
    pytest.param(TERMINATED_AFTER_END, "2025-09-15", ACTIVE, id="termination-after-end/end-day"),
    pytest.param(TERMINATED_AFTER_END, "2025-09-16", TERMINATED, id="termination-after-end/day-itself"),
    pytest.param(MOU_MONTHS, "2025-02-28", SIGNED, id="start-month/day-before"),
    pytest.param(MOU_MONTHS, "2025-03-01", ACTIVE, id="start-month/first-day"),
    pytest.param(MOU_MONTHS, "2025-03-31", ACTIVE, id="start-month/last-day"),
    pytest.param(MOU_MONTHS, "2025-04-01", ACTIVE, id="start-month/day-after"),
    pytest.param(MOU_MONTHS, "2026-01-31", ACTIVE, id="end-month/day-before"),
    pytest.param(MOU_MONTHS, "2026-02-01", ACTIVE, id="end-month/first-day"),
    pytest.param(MOU_MONTHS, "2026-02-28", ACTIVE, id="end-month/last-day"),
    pytest.param(MOU_MONTHS, "2026-03-01", EXPIRED, id="end-month/day-after"),
    pytest.param(MOU_YEARS, "2024-12-31", SIGNED, id="start-year/day-before"),
    pytest.param(MOU_YEARS, "2025-01-01", ACTIVE, id="start-year/first-day"),
    pytest.param(MOU_YEARS, "2025-12-31", ACTIVE, id="start-year/last-day"),
    pytest.param(MOU_YEARS, "2026-01-01", ACTIVE, id="start-year/day-after"),
    pytest.param(MOU_YEARS, "2026-12-31", ACTIVE, id="end-year/day-before"),
    pytest.param(MOU_YEARS, "2027-01-01", ACTIVE, id="end-year/first-day"),
    pytest.param(MOU_YEARS, "2027-12-31", ACTIVE, id="end-year/last-day"),
    pytest.param(MOU_YEARS, "2028-01-01", EXPIRED, id="end-year/day-after"),
    pytest.param(SIGNED_IN_MONTH, "2025-03-31", SIGNED, id="signing-month/day-before"),
    pytest.param(SIGNED_IN_MONTH, "2025-04-01", ACTIVE, id="signing-month/first-day"),
    pytest.param(SIGNED_IN_MONTH, "2025-04-30", ACTIVE, id="signing-month/last-day"),
    pytest.param(SIGNED_IN_MONTH, "2025-05-01", ACTIVE, id="signing-month/day-after"),
    pytest.param(SIGNED_IN_YEAR, "2024-12-31", SIGNED, id="signing-year/day-before"),
    pytest.param(SIGNED_IN_YEAR, "2025-01-01", ACTIVE, id="signing-year/first-day"),
    pytest.param(SIGNED_IN_YEAR, "2025-12-31", ACTIVE, id="signing-year/last-day"),
    pytest.param(SIGNED_IN_YEAR, "2026-01-01", ACTIVE, id="signing-year/day-after"),
]
FACTS_DAY_STATUS = ("facts", "day", "status")


@pytest.mark.parametrize(FACTS_DAY_STATUS, MOU_STATUS)
def test_mou_in_force_on(api, facts, day, status):
    row = mou(facts)
    assert (row.pk in ids(api.get("/api/v1/mous/", {"active_on": day}))) is (status == ACTIVE)


@pytest.mark.parametrize(FACTS_DAY_STATUS, MOU_STATUS)
def test_mou_status_read_on_the_day(api, monkeypatch, facts, day, status):
    row = mou(facts)
    freeze_today(monkeypatch, datetime.date.fromisoformat(day))
    assert api.get(f"/api/v1/mous/{row.pk}/").json()["status"] == status


@pytest.mark.parametrize(FACTS_DAY_STATUS, MOU_STATUS)
def test_mou_status_filter_on_the_day(api, monkeypatch, facts, day, status):
    row = mou(facts)
    freeze_today(monkeypatch, datetime.date.fromisoformat(day))
    assert ids(api.get("/api/v1/mous/", {"status": status})) == {row.pk}


# expires_within=N: in force today, and the end's last possible day at most N days away (TODAY is 15/06/2026)

IN_FORCE = {"starts_on": "2025"}
EXPIRES_WITHIN = [
    pytest.param({**IN_FORCE, "ends_on": days(29)}, 30, True, id="end-N-1"),
    pytest.param({**IN_FORCE, "ends_on": days(30)}, 30, True, id="end-N"),
    pytest.param({**IN_FORCE, "ends_on": days(31)}, 30, False, id="end-N+1"),
    pytest.param({**IN_FORCE, "ends_on": days(0)}, 0, True, id="N=0/ends-today"),
    pytest.param({**IN_FORCE, "ends_on": days(1)}, 0, False, id="N=0/ends-tomorrow"),
    pytest.param({**IN_FORCE, "ends_on": days(-1)}, 30, False, id="ended-yesterday"),
    pytest.param({**IN_FORCE, "ends_on": None}, 36500, False, id="open-ended"),
    pytest.param({"starts_on": days(1), "ends_on": days(10)}, 30, False, id="start/tomorrow"),
    pytest.param({"starts_on": days(0), "ends_on": days(10)}, 30, True, id="start/today"),
    pytest.param({**IN_FORCE, "signed_on": days(1), "ends_on": days(10)}, 30, False, id="signing/tomorrow"),
    pytest.param({**IN_FORCE, "signed_on": days(0), "ends_on": days(10)}, 30, True, id="signing/today"),
    pytest.param({**IN_FORCE, "ends_on": days(10), "terminated_on": days(0)}, 30, False, id="termination/today"),
    pytest.param({**IN_FORCE, "ends_on": days(10), "terminated_on": days(1)}, 30, True, id="termination/tomorrow"),
    # 06/2026 ends on 30/06/2026 (15 days away), 07/2026 on 31/07/2026 (46), 2026 on 31/12/2026 (199).
    pytest.param({**IN_FORCE, "ends_on": "2026-06"}, 14, False, id="end-this-month/N-1"),
    pytest.param({**IN_FORCE, "ends_on": "2026-06"}, 15, True, id="end-this-month/N"),
    pytest.param({**IN_FORCE, "ends_on": "2026-07"}, 45, False, id="end-next-month/N-1"),
    pytest.param({**IN_FORCE, "ends_on": "2026-07"}, 46, True, id="end-next-month/N"),
    pytest.param({**IN_FORCE, "ends_on": "2026-07"}, 47, True, id="end-next-month/N+1"),
    pytest.param({**IN_FORCE, "ends_on": "2026"}, 198, False, id="end-this-year/N-1"),
    pytest.param({**IN_FORCE, "ends_on": "2026"}, 199, True, id="end-this-year/N"),
    pytest.param({**IN_FORCE, "ends_on": "2026"}, 200, True, id="end-this-year/N+1"),
]
FACTS_WITHIN_SHOWN = ("facts", "within", "shown")


@pytest.mark.parametrize(FACTS_WITHIN_SHOWN, EXPIRES_WITHIN)
def test_mous_expiring_within(api, today, facts, within, shown):
    row = mou(facts)
    assert (row.pk in ids(api.get("/api/v1/mous/", {"expires_within": within}))) is shown


@pytest.mark.parametrize(FACTS_WITHIN_SHOWN, [row for row in EXPIRES_WITHIN if row.values[1] == 30])
def test_admin_mous_expiring_within_30_days(admin_client, today, facts, within, shown):
    row = mou(facts)
    response = admin_client.get(changelist("mou"), {"expiring_within": str(within)})
    assert (row in listed(response)) is shown


# The dashboard: MOUs in force ending within 30, 90 and 180 days (counts), the list of those within 180 days,
# and the first one after that horizon

DASHBOARD_HORIZONS = [
    pytest.param(29, id="end-day-30-1"),
    pytest.param(30, id="end-day-30"),
    pytest.param(31, id="end-day-30+1"),
    pytest.param(89, id="end-day-90-1"),
    pytest.param(90, id="end-day-90"),
    pytest.param(91, id="end-day-90+1"),
    pytest.param(179, id="end-day-180-1"),
    pytest.param(180, id="end-day-180"),
    pytest.param(181, id="end-day-180+1"),
]


@pytest.mark.parametrize("days_left", DASHBOARD_HORIZONS)
def test_dashboard_mous_ending_within_its_horizons(admin_client, today, days_left):
    row = mou({**IN_FORCE, "ends_on": days(days_left)})
    context = admin_client.get("/admin/").context
    within_six_months = days_left <= 180

    assert context["expiry_counts"] == [(horizon, int(days_left <= horizon)) for horizon in (30, 90, 180)]
    listed_soon = [(line.mou, line.days_left) for line in context["expiring"]]
    assert listed_soon == ([(row, days_left)] if within_six_months else [])
    assert (context["next_expiring"] is not None and context["next_expiring"].mou == row) is not within_six_months


OPEN_ENDED_TERMINATION = [
    pytest.param(days(-1), False, id="terminated-yesterday"),
    pytest.param(days(0), False, id="terminated-today"),
    pytest.param(days(1), True, id="terminated-tomorrow"),
]


@pytest.mark.parametrize(("terminated_on", "shown"), OPEN_ENDED_TERMINATION)
def test_dashboard_open_ended_mous_until_terminated(admin_client, today, terminated_on, shown):
    row = mou({**IN_FORCE, "ends_on": None, "terminated_on": terminated_on})
    open_ended = admin_client.get("/admin/").context["open_ended"]
    assert [line.mou for line in open_ended] == ([row] if shown else [])


# mou_alerts --today: notice period (notice_period_days before the end, while more than 30 days are left),
# then "expires within 30 days" up to the end's last day, then "expired". The end here is 31/12/2027.

ALERTS = [
    pytest.param(90, "2027-10-01", None, id="notice-90/day-before"),
    pytest.param(90, "2027-10-02", NOTICE, id="notice-90/first-day"),
    pytest.param(90, "2027-10-03", NOTICE, id="notice-90/day-after"),
    pytest.param(90, "2027-11-30", NOTICE, id="last-30-days/day-before"),
    pytest.param(90, "2027-12-01", EXPIRES_SOON, id="last-30-days/first-day"),
    pytest.param(90, "2027-12-02", EXPIRES_SOON, id="last-30-days/day-after"),
    pytest.param(90, "2027-12-30", EXPIRES_SOON, id="end/day-before"),
    pytest.param(90, "2027-12-31", EXPIRES_SOON, id="end/day-itself"),
    pytest.param(90, "2028-01-01", MouAlertThreshold.EXPIRED, id="end/day-after"),
    pytest.param(31, "2027-11-29", None, id="notice-31/day-before"),
    pytest.param(31, "2027-11-30", NOTICE, id="notice-31/first-day"),
    pytest.param(30, "2027-11-30", None, id="notice-30/within-the-last-30-days-only"),
    pytest.param(30, "2027-12-01", EXPIRES_SOON, id="notice-30/last-30-days-first-day"),
]


@pytest.mark.parametrize(("notice_period_days", "day", "alert"), ALERTS)
def test_mou_alerts_on_the_day(settings, notice_period_days, day, alert):
    settings.MOU_ALERT_RECIPIENTS = ["mou.desk@example.test"]
    # Complete (signing date, period, signed PDF), so no missing-facts alert comes on top.
    row = mou(
        {"signed_on": "2024-05", "starts_on": "2024", "ends_on": "2027-12-31"},
        notice_period_days=notice_period_days,
        document="mous/2024/signed.pdf",
    )
    out = StringIO()
    call_command("mou_alerts", "--dry-run", "--today", day, stdout=out)
    sent = re.findall(rf"^would send\s+(\S+)\s+MOU {row.pk} ", out.getvalue(), re.MULTILINE)
    assert sent == ([alert.value] if alert else [])


# A period ends no earlier than it starts: the end's last possible day is not before the start's first
# (a one-day period is one); the API refuses it (400), and so does the database's check constraint

PERIOD_ORDER = [
    pytest.param(("2024-05-15", "2024-05-14"), False, id="day/end-day-before-start"),
    pytest.param(("2024-05-15", "2024-05-15"), True, id="day/one-day-period"),
    pytest.param(("2024-05-15", "2024-05-16"), True, id="day/end-day-after-start"),
    pytest.param(("2024-05", "2024-04-30"), False, id="start-month/end-day-before-first-day"),
    pytest.param(("2024-05", "2024-05-01"), True, id="start-month/end-on-first-day"),
    pytest.param(("2024-05-15", "2024-04"), False, id="end-month/month-before-start"),
    pytest.param(("2024-05-15", "2024-05"), True, id="end-month/month-holding-start"),
    pytest.param(("2024", "2023-12-31"), False, id="start-year/end-day-before-first-day"),
    pytest.param(("2024", "2024-01-01"), True, id="start-year/end-on-first-day"),
    pytest.param(("2024-05-15", "2023"), False, id="end-year/year-before-start"),
    pytest.param(("2024-05", "2024"), True, id="end-year/year-holding-start"),
]
ORDERED = {
    "memberships": (
        "membership_period_ordered",
        lambda: {"channel": ChannelFactory().pk, "partner": PartnerCompanyFactory().pk},
        lambda period: membership(period),
    ),
    "mous": (
        "mou_period_ordered",
        lambda: {"title": "MOU", "agency": AgencyFactory().pk, "partner": PartnerCompanyFactory().pk, "signed": True},
        lambda period: mou({"starts_on": period[0], "ends_on": period[1]}),
    ),
}


@pytest.mark.parametrize("resource", ORDERED)
@pytest.mark.parametrize(("period", "accepted"), PERIOD_ORDER)
def test_period_ends_no_earlier_than_it_starts(api, resource, period, accepted):
    constraint, body, create = ORDERED[resource]
    response = api.post(f"/api/v1/{resource}/", {**body(), "starts_on": period[0], "ends_on": period[1]})

    assert response.status_code == (201 if accepted else 400), response.content
    if not accepted:
        assert list(response.json()) == ["ends_on"]
        with transaction.atomic(), pytest.raises(IntegrityError, match=constraint):
            create(period)


# An MOU is not terminated before its period starts: on its first possible day at the earliest

TERMINATION = [
    pytest.param("2025-03-15", "2025-03-14", False, id="start-day/day-before"),
    pytest.param("2025-03-15", "2025-03-15", True, id="start-day/day-itself"),
    pytest.param("2025-03-15", "2025-03-16", True, id="start-day/day-after"),
    pytest.param("2025-03", "2025-02-28", False, id="start-month/day-before"),
    pytest.param("2025-03", "2025-03-01", True, id="start-month/first-day"),
    pytest.param("2025", "2024-12-31", False, id="start-year/day-before"),
    pytest.param("2025", "2025-01-01", True, id="start-year/first-day"),
]


@pytest.mark.parametrize(("starts_on", "terminated_on", "accepted"), TERMINATION)
def test_mou_terminated_no_earlier_than_its_start(api, starts_on, terminated_on, accepted):
    body = {"title": "MOU", "agency": AgencyFactory().pk, "partner": PartnerCompanyFactory().pk, "signed": True}
    response = api.post("/api/v1/mous/", {**body, "starts_on": starts_on, "terminated_on": terminated_on})

    assert response.status_code == (201 if accepted else 400), response.content
    if not accepted:
        assert list(response.json()) == ["terminated_on"]
        with transaction.atomic(), pytest.raises(IntegrityError, match="mou_terminated_after_start"):
            mou({"starts_on": starts_on, "ends_on": None, "terminated_on": terminated_on})


# One channel, one manager at a time: two memberships may not share a possible day (touching on one day
# is an overlap); the API refuses it (400), and on PostgreSQL so does the exclusion constraint.

EXISTING_DAYS = ("2024-01-01", "2024-06-30")
EXISTING_OPEN = ("2024-01-01", None)
EXISTING_MONTHS = ("2024-01", "2024-06")
EXISTING_YEARS = ("2022", "2023")

OVERLAP = [
    pytest.param(EXISTING_DAYS, ("2024-06-29", None), False, id="after/starts-day-before-end"),
    pytest.param(EXISTING_DAYS, ("2024-06-30", None), False, id="after/starts-on-end-day"),
    pytest.param(EXISTING_DAYS, ("2024-07-01", None), True, id="after/starts-day-after-end"),
    pytest.param(EXISTING_DAYS, ("2023-06-01", "2023-12-31"), True, id="before/ends-day-before-start"),
    pytest.param(EXISTING_DAYS, ("2023-06-01", "2024-01-01"), False, id="before/ends-on-start-day"),
    pytest.param(EXISTING_DAYS, ("2023-06-01", "2024-01-02"), False, id="before/ends-day-after-start"),
    pytest.param(EXISTING_DAYS, ("2023-12-31", "2023-12-31"), True, id="one-day/day-before-start"),
    pytest.param(EXISTING_DAYS, ("2024-01-01", "2024-01-01"), False, id="one-day/start-day"),
    pytest.param(EXISTING_DAYS, ("2024-06-30", "2024-06-30"), False, id="one-day/end-day"),
    pytest.param(EXISTING_DAYS, ("2024-07-01", "2024-07-01"), True, id="one-day/day-after-end"),
    pytest.param(EXISTING_OPEN, ("2023-06-01", "2023-12-31"), True, id="open-end/ends-day-before-start"),
    pytest.param(EXISTING_OPEN, ("2023-06-01", "2024-01-01"), False, id="open-end/ends-on-start-day"),
    pytest.param(EXISTING_OPEN, ("2099-01-01", None), False, id="open-end/starts-decades-later"),
    pytest.param(EXISTING_MONTHS, ("2023-06", "2023-12-31"), True, id="start-month/ends-day-before-first-day"),
    pytest.param(EXISTING_MONTHS, ("2023-06", "2024-01-01"), False, id="start-month/ends-on-first-day"),
    pytest.param(EXISTING_MONTHS, ("2024-06-30", None), False, id="end-month/starts-on-last-day"),
    pytest.param(EXISTING_MONTHS, ("2024-07-01", None), True, id="end-month/starts-day-after-last-day"),
    pytest.param(EXISTING_YEARS, ("2021", "2021-12-31"), True, id="start-year/ends-day-before-first-day"),
    pytest.param(EXISTING_YEARS, ("2021", "2022-01-01"), False, id="start-year/ends-on-first-day"),
    pytest.param(EXISTING_YEARS, ("2023-12-31", None), False, id="end-year/starts-on-last-day"),
    pytest.param(EXISTING_YEARS, ("2024-01-01", None), True, id="end-year/starts-day-after-last-day"),
]


@pytest.mark.parametrize(("existing", "new", "accepted"), OVERLAP)
def test_memberships_of_one_channel_may_not_overlap(api, existing, new, accepted):
    first = membership(existing)
    starts_on, ends_on = new
    body = {"channel": first.channel_id, "partner": PartnerCompanyFactory().pk, "starts_on": starts_on}
    response = api.post("/api/v1/memberships/", {**body, "ends_on": ends_on})

    assert response.status_code == (201 if accepted else 400), response.content
    if not accepted and connection.vendor == "postgresql":
        with transaction.atomic(), pytest.raises(IntegrityError, match="membership_no_overlap_per_channel"):
            membership(new, channel=first.channel, partner=PartnerCompanyFactory())
    assert RosterMembership.objects.filter(channel=first.channel_id).count() == (2 if accepted else 1)


# Channels of an MOU (?mou=): those it names, and those its partner managed at any time during its period

MOU_PERIOD_DAYS = ("2025-03-15", "2025-09-15")
MOU_PERIOD_MONTHS = ("2025-03", "2025-09")

CHANNELS_OF_MOU = [
    pytest.param(MOU_PERIOD_DAYS, ("2024-01-01", "2025-03-14"), False, id="start-day/managed-until-day-before"),
    pytest.param(MOU_PERIOD_DAYS, ("2024-01-01", "2025-03-15"), True, id="start-day/managed-until-day-itself"),
    pytest.param(MOU_PERIOD_DAYS, ("2025-09-15", None), True, id="end-day/managed-from-day-itself"),
    pytest.param(MOU_PERIOD_DAYS, ("2025-09-16", None), False, id="end-day/managed-from-day-after"),
    pytest.param(MOU_PERIOD_MONTHS, ("2024", "2025-02-28"), False, id="start-month/managed-until-day-before"),
    pytest.param(MOU_PERIOD_MONTHS, ("2024", "2025-03-01"), True, id="start-month/managed-until-first-day"),
    pytest.param(MOU_PERIOD_MONTHS, ("2025-09-30", None), True, id="end-month/managed-from-last-day"),
    pytest.param(MOU_PERIOD_MONTHS, ("2025-10-01", None), False, id="end-month/managed-from-day-after"),
]


@pytest.mark.parametrize(("mou_period", "managed", "shown"), CHANNELS_OF_MOU)
def test_channels_of_an_mou_managed_during_its_period(api, mou_period, managed, shown):
    starts_on, ends_on = mou_period
    agreement = mou({"starts_on": starts_on, "ends_on": ends_on})
    row = membership(managed, partner=agreement.partner)
    assert (row.channel_id in ids(api.get("/api/v1/channels/", {"mou": agreement.pk}))) is shown


# signed_after / signed_before and measured_after / measured_before: inclusive, on the first possible day

DATED = {
    "signed": ("/api/v1/mous/", lambda on: mou({"signed_on": on})),
    "measured": ("/api/v1/channel-metrics/", lambda on: ChannelMetricFactory(measured_on=as_date(on))),
}


@pytest.mark.parametrize("dated", DATED)
@pytest.mark.parametrize(("side", "stored", "day", "shown"), AFTER_BEFORE)
def test_signed_and_measured_after_and_before(api, dated, side, stored, day, shown):
    url, create = DATED[dated]
    row = create(stored)
    assert (row.pk in ids(api.get(url, {f"{dated}_{side}": day}))) is shown


# A channel measurement may not be in the future: its first possible day is at the latest today

MEASURED_ON = [
    pytest.param(days(-1).isoformat(), True, id="day/yesterday"),
    pytest.param(days(0).isoformat(), True, id="day/today"),
    pytest.param(days(1).isoformat(), False, id="day/tomorrow"),
    pytest.param("2026-05", True, id="month/last-month"),
    pytest.param("2026-06", True, id="month/this-month"),
    pytest.param("2026-07", False, id="month/next-month"),
    pytest.param("2025", True, id="year/last-year"),
    pytest.param("2026", True, id="year/this-year"),
    pytest.param("2027", False, id="year/next-year"),
]


@pytest.mark.parametrize(("measured_on", "accepted"), MEASURED_ON)
def test_measurement_not_in_the_future(api, today, measured_on, accepted):
    body = {"channel": ChannelFactory().pk, "measured_on": measured_on, "followers": 1000, "source_note": "report"}
    response = api.post("/api/v1/channel-metrics/", body)
    assert response.status_code == (201 if accepted else 400), response.content


# The alert states of an MOU on a given day, as the MOU list's filter and the dashboard read them

COMPLETE = {"signed_on": "2024-05", "starts_on": "2024", "ends_on": "2027-12-31"}
SIGNED_PDF = "mous/2024/signed.pdf"


@pytest.mark.parametrize(("notice_period_days", "day", "alert"), ALERTS)
def test_mou_alert_states_on_the_day(notice_period_days, day, alert):
    row = mou(COMPLETE, notice_period_days=notice_period_days, document=SIGNED_PDF)
    states = Mou.objects.with_alert_states(datetime.date.fromisoformat(day)).get(pk=row.pk)
    assert {threshold for threshold in MouAlertThreshold if getattr(states, f"alert_{threshold}") is True} == (
        {alert} if alert else set()
    )


# A signed MOU, not terminated, missing any one of its signing date, start, end or signed PDF is alerted
# (recorded under no end date), whatever else it has

MISSING_FACTS = [
    pytest.param({}, False, id="complete"),
    pytest.param({"signed_on": None}, True, id="no-signing-date"),
    pytest.param({"starts_on": None}, True, id="no-start"),
    pytest.param({"ends_on": None}, True, id="no-end"),
    pytest.param({"document": ""}, True, id="no-signed-pdf"),
]


@pytest.mark.parametrize(("missing", "alerted"), MISSING_FACTS)
def test_mou_missing_one_fact_is_alerted(settings, today, missing, alerted):
    settings.MOU_ALERT_RECIPIENTS = ["mou.desk@example.test"]
    facts = {**COMPLETE, "document": SIGNED_PDF, **missing}
    row = mou({name: value for name, value in facts.items() if name != "document"}, document=facts["document"])
    call_command("mou_alerts", stdout=StringIO())
    recorded = list(MouAlert.objects.filter(mou=row).values_list("threshold", "ends_on"))
    assert recorded == ([(MouAlertThreshold.INCOMPLETE, None)] if alerted else [])
    assert Mou.objects.filter(pk=row.pk).alerting(MouAlertThreshold.INCOMPLETE).exists() is alerted


# A renewal chain: oldest to newest; renewals of one MOU (a branch) by start, an unknown start last


def test_renewal_chain_orders_a_branch_by_start_unknown_last():
    first = mou({"starts_on": "2024", "ends_on": "2025"})
    unknown = mou({"starts_on": None, "ends_on": None}, renews=first)
    later = mou({"starts_on": "2027", "ends_on": "2028"}, renews=first)
    earlier = mou({"starts_on": "2026-01-01", "ends_on": "2026-12-31"}, renews=first)
    after_earlier = mou({"starts_on": "2027-01", "ends_on": "2027-06"}, renews=earlier)

    assert list(Mou.objects.renewal_chain(first)) == [first, earlier, later, unknown, after_earlier]
    assert list(Mou.objects.renewal_chain(after_earlier)) == [first, earlier, after_earlier]


# A membership with no start is refused on its start, like any other incomplete one


def test_membership_without_a_start_is_refused_on_its_start():
    row = RosterMembership(channel=ChannelFactory(), partner=PartnerCompanyFactory(), starts_on=None)
    with pytest.raises(ValidationError) as excinfo:
        row.full_clean()
    assert list(excinfo.value.message_dict) == ["starts_on"]


# The admin: a change form saved as opened changes nothing (partial dates read back as typed), and a new
# inline row with only a mistyped date is refused, not dropped as empty


def test_admin_mou_saved_as_opened_logs_no_change(admin_client):
    row = mou({"signed_on": "2024-05-17", "starts_on": "2024-05", "ends_on": "2027"})
    url, data = opened_form(admin_client, row)

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    row.refresh_from_db()
    assert (row.signed_on, row.starts_on, row.ends_on) == (as_date("2024-05-17"), as_date("2024-05"), as_date("2027"))
    with translation.override("en"):
        assert LogEntry.objects.get(object_id=str(row.pk)).get_change_message() == "No fields changed."


def test_admin_new_membership_row_with_only_a_mistyped_date_is_refused(admin_client):
    channel = ChannelFactory()
    url, data = opened_form(admin_client, channel)
    (prefix,) = [
        name.removesuffix("-TOTAL_FORMS") for name in data if name.endswith("-TOTAL_FORMS") and "member" in name
    ]
    data[f"{prefix}-TOTAL_FORMS"] = ["1"]
    data[f"{prefix}-0-ends_on"] = ["31/02/2025"]

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert not RosterMembership.objects.exists()


# Serialized (dumpdata, fixtures): the first possible day, the precision in its own field


def test_serialized_mou_keeps_the_first_day_and_the_precision():
    row = mou({"signed_on": None, "starts_on": "2024-05", "ends_on": "2027"})
    (fields,) = [item["fields"] for item in json.loads(serializers.serialize("json", [row]))]
    assert {name: fields[name] for name in ("signed_on", "starts_on", "starts_on_precision", "ends_on")} == {
        "signed_on": None,
        "starts_on": "2024-05-01",
        "starts_on_precision": "month",
        "ends_on": "2027-01-01",
    }


@pytest.mark.parametrize("text", ["2024-02-30", "2023-02-29", "2024-00"])
def test_an_impossible_iso_date_assigned_to_an_mou_is_refused_by_full_clean(text):
    # Left on the model as typed, for validation to refuse (not an exception on assignment).
    row = MouFactory.build(agency=AgencyFactory(), partner=PartnerCompanyFactory(), starts_on=text, ends_on=None)
    with pytest.raises(ValidationError):
        row.full_clean()
