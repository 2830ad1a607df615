"""Input the API refuses with a 4xx and a message instead of a 500 or a silent change.

NUL characters (PostgreSQL cannot hold them), JSON nested too deep, bodies over the size limit,
over-long values, unknown fields, and invalid ``?limit=`` / ``?brief=``. The walks take every route,
filter and writable field from the routers, so a new one cannot escape them.
"""

import base64
import json
from urllib.parse import quote

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models

from campaigns.models import Hashtag
from kolregistry.api.urls import ROUTERS
from tests.helpers import results
from tests.test_api_crud import RESOURCES

pytestmark = pytest.mark.django_db

ROUTES = [(prefix, viewset) for router in ROUTERS for prefix, viewset, _basename in router.registry]
FILTERS = [(prefix, name) for prefix, viewset in ROUTES for name in viewset.filterset_class.base_filters]
NULL_MESSAGE = "Null characters are not allowed."


def writable_fields(resource):
    serializer = dict(ROUTES)[resource].serializer_class()
    return {name: field for name, field in serializer.fields.items() if not field.read_only}


def assert_json_error(response, status=400):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()


@pytest.mark.parametrize(("resource", "name"), FILTERS)
def test_a_nul_in_any_filter_is_a_400_naming_it(api, resource, name):
    RESOURCES[resource][1]()
    response = api.get(f"/api/v1/{resource}/?{name}=a%00")
    assert assert_json_error(response) == {name: [NULL_MESSAGE]}


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("limit=1%00", "limit"),
        ("brief=%00", "brief"),
        ("ordering=%00", "ordering"),
        ("a%00=1", "a"),
        ("cursor=%00", "cursor"),
    ],
)
def test_a_nul_in_any_query_parameter_is_a_400_naming_it(api, query, name):
    """The name without its NUL."""
    assert assert_json_error(api.get(f"/api/v1/channels/?{query}")) == {name: [NULL_MESSAGE]}


def test_a_nul_in_the_search_of_every_admin_changelist_is_not_a_500(admin_client):
    """The changelists and their autocompletes; Django's test client raises on a 500."""
    for model in admin.site._registry:
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/?q=a%00"
        assert admin_client.get(url).status_code == 400, url
    response = admin_client.get("/admin/autocomplete/?term=a%00&app_label=campaigns&model_name=campaign&field_name=mou")
    assert response.status_code == 400
    response = admin_client.get("/admin/partners/kol/?q=a%00&o%00=1")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == f"q: {NULL_MESSAGE}\no: {NULL_MESSAGE}"


@pytest.mark.parametrize("resource", RESOURCES)
def test_a_nul_in_any_written_string_is_a_400_naming_the_field(api, resource):
    """Each writable field, as a string, in a list, in a brief object, and a NUL in a key."""
    payload = RESOURCES[resource][2]()[0]
    for name in writable_fields(resource):
        for value in ("a\x00", ["a\x00"], {"id": "1\x00"}, {"a\x00": 1}):
            response = api.post(f"/api/v1/{resource}/", {**payload, name: value}, format="json")
            assert assert_json_error(response) == {name: [NULL_MESSAGE]}, (name, value)
    response = api.post(f"/api/v1/{resource}/", {**payload, "a\x00": 1}, format="json")
    assert assert_json_error(response) == {"a": [NULL_MESSAGE]}


@pytest.mark.parametrize("method", ["post", "put", "patch"])
@pytest.mark.parametrize("form_format", ["multipart", "form"])
def test_a_form_body_is_a_415_json_is_the_only_write_format(api, method, form_format):
    """Only an MOU's document is uploaded as multipart, at its own address (tests/partners/test_api_mou_document.py)."""
    mou = RESOURCES["mous"][1]()
    url = "/api/v1/mous/" if method == "post" else f"/api/v1/mous/{mou.pk}/"
    if form_format == "form":
        response = api.generic(method.upper(), url, "title=Renamed", content_type="application/x-www-form-urlencoded")
    else:
        response = getattr(api, method)(url, {"title": "Renamed"}, format="multipart")
    assert "Unsupported media type" in assert_json_error(response, 415)["detail"]
    mou.refresh_from_db()
    assert mou.title != "Renamed"


def deeply_nested(levels):
    return '{"title": ' + "[" * levels + "]" * levels + "}"


TOO_DEEP = {"detail": "The JSON body is nested more than 20 levels deep."}


