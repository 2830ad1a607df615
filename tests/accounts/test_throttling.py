"""Rate limits: per token, per session user and per anonymous IP; 429 with Retry-After."""

import os
import subprocess
import sys

import pytest
from rest_framework.test import APIClient

from .conftest import PASSWORD, session_client, token_client

pytestmark = pytest.mark.urls("tests.accounts.api_stub")


@pytest.fixture
def low_rates(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"user": "2/minute", "anon": "2/minute"},
    }


def test_token_over_its_rate_gets_429_with_retry_after(world, staff, low_rates):
    client, _token, _key = token_client(staff)
    assert [client.get("/api/v1/mous/").status_code for _ in range(2)] == [200, 200]
    response = client.get("/api/v1/mous/")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60


def test_each_token_has_its_own_budget(world, staff, low_rates):
    first, _token, _key = token_client(staff)
    second, _token, _key = token_client(staff)
    for _ in range(3):
        first.get("/api/v1/mous/")
    assert second.get("/api/v1/mous/").status_code == 200


def test_session_user_is_throttled(world, staff, low_rates):
    client = session_client(staff)
    statuses = [client.get("/api/v1/mous/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_anonymous_ip_is_throttled_on_the_token_endpoint(world, staff, low_rates):
    client = APIClient()
    credentials = {"username": staff.username, "password": PASSWORD}
    statuses = [client.post("/api/v1/auth/token/", credentials, format="json").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    other_ip = APIClient(REMOTE_ADDR="10.0.0.9")
    assert other_ip.post("/api/v1/auth/token/", credentials, format="json").status_code == 200


def test_rates_and_lockout_limit_are_read_from_the_environment():
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kolregistry.settings",
        "KOLREG_THROTTLE_USER": "7/hour",
        "KOLREG_THROTTLE_ANON": "3/minute",
        "KOLREG_LOGIN_FAILURE_LIMIT": "9",
    }
    code = (
        "from django.conf import settings; "
        "print(settings.REST_FRAMEWORK['DEFAULT_THROTTLE_RATES'], settings.AXES_FAILURE_LIMIT)"
    )
    output = subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True)
    assert output.stdout.strip() == "{'user': '7/hour', 'anon': '3/minute'} 9"
