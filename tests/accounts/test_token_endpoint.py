"""POST /api/v1/auth/token/ and the login lockout on it and on the admin login."""

import pytest
from rest_framework.test import APIClient

from accounts.models import ApiToken

from .conftest import PASSWORD

pytestmark = pytest.mark.urls("tests.accounts.api_stub")

URL = "/api/v1/auth/token/"


@pytest.fixture
def lockout_after_three(settings):
    settings.AXES_FAILURE_LIMIT = 3


def obtain(username, password=PASSWORD):
    return APIClient().post(URL, {"username": username, "password": password}, format="json")


def test_credentials_give_a_working_read_write_token(world, staff):
    response = obtain(staff.username)
    assert response.status_code == 200
    key = response.json()["token"]
    token = ApiToken.objects.get_by_key(key)
    assert (token.owner, token.read_only, token.partner) == (staff, False, None)
    assert token.expires_at is not None
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/mous/").status_code == 200


def test_partner_users_token_is_scoped_to_their_partner(world, schannel_user):
    key = obtain(schannel_user.username).json()["token"]
    assert ApiToken.objects.get_by_key(key).partner == world.schannel


def test_token_lifetime_comes_from_settings(world, staff, settings):
    settings.KOLREG_API_TOKEN_DAYS = 0
    key = obtain(staff.username).json()["token"]
    assert ApiToken.objects.get_by_key(key).expires_at is None


def test_wrong_password_is_a_400(world, staff):
    response = obtain(staff.username, "wrong-password")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Unable to log in with the provided credentials."]}
    assert not ApiToken.objects.exists()


def test_missing_fields_are_a_400(db):
    response = APIClient().post(URL, {"username": "someone"}, format="json")
    assert response.status_code == 400
    assert "password" in response.json()


def test_inactive_user_gets_no_token(world, staff):
    staff.is_active = False
    staff.save()
    assert obtain(staff.username).status_code == 400


def test_a_bad_token_header_does_not_block_login(world, staff):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token revoked-or-garbage")
    response = client.post(URL, {"username": staff.username, "password": PASSWORD}, format="json")
    assert response.status_code == 200


def test_repeated_failures_lock_the_token_endpoint(world, staff, lockout_after_three):
    assert [obtain(staff.username, "wrong").status_code for _ in range(2)] == [400, 400]
    locked = obtain(staff.username, "wrong")
    assert locked.status_code == 429
    response = obtain(staff.username)  # even the right password
    assert response.status_code == 429
    assert "locked" in response.json()["detail"].lower()
    assert int(response["Retry-After"]) > 0
    assert not ApiToken.objects.exists()


def test_lockout_is_per_username(world, staff, administrator, lockout_after_three):
    for _ in range(3):
        obtain(staff.username, "wrong")
    assert obtain(administrator.username).status_code == 200


def test_success_before_the_limit_resets_the_count(world, staff, lockout_after_three):
    obtain(staff.username, "wrong")
    obtain(staff.username, "wrong")
    assert obtain(staff.username).status_code == 200
    assert obtain(staff.username, "wrong").status_code == 400


def test_repeated_failures_lock_the_admin_login(client, superuser, lockout_after_three):
    for _ in range(3):
        client.post("/admin/login/", {"username": superuser.username, "password": "wrong"})
    response = client.post("/admin/login/?next=/admin/", {"username": superuser.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302  # still sent to the login page


def test_admin_login_works_before_the_limit(client, superuser, lockout_after_three):
    client.post("/admin/login/", {"username": superuser.username, "password": "wrong"})
    response = client.post("/admin/login/?next=/admin/", {"username": superuser.username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