@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize("levels", [50, 50_000])
def test_deeply_nested_json_is_a_400(api, resource, levels):
    response = api.generic("POST", f"/api/v1/{resource}/", deeply_nested(levels), content_type="application/json")
    assert assert_json_error(response) == TOO_DEEP


def test_deeply_nested_json_on_an_update_is_a_400(api):
    obj = RESOURCES["mous"][1]()
    response = api.generic("PATCH", f"/api/v1/mous/{obj.pk}/", deeply_nested(50_000), content_type="application/json")
    assert assert_json_error(response) == TOO_DEEP


@pytest.mark.parametrize(("levels", "refused"), [(20, False), (21, True)])
def test_json_may_nest_twenty_levels_deep(api, levels, refused):
    """Twenty levels below the body's object pass the parser (then the serializer refuses the fields); 21 do not."""
    response = api.generic("POST", "/api/v1/kols/", deeply_nested(levels), content_type="application/json")
    assert (assert_json_error(response) == TOO_DEEP) is refused


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ('{"name": ', "The request body is not valid JSON (line 1, column 10)."),
        (b'{"name": "\xff"}', "The request body is not valid JSON."),  # not UTF-8: no line and column
    ],
)
def test_a_body_that_is_not_json_is_a_400_saying_where_if_it_can(api, body, detail):
    response = api.generic("POST", "/api/v1/kols/", body, content_type="application/json")
    assert assert_json_error(response) == {"detail": detail}


def test_a_body_is_read_in_the_charset_its_content_type_names(api):
    body = '{"name": "Sài Gòn Vlog", "slug": "sai-gon-vlog"}'.encode("latin-1")
    response = api.generic("POST", "/api/v1/kols/", body, content_type="application/json; charset=latin-1")
    assert (response.status_code, response.json()["name"]) == (201, "Sài Gòn Vlog")


def test_ordinary_nesting_is_accepted(api):
    payload = RESOURCES["campaigns"][2]()[0]
    payload["organisers"] = [{"id": payload["organisers"][0], "url": "…", "display": "…"}]
    assert api.post("/api/v1/campaigns/", payload, format="json").status_code == 201


def test_a_body_over_the_size_limit_is_a_json_413(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"name": "x" * 2000, "slug": "x"})
    response = api.generic("POST", "/api/v1/kols/", body, content_type="application/json")
    assert "1000 bytes" in assert_json_error(response, 413)["detail"]


