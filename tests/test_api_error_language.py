"""Every API error speaks one language: the one ``Accept-Language`` asks for, or English when it asks for none.

Each error body must equal what the messages' msgids give under that language, all of it: for Vietnamese, every
message must also differ from its English, so an untranslated library message fails.
"""

import datetime
from typing import Any, NamedTuple

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from rest_framework.test import APIClient

from accounts.models import ApiToken
from campaigns.models import Hashtag
from partners.models import Agency, Channel, Kol, PartnerCompany
from tests.factories import ChannelFactory, HashtagFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def vietnamese_default(settings):
    """The project's default language, which conftest replaces with English: the API must not fall back to it."""
    settings.LANGUAGE_CODE = "vi"


class Case(NamedTuple):
    status: int
    send: Any  # (world, headers) -> response
    expected: Any  # (world, response) -> the body, built under the response's language
    fixture: str | None = None  # the settings or patch the case needs


class World(NamedTuple):
    api: APIClient
    channel: Channel
    hashtag: Hashtag
    token_client: Any  # (**token fields) -> an APIClient sending a new token of the staff user


@pytest.fixture
def world(api, staff_user):
    def token_client(**fields):
        _token, key = ApiToken.objects.issue(owner=staff_user, name="test", **fields)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client

    return World(api, ChannelFactory(), HashtagFactory(), token_client)


def detail(msgid, **values):
    return {"detail": gettext(msgid).format(**values)}


def protected(world):
    message = ngettext(
        "It cannot be deleted while %(dependents)s refers to it (%(examples)s).",
        "It cannot be deleted while %(dependents)s refer to it (%(examples)s).",
        1,
    )
    return {"detail": message % {"dependents": f"1 {Channel._meta.verbose_name}", "examples": str(world.channel)}}


def throttled(response):
    wait = int(response["Retry-After"])
    more = "Expected available in {wait} second." if wait == 1 else "Expected available in {wait} seconds."
    return {"detail": f"{gettext('Request was throttled.')} {gettext(more).format(wait=wait)}"}


def bad_filters(world):
    slug = gettext("There is no {model} with the slug “%(value)s”.").format(model=PartnerCompany._meta.verbose_name)
    return {
        "platform": [
            gettext("Select a valid choice. %(value)s is not one of the available choices.") % {"value": "no"}
        ],
        "partner": [slug % {"value": "nope"}],
        "partner_id": [gettext("“%(pk)s” is not a valid id.") % {"pk": "x"}],
        "min_followers": [gettext("Enter a whole number.")],
    }


def bad_fields(world):
    return {
        "bogus": [gettext("Unknown field.")],
        "platform": [gettext('"{input}" is not a valid choice.').format(input="nope")],
        "handle": [gettext("This field may not be null.")],
        "kol": [gettext("Give the id (a whole number) of the {model}.").format(model=Kol._meta.verbose_name)],
        "agency": [gettext("There is no {model} with id {value}.").format(model=Agency._meta.verbose_name, value=0)],
    }


def kol_url(world):
    return f"/api/v1/kols/{world.channel.kol_id}/"


def last_of_two(send):
    send()
    return send()


@pytest.fixture
def conflicts_reach_the_database(monkeypatch):
    """Validation passes, as for two concurrent writes: the database's unique index refuses the second."""
    monkeypatch.setattr(Hashtag, "validate_constraints", lambda self, exclude=None: None)


@pytest.fixture
def small_bodies(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000


@pytest.fixture
def one_request_a_minute(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"user": "1/minute"}}


@pytest.fixture
def lockout_after_one_failure(settings):
    settings.AXES_FAILURE_LIMIT = 1


def sign_in(headers, password="wrong"):
    credentials = {"username": "admin", "password": password}  # conftest's staff user
    return APIClient().post("/api/v1/auth/token/", credentials, format="json", **headers)


