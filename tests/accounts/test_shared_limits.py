"""With REDIS_URL, rate limits and login lockouts hold across app processes, not per process.

Two worker processes (tests/accounts/request_worker.py) share one Redis (under a key prefix of
their own) and one database, as two app servers would; requests alternate between them.
"""

import json
import os
import subprocess
import sys
import time
import uuid

import pytest
import redis
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from accounts.models import ApiToken
from accounts.roles import ensure_roles
from tests.helpers import database_url_for_subprocesses

from .conftest import PASSWORD

# Committed data, so that the worker processes see it.
pytestmark = pytest.mark.django_db(transaction=True)

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture(autouse=True)
def roles():
    """The role groups: a transactional test before this one may have flushed those the migrations made."""
    ensure_roles()


@pytest.fixture
def shared_redis():
    """A key prefix of this test's own in the shared Redis, removed afterwards; skip without Redis."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"Redis is not reachable at {REDIS_URL} (CI runs one)")
    prefix = f"kolreg-test-{uuid.uuid4().hex}"
    yield prefix
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)
    client.close()


class Worker:
    """An app process that answers requests sent on its stdin; its log goes to ``log``."""

    def __init__(self, environment, log):
        self.log = log
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.accounts.request_worker"],
            cwd=settings.BASE_DIR,
            env=environment,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log.open("w"),
            text=True,
        )

    def send(self, method, path, **request):
        self.process.stdin.write(json.dumps({"method": method, "path": path, **request}) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        assert line, f"worker died (exit code {self.process.poll()}):\n{self.log.read_text()}"
        return json.loads(line)

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=60)
        self.process.stdout.close()


@pytest.fixture
def start_two_app_servers(shared_redis, tmp_path):
    """Starts two app processes on the test database as it is now (call it once the data is in place)."""
    workers = []

    def start():
        environment = {
            **{key: value for key, value in os.environ.items() if not key.startswith("PYTEST")},
            "DJANGO_SETTINGS_MODULE": "kolregistry.settings",
            "DATABASE_URL": database_url_for_subprocesses(tmp_path),
            "DB_CONN_MAX_AGE": "0",
            "REDIS_URL": REDIS_URL,
            "CACHE_KEY_PREFIX": shared_redis,
            "ALLOWED_HOSTS": "testserver",
            "LANGUAGE_CODE": "en",
            "KOLREG_THROTTLE_USER": "4/hour",
            "KOLREG_THROTTLE_ANON": "1000/hour",
            "KOLREG_LOGIN_FAILURE_LIMIT": "3",
        }
        workers.extend(Worker(environment, tmp_path / f"worker-{number}.log") for number in (1, 2))
        return workers

    yield start
    for worker in workers:
        worker.close()


@pytest.fixture
def user(staff):
    """A ministry staff user whose password hash the workers' settings accept (tests otherwise use MD5)."""
    hasher = PBKDF2PasswordHasher()
    hasher.iterations = 1000
    staff.password = hasher.encode(PASSWORD, hasher.salt())
    staff.save(update_fields=["password"])
    return staff


def test_a_tokens_rate_limit_is_shared_by_two_app_processes(start_two_app_servers, user):
    _token, key = ApiToken.objects.issue(owner=user, name="shared budget")
    first, second = start_two_app_servers()
    auth = {"Authorization": f"Token {key}"}

    # The five requests within one window of the hour: across two, the first window's would count a little less.
    to_next_hour = 3600 - time.time() % 3600
    if to_next_hour < 60:
        time.sleep(to_next_hour + 1)
    # 4 requests an hour, split 2 + 2: each process alone would still be within its budget.
    statuses = [worker.send("GET", "/api/v1/mous/", headers=auth)["status"] for worker in (first, second) * 2]
    assert statuses == [200, 200, 200, 200]

    for worker in (first, second):
        answer = worker.send("GET", "/api/v1/mous/", headers=auth)
        assert answer["status"] == 429
        assert int(answer["retry_after"]) > 0


def test_a_lockout_triggered_through_one_process_blocks_the_other(start_two_app_servers, user):
    first, second = start_two_app_servers()
    wrong = {"username": user.username, "password": "wrong-password"}
    right = {"username": user.username, "password": PASSWORD}

    assert first.send("POST", "/api/v1/auth/token/", json=wrong)["status"] == 400
    assert second.send("POST", "/api/v1/auth/token/", json=wrong)["status"] == 400
    assert first.send("POST", "/api/v1/auth/token/", json=wrong)["status"] == 429  # the third failure locks

    # The other process refuses even the right password, on the API and in the admin.
    assert second.send("POST", "/api/v1/auth/token/", json=right)["status"] == 429
    assert second.send("POST", "/admin/login/", form=right)["status"] == 429
    assert not ApiToken.objects.exists()
