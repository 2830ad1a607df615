"""List, detail, create, PUT, PATCH, delete and validation failures for every API resource.

The per-resource cases live beside each app's other API tests (tests/<app>/api_cases.py).
"""

import pytest
from rest_framework.test import APIClient

from tests.campaigns import api_cases as campaigns_cases
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
