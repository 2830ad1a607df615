"""Every response carries an X-Request-ID, and every request is logged once with it."""

import json
import logging
import sys
import uuid

import pytest

from kolregistry.requestlog import JsonFormatter

pytestmark = pytest.mark.django_db


def request_lines(caplog):
    return [record for record in caplog.records if record.name == "kolregistry.requests"]


def test_a_request_id_is_generated_when_none_is_sent(client):
    response = client.get("/healthz")
    assert uuid.UUID(response["X-Request-ID"])


def test_each_request_gets_its_own_id(client):
    assert client.get("/healthz")["X-Request-ID"] != client.get("/healthz")["X-Request-ID"]


def test_a_valid_incoming_request_id_is_kept(api):
    request_id = str(uuid.uuid4())
    response = api.get("/api/v1/channels/", HTTP_X_REQUEST_ID=request_id)
    assert response.status_code == 200
    assert response["X-Request-ID"] == request_id


@pytest.mark.parametrize("malformed", ["not-a-uuid", "<script>alert(1)</script>", "a" * 300, "1234; rm -rf /"])
def test_a_malformed_incoming_request_id_is_replaced(client, malformed):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=malformed)
    assert response["X-Request-ID"] != malformed
    assert uuid.UUID(response["X-Request-ID"])


def test_error_responses_carry_a_request_id_too(client):
    response = client.get("/api/v1/channels/")
    assert response.status_code == 401
    assert uuid.UUID(response["X-Request-ID"])


def test_each_request_is_logged_once_with_all_fields(api, staff_user, caplog):
    with caplog.at_level(logging.INFO, logger="kolregistry.requests"):
        response = api.get("/api/v1/channels/?q=secret")
    [line] = request_lines(caplog)
    assert line.levelno == logging.INFO
    assert line.method == "GET"
    assert line.path == "/api/v1/channels/"  # without the query string, which may hold personal data
    assert line.status == 200
    assert isinstance(line.duration_ms, float)
    assert line.duration_ms >= 0
    assert line.user_id == staff_user.pk
    assert line.request_id == response["X-Request-ID"]
    message = line.getMessage()
    assert f"GET /api/v1/channels/ 200 {line.duration_ms}ms user={staff_user.pk}" in message
    assert response["X-Request-ID"] in message
    assert "secret" not in message


def test_an_anonymous_request_and_its_status_are_logged(client, caplog):
    with caplog.at_level(logging.INFO, logger="kolregistry.requests"):
        client.post("/api/v1/channels/", {}, content_type="application/json")
    [line] = request_lines(caplog)
    assert (line.method, line.status, line.user_id) == ("POST", 401, None)


def test_the_admin_user_is_logged(admin_client, staff_user, caplog):
    with caplog.at_level(logging.INFO, logger="kolregistry.requests"):
        admin_client.get("/admin/")
    [line] = request_lines(caplog)
    assert (line.path, line.status, line.user_id) == ("/admin/", 200, staff_user.pk)


def test_the_json_format_is_one_object_per_line_with_all_fields(api, staff_user, caplog):
    with caplog.at_level(logging.INFO, logger="kolregistry.requests"):
        response = api.get("/api/v1/kols/")
    [line] = request_lines(caplog)
    text = JsonFormatter().format(line)
    assert "\n" not in text
    entry = json.loads(text)
    assert entry["level"] == "INFO"
    assert entry["logger"] == "kolregistry.requests"
    assert entry["method"] == "GET"
    assert entry["path"] == "/api/v1/kols/"
    assert entry["status"] == 200
    assert entry["duration_ms"] >= 0
    assert entry["user_id"] == staff_user.pk
    assert entry["request_id"] == response["X-Request-ID"]


def test_the_json_format_keeps_a_traceback_on_one_line():
    try:
        raise ValueError("boom\nsecond line")
    except ValueError:
        record = logging.makeLogRecord(
            {"name": "x", "levelno": logging.ERROR, "msg": "failed", "exc_info": sys.exc_info()}
        )
    text = JsonFormatter().format(record)
    assert "\n" not in text
    assert "ValueError: boom" in json.loads(text)["exception"]
