"""The change feed ``/api/v1/changes/``: a mirror kept only through it ends identical to a fresh full fetch."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from partners.models import Channel, RosterMembership
from tests.factories import ChannelFactory, MouFactory, PartnerCompanyFactory, RosterMembershipFactory
from tests.helpers import partner_client

pytestmark = pytest.mark.django_db

ROSTER = ("channels", "memberships")


def fetch_all(client, resource):
    """``{id: object}`` of every row of a list, following ``next``."""
    rows, url = {}, f"/api/v1/{resource}/?limit=500"
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        rows.update({row["id"]: row for row in response.json()["results"]})
        url = response.json()["next"]
    return rows


def read_feed(client, since=None, resources=ROSTER, limit=None):
    """Every entry from ``since`` on, following ``next``; returns ``(entries, cursor to resume from)``."""
    query = {"resource": ",".join(resources)}
    if since:
        query["since"] = since
    if limit:
        query["limit"] = limit
    entries = []
    response = client.get("/api/v1/changes/", query)
    while True:
        assert response.status_code == 200, response.content
        page = response.json()
        entries.extend(page["results"])
        if not page["next"]:
            return entries, page["cursor"]
        response = client.get(page["next"])


class Mirror:
    """A consumer's copy of some resources: one full fetch, then only the feed."""

    def __init__(self, client, resources=ROSTER):
        self.client, self.resources = client, resources
        _entries, self.cursor = read_feed(client, resources=resources)
        self.rows = {resource: fetch_all(client, resource) for resource in resources}

    def sync(self, limit=3):
        entries, self.cursor = read_feed(self.client, self.cursor, self.resources, limit=limit)
        for entry in entries:
            rows = self.rows[entry["resource"]]
            if entry["action"] == "deleted":
                rows.pop(entry["id"], None)
                continue
            response = self.client.get(f"/api/v1/{entry['resource']}/{entry['id']}/")
            if response.status_code == 404:  # gone again since: a later entry says so too
                rows.pop(entry["id"], None)
            else:
                assert response.status_code == 200, response.content
                rows[entry["id"]] = response.json()
        return entries

    def assert_current(self):
        assert self.rows == {resource: fetch_all(self.client, resource) for resource in self.resources}


def membership(channel, partner, year):
    return RosterMembershipFactory(
        channel=channel, partner=partner, starts_on=datetime.date(year, 1, 1), ends_on=datetime.date(year, 12, 31)
    )


def restore(model, pk):
    """Re-create a deleted row with its id from its last history record, as simple_history's revert does."""
    model.history.filter(id=pk).latest().instance.save()


@pytest.fixture
def world():
    ours, theirs = PartnerCompanyFactory(), PartnerCompanyFactory()
    kept, moved, dropped = ChannelFactory(), ChannelFactory(), ChannelFactory()
    memberships = {
        name: membership(channel, ours, 2024)
        for name, channel in zip(("kept", "moved", "dropped"), (kept, moved, dropped), strict=True)
    }
    return {
        "ours": ours,
        "theirs": theirs,
        "kept": kept,
        "moved": moved,
        "dropped": dropped,
        **{f"{name}_membership": value for name, value in memberships.items()},
    }


def test_a_partner_mirror_kept_through_the_feed_ends_identical_to_a_full_fetch(world, api):
    mirror = Mirror(partner_client(APIClient(), world["ours"]))
    assert set(mirror.rows["channels"]) == {world["kept"].pk, world["moved"].pk, world["dropped"].pk}

    # Created: a new channel enters the roster through a new membership; another partner's does not.
    new = ChannelFactory()
    new_membership = membership(new, world["ours"], 2025)
    membership(ChannelFactory(), world["theirs"], 2025)
    # Updated: the channel and the membership.
    world["kept"].display_name = "Kênh đổi tên"
    world["kept"].save()
    world["kept_membership"].ends_on = datetime.date(2024, 6, 30)
    world["kept_membership"].save()
    mirror.sync()
    mirror.assert_current()
    assert new.pk in mirror.rows["channels"] and new_membership.pk in mirror.rows["memberships"]

    # Moved out: the membership goes to another partner, and its channel leaves the roster with it.
    world["moved_membership"].partner = world["theirs"]
    world["moved_membership"].save()
    # Deleted: a membership, then its channel.
    dropped_id, dropped_membership_id = world["dropped"].pk, world["dropped_membership"].pk
    world["dropped_membership"].delete()
    world["dropped"].delete()
    entries = mirror.sync()
    mirror.assert_current()
    assert {"resource": "memberships", "id": world["moved_membership"].pk, "action": "deleted"} in [
        {key: entry[key] for key in ("resource", "id", "action")} for entry in entries
    ]
    assert world["moved"].pk not in mirror.rows["channels"] and dropped_id not in mirror.rows["channels"]

    # Restored: the deleted channel and membership come back with their ids.
    restore(Channel, dropped_id)
    restore(RosterMembership, dropped_membership_id)
    mirror.sync()
    mirror.assert_current()
    assert dropped_id in mirror.rows["channels"]


