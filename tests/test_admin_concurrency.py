"""The admin change form refuses to save over a version newer than the one it was opened with."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from partners.models import Kol
from tests.factories import KolFactory, MouFactory, UserFactory

pytestmark = pytest.mark.django_db


class FormValues(HTMLParser):
    """The values a browser would submit from the form with id ``form_id``."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id, self.inside, self.values = form_id, False, []
        self.select = self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside:
            return
        kind = attrs.get("type", "text")
        if tag == "input" and kind not in {"submit", "file", "button"} and attrs.get("name"):
            if kind not in {"checkbox", "radio"} or "checked" in attrs:
                self.values.append((attrs["name"], attrs.get("value") or ("on" if kind == "checkbox" else "")))
        elif tag == "select":
            self.select = attrs.get("name")
        elif tag == "option" and self.select and "selected" in attrs:
            self.values.append((self.select, attrs.get("value", "")))
        elif tag == "textarea":
            self.textarea = attrs.get("name")
            self.values.append((self.textarea, ""))

    def handle_data(self, data):
        if self.textarea:
            name, text = self.values.pop()
            self.values.append((name, text + data))

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def opened_form(client, obj):
    """The change form of ``obj`` as a browser holds it after opening the page: ``(url, data)``."""
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    response = client.get(url)
    assert response.status_code == 200
    parser = FormValues(f"{obj._meta.model_name}_form")
    parser.feed(response.content.decode())
    data = {}
    for name, value in parser.values:
        data.setdefault(name, []).append(value)
    return url, data


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
