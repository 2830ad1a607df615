"""List, detail, create, PUT, PATCH, delete and validation failures for every API resource.

The per-resource cases live beside each app's other API tests (tests/<app>/api_cases.py).
"""

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from rest_framework.test import APIClient
from rest_framework.validators import UniqueValidator

from partners.models import Agency, Kol
from tests.campaigns import api_cases as campaigns_cases
from tests.factories import AgencyFactory, ChannelFactory, KolFactory, PersonFactory
from tests.helpers import results
from tests.partners import api_cases as partners_cases

RESOURCES = {**partners_cases.RESOURCES, **campaigns_cases.RESOURCES}


@pytest.mark.parametrize("resource", RESOURCES)
def test_list_and_detail(api, resource):
    _model, factory, _case = RESOURCES[resource]
    obj = factory()
    [row] = results(api.get(f"/api/v1/{resource}/"))
    assert row["id"] == obj.pk
    assert row["display"] == str(obj)
    assert row["url"] == f"http://testserver/api/v1/{resource}/{obj.pk}/"
    assert "search_text" not in row
    detail = api.get(row["url"])
    assert detail.status_code == 200
    assert detail.json() == row


@pytest.mark.parametrize("resource", RESOURCES)
def test_create(api, resource):
    model, _factory, case = RESOURCES[resource]
    payload, _patch, _invalid, _field = case()
    response = api.post(f"/api/v1/{resource}/", payload)
    assert response.status_code == 201, response.content
    assert model.objects.filter(pk=response.json()["id"]).exists()


@pytest.mark.parametrize("resource", RESOURCES)
def test_put_and_patch(api, resource):
    _model, _factory, case = RESOURCES[resource]
    payload, patch, _invalid, _field = case()
    url = api.post(f"/api/v1/{resource}/", payload).json()["url"]
    put = api.put(url, payload)
    assert put.status_code == 200, put.content
    patched = api.patch(url, patch)
    assert patched.status_code == 200, patched.content
    for name, value in patch.items():
        assert patched.json()[name] == value


@pytest.mark.parametrize("resource", RESOURCES)
def test_delete(api, resource):
    model, factory, _case = RESOURCES[resource]
    obj = factory()
    assert api.delete(f"/api/v1/{resource}/{obj.pk}/").status_code == 204
    assert not model.objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("resource", RESOURCES)
def test_invalid_create_is_a_400_naming_the_field(api, resource):
    model, _factory, case = RESOURCES[resource]
    _payload, _patch, invalid, field = case()
    before = model.objects.count()
    response = api.post(f"/api/v1/{resource}/", invalid)
    assert response.status_code == 400
    assert isinstance(response.json()[field], list)
    assert response.json()[field][0]
    assert model.objects.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize("resource", RESOURCES)
def test_unauthenticated_is_401(resource):
    assert APIClient().get(f"/api/v1/{resource}/").status_code == 401


def test_every_routed_resource_has_a_case():
    from kolregistry.api.urls import ROUTERS

    assert {prefix for router in ROUTERS for prefix, _viewset, _basename in router.registry} == set(RESOURCES)


# Errors that get past the serializer's checks: the model raises as it saves, or only the database refuses
# (a concurrent write). Each is a 400 or 409 like the serializer's, never a 500. A check constraint only the
# database enforces: tests/partners/test_api.py.


def test_a_validation_error_raised_while_saving_is_a_400_keyed_by_field(api, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise ValidationError({"slug": "Taken meanwhile.", NON_FIELD_ERRORS: "Try again."})

    monkeypatch.setattr(Kol, "save", refuse)
    response = api.post("/api/v1/kols/", RESOURCES["kols"][2]()[0], format="json")
    assert response.status_code == 400
    assert response.json() == {"slug": ["Taken meanwhile."], "non_field_errors": ["Try again."]}


def test_a_conflict_no_constraint_names_is_a_409(api, monkeypatch):
    """Two writes of one slug at once both pass validation; the unique index (the field's own, not a
    constraint with a message) refuses the second."""
    monkeypatch.setattr(Kol, "validate_unique", lambda self, *args, **kwargs: None)
    monkeypatch.setattr(UniqueValidator, "__call__", lambda self, value, field: None)
    payload = RESOURCES["kols"][2]()[0]
    KolFactory(slug=payload["slug"])
    response = api.post("/api/v1/kols/", payload, format="json")
    assert response.status_code == 409
    assert response.json() == {"detail": "The database rejected this change because it conflicts with existing data."}
    assert Kol.objects.count() == 1


@pytest.mark.parametrize(
    ("channels", "people", "refused"),
    [
        ("CBA", 0, "3 channels refer to it (Kênh C (TikTok), Kênh B (TikTok), Kênh A (TikTok))"),
        ("DCBA", 0, "4 channels refer to it (Kênh D (TikTok), Kênh C (TikTok), Kênh B (TikTok), …)"),
        ("BA", 1, "2 channels, 1 person refer to it (Kênh B (TikTok), Kênh A (TikTok), Lê Văn Tám)"),
        ("A", 2, "2 people, 1 channel refer to it (Kênh A (TikTok), Lê Văn Tám, Lê Văn Tám)"),
        ("", 1, "1 person refers to it (Lê Văn Tám)"),
    ],
)
def test_deleting_a_row_still_referred_to_is_a_409_counting_and_naming_what_refers_to_it(
    api, channels, people, refused
):
    """The kinds most numerous first; at most three examples, in the order they were created."""
    agency = AgencyFactory()
    for letter in channels:
        ChannelFactory(kol=None, agency=agency, display_name=f"Kênh {letter}")
    PersonFactory.create_batch(people, agency=agency, partner=None, name="Lê Văn Tám", name_en="")
    response = api.delete(f"/api/v1/agencies/{agency.pk}/")
    assert response.status_code == 409
    assert response.json() == {"detail": f"It cannot be deleted while {refused}."}
    assert Agency.objects.filter(pk=agency.pk).exists()
