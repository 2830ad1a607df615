"""Partner users through the real API: mass assignment, scope-widening filters, internal fields, writes in history."""

import pytest

from accounts.models import ApiToken
from partners.models import ChannelMetric
from tests.accounts.conftest import session_client, token_client

pytestmark = pytest.mark.django_db


def row(obj):
    return type(obj).objects.filter(pk=obj.pk).values().get()


@pytest.mark.parametrize(
    ("path", "change"),
    [
        ("mou_s", {"partner": "vitamin_id", "agency": "province_id"}),
        ("mou_s", {"terminated_on": "2025-01-01"}),
        ("membership_s", {"partner": "vitamin_id"}),
        ("channel_s", {"agency": "province_id", "kol": None}),
        ("assignment_s", {"status": "completed"}),
        ("schannel", {"short_name": "Taken over"}),
    ],
)
def test_partner_user_cannot_reassign_or_change_fields(schannel_user, world, path, change):
    obj = getattr(world, path)
    prefix = {
        "mou_s": "mous",
        "membership_s": "memberships",
        "channel_s": "channels",
        "assignment_s": "assignments",
        "schannel": "partners",
    }[path]
    payload = {
        field: (
            getattr(world, value.removesuffix("_id")).pk if isinstance(value, str) and value.endswith("_id") else value
        )
        for field, value in change.items()
    }
    before = row(obj)
    client = session_client(schannel_user)
    for method in ("patch", "put"):
        response = getattr(client, method)(f"/api/v1/{prefix}/{obj.pk}/", payload, format="json")
        assert response.status_code == 403
    assert row(obj) == before


def test_partner_user_submits_a_metric_for_own_channel_only(schannel_user, world):
    client = session_client(schannel_user)
    payload = {"measured_on": "2025-03-01", "followers": 4321, "source_note": "SChannel monthly report"}

    refused = client.post("/api/v1/channel-metrics/", {**payload, "channel": world.channel_v.pk}, format="json")
    assert refused.status_code == 403
    assert not ChannelMetric.objects.filter(followers=4321).exists()

    accepted = client.post("/api/v1/channel-metrics/", {**payload, "channel": world.channel_s.pk}, format="json")
    assert accepted.status_code == 201, accepted.content
    metric = ChannelMetric.objects.get(followers=4321)
    assert metric.channel == world.channel_s
    assert metric.history.get().history_user == schannel_user


@pytest.mark.parametrize(
    ("prefix", "query"),
    [
        ("mous", {"partner": "vitamin"}),
        ("memberships", {"partner": "vitamin"}),
        ("channels", {"partner": "vitamin"}),
        ("assignments", {"partner": "vitamin"}),
        ("campaigns", {"partner": "vitamin"}),
    ],
)
def test_a_filter_cannot_widen_the_scope(schannel_user, world, prefix, query):
    response = session_client(schannel_user).get(f"/api/v1/{prefix}/", query)
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_internal_notes_are_hidden_from_partners(schannel_user, administrator, world):
    url = f"/api/v1/mous/{world.mou_s.pk}/"
    assert "notes" not in session_client(schannel_user).get(url).json()
    partner_token = token_client(administrator, read_only=True, partner=world.schannel)[0]
    assert "notes" not in partner_token.get(url).json()
    assert session_client(administrator).get(url).json()["notes"] == "internal: renegotiate in 2026"


def test_api_writes_are_in_the_history_with_their_user(staff, world):
    client, _token, _key = token_client(staff)
    response = client.patch(f"/api/v1/mous/{world.mou_s.pk}/", {"title": "Amended MOU"}, format="json")
    assert response.status_code == 200
    latest = world.mou_s.history.latest("history_date")
    assert latest.history_user == staff
    assert latest.title == "Amended MOU"
    assert latest.prev_record.title != "Amended MOU"

    history = session_client(staff).get(f"/api/v1/mous/{world.mou_s.pk}/history/").json()
    newest = history[0] if isinstance(history, list) else history["results"][0]
    assert newest["history_user"]["username"] == staff.username
    assert {"field": "title", "old": latest.prev_record.title, "new": "Amended MOU"} in newest["changes"]


def test_management_command_writes_are_in_the_history(staff, world):
    from django.core.management import call_command

    call_command("issue_token", staff.username, "--name", "nightly export", "--read-only", verbosity=0)
    token = ApiToken.objects.get(name="nightly export")
    assert token.history.filter(history_type="+").exists()
