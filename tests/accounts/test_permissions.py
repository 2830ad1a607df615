"""RegistryPermission with scope_queryset, end to end through the stub API."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.models import ApiToken
from campaigns.models import CampaignReport
from partners.models import ChannelMetric, Mou

from .conftest import session_client, token_client

pytestmark = pytest.mark.urls("tests.accounts.api_stub")


def mou_payload(world, **changes):
    return {"title": "New MOU", "agency": world.ministry.pk, "partner": world.schannel.pk, **changes}


def metric_payload(channel):
    return {"channel": channel.pk, "measured_on": "2025-06-01", "followers": 12345, "source_note": "partner report"}


def report_payload(campaign, **extra):
    return {"campaign": campaign.pk, "views": 5000, "source_note": "partner report", **extra}


def ids(response):
    return {row["id"] for row in response.json()}


def test_anonymous_is_401_on_every_method(world):
    client = APIClient()
    assert client.get("/api/v1/").status_code == 401
    assert client.get(f"/api/v1/mous/{world.mou_s.pk}/").status_code == 401
    assert client.post("/api/v1/mous/", mou_payload(world)).status_code == 401
    assert client.delete(f"/api/v1/mous/{world.mou_s.pk}/").status_code == 401


@pytest.mark.parametrize("fixture", ["superuser", "administrator"])
def test_administrators_may_do_everything(world, request, fixture):
    client = session_client(request.getfixturevalue(fixture))
    assert ids(client.get("/api/v1/mous/")) == {world.mou_s.pk, world.mou_v.pk}
    created = client.post("/api/v1/mous/", mou_payload(world))
    assert created.status_code == 201
    assert client.patch(f"/api/v1/mous/{created.json()['id']}/", {"title": "Renamed"}).status_code == 200
    assert client.delete(f"/api/v1/mous/{created.json()['id']}/").status_code == 204


def test_staff_may_view_add_and_change(world, staff):
    client = session_client(staff)
    assert ids(client.get("/api/v1/mous/")) == {world.mou_s.pk, world.mou_v.pk}
    assert client.post("/api/v1/mous/", mou_payload(world)).status_code == 201
    assert client.patch(f"/api/v1/mous/{world.mou_v.pk}/", {"title": "Renamed"}).status_code == 200
    assert Mou.objects.get(pk=world.mou_v.pk).title == "Renamed"


def test_staff_may_not_delete_an_mou(world, staff):
    response = session_client(staff).delete(f"/api/v1/mous/{world.mou_s.pk}/")
    assert response.status_code == 403
    assert Mou.objects.filter(pk=world.mou_s.pk).exists()


def test_staff_may_delete_a_channel_metric(world, staff):
    response = session_client(staff).delete(f"/api/v1/channel-metrics/{world.metric_v.pk}/")
    assert response.status_code == 204


@pytest.mark.urls("kolregistry.urls")
@pytest.mark.parametrize(("method", "allowed"), [("put", 400), ("delete", 200)])
def test_replacing_or_removing_an_mous_document_needs_the_right_to_change_mous(world, staff, method, allowed):
    """Not the right to delete one, which staff lack; a PUT without a file is the serializer's 400."""
    url = f"/api/v1/mous/{world.mou_s.pk}/document/"
    client = token_client(staff, read_only=False)[0]
    assert getattr(client, method)(url, {}, format="multipart").status_code == allowed
    staff.groups.first().permissions.remove(Permission.objects.get(codename="change_mou"))
    assert getattr(client, method)(url, {}, format="multipart").status_code == 403


def test_staff_may_browse_the_api_root(world, staff):
    assert session_client(staff).get("/api/v1/").status_code == 200


def test_a_method_no_permission_names_is_refused(world, staff):
    assert session_client(staff).generic("TRACE", "/api/v1/mous/").status_code == 403


@pytest.mark.parametrize("fixture", ["staff", "schannel_user"])
def test_the_browsable_api_checks_every_form_from_one_load_of_the_permissions(world, request, fixture):
    """The HTML page asks the permission once per form it could draw: no query more than the JSON answer."""
    client, _token, _key = token_client(request.getfixturevalue(fixture))
    url = f"/api/v1/mous/{world.mou_s.pk}/"
    client.get(url)  # the token's first use is recorded once

    def queries(**headers):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, **headers).status_code == 200
        return len(captured)

    assert queries(HTTP_ACCEPT="text/html") == queries(HTTP_ACCEPT="application/json")


def test_staff_rights_follow_the_groups_permissions(world, staff):
    staff.groups.first().permissions.remove(Permission.objects.get(codename="view_mou"))
    assert session_client(staff).get("/api/v1/mous/").status_code == 403


def test_partner_user_lists_only_their_rows(world, schannel_user):
    client = session_client(schannel_user)
    assert ids(client.get("/api/v1/mous/")) == {world.mou_s.pk}
    assert ids(client.get("/api/v1/campaigns/")) == {world.campaign_s.pk, world.joint.pk}
    assert ids(client.get("/api/v1/channel-metrics/")) == {world.metric_s.pk, world.metric_moved.pk}


def test_partner_user_gets_404_for_another_partners_object(world, schannel_user):
    client = session_client(schannel_user)
    assert client.get(f"/api/v1/mous/{world.mou_v.pk}/").status_code == 404
    assert client.get(f"/api/v1/mous/{world.mou_s.pk}/").status_code == 200


def test_user_without_a_role_is_refused(world, nobody):
    response = session_client(nobody).get("/api/v1/mous/")
    assert response.status_code == 403
    assert response.json()["detail"] == "Your account has no role in the registry."


