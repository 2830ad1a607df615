"""Rate limits: per token, per session user and per anonymous IP; 429 with Retry-After."""

import os
import subprocess
import sys
from unittest.mock import patch

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from accounts.throttling import SettingsRateThrottle

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


def test_a_token_s_burst_is_limited_within_its_hourly_budget(world, staff, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"user": "100/hour", "user_burst": "2/minute", "anon": "2/minute"},
    }
    client, _token, _key = token_client(staff)
    statuses = [client.get("/api/v1/mous/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


MINUTE = 60 * 29_000_000  # the start of a fixed one-minute window, in seconds since the epoch


@pytest.fixture
def ten_a_minute(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"user": "10/minute"}}


@pytest.fixture(autouse=True)
def clock():
    """The throttles' clock, stopped 10 s into a minute (and an hour): set the time with ``clock.return_value``.

    Stopped, so that a test's few requests never straddle two windows, where the previous one's weight
    would already have begun to decay.
    """
    with patch.object(SettingsRateThrottle, "timer", return_value=3600.0 * 480_000 + 10) as timer:
        yield timer


def statuses_at(client, clock, time, count):
    clock.return_value = time
    return [client.get("/api/v1/mous/").status_code for _ in range(count)]


def test_the_previous_window_s_requests_count_with_a_decaying_weight(world, staff, ten_a_minute, clock):
    client, _token, _key = token_client(staff)
    assert statuses_at(client, clock, MINUTE - 30, 11) == [200] * 10 + [429]

    # 15 s into the next window, three quarters of the previous window's 10 still count: 7.5 + 3 reach 10.
    assert statuses_at(client, clock, MINUTE + 15, 4) == [200, 200, 200, 429]
    # 10 * (1 - t / 60) + 3 falls below 10 after t = 18 s.
    assert client.get("/api/v1/mous/")["Retry-After"] == "3"
    assert statuses_at(client, clock, MINUTE + 17.9, 1) == [429]
    assert statuses_at(client, clock, MINUTE + 18.1, 1) == [200]


def test_a_budget_spent_within_one_window_waits_for_its_weight_to_decay_in_the_next(world, staff, ten_a_minute, clock):
    client, _token, _key = token_client(staff)
    assert statuses_at(client, clock, MINUTE + 40, 11) == [200] * 10 + [429]
    # 20 s left in this window; in the next, 10 * (1 - t / 60) must fall below 10: from its start.
    assert client.get("/api/v1/mous/")["Retry-After"] == "20"
    assert statuses_at(client, clock, MINUTE + 60.1, 1) == [200]


def test_a_budget_is_two_integers_in_the_cache_whatever_its_size(world, staff, clock, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"user": "10000/hour"}}
    client, token, _key = token_client(staff)
    hour = MINUTE // 3600
    statuses_at(client, clock, hour * 3600 - 1, 20)
    statuses_at(client, clock, hour * 3600 + 1, 30)
    counters = cache.get_many([f"throttle_user_token-{token.pk}:{window}" for window in (hour - 1, hour)])
    assert list(counters.values()) == [20, 30]
    assert cache.get(f"throttle_user_token-{token.pk}") is None


def settings_in_a_fresh_process(**environment):
    code = (
        "from django.conf import settings; "
        "print(settings.REST_FRAMEWORK['DEFAULT_THROTTLE_RATES'], settings.AXES_FAILURE_LIMIT)"
    )
    names = ("KOLREG_THROTTLE_USER", "KOLREG_THROTTLE_USER_BURST", "KOLREG_THROTTLE_ANON", "KOLREG_LOGIN_FAILURE_LIMIT")
    base = {name: value for name, value in os.environ.items() if name not in names}
    environment = {**base, "DJANGO_SETTINGS_MODULE": "kolregistry.settings", **environment}
    output = subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True)
    return output.stdout.strip()


def test_default_rates_let_a_full_sync_through_in_a_minute():
    """~2,500 pages of 500 rows sync scale 1 (README, "Abuse limits"): within the burst, four times an hour."""
    assert settings_in_a_fresh_process() == (
        "{'user': '10000/hour', 'user_burst': '3000/minute', 'anon': '30/minute'} 5"
    )


def test_rates_and_lockout_limit_are_read_from_the_environment():
    output = settings_in_a_fresh_process(
        KOLREG_THROTTLE_USER="7/hour",
        KOLREG_THROTTLE_USER_BURST="5/minute",
        KOLREG_THROTTLE_ANON="3/minute",
        KOLREG_LOGIN_FAILURE_LIMIT="9",
    )
    assert output == "{'user': '7/hour', 'user_burst': '5/minute', 'anon': '3/minute'} 9"
