"""The OpenAPI schema is valid and complete, and its docs (Swagger UI, ReDoc) render for logged-in users."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern
from openapi_spec_validator import validate
from rest_framework.test import APIClient

from tests.factories import ChannelFactory, ChannelMetricFactory, HashtagFactory, MouFactory
from tests.helpers import response_schema, schema_mismatch

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(staff_user):
    client = APIClient()
    client.force_authenticate(staff_user)
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()


def api_routes(patterns=None, prefix=""):
    """Every URL pattern of the /api/v1/ URLconf as an OpenAPI path, e.g. ``/api/v1/channels/{id}/``."""
    if patterns is None:
        [api] = [p for p in get_resolver().url_patterns if isinstance(p, URLResolver) and str(p.pattern) == "api/v1/"]
        return api_routes(api.url_patterns, "/api/v1/")
    routes = set()
    for pattern in patterns:
        route = str(pattern.pattern)
        if isinstance(pattern.pattern, RegexPattern):
            route = route.lstrip("^").rstrip("$")
        # DRF routers write regexes: "channels/(?P<pk>[^/.]+)/roster/" -> "channels/{id}/roster/".
        route = re.sub(r"\(\?P<pk>[^)]*\)", "{id}", route).replace("\\.", ".")
        if isinstance(pattern, URLResolver):
            routes |= api_routes(pattern.url_patterns, prefix + route)
        elif isinstance(pattern, URLPattern) and "(?P<format>" not in route:
            routes.add(prefix + route)
    return routes


def test_schema_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    validate(schema)


def test_every_api_route_is_in_the_schema(schema):
    docs = {"/api/v1/docs/", "/api/v1/redoc/", "/api/v1/redoc/redoc.standalone.js"}
    undocumented = {"/api/v1/", "/api/v1/schema/", *docs}
    routes = api_routes() - undocumented
    assert "/api/v1/partners/{id}/roster/" in routes
    assert "/api/v1/campaign-reports/{id}/" in routes
    assert routes <= set(schema["paths"])


def test_schema_documents_the_filters(schema):
    names = {parameter["name"] for parameter in schema["paths"]["/api/v1/channels/"]["get"]["parameters"]}
    assert {"platform", "partner", "partner_id", "active_on", "mou", "campaign", "q", "ordering", "limit"} <= names


def test_schema_needs_a_login():
    assert APIClient().get("/api/v1/schema/").status_code == 401


def page_resources(response):
    """The addresses a docs page loads its scripts, styles and icons from."""
    return re.findall(r'(?:src|href)="([^"]*)"', response.content.decode())


@pytest.mark.parametrize(("url", "marker"), [("/api/v1/docs/", "swagger-ui"), ("/api/v1/redoc/", "<redoc")])
def test_the_docs_render_for_a_logged_in_user_from_the_registry_alone(client, staff_user, url, marker):
    assert client.get(url).status_code in (401, 403)
    client.force_login(staff_user)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert marker in response.content.decode()
    # No CDN, no web fonts: everything comes from this server (the registry runs without internet).
    resources = page_resources(response)
    assert resources
    assert all(resource.startswith("/") and not resource.startswith("//") for resource in resources), resources


def test_swagger_ui_is_the_pinned_copy_served_as_static_files(client, staff_user):
    client.force_login(staff_user)
    resources = page_resources(client.get("/api/v1/docs/"))
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in resources
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css" in resources


def test_redocs_bundle_requests_nothing_from_another_host(client, staff_user):
    client.force_login(staff_user)
    assert "/api/v1/redoc/redoc.standalone.js" in page_resources(client.get("/api/v1/redoc/"))
    response = client.get("/api/v1/redoc/redoc.standalone.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    bundle = response.content.decode()
    assert "exports.Redoc=" in bundle
    # Redocly's logo in the side menu was the one image from elsewhere (a CDN).
    assert "cdn.redoc.ly" not in bundle


def operations(schema):
    """``(method, path, operation)`` for every operation of the schema."""
    for path, path_item in schema["paths"].items():
        for method, operation in path_item.items():
            yield method.upper(), path, operation


def expected_error_codes(method, path, has_body=True):
    """What each kind of operation can answer besides success (see kolregistry/api/autoschema.py)."""
    if path == "/api/v1/auth/token/":
        # No authentication, AllowAny: bad credentials are a 400, a lockout a 429.
        return {"400", "413", "415", "429"}
    codes = {"401", "403", "429"}
    detail = "{id}" in path
    if detail:
        codes.add("404")
    if method == "GET" and not path.endswith("/history/"):
        codes.add("400")  # invalid filters, ?limit=, ?brief=, ?ordering=
    if method == "GET" and not detail and path != "/api/v1/changes/":
        codes.add("404")  # an invalid page cursor (the change feed's is a 400 on ?since=)
    if method in {"POST", "PUT", "PATCH"}:
        codes |= {"400", "409"}
    if method in {"POST", "PUT", "PATCH"} and has_body:
        codes |= {"413", "415"}  # too large, or not JSON (an action without a body, an MOU's renewal, reads none)
    if method == "DELETE":
        codes.add("409")  # other records still depend on it
    if detail and method in {"PUT", "PATCH", "DELETE"}:
        codes.add("412")  # a stale If-Match
    return codes


def test_every_operation_documents_its_error_responses(schema):
    for method, path, operation in operations(schema):
        documented = {code for code in operation["responses"] if code.startswith("4")}
        expected = expected_error_codes(method, path, has_body="requestBody" in operation)
        assert documented == expected, f"{method} {path}"


def test_error_responses_have_a_json_body_schema(schema):
    error = {"$ref": "#/components/schemas/Error"}
    validation_error = {"$ref": "#/components/schemas/ValidationError"}
    for method, path, operation in operations(schema):
        for code, response in operation["responses"].items():
            if code.startswith("4"):
                body = response["content"]["application/json"]["schema"]
                expected = {"anyOf": [validation_error, error]} if code == "400" else error
                assert body == expected, f"{method} {path} {code}"
    assert schema["components"]["schemas"]["Error"]["required"] == ["detail"]
    assert "additionalProperties" in schema["components"]["schemas"]["ValidationError"]


def matches(schema, fragment, body):
    return schema_mismatch(schema, fragment, body) is None


@pytest.fixture
def channel():
    return ChannelMetricFactory(channel=ChannelFactory()).channel


@pytest.mark.parametrize("brief", ["", "?brief=1"])
def test_list_and_detail_responses_match_the_schema_full_and_brief(schema, api, channel, brief):
    MouFactory().channels.add(channel)
    listed = api.get(f"/api/v1/channels/{brief}")
    detail = api.get(f"/api/v1/channels/{channel.pk}/{brief}")

    assert listed.status_code == detail.status_code == 200
    assert ("followers" in detail.json()) is not bool(brief)
    assert matches(schema, response_schema(schema, "GET", "/api/v1/channels/", "200"), listed.json())
    assert matches(schema, response_schema(schema, "GET", "/api/v1/channels/{id}/", "200"), detail.json())


def test_partner_brief_form_with_its_slug_matches_the_schema(schema, api):
    partner = MouFactory().partner
    response = api.get(f"/api/v1/partners/{partner.pk}/?brief=1")

    assert set(response.json()) == {"id", "url", "display", "slug"}
    assert matches(schema, response_schema(schema, "GET", "/api/v1/partners/{id}/", "200"), response.json())


def test_the_brief_form_and_the_full_form_do_not_pass_for_each_other(schema, api, channel):
    full = api.get(f"/api/v1/channels/{channel.pk}/").json()
    brief = api.get(f"/api/v1/channels/{channel.pk}/?brief=1").json()
    full_form, brief_form = {"$ref": "#/components/schemas/Channel"}, {"$ref": "#/components/schemas/BriefChannel"}

    assert matches(schema, full_form, full) and not matches(schema, brief_form, full)
    assert matches(schema, brief_form, brief) and not matches(schema, full_form, brief)


def test_error_bodies_match_the_schema(schema, api, channel):
    cases = [
        ("POST", "/api/v1/channels/", api.post("/api/v1/channels/", {"platform": "nope"}), "400"),
        ("POST", "/api/v1/channels/", api.post("/api/v1/channels/", "{", content_type="application/json"), "400"),
        ("GET", "/api/v1/channels/", api.get("/api/v1/channels/?platform=nope"), "400"),
        ("GET", "/api/v1/channels/", api.get("/api/v1/channels/?cursor=garbage"), "404"),
        ("GET", "/api/v1/channels/{id}/", api.get("/api/v1/channels/999999/"), "404"),
        # No route matches an id with a dot: Django's 404, which must still be JSON.
        ("GET", "/api/v1/channels/{id}/", api.get("/api/v1/channels/1.5/"), "404"),
        ("DELETE", "/api/v1/channels/{id}/", api.delete(f"/api/v1/channels/{channel.pk}/"), "409"),
        ("GET", "/api/v1/channels/", APIClient().get("/api/v1/channels/"), "401"),
    ]
    for method, path, response, code in cases:
        assert str(response.status_code) == code, (method, path, response.json())
        assert matches(schema, response_schema(schema, method, path, code), response.json()), (method, path)


def test_the_schema_is_the_same_whatever_the_language(staff_user):
    """Generated clients name their models after it: two consumers must not get two clients."""
    client = APIClient()
    client.force_authenticate(staff_user)
    schemas = {
        language: client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json", **headers).content
        for language, headers in {
            "vi": {"HTTP_ACCEPT_LANGUAGE": "vi"},
            "en": {"HTTP_ACCEPT_LANGUAGE": "en"},
            "none": {},
        }.items()
    }
    assert schemas["vi"] == schemas["en"] == schemas["none"]
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json", HTTP_ACCEPT_LANGUAGE="vi")
    assert response["Content-Language"] == "en"
    assert b"N\xe1\xbb\x81n t\xe1\xba\xa3ng" not in schemas["vi"]  # "Nền tảng": nothing Vietnamese leaks in


def test_the_schema_is_the_same_for_a_partner_user(staff_user, schema):
    """Fields a partner never receives are documented for everyone, as not required."""
    from accounts.roles import PARTNER_USERS
    from tests.factories import PartnerCompanyFactory
    from tests.helpers import role_user

    client = APIClient()
    client.force_authenticate(role_user(PARTNER_USERS, PartnerCompanyFactory()))
    assert client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json() == schema


def test_responses_require_every_field_but_those_partners_do_not_get(schema):
    components = schema["components"]["schemas"]
    optional = {
        name: set(component["properties"]) - set(component.get("required", ()))
        for name, component in components.items()
        if "properties" in component and not name.endswith("Request")
    }
    assert optional["Channel"] == {"notes"}
    assert optional["Mou"] == {"notes", "responsible"}
    assert optional["Person"] == {"email", "phone", "notes"}  # a partner sees them on its own people only
    assert optional["BriefChannel"] == optional["PaginatedChannelList"] == set()
    assert "partner users" in components["Mou"]["properties"]["responsible"]["description"]
    # Requests still require only what the server requires.
    assert "notes" not in components["ChannelRequest"].get("required", ())


def test_pages_document_null_at_either_end(schema):
    page = schema["components"]["schemas"]["PaginatedChannelList"]
    assert page["properties"]["next"]["type"] == page["properties"]["previous"]["type"] == ["string", "null"]


def test_writes_take_json_only(schema):
    for method, path, operation in operations(schema):
        if "requestBody" in operation:
            # An MOU's signed PDF is the one upload; it has its own operation.
            expected = "multipart/form-data" if path == "/api/v1/mous/{id}/document/" else "application/json"
            assert set(operation["requestBody"]["content"]) == {expected}, f"{method} {path}"


def test_versions_are_documented_if_match_on_changes_etag_on_answers(schema):
    for method, path, operation in operations(schema):
        if "{id}" not in path or path.endswith(("/history/", "/renew/", "/roster/")):
            continue
        headers = {p["name"] for p in operation.get("parameters", ()) if p["in"] == "header"}
        assert headers == ({"If-Match"} if method in {"PUT", "PATCH", "DELETE"} else set()), f"{method} {path}"
        if method != "DELETE":
            assert "ETag" in operation["responses"]["200"]["headers"], f"{method} {path}"
    assert "If-Match" in str(schema["paths"]["/api/v1/mous/{id}/document/"]["put"]["parameters"])


def test_whole_number_filters_are_documented_as_integers(schema):
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/mous/"]["get"]["parameters"]}
    assert parameters["expires_within"]["schema"]["type"] == "integer"


def test_lang_cannot_switch_the_schema_language_either(api):
    english = api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").content
    assert api.get("/api/v1/schema/?lang=vi", HTTP_ACCEPT="application/vnd.oai.openapi+json").content == english


def test_a_brief_hashtag_with_accented_letters_validates(api, schema):
    """A hashtag's slug is its lower-cased name, which may hold any letter (found by schemathesis)."""
    hashtag = HashtagFactory(name="ThờiKhắc")
    body = api.get(f"/api/v1/hashtags/{hashtag.pk}/?brief=1").json()
    assert body["slug"] == "thờikhắc"
    assert matches(schema, response_schema(schema, "GET", "/api/v1/hashtags/{id}/", "200"), body)