STALE = '"0123456789abcdef0123456789abcdef"'
CASES = {
    "400-fields": Case(
        400,
        lambda w, h: w.api.post(
            "/api/v1/channels/",
            {"platform": "nope", "handle": None, "kol": "abc", "agency": 0, "bogus": 1},
            format="json",
            **h,
        ),
        lambda w, r: bad_fields(w),
    ),
    "400-not-an-object": Case(
        400,
        lambda w, h: w.api.post("/api/v1/channels/", [1], format="json", **h),
        lambda w, r: {
            "non_field_errors": [
                gettext("Invalid data. Expected a dictionary, but got {datatype}.").format(datatype="list")
            ]
        },
    ),
    "400-not-json": Case(
        400,
        lambda w, h: w.api.post("/api/v1/channels/", "{", content_type="application/json", **h),
        lambda w, r: {
            "detail": gettext("The request body is not valid JSON (line %(line)s, column %(column)s).")
            % {"line": 1, "column": 2}
        },
    ),
    "400-unique": Case(
        400,
        lambda w, h: w.api.post("/api/v1/hashtags/", {"name": w.hashtag.name.upper()}, format="json", **h),
        lambda w, r: {"non_field_errors": [gettext("This hashtag already exists (hashtags ignore case).")]},
    ),
    "400-filters": Case(
        400,
        lambda w, h: w.api.get(
            "/api/v1/channels/", {"platform": "no", "partner": "nope", "partner_id": "x", "min_followers": "x"}, **h
        ),
        lambda w, r: bad_filters(w),
    ),
    "404-cursor": Case(
        404,
        lambda w, h: w.api.get("/api/v1/channels/", {"cursor": "garbage"}, **h),
        lambda w, r: detail("Invalid cursor"),
    ),
    "400-token-credentials": Case(
        400,
        lambda w, h: sign_in(h),
        lambda w, r: {"non_field_errors": [gettext("Unable to log in with the provided credentials.")]},
    ),
    "401-no-credentials": Case(
        401,
        lambda w, h: APIClient().get("/api/v1/channels/", **h),
        lambda w, r: detail("Authentication credentials were not provided."),
    ),
    "401-unknown-token": Case(
        401,
        lambda w, h: APIClient().get("/api/v1/channels/", HTTP_AUTHORIZATION="Token nope", **h),
        lambda w, r: detail("Invalid token."),
    ),
    "401-expired-token": Case(
        401,
        lambda w, h: w.token_client(expires_at=timezone.now() - datetime.timedelta(days=1)).get("/api/v1/kols/", **h),
        lambda w, r: detail("This token has expired."),
    ),
    "403-read-only-token": Case(
        403,
        lambda w, h: w.token_client(read_only=True).post("/api/v1/kols/", {}, format="json", **h),
        lambda w, r: detail("This token is read-only."),
    ),
    "404-missing-object": Case(
        404,
        lambda w, h: w.api.get("/api/v1/channels/0/", **h),
        lambda w, r: detail("Not found."),
    ),
    "404-unknown-route": Case(
        404,
        lambda w, h: w.api.get("/api/v1/nope/", **h),
        lambda w, r: detail("Not found."),
    ),
    "405": Case(
        405,
        lambda w, h: w.api.delete("/api/v1/channels/", **h),
        lambda w, r: detail('Method "{method}" not allowed.', method="DELETE"),
    ),
    "406": Case(
        406,
        lambda w, h: w.api.get("/api/v1/channels/", HTTP_ACCEPT="application/xml", **h),
        lambda w, r: detail("Could not satisfy the request Accept header."),
    ),
    "409-protected": Case(
        409,
        lambda w, h: w.api.delete(kol_url(w), **h),
        lambda w, r: protected(w),
    ),
    "412": Case(
        412,
        lambda w, h: w.api.patch(kol_url(w), {"name_en": "x"}, format="json", HTTP_IF_MATCH=STALE, **h),
        lambda w, r: detail("This record has changed since you read it. Fetch it again and repeat your change."),
    ),
    "409-unique": Case(
        409,
        lambda w, h: w.api.post("/api/v1/hashtags/", {"name": w.hashtag.name.upper()}, format="json", **h),
        lambda w, r: detail("This hashtag already exists (hashtags ignore case)."),
        fixture="conflicts_reach_the_database",
    ),
    "413": Case(
        413,
        lambda w, h: w.api.post("/api/v1/kols/", {"name": "x" * 2000}, format="json", **h),
        lambda w, r: {"detail": gettext("The request body is larger than %(limit)s bytes.") % {"limit": 1000}},
        fixture="small_bodies",
    ),
    "415": Case(
        415,
        lambda w, h: w.api.post("/api/v1/kols/", "name=x", content_type="text/plain", **h),
        lambda w, r: detail('Unsupported media type "{media_type}" in request.', media_type="text/plain"),
    ),
    "429": Case(
        429,
        lambda w, h: last_of_two(lambda: w.api.get("/api/v1/kols/", **h)),
        lambda w, r: throttled(r),
        fixture="one_request_a_minute",
    ),
    "429-lockout": Case(
        429,
        lambda w, h: last_of_two(lambda: sign_in(h)),
        lambda w, r: detail("Account locked: too many login attempts. Please try again later."),
        fixture="lockout_after_one_failure",
    ),
}


