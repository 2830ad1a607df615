"""Every response of the demo, full and brief, as staff and as a partner, matches its documented schema.

The validator is strict OpenAPI 3.1 (JSON Schema 2020-12, with formats checked): a required field that
is missing, a null where the schema allows none, or a brief object that fits neither form fails.
"""

import pytest
from rest_framework.test import APIClient

from accounts.roles import PARTNER_USERS
from partners.models import PartnerCompany
from tests.factories import AssignmentFactory, CampaignReportFactory, MouPersonFactory, StatedFactFactory
from tests.helpers import response_schema, role_user, schema_mismatch

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(demo_data_for_module, django_db_blocker):
    """The demo, plus one row of each kind it has none of (it names no assignment, for one)."""
    with django_db_blocker.unblock():
        AssignmentFactory()
        CampaignReportFactory()
        MouPersonFactory()
        StatedFactFactory()


@pytest.fixture
def clients(demo, staff_user):
    staff = APIClient()
    staff.force_authenticate(staff_user)
    partner = APIClient()
    partner.force_authenticate(role_user(PARTNER_USERS, PartnerCompany.objects.get(slug="schannel")))
    return {"staff": staff, "partner": partner}


@pytest.fixture
def schema(clients):
    response = clients["staff"].get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()


def mismatch(schema, path, method, code, body):
    """Why ``body`` does not match the documented response, or None when it does."""
    return schema_mismatch(schema, response_schema(schema, method, path, code), body)


def takes(schema, path, parameter):
    return any(p["name"] == parameter for p in schema["paths"][path]["get"].get("parameters", ()))


def get_and_check(client, schema, path, url, failures):
    response = client.get(url)
    assert response.status_code == 200, (url, response.content[:300])
    problem = mismatch(schema, path, "get", 200, response.json())
    if problem:
        failures.append(f"{url}: {problem}")
    return response.json()


@pytest.mark.parametrize("who", ["staff", "partner"])
def test_every_list_detail_and_history_response_matches_its_schema(clients, schema, who):
    client, failures, checked = clients[who], [], 0
    lists = [path for path, item in schema["paths"].items() if "{" not in path and "get" in item]
    for path in lists:
        if path.endswith("/schema/"):
            continue
        page = get_and_check(client, schema, path, path, failures)
        checked += 1
        if takes(schema, path, "brief"):
            get_and_check(client, schema, path, f"{path}?brief=1", failures)
            checked += 1
        for row in page.get("results", [])[:3]:
            detail = f"{path}{{id}}/"
            if "id" not in row or detail not in schema["paths"]:
                continue
            for suffix, template in [("", detail), ("?brief=1", detail), ("history/", f"{detail}history/")]:
                if template in schema["paths"]:
                    get_and_check(client, schema, template, f"{path}{row['id']}/{suffix}", failures)
                    checked += 1
    assert checked > 60
    assert not failures, "\n".join(failures)


def test_error_responses_match_their_schema(clients, schema, settings):
    staff, partner = clients["staff"], clients["partner"]
    mou = staff.get("/api/v1/mous/").json()["results"][0]
    agency = staff.get("/api/v1/agencies/?q=center for press").json()["results"][0]
    cases = [
        ("/api/v1/agencies/{id}/", "delete", staff.delete(agency["url"]), 409),
        ("/api/v1/mous/", "post", staff.post("/api/v1/mous/", {"title": ""}, format="json"), 400),
        ("/api/v1/mous/", "post", staff.post("/api/v1/mous/", "x=1", content_type="text/plain"), 415),
        ("/api/v1/agencies/", "post", partner.post("/api/v1/agencies/", {"name": "X"}, format="json"), 403),
        ("/api/v1/mous/", "get", APIClient().get("/api/v1/mous/"), 401),
        ("/api/v1/mous/{id}/", "get", staff.get("/api/v1/mous/999999/"), 404),
        (
            "/api/v1/mous/{id}/",
            "patch",
            staff.patch(mou["url"], {"title": "X"}, format="json", HTTP_IF_MATCH='"stale"'),
            412,
        ),
    ]
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"user": "1/minute"}}
    staff.get("/api/v1/mous/")
    cases.append(("/api/v1/mous/", "get", staff.get("/api/v1/mous/"), 429))
    for path, method, response, code in cases:
        assert response.status_code == code, (path, method, response.content)
        assert mismatch(schema, path, method, code, response.json()) is None, (path, method, code)
