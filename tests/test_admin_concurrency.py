"""The admin change form refuses to save over a version newer than the one it was opened with."""

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from partners.models import Kol
from tests.factories import KolFactory, MouFactory, UserFactory
from tests.helpers import opened_form

pytestmark = pytest.mark.django_db


RECORDS = {
    "kol": (KolFactory, "name_en", "/api/v1/kols/{pk}/"),
    "mou": (MouFactory, "title", "/api/v1/mous/{pk}/"),
}


@pytest.fixture(params=RECORDS)
def record(request):
    factory, field, api_path = RECORDS[request.param]
    obj = factory()
    return obj, field, api_path.format(pk=obj.pk)


@pytest.fixture
def clerk():
    return UserFactory(username="other.clerk", is_staff=True, is_superuser=True)


def test_fresh_form_saves(admin_client, record):
    obj, field, _api_path = record
    url, data = opened_form(admin_client, obj)
    data[field] = ["Saved from the admin"]

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert getattr(type(obj).objects.get(pk=obj.pk), field) == "Saved from the admin"


def test_stale_form_is_refused_naming_who_changed_the_record_and_when(admin_client, record, clerk):
    obj, field, api_path = record
    url, data = opened_form(admin_client, obj)
    api = APIClient()
    api.force_authenticate(clerk)
    assert api.patch(api_path, {field: "Changed through the API"}, format="json").status_code == 200
    data[field] = ["Saved from the admin"]

    response = admin_client.post(url, data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    change = type(obj).history.filter(id=obj.pk).latest("history_date")
    when = timezone.localtime(change.history_date).strftime("%Y-%m-%d %H:%M:%S")
    assert len(errors) == 1
    assert "other.clerk" in errors[0] and when in errors[0]
    assert errors[0] in response.content.decode()
    assert getattr(type(obj).objects.get(pk=obj.pk), field) == "Changed through the API"


def test_stale_form_writes_nothing_not_even_its_inlines(admin_client):
    kol = KolFactory()
    url, data = opened_form(admin_client, kol)
    Kol.objects.filter(pk=kol.pk).first().save()  # another save since the form was opened
    data.update(
        {
            "channels-TOTAL_FORMS": ["1"],
            "channels-0-platform": ["tiktok"],
            "channels-0-display_name": ["A new channel"],
            "channels-0-handle": ["anewchannel"],
        }
    )

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert not kol.channels.exists()


def test_add_form_carries_no_version(admin_client):
    assert "registry_version" not in admin_client.get(reverse("admin:partners_mou_add")).content.decode()
