"""/healthz and /readyz, and a JSON 503 instead of an HTML 500 while the database is down."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

BASE_DIR = Path(settings.BASE_DIR)
# Nothing listens on port 1: connecting is refused at once.
CLOSED_PORT_DATABASE_URL = "postgres://postgres@127.0.0.1:1/kolregistry"
CLOSED_PORT_REDIS = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
}


def test_healthz_answers_without_the_database(client):
    # No django_db mark: any database access here would raise.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_healthz_is_not_throttled(client):
    # More than the anonymous API limit (30/minute); the health checks are outside the API.
    statuses = {client.get("/healthz").status_code for _ in range(40)}
    assert statuses == {200}


@pytest.mark.django_db
def test_readyz_is_200_when_the_database_and_the_cache_answer(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}


@pytest.mark.django_db
def test_readyz_is_503_naming_the_cache_when_it_does_not_answer(client):
    with override_settings(CACHES=CLOSED_PORT_REDIS):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "checks": {"database": "ok", "cache": "unavailable"}}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url, headers=None):
    """(status, headers, body) of a GET, whatever the status."""
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.fixture(scope="module")
def server_without_database(tmp_path_factory):
    """gunicorn serving the registry with its database at a closed port, logging JSON to a file."""
    port = free_port()
    log_path = tmp_path_factory.mktemp("gunicorn") / "stderr.log"
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "kolregistry.settings",
        "DATABASE_URL": CLOSED_PORT_DATABASE_URL,
        "DJANGO_SECRET_KEY": uuid.uuid4().hex * 2,
        "LOG_FORMAT": "json",
    }
    command = [sys.executable, "-m", "gunicorn", "kolregistry.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"]
    with log_path.open("w") as log:
        process = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=log)
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, log_path.read_text()
            try:
                fetch(f"{base_url}/healthz")
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not start:\n" + log_path.read_text()
                time.sleep(0.2)
        yield base_url, log_path
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_without_database_healthz_is_200(server_without_database):
    base_url, _log = server_without_database
    status, _headers, body = fetch(f"{base_url}/healthz")
    assert status == 200
    assert json.loads(body) == {"status": "ok"}


def test_without_database_readyz_is_503_naming_the_database(server_without_database):
    base_url, _log = server_without_database
    status, _headers, body = fetch(f"{base_url}/readyz")
    assert status == 503
    assert json.loads(body) == {"status": "unavailable", "checks": {"database": "unavailable", "cache": "ok"}}


# A consumer sends its token, and checking a token needs the database. (A read without credentials is a 401,
# which needs none.)
CONSUMER = {"Accept": "application/json", "Authorization": "Token kolreg_cannot-be-checked-without-a-database"}


@pytest.mark.parametrize("path", ["/api/v1/channels/", "/api/v1/", "/api/v1/auth/token/"])
def test_without_database_the_api_is_a_json_503_with_retry_after(server_without_database, path):
    base_url, _log = server_without_database
    status, headers, body = fetch(f"{base_url}{path}", CONSUMER)
    assert status == 503
    assert headers["Content-Type"] == "application/json"
    assert int(headers["Retry-After"]) > 0
    assert "detail" in json.loads(body)
    assert headers["X-Request-ID"]


def test_without_database_the_admin_is_a_plain_503(server_without_database):
    base_url, _log = server_without_database
    status, headers, _body = fetch(f"{base_url}/admin/")
    assert status == 503
    assert int(headers["Retry-After"]) > 0


def test_without_database_every_request_is_logged_as_one_json_line(server_without_database):
    base_url, log_path = server_without_database
    request_id = str(uuid.uuid4())
    status, headers, _body = fetch(f"{base_url}/api/v1/kols/", {**CONSUMER, "X-Request-ID": request_id})
    assert status == 503
    assert headers["X-Request-ID"] == request_id
    deadline = time.monotonic() + 30
    while True:
        # gunicorn's own start-up lines are its own format; the registry's lines are JSON.
        lines = [json.loads(line) for line in log_path.read_text().splitlines() if line.startswith("{")]
        request_lines = [line for line in lines if line["logger"] == "kolregistry.requests"]
        if any(line["request_id"] == request_id for line in request_lines) or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    [line] = [line for line in request_lines if line["request_id"] == request_id]
    assert line["method"] == "GET"
    assert line["path"] == "/api/v1/kols/"
    assert line["status"] == 503
    assert line["duration_ms"] >= 0
    assert line["user_id"] is None
