"""Small helpers shared by the tests."""

import sqlite3
from html.parser import HTMLParser
from urllib.parse import quote, urlencode

from django.db import connection
from django.http import QueryDict
from django.urls import reverse
from jsonschema.exceptions import ValidationError as SchemaMismatch
from openapi_schema_validator import OAS31Validator


def role_user(group, partner=None, **extra):
    """A staff user in the role ``group`` (accounts.roles), working for ``partner`` when given."""
    from django.contrib.auth.models import Group

    from accounts.models import PartnerAccount
    from accounts.roles import ensure_roles
    from tests.factories import UserFactory

    ensure_roles()  # a transactional test starts without the migration's groups
    user = UserFactory(is_staff=True, **extra)
    user.groups.add(Group.objects.get(name=group))
    if partner is not None:
        PartnerAccount.objects.create(user=user, partner=partner)
    return user


def partner_client(client, partner):
    """``client`` signed in as a user of ``partner``: the partner role views, it changes nothing."""
    from accounts.roles import PARTNER_USERS

    client.force_login(role_user(PARTNER_USERS, partner))
    return client


def freeze_today(monkeypatch, day):
    """Make "today" ``day`` for every rule that reads it (``timezone.localdate()``); dated calls are unchanged."""
    from django.utils import timezone

    real_localdate = timezone.localdate
    monkeypatch.setattr(
        timezone, "localdate", lambda value=None, **kwargs: day if value is None else real_localdate(value, **kwargs)
    )


def results(response):
    """The rows of a successful list response."""
    assert response.status_code == 200, response.content
    return response.json()["results"]


def listed(response):
    """The objects a changelist shows on its page."""
    return list(response.context["cl"].result_list)


def assert_changelist_shows(client, assert_max_queries, url, rows, max_queries):
    """The changelist at ``url`` lists ``rows`` objects in at most ``max_queries`` queries."""
    with assert_max_queries(max_queries):
        response = client.get(url)
    assert response.status_code == 200
    assert len(listed(response)) == response.context["cl"].result_count == rows


def pks(filterset_class, data, model):
    """The pks the filterset selects for ``data``, given as a query string would give it."""
    filterset = filterset_class(QueryDict(urlencode(data, doseq=True)), queryset=model.objects.all())
    assert filterset.is_valid(), filterset.errors
    return set(filterset.qs.values_list("pk", flat=True))


def database_url_for_subprocesses(tmp_path):
    """The test database as a DATABASE_URL another process can open (the test must commit its data).

    PostgreSQL's test database as it is; SQLite's in-memory one copied to a file in ``tmp_path``.
    """
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        credentials = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
        return f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{quote(db['NAME'])}"
    path = tmp_path / "test-database.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(path) as copy:
        connection.connection.backup(copy)
    return f"sqlite:///{path}"


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


def kol_saves_fail_after_the_first(monkeypatch):
    """Make a KOL import's second save fail as the database would; returns the pks saved before it."""
    from django.db import IntegrityError

    from partners.resources import KolResource

    saved = []

    def save_then_fail(self, instance, is_create):
        if saved:
            raise IntegrityError("simulated")
        instance.save()
        saved.append(instance.pk)

    monkeypatch.setattr(KolResource, "do_instance_save", save_then_fail)
    return saved


def response_schema(schema, method, path, code):
    """The JSON body schema that ``schema`` documents for ``method path`` answering ``code``."""
    return schema["paths"][path][method.lower()]["responses"][str(code)]["content"]["application/json"]["schema"]


def schema_mismatch(schema, fragment, body):
    """Why ``body`` fails ``fragment`` (its ``$ref``s point into ``schema``'s components), or None when it passes.

    Strict OpenAPI 3.1 (JSON Schema 2020-12), formats checked.
    """
    validator = OAS31Validator(
        {**fragment, "components": schema["components"]}, format_checker=OAS31Validator.FORMAT_CHECKER
    )
    try:
        validator.validate(body)
    except SchemaMismatch as error:
        return f"{error.message} at {list(error.absolute_path)}"
    return None
