"""ApiTokenAuthentication and the token model, through the stub API."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken, PartnerAccount, hash_key
from partners.models import Mou

from .conftest import token_client

pytestmark = pytest.mark.urls("tests.accounts.api_stub")


def mou_payload(world):
    return {"title": "New MOU", "agency": world.ministry.pk, "partner": world.schannel.pk}


def test_valid_token_authenticates_as_its_owner(world, staff):
    client, _token, _key = token_client(staff, read_only=False)
    response = client.get(f"/api/v1/mous/{world.mou_s.pk}/")
    assert response.status_code == 200
    assert response.json()["title"] == world.mou_s.title


def test_key_is_stored_only_as_its_hash(staff):
    token, key = ApiToken.objects.issue(owner=staff, name="hashed")
    token.refresh_from_db()
    stored = {str(value) for value in token.__dict__.values()}
    assert key not in stored
    assert token.key_hash == hash_key(key)
    assert token.prefix == key[:8]


def test_key_cannot_be_read_back_from_the_model(staff):
    token, key = ApiToken.objects.issue(owner=staff, name="once")
    reloaded = ApiToken.objects.get(pk=token.pk)
    assert not hasattr(reloaded, "key")
    assert ApiToken.objects.get_by_key(key) == reloaded


def test_unknown_key_is_401(world, staff):
    _client, _token, key = token_client(staff)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key[:8]}{'x' * (len(key) - 8)}")
    response = client.get("/api/v1/mous/")
    assert response.status_code == 401
    assert response.json()["detail"] == "Invalid token."
    assert response["WWW-Authenticate"] == "Token"


def test_malformed_header_is_401(world):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token two parts")
    assert client.get("/api/v1/mous/").status_code == 401


def test_no_credentials_is_401(world):
    assert APIClient().get("/api/v1/mous/").status_code == 401


def test_expired_token_is_401(world, staff):
    client, token, _key = token_client(staff)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get("/api/v1/mous/")
    assert response.status_code == 401
    assert response.json()["detail"] == "This token has expired."


def test_token_before_its_expiry_works(world, staff):
    client, _token, _key = token_client(staff, expires_at=timezone.now() + datetime.timedelta(days=1))
    assert client.get("/api/v1/mous/").status_code == 200


def test_revoked_token_is_401(world, staff):
    client, token, _key = token_client(staff)
    token.revoke()
    response = client.get("/api/v1/mous/")
    assert response.status_code == 401
    assert response.json()["detail"] == "This token has been revoked."


def test_revocation_is_in_the_history(staff):
    token = ApiToken.objects.issue(owner=staff, name="audited")[0]
    token.revoke()
    assert [record.history_type for record in token.history.order_by("history_date")] == ["+", "~"]
    assert token.history.latest().revoked_at is not None


def test_token_of_an_inactive_owner_is_401(world, staff):
    client, _token, _key = token_client(staff)
    staff.is_active = False
    staff.save()
    assert client.get("/api/v1/mous/").status_code == 401


def test_each_token_request_answers_as_that_tokens_owner(world, staff, schannel_user):
    # The token lookup's SQL is compiled once and reused: every request must still bring its own owner's rights.
    staff_client, _token, _key = token_client(staff)
    partner_client, _token, _key = token_client(schannel_user)
    for _ in range(2):
        assert {row["id"] for row in staff_client.get("/api/v1/mous/").json()} == {world.mou_s.pk, world.mou_v.pk}
        assert {row["id"] for row in partner_client.get("/api/v1/mous/").json()} == {world.mou_s.pk}


def test_a_token_follows_a_change_of_its_owners_rights_at_once(world, staff):
    client, _token, _key = token_client(staff)
    assert client.get("/api/v1/mous/").status_code == 200
    PartnerAccount.objects.create(user=staff, partner=world.vitamin)
    assert {row["id"] for row in client.get("/api/v1/mous/").json()} == {world.mou_v.pk}
    staff.partner_account.delete()
    staff.groups.first().permissions.remove(Permission.objects.get(codename="view_mou"))
    assert client.get("/api/v1/mous/").status_code == 403


def test_a_tokens_owner_reads_by_their_own_permissions_as_by_their_groups(world, staff):
    client, _token, _key = token_client(staff)
    view_mou = Permission.objects.get(codename="view_mou")
    staff.groups.first().permissions.remove(view_mou)
    assert client.get("/api/v1/mous/").status_code == 403
    staff.user_permissions.add(view_mou)
    assert client.get("/api/v1/mous/").status_code == 200


def test_read_only_token_may_read(world, staff):
    client, _token, _key = token_client(staff, read_only=True)
    assert client.get("/api/v1/mous/").status_code == 200


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_read_only_token_is_403_on_unsafe_methods(world, superuser, method):
    client, _token, _key = token_client(superuser, read_only=True)
    url = "/api/v1/mous/" if method == "post" else f"/api/v1/mous/{world.mou_s.pk}/"
    response = getattr(client, method)(url, mou_payload(world), format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "This token is read-only."
    assert Mou.objects.get(pk=world.mou_s.pk).title == world.mou_s.title
    assert Mou.objects.count() == 2


def test_read_write_token_of_an_administrator_may_write(world, superuser):
    client, _token, _key = token_client(superuser, read_only=False)
    assert client.post("/api/v1/mous/", mou_payload(world), format="json").status_code == 201


def test_use_is_recorded_in_last_used_at(world, staff):
    client, token, _key = token_client(staff)
    assert token.last_used_at is None
    client.get("/api/v1/mous/")
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_last_used_at_is_written_at_most_once_a_minute(world, staff):
    client, token, _key = token_client(staff)
    recent = timezone.now() - datetime.timedelta(seconds=10)
    stale = timezone.now() - datetime.timedelta(minutes=5)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=recent)
    client.get("/api/v1/mous/")
    assert ApiToken.objects.get(pk=token.pk).last_used_at == recent
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=stale)
    client.get("/api/v1/mous/")
    assert ApiToken.objects.get(pk=token.pk).last_used_at > stale


def test_recording_use_adds_no_history(world, staff):
    client, token, _key = token_client(staff)
    client.get("/api/v1/mous/")
    assert token.history.count() == 1


def test_partner_users_token_is_scoped_to_their_company(world, schannel_user):
    token = ApiToken.objects.issue(owner=schannel_user, name="auto")[0]
    assert token.partner == world.schannel


def test_partner_users_token_cannot_be_scoped_to_another_company(world, schannel_user):
    with pytest.raises(ValidationError) as error:
        ApiToken.objects.issue(owner=schannel_user, name="other", partner=world.vitamin)
    assert "partner" in error.value.message_dict
    assert not ApiToken.objects.filter(owner=schannel_user).exists()
