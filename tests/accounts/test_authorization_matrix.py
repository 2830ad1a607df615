"""Every role, every API route, every method.

Routes come from the routers, so a resource or action added later is in the matrix automatically,
and the test fails until its expected scope is written down below. Each case asserts 401, 403 or
404, or success with exactly the expected set of objects; refused writes leave the database as it was.
"""

import datetime

import pytest
from django.apps import apps
from django.utils import timezone

from accounts.roles import MINISTRY_ADMINISTRATORS
from kolregistry.api.urls import ROUTERS
from tests.accounts.conftest import session_client, token_client, user_with_role

pytestmark = pytest.mark.django_db

ROUTES = [(prefix, viewset) for router in ROUTERS for prefix, viewset, _basename in router.registry]

# What SChannel's people see of the `world` fixture (tests/accounts/conftest.py), per resource.
SCHANNEL_SCOPE = {
    "agencies": ["ministry", "organiser"],
    "partners": ["schannel"],
    "kols": ["channel_s.kol", "moved.kol"],
    "channels": ["channel_s", "moved"],
    "memberships": ["membership_s", "membership_moved_s"],
    "channel-metrics": ["metric_s", "metric_moved"],
    "mous": ["mou_s"],
    "people": ["person_s", "official_s"],
    "mou-people": ["link_s", "link_official_s"],
    "campaigns": ["campaign_s", "joint"],
    "hashtags": ["hashtag_s", "hashtag_joint"],
    "assignments": ["assignment_s"],
    "campaign-reports": ["report_s", "report_joint"],
    "stated-facts": ["fact_s"],
}
# An object of each resource SChannel must not see.
OUT_OF_SCOPE = {
    "agencies": "province",
    "partners": "vitamin",
    "kols": "channel_v.kol",
    "channels": "channel_v",
    "memberships": "membership_v",
    "channel-metrics": "metric_v",
    "mous": "mou_v",
    "people": "person_v",
    "mou-people": "link_v",
    "campaigns": "campaign_v",
    "hashtags": "hashtag_v",
    "assignments": "assignment_v",
    "campaign-reports": "report_v",
    "stated-facts": "fact_v",
}
# A harmless change per resource, for PATCH.
CHANGE = {
    "agencies": {"name": "Renamed agency"},
    "partners": {"short_name": "Renamed"},
    "kols": {"name": "Renamed KOL"},
    "channels": {"display_name": "Renamed channel"},
    "memberships": {"source_url": "https://example.test/changed"},
    "channel-metrics": {"subject": "changed"},
    "mous": {"title": "Renamed MOU"},
    "people": {"position": "Deputy Director"},
    "mou-people": {"source_url": "https://example.test/changed"},
    "campaigns": {"name": "Renamed campaign"},
    "hashtags": {"name": "RenamedTag"},
    "assignments": {"deliverables": "changed"},
    "campaign-reports": {"source_note": "changed"},
    "stated-facts": {"measure": "changed"},
}
STAFF_MAY_DELETE = {"channel-metrics", "campaign-reports", "stated-facts", "assignments", "mou-people"}
PARTNER_MAY_CREATE = {"channel-metrics", "campaign-reports"}

ROLES = [
    "anonymous",
    "superuser",
    "administrator",
    "staff",
    "schannel_user",
    "vitamin_user",
    "read_only_token",
    "partner_token",
    "expired_token",
    "revoked_token",
]


def resolve(world, path):
    obj = world
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


def model_of(viewset):
    return viewset.queryset.model


def client_for(role, world, request):
    if role == "anonymous":
        from rest_framework.test import APIClient

        return APIClient()
    if role in ("superuser", "administrator", "staff", "schannel_user", "vitamin_user"):
        return session_client(request.getfixturevalue(role))
    owner = user_with_role("token.owner", MINISTRY_ADMINISTRATORS)
    if role == "read_only_token":
        return token_client(owner, read_only=True)[0]
    if role == "partner_token":
        return token_client(owner, read_only=True, partner=world.schannel)[0]
    client, token, _key = token_client(owner)
    if role == "expired_token":
        token.expires_at = timezone.now() - datetime.timedelta(minutes=1)
        token.save()
    else:
        token.revoked_at = timezone.now()
        token.save()
    return client


