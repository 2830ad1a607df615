"""The API's JSON (kolregistry/api/renderers.py): orjson's speed with DRF's exact bytes."""

import datetime
import decimal
import uuid

import pytest
from django.utils import timezone
from django.utils.translation import gettext_lazy
from rest_framework.renderers import JSONRenderer

from kolregistry.api.renderers import RegistryJSONRenderer

from .factories import ChannelFactory, ChannelMetricFactory, KolFactory

pytestmark = pytest.mark.django_db

HANOI = datetime.timezone(datetime.timedelta(hours=7))


def drf_json(data, accepted_media_type=None):
    return JSONRenderer().render(data, accepted_media_type)


def test_list_and_detail_are_drf_s_bytes(api):
    kol = KolFactory(name="Nguyễn Đức Hiếu")
    # U+2028 and U+2029 are valid JSON but end a line in JavaScript: DRF escapes them.
    channel = ChannelFactory(kol=kol, display_name='Hà Giang\u2028ơi\u2029 \u2013 🇻🇳 "quoted" \\ back')
    ChannelMetricFactory(channel=channel)

    bodies = {}
    for path in ("/api/v1/channels/", f"/api/v1/channels/{channel.pk}/", "/api/v1/channel-metrics/"):
        response = api.get(path)
        assert response.status_code == 200
        assert response.content == drf_json(response.data)
        bodies[path] = response.content
    assert b"\\u2028" in bodies["/api/v1/channels/"]


def test_an_error_is_drf_s_bytes(api):
    response = api.get("/api/v1/channels/", {"platform": "myspace"})
    assert response.status_code == 400
    assert response.content == drf_json(response.data)


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(datetime.datetime(2024, 5, 17, 8, 30, 15, 123456, tzinfo=datetime.UTC), id="utc-datetime"),
        pytest.param(datetime.datetime(2024, 5, 17, 8, 30, tzinfo=HANOI), id="hanoi-datetime"),
        pytest.param(datetime.datetime(2024, 5, 17, 8, 30), id="naive-datetime"),
        pytest.param(datetime.date(2024, 5, 17), id="date"),
        pytest.param(datetime.time(8, 30, 15, 500), id="time"),
        pytest.param(datetime.timedelta(days=2, seconds=5), id="timedelta"),
        pytest.param(decimal.Decimal("12.50"), id="decimal"),
        pytest.param(uuid.UUID("12345678-1234-5678-1234-567812345678"), id="uuid"),
        pytest.param(gettext_lazy("Invalid token."), id="lazy-translation"),
        pytest.param(("a", 1, None, True), id="tuple"),
        pytest.param(2**70, id="integer-wider-than-64-bits"),
        pytest.param({1: "a key that is not a string"}, id="integer-key"),
        pytest.param("\u2028\u2029 Việt Nam 🇻🇳 </script>", id="line-terminators"),
        pytest.param(b"bytes", id="bytes"),
    ],
)
def test_any_value_is_encoded_as_drf_encodes_it(value):
    data = {"value": value, "nested": [{"value": value}]}
    assert RegistryJSONRenderer().render(data) == drf_json(data)


def test_an_indented_answer_is_drf_s(api):
    ChannelFactory()
    response = api.get("/api/v1/channels/", HTTP_ACCEPT="application/json; indent=2")
    assert response.content == drf_json(response.data, "application/json; indent=2")
    assert b'\n  "next"' in response.content


def test_nothing_renders_as_no_body():
    assert RegistryJSONRenderer().render(None) == b""


@pytest.mark.parametrize(("zone", "suffix"), [("Asia/Ho_Chi_Minh", "+07:00"), ("UTC", "Z")])
def test_date_times_are_in_the_active_time_zone(api, zone, suffix):
    ChannelFactory.create_batch(2)
    with timezone.override(zone):
        rows = api.get("/api/v1/channels/").json()["results"]
    assert [row["created_at"][-len(suffix) :] for row in rows] == [suffix, suffix]
