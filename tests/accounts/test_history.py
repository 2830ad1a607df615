"""GET /api/v1/<resource>/{id}/history/ through the stub API."""

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from partners.models import Mou

from .conftest import session_client, token_client

pytestmark = pytest.mark.urls("tests.accounts.api_stub")


def changes_of(entry):
    return {change["field"]: (change["old"], change["new"]) for change in entry["changes"]}


def test_history_lists_each_write_with_user_and_values(world, staff):
    client = session_client(staff)
    client.patch(f"/api/v1/mous/{world.mou_s.pk}/", {"title": "Renamed", "ends_on": "2028-12-31"})
    response = client.get(f"/api/v1/mous/{world.mou_s.pk}/history/")
    assert response.status_code == 200
    latest, created = response.json()
    assert latest["history_type"] == "~"
    assert latest["history_user"] == {"id": staff.pk, "username": "ministry.staff", "display": "ministry.staff"}
    assert changes_of(latest) == {"title": (world.mou_s.title, "Renamed"), "ends_on": ("2027-12-31", "2028-12-31")}
    assert created["history_type"] == "+"
    assert created["history_user"] is None  # created by a factory, outside any request
    assert changes_of(created)["partner"] == (None, world.schannel.pk)


def test_history_of_many_to_many_fields_lists_related_ids(world, staff):
    client = session_client(staff)
    client.patch(f"/api/v1/campaigns/{world.campaign_s.pk}/", {"partners": [world.schannel.pk, world.vitamin.pk]})
    latest = client.get(f"/api/v1/campaigns/{world.campaign_s.pk}/history/").json()[0]
    assert changes_of(latest)["partners"] == ([world.schannel.pk], sorted([world.schannel.pk, world.vitamin.pk]))


def test_history_query_count_does_not_grow_with_records(world, staff, django_assert_max_num_queries):
    client = session_client(staff)
    for number in range(5):
        client.patch(f"/api/v1/campaigns/{world.campaign_s.pk}/", {"name": f"Name {number}"})
    # session, user, permissions, object, records, three many-to-many fields
    with django_assert_max_num_queries(10):
        response = client.get(f"/api/v1/campaigns/{world.campaign_s.pk}/history/")
    assert len(response.json()) == 1 + 3 + 5  # create, three m2m adds in the fixture, five renames


def test_history_is_scoped_like_the_object(world, schannel_user):
    client = session_client(schannel_user)
    assert client.get(f"/api/v1/mous/{world.mou_v.pk}/history/").status_code == 404
    assert client.get(f"/api/v1/mous/{world.mou_s.pk}/history/").status_code == 200


def test_history_of_a_missing_object_is_404(world, staff):
    assert session_client(staff).get("/api/v1/mous/999999/history/").status_code == 404


def test_history_needs_authentication(world):
    assert APIClient().get(f"/api/v1/mous/{world.mou_s.pk}/history/").status_code == 401


def test_partner_users_do_not_see_internal_fields_in_history(world, schannel_user, staff):
    session_client(staff).patch(f"/api/v1/mous/{world.mou_s.pk}/", {"notes": "new internal note", "title": "T2"})
    partner_view = session_client(schannel_user).get(f"/api/v1/mous/{world.mou_s.pk}/history/").json()
    assert all("notes" not in changes_of(entry) for entry in partner_view)
    assert changes_of(partner_view[0]) == {"title": (world.mou_s.title, "T2")}
    staff_view = session_client(staff).get(f"/api/v1/mous/{world.mou_s.pk}/history/").json()
    assert changes_of(staff_view[0])["notes"] == ("internal: renegotiate in 2026", "new internal note")


def test_read_only_token_may_read_history(world, staff):
    client, _token, _key = token_client(staff, read_only=True)
    assert client.get(f"/api/v1/mous/{world.mou_s.pk}/history/").status_code == 200


def test_deletion_is_the_last_history_record(world, superuser):
    mou = world.mou_v
    mou.people_links.all().delete()  # the people named in it are protected facts: they go first
    assert session_client(superuser).delete(f"/api/v1/mous/{mou.pk}/").status_code == 204
    record = Mou.history.filter(id=mou.pk).latest()
    assert record.history_type == "-"
    assert record.history_user == superuser


def test_schema_documents_the_history_action():
    schema = SchemaGenerator(urlconf="tests.accounts.api_stub").get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/mous/{id}/history/"]["get"]
    response_schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert response_schema == {"type": "array", "items": {"$ref": "#/components/schemas/HistoryRecord"}}
    record = schema["components"]["schemas"]["HistoryRecord"]
    assert {"history_date", "history_type", "history_user", "changes"} <= set(record["properties"])
    assert not [p for p in operation.get("parameters", []) if p["in"] == "query"]


def test_partner_history_names_no_other_partners_rows(world, staff, schannel_user):
    """SChannel sees campaign_s, but not Vitamin: Vitamin's id is masked out of the partners list."""
    session_client(staff).patch(
        f"/api/v1/campaigns/{world.campaign_s.pk}/", {"partners": [world.schannel.pk, world.vitamin.pk]}
    )
    ministry_view = session_client(staff).get(f"/api/v1/campaigns/{world.campaign_s.pk}/history/").json()
    partner_view = session_client(schannel_user).get(f"/api/v1/campaigns/{world.campaign_s.pk}/history/").json()

    assert world.vitamin.pk in changes_of(ministry_view[0])["partners"][1]
    all_partner_ids = {
        pk
        for entry in partner_view
        for change in entry["changes"]
        if change["field"] == "partners"
        for pk in (change["old"] or []) + (change["new"] or [])
    }
    assert all_partner_ids == {world.schannel.pk}


def test_partner_history_masks_a_foreign_key_to_another_partners_row(world, staff, schannel_user):
    world.joint.mou = world.mou_v
    world.joint.save()
    ministry_view = session_client(staff).get(f"/api/v1/campaigns/{world.joint.pk}/history/").json()
    partner_view = session_client(schannel_user).get(f"/api/v1/campaigns/{world.joint.pk}/history/").json()

    assert changes_of(ministry_view[0])["mou"] == (None, world.mou_v.pk)
    assert all(change["new"] != world.mou_v.pk for entry in partner_view for change in entry["changes"])
    assert "mou" not in changes_of(partner_view[0])  # masked on both sides: no change left to show