def visible_ids(role, prefix, world, model):
    """The ids a role must see in a list, written out independently of the scoping code."""
    if role in ("superuser", "administrator", "staff", "read_only_token"):
        return set(model.objects.values_list("pk", flat=True))
    if role in ("schannel_user", "partner_token"):
        return {resolve(world, path).pk for path in SCHANNEL_SCOPE[prefix]}
    if role == "vitamin_user":
        return VITAMIN_SCOPE(world)[prefix]
    raise AssertionError(role)


def VITAMIN_SCOPE(world):
    return {
        "agencies": {world.province.pk},
        "partners": {world.vitamin.pk},
        "kols": {world.channel_v.kol.pk, world.moved.kol.pk},
        "channels": {world.channel_v.pk, world.moved.pk},
        "memberships": {world.membership_v.pk, world.membership_moved_v.pk},
        "channel-metrics": {world.metric_v.pk, world.metric_moved.pk},
        "mous": {world.mou_v.pk},
        "people": {world.person_v.pk, world.official_v.pk},
        "mou-people": {world.link_v.pk, world.link_official_v.pk},
        "campaigns": {world.campaign_v.pk},
        "hashtags": {world.hashtag_v.pk},
        "assignments": {world.assignment_v.pk},
        "campaign-reports": {world.report_v.pk},
        "stated-facts": {world.fact_v.pk},
    }


def snapshot():
    return {
        model._meta.label: sorted(map(repr, model.objects.values()))
        for model in apps.get_app_config("partners").get_models()
        if not model._meta.label.startswith("partners.Historical")
    } | {
        model._meta.label: sorted(map(repr, model.objects.values()))
        for model in apps.get_app_config("campaigns").get_models()
        if not model._meta.label.startswith("campaigns.Historical")
    }


def list_ids(client, prefix):
    response = client.get(f"/api/v1/{prefix}/", {"limit": 500})
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def in_scope_object(role, prefix, world):
    if role == "vitamin_user":
        return resolve(world, OUT_OF_SCOPE[prefix])
    return resolve(world, SCHANNEL_SCOPE[prefix][0])


def other_partners_object(role, prefix, world):
    if role == "vitamin_user":
        return resolve(world, SCHANNEL_SCOPE[prefix][0])
    return resolve(world, OUT_OF_SCOPE[prefix])


def expected_write(role, prefix, method):
    """Whether ``role`` may ``method`` on ``prefix`` (the object being in its scope)."""
    if role in ("superuser", "administrator"):
        return True
    if role == "staff":
        return method != "DELETE" or prefix in STAFF_MAY_DELETE
    if role in ("schannel_user", "vitamin_user"):
        return method == "POST" and prefix in PARTNER_MAY_CREATE
    return False