def pdf(name="mou.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


@pytest.mark.parametrize(
    ("setting", "body"),
    [
        ("DATA_UPLOAD_MAX_NUMBER_FIELDS", {"document": pdf(), "note": "a", "other": "b"}),
        ("DATA_UPLOAD_MAX_NUMBER_FILES", {"document": [pdf(), pdf("copy.pdf")]}),
    ],
)
def test_a_multipart_body_with_too_many_fields_or_files_is_a_json_400(api, settings, setting, body):
    """Django's limits answer with an HTML page unless the API turns them into its own errors."""
    setattr(settings, setting, 1)
    mou = RESOURCES["mous"][1]()
    response = api.put(f"/api/v1/mous/{mou.pk}/document/", body, format="multipart")
    assert assert_json_error(response) == {"detail": "The request has too many fields or files."}
    mou.refresh_from_db()
    assert not mou.document


@pytest.mark.parametrize("resource", RESOURCES)
def test_over_long_strings_are_refused_never_truncated(api, resource):
    """Every writable text field one character over its column's length is a 400 naming it."""
    model, _factory, case = RESOURCES[resource]
    payload = case()[0]
    for name, field in writable_fields(resource).items():
        model_field = next((f for f in model._meta.fields if f.name == (field.source or name)), None)
        if not isinstance(model_field, models.CharField) or model_field.choices:
            continue
        before = model.objects.count()
        response = api.post(f"/api/v1/{resource}/", {**payload, name: "x" * (model_field.max_length + 1)})
        assert name in assert_json_error(response), name
        assert model.objects.count() == before


@pytest.mark.parametrize("limit", ["-1", "0", "000", "abc", "1.5", "1e3", " 5", "\u0661"])
def test_an_invalid_limit_is_a_400(api, limit):
    assert assert_json_error(api.get(f"/api/v1/kols/?limit={quote(limit)}")) == {
        "limit": ["Give a whole number of at least 1."]
    }


@pytest.mark.parametrize("limit", ["501", "9" * 5000])
def test_a_limit_above_the_cap_is_capped(api, limit):
    RESOURCES["kols"][1].create_batch(2)
    assert len(results(api.get(f"/api/v1/kols/?limit={limit}"))) == 2


@pytest.mark.parametrize(("resource", "position"), [("memberships", "2024-13-01"), ("channel-metrics", "abc")])
def test_a_cursor_whose_position_does_not_fit_the_order_is_a_404(api, resource, position):
    """A well-formed cursor someone edited: its position is not a value of the field the list is ordered by."""
    RESOURCES[resource][1]()
    cursor = base64.b64encode(f"p={position}".encode()).decode()
    response = api.get(f"/api/v1/{resource}/", {"cursor": cursor})
    assert assert_json_error(response, 404) == {"detail": "Invalid cursor"}


@pytest.mark.parametrize(("rows", "limit", "page"), [(3, "2", 2), (101, "100", 100), (101, "0100", 100)])
def test_a_valid_limit_sets_the_page_size(api, rows, limit, page):
    RESOURCES["kols"][1].create_batch(rows)
    response = api.get(f"/api/v1/kols/?limit={limit}")
    assert len(results(response)) == page
    assert response.json()["next"]


@pytest.mark.parametrize("brief", ["maybe", "2", "truee", "null"])
def test_an_invalid_brief_is_a_400(api, brief):
    RESOURCES["kols"][1]()
    assert assert_json_error(api.get(f"/api/v1/kols/?brief={brief}")) == {"brief": ["Give true or false (or 1 or 0)."]}


@pytest.mark.parametrize(("brief", "is_brief"), [("1", True), ("TRUE", True), ("0", False), ("false", False)])
def test_brief_takes_true_and_false(api, brief, is_brief):
    RESOURCES["kols"][1]()
    [row] = results(api.get(f"/api/v1/kols/?brief={brief}"))
    assert ("name" not in row) is is_brief


@pytest.mark.parametrize("method", ["post", "put", "patch"])
def test_an_unknown_field_is_a_400_naming_it(api, method):
    obj = RESOURCES["campaigns"][1]()
    payload = RESOURCES["campaigns"][2]()[0]
    url = "/api/v1/campaigns/" if method == "post" else f"/api/v1/campaigns/{obj.pk}/"
    response = getattr(api, method)(url, {**payload, "end_on": "2020-01-01"}, format="json")
    assert assert_json_error(response) == {"end_on": ["Unknown field."]}
    obj.refresh_from_db()
    assert obj.ends_on is None or str(obj.ends_on) != "2020-01-01"


def test_unknown_fields_are_reported_with_the_other_errors(api):
    response = api.post("/api/v1/kols/", {"name_eng": "Quach Beem"}, format="json")
    errors = assert_json_error(response)
    assert errors["name_eng"] == ["Unknown field."]
    assert "name" in errors


@pytest.mark.parametrize("resource", RESOURCES)
def test_a_get_body_can_be_put_back(api, resource):
    """Read-only fields a client echoes back (id, url, display, timestamps, an MOU's document) are ignored."""
    url = api.post(f"/api/v1/{resource}/", RESOURCES[resource][2]()[0], format="json").json()["url"]
    body = api.get(url).json()
    response = api.put(url, body, format="json")
    assert response.status_code == 200, response.content


def test_an_over_long_hashtag_is_refused_not_truncated(api):
    payload = RESOURCES["campaigns"][2]()[0]
    response = api.post("/api/v1/campaigns/", {**payload, "hashtags": ["b" * 101]}, format="json")
    assert assert_json_error(response) == {"hashtags": ["Ensure this value has at most 100 characters (it has 101)."]}
    assert not Hashtag.objects.filter(name__startswith="bbb").exists()


def test_a_hashtag_of_the_full_length_is_kept_whole(api):
    """The length counts the name without its "#"."""
    payload = RESOURCES["campaigns"][2]()[0]
    response = api.post("/api/v1/campaigns/", {**payload, "hashtags": ["#" + "b" * 100]}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["hashtags"] == ["b" * 100]


def test_an_over_long_hashtag_is_a_form_error_in_the_admin(admin_client):
    response = admin_client.post("/admin/campaigns/hashtag/add/", {"name": "b" * 101})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["name"]
    assert not Hashtag.objects.exists()


@pytest.mark.parametrize("reference", ["²", "\u0661", "3.0", {"id": "²"}])
def test_a_related_id_that_is_not_ascii_digits_is_a_400(api, reference):
    from tests.factories import AgencyFactory

    agency = AgencyFactory()
    response = api.patch(f"/api/v1/agencies/{agency.pk}/", {"parent": reference}, format="json")
    assert response.status_code == 400, response.content
    assert "parent" in response.json()
