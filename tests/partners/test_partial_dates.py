"""Dates as precise as their source, end to end: API, admin, SQL and Python rules, database constraints."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign, CampaignReport
from kolregistry.dates import PartialDate
from partners.choices import MouStatus
from partners.models import Channel, ChannelMetric, Mou, RosterMembership
from tests.factories import (
    SOURCE,
    AgencyFactory,
    AssignmentFactory,
    CampaignFactory,
    CampaignReportFactory,
    ChannelFactory,
    ChannelMetricFactory,
    MouFactory,
    PartnerCompanyFactory,
    RosterMembershipFactory,
)
from tests.helpers import results

pytestmark = pytest.mark.django_db

D = datetime.date
P = PartialDate.parse
INVALID_DATE = "Give a date as YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2024-05."


def ids(response):
    return {row["id"] for row in results(response)}


def partial(text):
    return None if text is None else P(text)


def mou_body(**values):
    return {
        "title": "MOU on KOL communication",
        "agency": AgencyFactory().pk,
        "partner": PartnerCompanyFactory().pk,
        "signed": True,
        "starts_on": "2024",
        "ends_on": "2027",
        **values,
    }


# The issue's acceptance case: signed in May 2024, for 2024 to 2027


@pytest.fixture
def issue_mou(api):
    response = api.post("/api/v1/mous/", mou_body(signed=True, signed_on="2024-05", starts_on="2024", ends_on="2027"))
    assert response.status_code == 201, response.content
    return response.json()


def test_issue_mou_reads_back_exactly_as_written(api, issue_mou):
    for row in (issue_mou, api.get(issue_mou["url"]).json()):
        assert (row["signed"], row["signed_on"], row["starts_on"], row["ends_on"]) == (True, "2024-05", "2024", "2027")
    mou = Mou.objects.get(pk=issue_mou["id"])
    assert (mou.signed_on, mou.starts_on, mou.ends_on) == (P("2024-05"), P("2024"), P("2027"))
    assert (mou.in_force_from, mou.in_force_until, mou.ends_on_last) == (
        D(2024, 5, 1),
        D(2027, 12, 31),
        D(2027, 12, 31),
    )


@pytest.mark.parametrize(
    ("day", "status"),
    [
        (D(2024, 1, 1), MouStatus.SIGNED),
        (D(2024, 2, 1), MouStatus.SIGNED),
        (D(2024, 4, 30), MouStatus.SIGNED),
        (D(2024, 5, 1), MouStatus.ACTIVE),
        (D(2026, 1, 1), MouStatus.ACTIVE),
        (D(2027, 12, 31), MouStatus.ACTIVE),
        (D(2028, 1, 1), MouStatus.EXPIRED),
    ],
)
def test_issue_mou_is_in_force_from_its_signing_month_to_the_end_of_2027(api, issue_mou, day, status):
    active = status == MouStatus.ACTIVE
    assert (issue_mou["id"] in ids(api.get("/api/v1/mous/", {"active_on": day.isoformat()}))) is active
    mou = Mou.objects.get(pk=issue_mou["id"])
    assert mou.status_on(day) == status
    assert mou.is_active_on(day) is active
    assert Mou.objects.with_status(today=day).get(pk=mou.pk).status_code == status


def test_issue_mou_expires_within_exactly_the_days_left_to_31_12_2027(api, issue_mou):
    days = (D(2027, 12, 31) - timezone.localdate()).days
    if days < 1:
        pytest.skip("31/12/2027 is not in the future any more")

    assert issue_mou["id"] not in ids(api.get("/api/v1/mous/", {"expires_within": days - 1}))
    assert issue_mou["id"] in ids(api.get("/api/v1/mous/", {"expires_within": days}))
    assert issue_mou["id"] in ids(api.get("/api/v1/mous/", {"expires_within": days + 1}))


# Boundaries: a period runs from its start's first possible day to its end's last

BOUNDARIES = [
    # Start known to the day, the month, the year.
    pytest.param("2024-03-15", "2030", D(2024, 3, 14), False, id="start-day-before"),
    pytest.param("2024-03-15", "2030", D(2024, 3, 15), True, id="start-day-itself"),
    pytest.param("2024-03-15", "2030", D(2024, 3, 16), True, id="start-day-after"),
    pytest.param("2024-03", "2030", D(2024, 2, 29), False, id="start-month-day-before"),
    pytest.param("2024-03", "2030", D(2024, 3, 1), True, id="start-month-first-day"),
    pytest.param("2024-03", "2030", D(2024, 3, 2), True, id="start-month-day-after"),
    pytest.param("2024", "2030", D(2023, 12, 31), False, id="start-year-day-before"),
    pytest.param("2024", "2030", D(2024, 1, 1), True, id="start-year-first-day"),
    pytest.param("2024", "2030", D(2024, 1, 2), True, id="start-year-day-after"),
    pytest.param("2024-03", None, D(2024, 2, 29), False, id="open-end-start-month-day-before"),
    pytest.param("2024-03", None, D(2099, 12, 31), True, id="open-end-far-later"),
    # End known to the day, the month (long, short, leap and non-leap February, December), the year.
    pytest.param("2020", "2024-06-15", D(2024, 6, 14), True, id="end-day-before"),
    pytest.param("2020", "2024-06-15", D(2024, 6, 15), True, id="end-day-itself"),
    pytest.param("2020", "2024-06-15", D(2024, 6, 16), False, id="end-day-after"),
    pytest.param("2020", "2024-05", D(2024, 5, 30), True, id="end-month-31-day-before"),
    pytest.param("2020", "2024-05", D(2024, 5, 31), True, id="end-month-31-last-day"),
    pytest.param("2020", "2024-05", D(2024, 6, 1), False, id="end-month-31-day-after"),
    pytest.param("2020", "2024-04", D(2024, 4, 29), True, id="end-month-30-day-before"),
    pytest.param("2020", "2024-04", D(2024, 4, 30), True, id="end-month-30-last-day"),
    pytest.param("2020", "2024-04", D(2024, 5, 1), False, id="end-month-30-day-after"),
    pytest.param("2020", "2024-02", D(2024, 2, 28), True, id="end-leap-february-day-before"),
    pytest.param("2020", "2024-02", D(2024, 2, 29), True, id="end-leap-february-last-day"),
    pytest.param("2020", "2024-02", D(2024, 3, 1), False, id="end-leap-february-day-after"),
    pytest.param("2020", "2023-02", D(2023, 2, 27), True, id="end-february-day-before"),
    pytest.param("2020", "2023-02", D(2023, 2, 28), True, id="end-february-last-day"),
    pytest.param("2020", "2023-02", D(2023, 3, 1), False, id="end-february-day-after"),
    pytest.param("2020", "2024-12", D(2024, 12, 30), True, id="end-december-day-before"),
    pytest.param("2020", "2024-12", D(2024, 12, 31), True, id="end-december-last-day"),
    pytest.param("2020", "2024-12", D(2025, 1, 1), False, id="end-december-day-after"),
    pytest.param("2020", "2025", D(2025, 12, 30), True, id="end-year-day-before"),
    pytest.param("2020", "2025", D(2025, 12, 31), True, id="end-year-last-day"),
    pytest.param("2020", "2025", D(2026, 1, 1), False, id="end-year-day-after"),
    # A one-day period, a one-month period, a one-year period.
    pytest.param("2024-06-15", "2024-06-15", D(2024, 6, 14), False, id="one-day-before"),
    pytest.param("2024-06-15", "2024-06-15", D(2024, 6, 15), True, id="one-day-itself"),
    pytest.param("2024-06-15", "2024-06-15", D(2024, 6, 16), False, id="one-day-after"),
    pytest.param("2024-02", "2024-02", D(2024, 1, 31), False, id="one-month-day-before"),
    pytest.param("2024-02", "2024-02", D(2024, 2, 1), True, id="one-month-first-day"),
    pytest.param("2024-02", "2024-02", D(2024, 2, 29), True, id="one-month-last-day"),
    pytest.param("2024-02", "2024-02", D(2024, 3, 1), False, id="one-month-day-after"),
    pytest.param("2024", "2024", D(2023, 12, 31), False, id="one-year-day-before"),
    pytest.param("2024", "2024", D(2024, 12, 31), True, id="one-year-last-day"),
    pytest.param("2024", "2024", D(2025, 1, 1), False, id="one-year-day-after"),
    # An end less precise than the start: "05/2024 to 2024" runs to 31/12/2024.
    pytest.param("2024-05", "2024", D(2024, 12, 31), True, id="coarser-end-last-day"),
    pytest.param("2024-05", "2024", D(2025, 1, 1), False, id="coarser-end-day-after"),
]
PERIOD = ("starts_on", "ends_on", "day", "active")


@pytest.mark.parametrize(PERIOD, BOUNDARIES)
def test_mou_active_on_boundaries(api, starts_on, ends_on, day, active):
    mou = MouFactory(starts_on=P(starts_on), ends_on=partial(ends_on))

    assert (mou.pk in ids(api.get("/api/v1/mous/", {"active_on": day.isoformat()}))) is active
    stored = Mou.objects.get(pk=mou.pk)
    assert stored.is_active_on(day) is active
    assert (stored.pk in set(Mou.objects.active_on(day).values_list("pk", flat=True))) is active
    assert (Mou.objects.with_status(today=day).get(pk=mou.pk).status_code == MouStatus.ACTIVE) is active


@pytest.mark.parametrize(PERIOD, BOUNDARIES)
def test_membership_active_on_boundaries(api, starts_on, ends_on, day, active):
    membership = RosterMembershipFactory(starts_on=P(starts_on), ends_on=partial(ends_on))

    assert (membership.pk in ids(api.get("/api/v1/memberships/", {"active_on": day.isoformat()}))) is active
    assert (membership.channel_id in ids(api.get("/api/v1/channels/", {"active_on": day.isoformat()}))) is active
    assert RosterMembership.objects.get(pk=membership.pk).is_active_on(day) is active
    assert RosterMembership.objects.active_on(day).filter(pk=membership.pk).exists() is active
    assert Channel.objects.managed_by(membership.partner, on=day).filter(pk=membership.channel_id).exists() is active


@pytest.mark.parametrize(PERIOD, BOUNDARIES)
def test_campaign_active_on_boundaries(api, starts_on, ends_on, day, active):
    campaign = CampaignFactory(starts_on=P(starts_on), ends_on=partial(ends_on))

    assert (campaign.pk in ids(api.get("/api/v1/campaigns/", {"active_on": day.isoformat()}))) is active
    assert Campaign.objects.active_on(day).filter(pk=campaign.pk).exists() is active


# The MOU status rule, row by row (see the Mou docstring), in Python and in SQL

BASE_MOU = {"signed": True, "signed_on": None, "starts_on": P("2024"), "ends_on": P("2027")}
STATUS_ROWS = [
    # terminated on or before the day
    pytest.param({"terminated_on": D(2025, 6, 1)}, D(2025, 6, 1), MouStatus.TERMINATED, id="terminated-on-the-day"),
    pytest.param({"terminated_on": D(2025, 6, 1)}, D(2025, 6, 2), MouStatus.TERMINATED, id="terminated-before"),
    pytest.param({"terminated_on": D(2025, 6, 1)}, D(2025, 5, 31), MouStatus.ACTIVE, id="terminated-after"),
    pytest.param(
        {"signed": False, "terminated_on": D(2025, 6, 1)},
        D(2025, 7, 1),
        MouStatus.TERMINATED,
        id="terminated-over-draft",
    ),
    pytest.param(
        {"ends_on": P("2024"), "terminated_on": D(2024, 6, 1)},
        D(2026, 1, 1),
        MouStatus.TERMINATED,
        id="terminated-over-expired",
    ),
    # not known to be signed
    pytest.param({"signed": False}, D(2025, 6, 1), MouStatus.DRAFT, id="draft-within-period"),
    pytest.param(
        {"signed": False, "starts_on": None, "ends_on": None}, D(2025, 6, 1), MouStatus.DRAFT, id="draft-undated"
    ),
    pytest.param({"signed": False}, D(2030, 1, 1), MouStatus.DRAFT, id="draft-over-expired"),
    # signed, start unknown or in force only after the day
    pytest.param({"starts_on": None, "ends_on": None}, D(2025, 6, 1), MouStatus.SIGNED, id="signed-start-unknown"),
    pytest.param({"starts_on": None}, D(2025, 6, 1), MouStatus.SIGNED, id="signed-start-unknown-end-known"),
    pytest.param({"starts_on": P("2026-03")}, D(2026, 2, 28), MouStatus.SIGNED, id="signed-starts-next-month"),
    pytest.param({"starts_on": P("2026-03")}, D(2026, 3, 1), MouStatus.ACTIVE, id="active-from-start-month"),
    pytest.param(
        {"starts_on": P("2024-05-17"), "signed_on": P("2024-05")},
        D(2024, 5, 16),
        MouStatus.SIGNED,
        id="signed-in-month-start-later-in-it",
    ),
    pytest.param(
        {"starts_on": P("2024-05-17"), "signed_on": P("2024-05")},
        D(2024, 5, 17),
        MouStatus.ACTIVE,
        id="active-from-start-day-after-signing-month",
    ),
    pytest.param(
        {"signed_on": P("2024-05")}, D(2024, 4, 30), MouStatus.SIGNED, id="signing-month-after-start-day-before"
    ),
    pytest.param({"signed_on": P("2024-05")}, D(2024, 5, 1), MouStatus.ACTIVE, id="active-from-signing-month"),
    pytest.param(
        {"signed_on": P("2024-05-17")}, D(2024, 5, 16), MouStatus.SIGNED, id="signing-day-after-start-day-before"
    ),
    pytest.param({"signed_on": P("2024-05-17")}, D(2024, 5, 17), MouStatus.ACTIVE, id="active-from-signing-day"),
    pytest.param(
        {"signed_on": P("2024"), "starts_on": P("2024-03")},
        D(2024, 3, 1),
        MouStatus.ACTIVE,
        id="signing-year-start-month",
    ),
    pytest.param(
        {"signed_on": P("2025"), "starts_on": P("2024-03")},
        D(2024, 12, 31),
        MouStatus.SIGNED,
        id="signing-next-year",
    ),
    pytest.param(
        {"starts_on": P("2020"), "ends_on": P("2021"), "signed_on": P("2024-05")},
        D(2024, 4, 30),
        MouStatus.SIGNED,
        id="signed-over-expired",
    ),
    # the end's last possible day is before the day
    pytest.param({"ends_on": P("2024-02")}, D(2024, 2, 29), MouStatus.ACTIVE, id="active-last-day-leap-february"),
    pytest.param({"ends_on": P("2024-02")}, D(2024, 3, 1), MouStatus.EXPIRED, id="expired-after-leap-february"),
    pytest.param({"ends_on": P("2027")}, D(2027, 12, 31), MouStatus.ACTIVE, id="active-last-day-of-end-year"),
    pytest.param({"ends_on": P("2027")}, D(2028, 1, 1), MouStatus.EXPIRED, id="expired-after-end-year"),
    pytest.param(
        {"starts_on": P("2020"), "ends_on": P("2021"), "signed_on": P("2020-05")},
        D(2024, 6, 1),
        MouStatus.EXPIRED,
        id="expired-signed-in-month",
    ),
    # otherwise
    pytest.param({}, D(2025, 6, 1), MouStatus.ACTIVE, id="active"),
    pytest.param({"ends_on": None}, D(2099, 12, 31), MouStatus.ACTIVE, id="active-open-ended"),
    pytest.param(
        {"signed_on_as_stated": "September 19"}, D(2025, 6, 1), MouStatus.ACTIVE, id="active-signed-date-as-stated"
    ),
]


@pytest.mark.parametrize(("facts", "day", "status"), STATUS_ROWS)
def test_mou_status_rule_in_python_and_sql(api, facts, day, status):
    mou = MouFactory(**{**BASE_MOU, **facts})
    stored = Mou.objects.get(pk=mou.pk)

    assert stored.status_on(day) == status
    assert Mou.objects.with_status(today=day).get(pk=mou.pk).status_code == status
    assert Mou.objects.with_status_in([status], today=day).filter(pk=mou.pk).exists()
    active = status == MouStatus.ACTIVE
    assert Mou.objects.active_on(day).filter(pk=mou.pk).exists() is active
    assert (mou.pk in ids(api.get("/api/v1/mous/", {"active_on": day.isoformat()}))) is active


def test_mou_status_in_the_api_follows_the_rule_today(api):
    today = timezone.localdate()
    signed_later = MouFactory(starts_on=P(str(today.year + 1)), ends_on=None)
    signed_undated = MouFactory(starts_on=P(str(today.year - 1)), ends_on=None, signed_on_as_stated="September 19")
    expired = MouFactory(starts_on=P("2020"), ends_on=P("2021-02"))

    assert api.get(f"/api/v1/mous/{signed_later.pk}/").json()["status"] == MouStatus.SIGNED
    row = api.get(f"/api/v1/mous/{signed_undated.pk}/").json()
    assert (row["status"], row["signed"], row["signed_on"], row["signed_on_as_stated"]) == (
        MouStatus.ACTIVE,
        True,
        None,
        "September 19",
    )
    assert api.get(f"/api/v1/mous/{expired.pk}/").json()["status"] == MouStatus.EXPIRED
    assert ids(api.get("/api/v1/mous/", {"status": "signed"})) == {signed_later.pk}


# Writes


@pytest.mark.parametrize(
    "value",
    ["2024-13", "2024-02-30", "24", "2024/05", "05/2024", "2024-05-17T00:00", "May 2024", "", 2024, ["2024"]],
)
def test_invalid_partial_date_is_a_400_naming_the_field(api, value):
    response = api.post("/api/v1/mous/", mou_body(starts_on=value))

    assert response.status_code == 400
    assert response.json() == {"starts_on": [INVALID_DATE]}
    assert not Mou.objects.exists()


@pytest.mark.parametrize("value", ["2024-00", "2024-05-00", "2024-00-10"])
def test_zero_month_or_day_is_a_400(api, value):
    response = api.post("/api/v1/mous/", mou_body(starts_on=value))

    assert response.status_code == 400, response.json()
    assert response.json() == {"starts_on": [INVALID_DATE]}
    assert not Mou.objects.exists()


@pytest.mark.parametrize(
    ("endpoint", "factory", "field"),
    [
        ("mous", MouFactory, "signed_on"),
        ("mous", MouFactory, "ends_on"),
        ("memberships", RosterMembershipFactory, "starts_on"),
        ("memberships", RosterMembershipFactory, "ends_on"),
        ("campaigns", CampaignFactory, "starts_on"),
        ("campaigns", CampaignFactory, "ends_on"),
        ("assignments", AssignmentFactory, "starts_on"),
        ("channels", ChannelFactory, "launched_on"),
        ("channel-metrics", ChannelMetricFactory, "measured_on"),
        ("campaign-reports", CampaignReportFactory, "reported_on"),
        ("campaign-reports", CampaignReportFactory, "period_ends_on"),
    ],
)
def test_every_partial_date_field_refuses_an_invalid_date(api, endpoint, factory, field):
    obj = factory()
    before = getattr(obj, field)

    response = api.patch(f"/api/v1/{endpoint}/{obj.pk}/", {field: "2024-02-30"})

    assert response.status_code == 400
    assert response.json() == {field: [INVALID_DATE]}
    obj.refresh_from_db()
    assert getattr(obj, field) == before


@pytest.mark.parametrize("existing", [D(2024, 5, 1), D(2024, 5, 17)])
def test_patching_a_month_onto_a_day_changes_the_precision(api, existing):
    mou = MouFactory(starts_on=existing)
    assert api.get(f"/api/v1/mous/{mou.pk}/").json()["starts_on"] == existing.isoformat()

    response = api.patch(f"/api/v1/mous/{mou.pk}/", {"starts_on": "2024-05"})

    assert response.status_code == 200, response.content
    assert response.json()["starts_on"] == "2024-05"
    assert api.get(f"/api/v1/mous/{mou.pk}/").json()["starts_on"] == "2024-05"
    mou.refresh_from_db()
    assert (mou.starts_on.lower, mou.starts_on.precision) == (D(2024, 5, 1), "month")


def test_patching_back_to_the_day_and_to_the_year(api):
    membership = RosterMembershipFactory(starts_on=P("2024-05"), ends_on=P("2024-12"))
    url = f"/api/v1/memberships/{membership.pk}/"

    assert api.patch(url, {"starts_on": "2024-05-01"}).json()["starts_on"] == "2024-05-01"
    assert api.patch(url, {"ends_on": "2024"}).json()["ends_on"] == "2024"
    row = api.get(url).json()
    assert (row["starts_on"], row["ends_on"]) == ("2024-05-01", "2024")
    membership.refresh_from_db()
    assert (membership.starts_on, membership.ends_on, membership.ends_on_last) == (
        P("2024-05-01"),
        P("2024"),
        D(2024, 12, 31),
    )


def test_null_clears_a_partial_date(api):
    mou = MouFactory(starts_on=P("2024"), ends_on=P("2025-06"))
    assert mou.pk not in ids(api.get("/api/v1/mous/", {"active_on": "2026-01-01"}))

    response = api.patch(f"/api/v1/mous/{mou.pk}/", {"ends_on": None})

    assert response.status_code == 200, response.content
    assert response.json()["ends_on"] is None
    assert api.get(f"/api/v1/mous/{mou.pk}/").json()["ends_on"] is None
    mou.refresh_from_db()
    assert (mou.ends_on, mou.ends_on_last) == (None, None)
    assert mou.pk in ids(api.get("/api/v1/mous/", {"active_on": "2099-01-01"}))


def test_signing_date_written_without_signed_makes_the_mou_signed(api):
    created = api.post("/api/v1/mous/", {**mou_body(signed_on="2024-05"), "signed": False})
    assert created.status_code == 201, created.content
    assert (created.json()["signed"], created.json()["signed_on"]) == (True, "2024-05")


def test_signing_date_posted_alone_makes_the_mou_signed(api):
    body = mou_body(signed_on="2024-05")
    del body["signed"]

    response = api.post("/api/v1/mous/", body)

    assert response.status_code == 201, response.content
    assert (response.json()["signed"], response.json()["signed_on"]) == (True, "2024-05")


def test_signing_date_patched_onto_a_draft_makes_it_signed(api):
    draft = MouFactory(signed=False)

    response = api.patch(f"/api/v1/mous/{draft.pk}/", {"signed_on": "2024-05"})

    assert response.status_code == 200, response.content
    assert (response.json()["signed"], response.json()["signed_on"]) == (True, "2024-05")
    draft.refresh_from_db()
    assert draft.signed


# The admin: local forms in, dates as stated out


def admin_mou_form(**values):
    return {
        "title": "MOU on KOL communication",
        "agency": AgencyFactory().pk,
        "partner": PartnerCompanyFactory().pk,
        "notice_period_days": "90",
        "people_links-TOTAL_FORMS": "0",
        "people_links-INITIAL_FORMS": "0",
        **values,
    }


def test_admin_mou_add_form_accepts_local_partial_dates_and_shows_them_as_stated(admin_client):
    response = admin_client.post(
        reverse("admin:partners_mou_add"),
        admin_mou_form(signed_on="17/05/2024", starts_on="05/2024", ends_on="2027"),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    mou = Mou.objects.get()
    assert (mou.signed_on, mou.starts_on, mou.ends_on) == (P("2024-05-17"), P("2024-05"), P("2027"))
    assert mou.signed
    assert mou.ends_on_last == D(2027, 12, 31)

    change = admin_client.get(reverse("admin:partners_mou_change", args=[mou.pk]), HTTP_ACCEPT_LANGUAGE="vi")

    assert change.status_code == 200
    form = change.context["adminform"].form
    assert [form[name].value() for name in ("signed_on", "starts_on", "ends_on")] == ["17/05/2024", "05/2024", "2027"]
    assert 'value="05/2024"' in change.text
    assert 'value="17/05/2024"' in change.text


def test_admin_mou_change_form_saves_a_month_back_unchanged(admin_client):
    mou = MouFactory(starts_on=P("2024-05"), ends_on=P("2027"))
    url = reverse("admin:partners_mou_change", args=[mou.pk])

    response = admin_client.post(
        url, admin_mou_form(agency=mou.agency_id, partner=mou.partner_id, starts_on="05/2024", ends_on="12/2027")
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    mou.refresh_from_db()
    assert (mou.starts_on, mou.ends_on, mou.ends_on_last) == (P("2024-05"), P("2027-12"), D(2027, 12, 31))


@pytest.mark.parametrize("value", ["13/2024", "30/02/2024", "2024/05", "24"])
def test_admin_mou_form_refuses_invalid_partial_dates(admin_client, value):
    response = admin_client.post(reverse("admin:partners_mou_add"), admin_mou_form(starts_on=value))

    assert response.status_code == 200
    assert "starts_on" in response.context["adminform"].form.errors
    assert not Mou.objects.exists()


@pytest.mark.parametrize(
    ("language", "shown"),
    [("vi", ["05/2024", "17/05/2024", "2027"]), ("en", ["May 2024", "17 May 2024", "2027"])],
)
def test_admin_mou_changelist_shows_dates_as_stated(admin_client, language, shown):
    # The list shows the period (the signing date is on the change page): one MOU per precision.
    MouFactory(starts_on=P("2024-05"), ends_on=P("2027"))
    MouFactory(starts_on=P("2024-05-17"), ends_on=P("2027-12-31"))

    response = admin_client.get(reverse("admin:partners_mou_changelist"), HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 200
    for text in shown:
        assert f">{text}<" in response.text


def test_admin_mou_form_records_a_signing_known_without_its_date(admin_client):
    response = admin_client.post(
        reverse("admin:partners_mou_add"),
        admin_mou_form(signed="on", signed_on_as_stated="September 19", starts_on="2024", ends_on="2027"),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    mou = Mou.objects.get()
    assert (mou.signed, mou.signed_on, mou.signed_on_as_stated) == (True, None, "September 19")


# Database constraints, written past validation

ALIGNED_FIELDS = [
    pytest.param(MouFactory, "mou", "signed_on", id="mou.signed_on"),
    pytest.param(MouFactory, "mou", "starts_on", id="mou.starts_on"),
    pytest.param(MouFactory, "mou", "ends_on", id="mou.ends_on"),
    pytest.param(RosterMembershipFactory, "membership", "starts_on", id="membership.starts_on"),
    pytest.param(RosterMembershipFactory, "membership", "ends_on", id="membership.ends_on"),
    pytest.param(CampaignFactory, "campaign", "starts_on", id="campaign.starts_on"),
    pytest.param(CampaignFactory, "campaign", "ends_on", id="campaign.ends_on"),
    pytest.param(AssignmentFactory, "assignment", "starts_on", id="assignment.starts_on"),
    pytest.param(AssignmentFactory, "assignment", "ends_on", id="assignment.ends_on"),
    pytest.param(ChannelFactory, "channel", "launched_on", id="channel.launched_on"),
    pytest.param(ChannelMetricFactory, "channel_metric", "measured_on", id="metric.measured_on"),
    pytest.param(CampaignReportFactory, "campaign_report", "reported_on", id="report.reported_on"),
    pytest.param(CampaignReportFactory, "campaign_report", "period_starts_on", id="report.period_starts_on"),
    pytest.param(CampaignReportFactory, "campaign_report", "period_ends_on", id="report.period_ends_on"),
]


@pytest.mark.parametrize(("factory", "prefix", "field"), ALIGNED_FIELDS)
@pytest.mark.parametrize(
    ("day", "precision"),
    [(D(2025, 9, 5), "month"), (D(2025, 9, 1), "year"), (D(2025, 1, 5), "year")],
    ids=["month-not-on-the-1st", "year-not-in-january", "year-not-on-the-1st"],
)
def test_precision_aligned_constraint_refuses_a_misaligned_date(factory, prefix, field, day, precision):
    obj = factory()
    rows = type(obj).objects.filter(pk=obj.pk)

    with transaction.atomic(), pytest.raises(IntegrityError, match=f"{prefix}_{field}_precision_aligned"):
        rows.update(**{field: day, f"{field}_precision": precision})


@pytest.mark.parametrize(("factory", "prefix", "field"), ALIGNED_FIELDS)
def test_precision_aligned_constraint_accepts_first_days(factory, prefix, field):
    obj = factory()
    model = type(obj)

    model.objects.filter(pk=obj.pk).update(**{field: D(2025, 9, 1), f"{field}_precision": "month"})
    assert getattr(model.objects.get(pk=obj.pk), field) == P("2025-09")
    model.objects.filter(pk=obj.pk).update(**{field: D(2025, 1, 1), f"{field}_precision": "year"})
    assert getattr(model.objects.get(pk=obj.pk), field) == P("2025")


def test_signing_date_without_signed_is_refused_by_the_database():
    mou = MouFactory(signed_on=P("2024-05"))

    with transaction.atomic(), pytest.raises(IntegrityError, match="mou_signing_date_means_signed"):
        Mou.objects.filter(pk=mou.pk).update(signed=False)
    with transaction.atomic(), pytest.raises(IntegrityError, match="mou_signing_date_means_signed"):
        MouFactory(signed=False, signed_on=P("2024"))
    Mou.objects.filter(pk=mou.pk).update(signed=False, signed_on=None)  # unsigned and undated is a draft


@pytest.mark.parametrize(
    ("factory", "field", "constraint"),
    [
        (ChannelMetricFactory, "measured_on", "channel_metric_approximate_date_as_stated"),
        (CampaignReportFactory, "reported_on", "campaign_report_approximate_date_as_stated"),
    ],
)
def test_approximate_date_without_wording_is_refused_by_the_database(factory, field, constraint):
    obj = factory()
    rows = type(obj).objects.filter(pk=obj.pk)

    with transaction.atomic(), pytest.raises(IntegrityError, match=constraint):
        rows.update(**{f"{field}_approximate": True})
    rows.update(**{f"{field}_approximate": True, f"{field}_as_stated": "after a week"})
    assert getattr(rows.get(), f"{field}_approximate")


def test_approximate_measurement_without_wording_is_a_400(api):
    channel = ChannelFactory()
    body = {"channel": channel.pk, "measured_on": "2024-05", "followers": 1000, "source_url": SOURCE}

    response = api.post("/api/v1/channel-metrics/", {**body, "measured_on_approximate": True})

    assert response.status_code == 400
    assert response.json() == {"measured_on_as_stated": ["Give the source's wording of an approximate date."]}
    assert not ChannelMetric.objects.exists()
    response = api.post(
        "/api/v1/channel-metrics/", {**body, "measured_on_approximate": True, "measured_on_as_stated": "sau 1 tuần"}
    )
    assert response.status_code == 201, response.content
    assert (response.json()["measured_on"], response.json()["measured_on_approximate"]) == ("2024-05", True)


def test_approximate_report_date_without_wording_is_a_400(api):
    body = {"campaign": CampaignFactory().pk, "reported_on": "2021-09-04", "views": 1000, "source_url": SOURCE}

    response = api.post("/api/v1/campaign-reports/", {**body, "reported_on_approximate": True})

    assert response.status_code == 400
    assert response.json() == {"reported_on_as_stated": ["Give the source's wording of an approximate date."]}
    assert not CampaignReport.objects.exists()


# Roster memberships: possible spans must not overlap


def post_membership(api, channel, starts_on, ends_on=None, partner=None):
    partner = partner or PartnerCompanyFactory()
    return api.post(
        "/api/v1/memberships/",
        {"channel": channel.pk, "partner": partner.pk, "starts_on": starts_on, "ends_on": ends_on},
    )


def test_membership_from_the_year_another_ends_in_is_refused(api):
    channel, partner = ChannelFactory(), PartnerCompanyFactory(short_name="SChannel")
    assert post_membership(api, channel, "2020", "2022", partner=partner).status_code == 201

    response = post_membership(api, channel, "2022")

    assert response.status_code == 400
    assert response.json() == {"starts_on": ["This channel is already managed by SChannel from 2020 to 2022."]}
    assert RosterMembership.objects.count() == 1


def test_membership_from_the_next_year_is_accepted(api):
    channel = ChannelFactory()
    assert post_membership(api, channel, "2020", "2022").status_code == 201

    response = post_membership(api, channel, "2023")

    assert response.status_code == 201, response.content
    assert RosterMembership.objects.count() == 2
    assert ids(api.get("/api/v1/memberships/", {"active_on": "2022-12-31", "channel": channel.pk})) == {
        RosterMembership.objects.get(starts_on=D(2020, 1, 1)).pk
    }
    assert ids(api.get("/api/v1/memberships/", {"active_on": "2023-01-01", "channel": channel.pk})) == {
        response.json()["id"]
    }


@pytest.mark.parametrize(
    ("first", "second", "accepted"),
    [
        (("2020", "2022-05"), ("2022-05-31", None), False),
        (("2020", "2022-05"), ("2022-06-01", None), True),
        (("2020", "2022-02-28"), ("2022-03", None), True),
        (("2020", "2022-03-01"), ("2022-03", None), False),
        (("2022", None), ("2020", "2022"), False),
        (("2022", None), ("2020", "2021-12"), True),
        (("2022-06", "2022-06"), ("2022-06-30", "2022-06-30"), False),
        (("2022-06", "2022-06"), ("2022", "2022"), False),
    ],
)
def test_membership_overlap_follows_possible_spans(api, first, second, accepted):
    channel = ChannelFactory()
    assert post_membership(api, channel, *first).status_code == 201

    response = post_membership(api, channel, *second)

    assert (response.status_code == 201) is accepted, response.content
    if not accepted:
        assert list(response.json()) == ["starts_on"]
    assert RosterMembership.objects.count() == (2 if accepted else 1)


def test_database_refuses_possibly_overlapping_memberships():
    if connection.vendor != "postgresql":
        pytest.skip("the exclusion constraint exists on PostgreSQL only")
    first = RosterMembershipFactory(starts_on=P("2020"), ends_on=P("2022"))

    with transaction.atomic(), pytest.raises(IntegrityError, match="membership_no_overlap_per_channel"):
        RosterMembership.objects.create(channel=first.channel, partner=PartnerCompanyFactory(), starts_on=P("2022"))
    with transaction.atomic(), pytest.raises(IntegrityError, match="membership_no_overlap_per_channel"):
        RosterMembership.objects.create(
            channel=first.channel, partner=PartnerCompanyFactory(), starts_on=P("2022-12-31"), ends_on=P("2023")
        )
    RosterMembership.objects.create(channel=first.channel, partner=PartnerCompanyFactory(), starts_on=P("2023"))
    assert RosterMembership.objects.filter(channel=first.channel).count() == 2


# Campaign reports: figures over several platforms together


def test_combined_report_is_found_by_each_of_its_platforms(api):
    combined = CampaignReportFactory(platforms=["facebook", "instagram"])
    tiktok = CampaignReportFactory(platforms=["tiktok"])
    youtube = CampaignReportFactory(platforms=["youtube"])

    assert ids(api.get("/api/v1/campaign-reports/", {"platform": "facebook"})) == {combined.pk}
    assert ids(api.get("/api/v1/campaign-reports/", {"platform": "instagram"})) == {combined.pk}
    assert ids(api.get("/api/v1/campaign-reports/", {"platform": "tiktok"})) == {tiktok.pk}
    assert ids(api.get("/api/v1/campaign-reports/", {"platform": ["tiktok", "instagram"]})) == {tiktok.pk, combined.pk}
    assert ids(api.get("/api/v1/campaign-reports/", {"platform": "zalo"})) == set()
    rows = {row["id"]: row for row in results(api.get("/api/v1/campaign-reports/"))}
    assert (rows[combined.pk]["platforms"], rows[combined.pk]["combined"]) == (["facebook", "instagram"], True)
    assert (rows[tiktok.pk]["platforms"], rows[tiktok.pk]["combined"]) == (["tiktok"], False)
    assert youtube.pk in rows


def test_combined_report_written_through_the_api(api):
    response = api.post(
        "/api/v1/campaign-reports/",
        {
            "campaign": CampaignFactory().pk,
            "platforms": ["instagram", "facebook"],
            "views": 5_000_000,
            "source_url": SOURCE,
        },
    )

    assert response.status_code == 201, response.content
    assert (response.json()["platforms"], response.json()["combined"]) == (["facebook", "instagram"], True)
    assert CampaignReport.objects.get().platforms == ["facebook", "instagram"]
    assert ids(api.get("/api/v1/campaign-reports/", {"platform": "facebook"})) == {response.json()["id"]}


# Approximate dates keep the source's wording


def test_approximate_report_date_reads_back_with_its_wording(api):
    campaign = CampaignFactory(name="Bản sắc Việt")
    response = api.post(
        "/api/v1/campaign-reports/",
        {
            "campaign": campaign.pk,
            "reported_on": "2021-09-04",
            "reported_on_approximate": True,
            "reported_on_as_stated": "sau 3 ngày",
            "views": 1000,
            "source_url": SOURCE,
        },
    )
    assert response.status_code == 201, response.content

    row = api.get(response.json()["url"]).json()

    assert (row["reported_on"], row["reported_on_approximate"], row["reported_on_as_stated"]) == (
        "2021-09-04",
        True,
        "sau 3 ngày",
    )
    assert "≈" in row["display"]
    assert row["display"] == "Bản sắc Việt @ ≈ 4 Sep 2021 (“sau 3 ngày”)"
    report = CampaignReport.objects.get()
    assert (report.reported_on, report.reported_on_approximate) == (P("2021-09-04"), True)


def test_exact_report_date_has_no_approximate_mark(api):
    report = CampaignReportFactory(campaign=CampaignFactory(name="Thời khắc"), reported_on=P("2021-09"))

    row = api.get(f"/api/v1/campaign-reports/{report.pk}/").json()

    assert (row["reported_on"], row["reported_on_approximate"]) == ("2021-09", False)
    assert "≈" not in row["display"]
    assert row["display"] == "Thời khắc @ Sep 2021"