def texts(body):
    """Every string of a JSON body, in order; keys are field names, not messages."""
    if isinstance(body, dict):
        body = list(body.values())
    if isinstance(body, list):
        return [text for item in body for text in texts(item)]
    return [body] if isinstance(body, str) else []


@pytest.mark.parametrize("accept_language", ["vi", "en", None])
@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_an_api_error_is_wholly_in_the_language_asked_for_or_english(request, world, case, accept_language):
    if case.fixture:
        request.getfixturevalue(case.fixture)
    language = accept_language or "en"
    headers = {"HTTP_ACCEPT_LANGUAGE": accept_language} if accept_language else {}

    response = case.send(world, headers)

    assert response.status_code == case.status, response.content
    assert response["Content-Language"] == language
    with translation.override(language):
        expected = case.expected(world, response)
    assert response.json() == expected
    if language == "vi":
        with translation.override("en"):
            english = texts(case.expected(world, response))
        assert [text for text, in_english in zip(texts(expected), english, strict=True) if text == in_english] == []


@pytest.mark.parametrize(
    ("accept_language", "language"),
    [
        ("vi-VN", "vi"),
        ("en-US,en;q=0.9", "en"),
        ("en;q=0.5, vi", "vi"),
        ("vi;q=0.4, en-GB;q=0.8", "en"),
        ("fr, vi;q=0.5", "vi"),
        ("fr", "en"),  # no language the registry has: English, not LANGUAGE_CODE
        ("*", "en"),
        ("", "en"),
    ],
)
def test_the_api_follows_accept_language_and_falls_back_to_english(api, accept_language, language):
    response = api.get("/api/v1/nope/", HTTP_ACCEPT_LANGUAGE=accept_language)

    assert response["Content-Language"] == language
    with translation.override(language):
        assert response.json() == {"detail": gettext("Not found.")}


def test_the_api_follows_the_language_cookie_as_the_admin_does(api, settings):
    api.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"

    response = api.get("/api/v1/nope/")

    assert response["Content-Language"] == "vi"


def test_pages_outside_the_api_keep_the_default_language(client):
    response = client.get("/admin/login/")

    assert response["Content-Language"] == "vi"


def test_an_unknown_page_outside_the_api_is_djangos_html_404(client):
    response = client.get("/nope/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_missing_object_in_the_browsable_api_is_its_html_404(client, staff_user):
    client.force_login(staff_user)

    response = client.get("/api/v1/channels/0/", HTTP_ACCEPT="text/html")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