def test_a_staff_mirror_kept_through_the_feed_ends_identical_to_a_full_fetch(world, api):
    mirror = Mirror(api)
    world["kept"].handle = "renamed"
    world["kept"].save()
    world["moved_membership"].partner = world["theirs"]
    world["moved_membership"].save()
    dropped_id = world["dropped"].pk
    world["dropped_membership"].delete()
    world["dropped"].delete()
    membership(ChannelFactory(), world["theirs"], 2025)
    mirror.sync()
    mirror.assert_current()
    restore(Channel, dropped_id)
    mirror.sync()
    mirror.assert_current()
    assert dropped_id in mirror.rows["channels"]


def test_a_partner_is_not_told_of_other_partners_rows(world):
    other = membership(ChannelFactory(), world["theirs"], 2025)
    other.delete()
    client = partner_client(APIClient(), world["ours"])
    entries, _cursor = read_feed(client, resources=("channels", "memberships", "partners"))
    ids = {(entry["resource"], entry["id"]) for entry in entries}
    assert ("memberships", other.pk) not in ids and ("channels", other.channel_id) not in ids
    assert ("partners", world["theirs"].pk) not in ids


def test_entries_name_api_fields_and_never_internal_ones(world, api):
    start = timezone.now()
    channel = world["kept"]
    channel.url, channel.notes = "https://example.test/kenh", "ghi chú nội bộ"
    channel.save()
    entries, _cursor = read_feed(api, start.isoformat(), ("channels",))
    assert entries[-1]["action"] == "updated"
    assert set(entries[-1]["fields"]) == {"channel_url", "notes"}
    partner_entries, _cursor = read_feed(partner_client(APIClient(), world["ours"]), start.isoformat(), ("channels",))
    assert partner_entries[-1]["fields"] == ["channel_url"]


def test_since_takes_a_moment_or_a_cursor_and_resumes_after_it(world, api):
    entries, cursor = read_feed(api)
    assert [entry["resource"] for entry in entries].count("memberships") == 3
    assert read_feed(api, cursor) == ([], cursor)
    assert read_feed(api, entries[0]["cursor"])[0] == entries[1:]
    later = timezone.now()
    world["kept"].save()
    assert [entry["id"] for entry in read_feed(api, later.isoformat())[0]] == [world["kept"].pk]
    assert read_feed(api, (later + datetime.timedelta(hours=1)).isoformat())[0] == []


@pytest.mark.parametrize(
    ("query", "field", "says"),
    [
        ({"since": "yesterday"}, "since", "ISO 8601"),
        ({"since": "2026-02-30"}, "since", "ISO 8601"),
        ({"resource": "channels,secrets"}, "resource", "channels, "),
        ({"limit": "0"}, "limit", "whole number"),
    ],
)
def test_bad_parameters_are_a_400_that_says_why(api, query, field, says):
    response = api.get("/api/v1/changes/", query)
    assert response.status_code == 400
    assert says in response.json()[field][0]


def test_a_page_costs_the_same_queries_however_many_records_it_holds(world, django_assert_max_num_queries):
    client = partner_client(APIClient(), world["ours"])
    for year in range(2030, 2045):
        membership(ChannelFactory(), world["ours"], year)
    # Auth and scope, then per resource its records and their previous ones, and per via relation the same.
    with django_assert_max_num_queries(30):
        response = client.get("/api/v1/changes/", {"limit": 500})
    assert len(response.json()["results"]) > 40


def test_channels_named_in_a_partners_mou_come_and_go_with_it(world, api):
    mou = MouFactory(partner=world["ours"])
    named = ChannelFactory()
    client = partner_client(APIClient(), world["ours"])
    _entries, cursor = read_feed(client, resources=("channels", "mous"))
    mou.channels.add(named)
    entries, cursor = read_feed(client, cursor, ("channels", "mous"))
    # The channel's own creation was out of view when the cursor passed it: the MOU brings it in.
    assert [(e["resource"], e["id"], e["action"]) for e in entries][-2:] == [
        ("channels", named.pk, "updated"),
        ("mous", mou.pk, "updated"),
    ]
    assert entries[-1]["fields"] == ["channels"]
    mou.channels.remove(named)
    entries, _cursor = read_feed(client, cursor, ("channels",))
    assert [(e["id"], e["action"]) for e in entries] == [(named.pk, "deleted")]


def test_the_feed_needs_credentials_and_reads_in_the_browsable_api(client, staff_user):
    assert client.get("/api/v1/changes/").status_code == 401
    client.force_login(staff_user)
    response = client.get("/api/v1/changes/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