@pytest.mark.parametrize("prefix", [prefix for prefix, _viewset in ROUTES])
@pytest.mark.parametrize("role", ROLES)
def test_matrix(role, prefix, world, request):
    viewset = dict(ROUTES)[prefix]
    model = model_of(viewset)
    client = client_for(role, world, request)
    target = in_scope_object(role, prefix, world)
    detail = f"/api/v1/{prefix}/{target.pk}/"
    # Read actions here; write actions (an MOU's renewal) in test_write_action_matrix.
    extra_detail_actions = [a.url_path for a in viewset.get_extra_actions() if a.detail and "get" in a.mapping]

    if role in ("anonymous", "expired_token", "revoked_token"):
        before = snapshot()
        for method, url in [
            ("get", f"/api/v1/{prefix}/"),
            ("get", detail),
            ("post", f"/api/v1/{prefix}/"),
            ("put", detail),
            ("patch", detail),
            ("delete", detail),
        ]:
            assert getattr(client, method)(url, {}, format="json").status_code == 401, (method, url)
        for action in extra_detail_actions:
            assert client.get(f"{detail}{action}/").status_code == 401
        assert snapshot() == before
        return

    # Reads: exactly the expected set; out-of-scope detail (and its actions) is 404, never 403.
    assert list_ids(client, prefix) == visible_ids(role, prefix, world, model)
    assert client.get(detail).status_code == 200
    for action in extra_detail_actions:
        assert client.get(f"{detail}{action}/").status_code == 200, action
    if role in ("schannel_user", "vitamin_user", "partner_token"):
        hidden = other_partners_object(role, prefix, world)
        assert client.get(f"/api/v1/{prefix}/{hidden.pk}/").status_code == 404
        for action in extra_detail_actions:
            assert client.get(f"/api/v1/{prefix}/{hidden.pk}/{action}/").status_code == 404, action

    # Writes. Refused ones change nothing; allowed ones succeed (or reach validation / a 409 on delete).
    before = snapshot()
    refused = []
    response = client.patch(detail, CHANGE[prefix], format="json")
    if expected_write(role, prefix, "PATCH"):
        assert response.status_code == 200, response.content
        for field, value in CHANGE[prefix].items():
            assert response.json()[field] == value
    else:
        assert response.status_code in (403, 404), response.content
        refused.append("PATCH")
    response = client.put(detail, {}, format="json")
    if expected_write(role, prefix, "PUT"):
        assert response.status_code == 400  # permitted: reached validation
    else:
        assert response.status_code in (403, 404)
        refused.append("PUT")
    response = client.post(f"/api/v1/{prefix}/", {}, format="json")
    if expected_write(role, prefix, "POST"):
        assert response.status_code in (400, 403)  # partners must name an in-scope target (tested separately)
    else:
        assert response.status_code == 403
        refused.append("POST")
    if role in ("schannel_user", "vitamin_user", "partner_token"):
        hidden = other_partners_object(role, prefix, world)
        assert client.patch(f"/api/v1/{prefix}/{hidden.pk}/", CHANGE[prefix], format="json").status_code in (403, 404)
        assert client.delete(f"/api/v1/{prefix}/{hidden.pk}/").status_code in (403, 404)
    if len(refused) == 3:
        assert snapshot() == before
    response = client.delete(detail)
    if expected_write(role, prefix, "DELETE"):
        assert response.status_code in (204, 409), response.content
        if response.status_code == 204:
            assert not model.objects.filter(pk=target.pk).exists()
    else:
        assert response.status_code in (403, 404)
        assert model.objects.filter(pk=target.pk).exists()


def test_matrix_covers_every_registered_resource():
    assert {prefix for prefix, _viewset in ROUTES} == set(SCHANNEL_SCOPE) == set(OUT_OF_SCOPE) == set(CHANGE)


# Detail actions that write, with the status each role gets on an object in its scope.
# (method, status when allowed): renewing needs the right to add MOUs, removing a document the right to change them.
WRITE_ACTIONS = {("mous", "renew"): ("post", 201), ("mous", "document"): ("delete", 200)}
WRITE_ACTION_REFUSED = {
    "anonymous": 401,
    "expired_token": 401,
    "revoked_token": 401,
    "schannel_user": 403,
    "vitamin_user": 403,
    "read_only_token": 403,
    "partner_token": 403,
}


def test_write_actions_are_all_in_the_matrix():
    found = {
        (prefix, action.url_path)
        for prefix, viewset in ROUTES
        for action in viewset.get_extra_actions()
        if action.detail and set(action.mapping) - {"get", "head", "options"}
    }
    assert found == set(WRITE_ACTIONS)


@pytest.mark.parametrize(("prefix", "action"), list(WRITE_ACTIONS))
@pytest.mark.parametrize("role", ROLES)
def test_write_action_matrix(role, prefix, action, world, request):
    """Only those with the action's permission on the model run it; partners get 403 even on their own objects."""
    client = client_for(role, world, request)
    target = in_scope_object(role, prefix, world)
    before = snapshot()

    method, allowed = WRITE_ACTIONS[(prefix, action)]
    response = getattr(client, method)(f"/api/v1/{prefix}/{target.pk}/{action}/", {}, format="json")

    assert response.status_code == WRITE_ACTION_REFUSED.get(role, allowed), response.content
    if response.status_code != allowed:
        assert snapshot() == before
