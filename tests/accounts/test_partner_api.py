"""Partner users through the real API: mass assignment, scope-widening filters, internal fields, writes in history."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import ApiToken
from partners.models import ChannelMetric
from tests.accounts.conftest import session_client, token_client
from tests.factories import CampaignFactory, ChannelFactory, KolFactory, MouFactory, RosterMembershipFactory

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
    "reference", [lambda pk: pk, lambda pk: str(pk), lambda pk: {"id": pk}], ids=["id", "id-as-text", "brief-object"]
)
def test_partner_user_names_the_channel_in_any_form_a_client_may(schannel_user, world, reference):
    """An id, its text, or the brief object a GET gave: the same channel, and the same check of whose it is."""
    client = session_client(schannel_user)
    payload = {"measured_on": "2025-03-01", "followers": 4321, "source_note": "SChannel monthly report"}

    refused = client.post(
        "/api/v1/channel-metrics/", {**payload, "channel": reference(world.channel_v.pk)}, format="json"
    )
    accepted = client.post(
        "/api/v1/channel-metrics/", {**payload, "channel": reference(world.channel_s.pk)}, format="json"
    )

    assert refused.status_code == 403
    assert accepted.status_code == 201, accepted.content
    assert list(ChannelMetric.objects.filter(followers=4321).values_list("channel", flat=True)) == [world.channel_s.pk]


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
    # Another partner's slug is refused like one that does not exist (tests/accounts/test_scope_walk.py).
    response = session_client(schannel_user).get(f"/api/v1/{prefix}/", query)
    assert response.status_code == 400
    assert "results" not in response.json()


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


def test_a_kols_channels_list_only_the_partners_own(schannel_user, world):
    elsewhere = ChannelFactory(kol=world.channel_s.kol)
    RosterMembershipFactory(partner=world.vitamin, channel=elsewhere)
    kol = session_client(schannel_user).get(f"/api/v1/kols/{world.channel_s.kol.pk}/").json()
    assert [channel["id"] for channel in kol["channels"]] == [world.channel_s.pk]


def test_a_campaign_shows_neither_other_partners_nor_their_mou(schannel_user, world):
    world.joint.mou = world.mou_v
    world.joint.save()
    campaign = session_client(schannel_user).get(f"/api/v1/campaigns/{world.joint.pk}/").json()
    assert campaign["partners"] == []  # only "other" is a partner of it
    assert campaign["mou"] is None


@pytest.mark.parametrize(("prefix", "name"), [("channels", "mou"), ("kols", "mou")])
def test_another_partners_mou_filters_like_a_missing_one(schannel_user, world, prefix, name):
    client = session_client(schannel_user)
    foreign = client.get(f"/api/v1/{prefix}/", {name: world.mou_v.pk})
    missing = client.get(f"/api/v1/{prefix}/", {name: 999999})
    assert foreign.status_code == missing.status_code == 400
    assert foreign.json()[name] == [message.replace("999999", str(world.mou_v.pk)) for message in missing.json()[name]]


def partner_list_queries(client, prefix):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/api/v1/{prefix}/", {"limit": 200}).status_code == 200
    return len(queries)


@pytest.mark.parametrize("prefix", ["kols", "channels", "mous", "campaigns"])
def test_scoped_nested_lists_keep_the_query_count_flat(schannel_user, world, prefix):
    def add_rows_with_foreign_relations():
        kol = KolFactory()
        for partner in (world.schannel, world.vitamin):
            channel = ChannelFactory(kol=kol)
            RosterMembershipFactory(partner=partner, channel=channel)
            world.mou_s.channels.add(channel)
        world.mou_s.kols.add(kol)
        CampaignFactory(mou=world.mou_v).partners.add(world.schannel, world.vitamin)
        MouFactory(partner=world.schannel, renews=world.mou_v)

    client = session_client(schannel_user)
    add_rows_with_foreign_relations()  # every relation has a value, so every prefetch runs
    few = partner_list_queries(client, prefix)
    for _number in range(10):
        add_rows_with_foreign_relations()
    assert partner_list_queries(client, prefix) == few
