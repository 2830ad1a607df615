"""The OpenAPI schema is valid and complete, and Swagger UI renders for logged-in users."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern
from openapi_spec_validator import validate
from rest_framework.test import APIClient

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
    undocumented = {"/api/v1/", "/api/v1/schema/", "/api/v1/docs/"}
    routes = api_routes() - undocumented
    assert "/api/v1/partners/{id}/roster/" in routes
    assert "/api/v1/campaign-reports/{id}/" in routes
    assert routes <= set(schema["paths"])


def test_schema_documents_the_filters(schema):
    names = {parameter["name"] for parameter in schema["paths"]["/api/v1/channels/"]["get"]["parameters"]}
    assert {"platform", "partner", "partner_id", "active_on", "mou", "campaign", "q", "ordering", "limit"} <= names


def test_schema_needs_a_login():
    assert APIClient().get("/api/v1/schema/").status_code == 401


def test_swagger_ui_renders_for_a_logged_in_user(client, staff_user):
    assert client.get("/api/v1/docs/").status_code in (401, 403)
    client.force_login(staff_user)
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert b"swagger-ui" in response.content
