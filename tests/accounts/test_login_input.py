"""Over-long usernames on the two logins are refused before django-axes records the failure.

django-axes stores a failed login's username in a 255-character column: a longer one used to be a
500 on PostgreSQL (and a row no lockout could match on SQLite).
"""

import pytest
from axes.models import AccessAttempt
from django.test import Client
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

LONG_USERNAMES = ["u" * 151, "u" * 256, "u" * 5000]


@pytest.mark.parametrize("username", LONG_USERNAMES)
def test_an_over_long_username_on_the_token_endpoint_is_a_400(username):
    response = APIClient().post("/api/v1/auth/token/", {"username": username, "password": "x"}, format="json")
    assert response.status_code == 400
    assert response.json()["username"] == ["Ensure this field has no more than 150 characters."]
    assert not AccessAttempt.objects.exists()


@pytest.mark.parametrize("username", LONG_USERNAMES)
def test_an_over_long_username_on_the_admin_login_is_a_form_error(username):
    response = Client().post("/admin/login/", {"username": username, "password": "x"})
    assert response.status_code == 200
    assert response.context["form"].errors["username"]
    assert not AccessAttempt.objects.exists()


def test_a_wrong_password_is_still_recorded_by_axes(staff_user):
    assert Client().post("/admin/login/", {"username": "admin", "password": "wrong"}).status_code == 200
    assert APIClient().post("/api/v1/auth/token/", {"username": "admin", "password": "x"}).status_code == 400
    assert AccessAttempt.objects.get(username="admin").failures_since_start == 2