@pytest.mark.parametrize(
    ("field", "value"),
    [("title", "Hijacked"), ("partner", "vitamin"), ("agency", "province"), ("ends_on", "2030-12-31")],
)
def test_partner_user_patch_is_refused_and_changes_nothing(world, schannel_user, field, value):
    before = Mou.objects.filter(pk=world.mou_s.pk).values().get()
    if field in ("partner", "agency"):
        value = getattr(world, value).pk
    response = session_client(schannel_user).patch(f"/api/v1/mous/{world.mou_s.pk}/", {field: value})
    assert response.status_code == 403
    assert Mou.objects.filter(pk=world.mou_s.pk).values().get() == before


@pytest.mark.parametrize("method", ["put", "delete"])
def test_partner_user_may_not_replace_or_delete(world, schannel_user, method):
    response = getattr(session_client(schannel_user), method)(
        f"/api/v1/channel-metrics/{world.metric_s.pk}/", metric_payload(world.channel_s)
    )
    assert response.status_code == 403
    assert ChannelMetric.objects.get(pk=world.metric_s.pk).followers == world.metric_s.followers


def test_partner_user_may_not_create_an_mou(world, schannel_user):
    response = session_client(schannel_user).post("/api/v1/mous/", mou_payload(world))
    assert response.status_code == 403
    assert response.json()["detail"] == "Partner users may only submit channel metrics and campaign reports."
    assert Mou.objects.count() == 2


def test_partner_user_submits_a_metric_for_their_channel(world, schannel_user):
    response = session_client(schannel_user).post("/api/v1/channel-metrics/", metric_payload(world.channel_s))
    assert response.status_code == 201
    assert ChannelMetric.objects.get(pk=response.json()["id"]).channel == world.channel_s


@pytest.mark.parametrize("channel", ["channel_v", "unmanaged"])
def test_partner_user_may_not_submit_a_metric_for_another_channel(world, schannel_user, channel):
    response = session_client(schannel_user).post("/api/v1/channel-metrics/", metric_payload(getattr(world, channel)))
    assert response.status_code == 403
    assert response.json()["detail"] == "You may only submit figures for your own channels and campaigns."
    assert ChannelMetric.objects.count() == 3


def test_partner_user_may_not_name_another_channel_by_its_id_field(world, schannel_user):
    """An empty ``channel`` does not hide the ``channel_id`` beside it."""
    payload = {**metric_payload(world.channel_s), "channel": "", "channel_id": world.channel_v.pk}
    response = session_client(schannel_user).post("/api/v1/channel-metrics/", payload)
    assert response.status_code == 403
    assert response.json()["detail"] == "You may only submit figures for your own channels and campaigns."


def test_partner_metric_naming_no_channel_is_refused(world, schannel_user):
    payload = metric_payload(world.channel_s)
    del payload["channel"]
    response = session_client(schannel_user).post("/api/v1/channel-metrics/", payload)
    assert response.status_code == 403
    assert response.json()["detail"] == "Name one of your own channels by id in 'channel'."


def test_partner_metric_naming_a_channel_other_than_by_id_is_refused(world, schannel_user):
    payload = {**metric_payload(world.channel_s), "channel": world.channel_s.handle}
    assert session_client(schannel_user).post("/api/v1/channel-metrics/", payload).status_code == 403


def test_partner_user_submits_a_report_for_their_campaign(world, schannel_user):
    response = session_client(schannel_user).post(
        "/api/v1/campaign-reports/", report_payload(world.joint, hashtag=world.hashtag_joint.pk)
    )
    assert response.status_code == 201


def test_partner_user_leaves_the_optional_hashtag_empty(world, schannel_user):
    response = session_client(schannel_user).post("/api/v1/campaign-reports/", report_payload(world.joint, hashtag=""))
    assert response.status_code == 201
    assert CampaignReport.objects.get(pk=response.json()["id"]).hashtag is None


def test_partner_user_may_not_report_on_another_campaign(world, schannel_user):
    response = session_client(schannel_user).post("/api/v1/campaign-reports/", report_payload(world.campaign_v))
    assert response.status_code == 403
    assert CampaignReport.objects.count() == 3


def test_partner_user_may_not_report_under_another_campaigns_hashtag(world, schannel_user):
    response = session_client(schannel_user).post(
        "/api/v1/campaign-reports/", report_payload(world.campaign_s, hashtag=world.hashtag_v.pk)
    )
    assert response.status_code == 403


def test_invalid_partner_submission_is_a_400(world, schannel_user):
    payload = {**metric_payload(world.channel_s), "followers": "many"}
    response = session_client(schannel_user).post("/api/v1/channel-metrics/", payload)
    assert response.status_code == 400


def test_partner_submission_that_is_not_an_object_is_a_400(world, schannel_user):
    response = session_client(schannel_user).post(
        "/api/v1/channel-metrics/", [metric_payload(world.channel_s)], format="json"
    )
    assert response.status_code == 400
    assert ChannelMetric.objects.count() == 3


def test_partner_scoped_token_of_an_administrator_has_partner_rights(world, superuser):
    client, _token, _key = token_client(superuser, read_only=False, partner=world.vitamin)
    assert ids(client.get("/api/v1/mous/")) == {world.mou_v.pk}
    assert client.get(f"/api/v1/mous/{world.mou_s.pk}/").status_code == 404
    assert client.patch(f"/api/v1/mous/{world.mou_v.pk}/", {"title": "x"}).status_code == 403
    assert client.post("/api/v1/channel-metrics/", metric_payload(world.channel_v)).status_code == 201


def test_partner_user_token_keeps_partner_scope(world, vitamin_user):
    token, key = ApiToken.objects.issue(owner=vitamin_user, name="t", read_only=False)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert ids(client.get("/api/v1/mous/")) == {world.mou_v.pk}
    assert token.partner == world.vitamin
