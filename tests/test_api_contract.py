"""The API contract: a client generated from the live schema with openapi-python-client works as consumers use it.

The client is generated once for the module, from ``/api/v1/schema/`` as a token holder fetches it, and talks
to the registry in-process (httpx's WSGI transport), so every call runs inside the test's transaction.
Everything after fetching the schema goes through the generated client only. The tests of the everyday
questions are the README's "Generate a Python client" examples.
"""

import datetime
import importlib
import json
import pkgutil
import subprocess
import sys
import uuid
from urllib.parse import parse_qs, urlsplit

import attrs
import httpx
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from accounts.models import ApiToken
from accounts.roles import MINISTRY_ADMINISTRATORS, MINISTRY_STAFF
from kolregistry.api.concurrency import PreconditionFailed
from partners.models import Channel, Mou, RosterMembership
from tests.factories import (
    AgencyFactory,
    ChannelFactory,
    KolFactory,
    PartnerCompanyFactory,
    RosterMembershipFactory,
)
from tests.helpers import role_user

GENERATOR = [sys.executable, "-m", "openapi_python_client"]  # the openapi-python-client CLI, pinned in requirements-dev
# As a consumer runs it; no ruff formatting of the generated code (config.yaml): faster.
GENERATE_OPTIONS = ["--meta", "none", "--config", "config.yaml"]
BASE_URL = "http://testserver"


class GeneratedClient:
    """The generated package, imported under a name unique to this run."""

    def __init__(self, package, schema):
        self.package, self.schema = package, schema

    def module(self, dotted):
        return importlib.import_module(f"{self.package}.{dotted}")

    @property
    def models(self):
        return self.module("models")

    def operation(self, tag, operation_id):
        """An operation module, e.g. ``operation("channels", "channels_list")``: ``.sync()``, ``.sync_detailed()``."""
        return self.module(f"api.{tag}.{operation_id}")


@pytest.fixture(scope="module")
def transport():
    """The registry as a WSGI app (what gunicorn serves), called in-process.

    As Django's test client does, requests must not close the test's connection in the middle of its transaction.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield httpx.WSGITransport(app=WSGIHandler())
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def token_key(demo_data_for_module, django_db_blocker):
    """The key of an administrator's token (administrators may also delete), for the whole module."""
    with django_db_blocker.unblock():
        _token, key = ApiToken.objects.issue(owner=role_user(MINISTRY_ADMINISTRATORS), name="contract test")
    return key


@pytest.fixture(scope="module")
def generated(token_key, transport, django_db_blocker, tmp_path_factory):
    """The client openapi-python-client generates from the live schema, importable for this module."""
    with django_db_blocker.unblock(), httpx.Client(transport=transport, base_url=BASE_URL) as http:
        response = http.get(
            "/api/v1/schema/", params={"format": "json"}, headers={"Authorization": f"Token {token_key}"}
        )
    assert response.status_code == 200, response.text
    work = tmp_path_factory.mktemp("contract")
    (work / "schema.json").write_bytes(response.content)
    (work / "config.yaml").write_text("post_hooks: []\n")
    package = f"kolregistry_client_{uuid.uuid4().hex}"
    generation = subprocess.run(
        [*GENERATOR, "generate", "--path", "schema.json", "--output-path", package, *GENERATE_OPTIONS],
        cwd=work,
        capture_output=True,
        text=True,
    )
    assert generation.returncode == 0, generation.stdout + generation.stderr
    sys.path.insert(0, str(work))
    yield GeneratedClient(package, response.json())
    sys.path.remove(str(work))
    for name in [name for name in sys.modules if name == package or name.startswith(f"{package}.")]:
        del sys.modules[name]


@pytest.fixture
def make_client(db, generated, transport, token_key):
    """``AuthenticatedClient`` as a consumer builds it (our scheme is ``Token``, not ``Bearer``), in-process."""

    def make(token=token_key, **options):
        clients = generated.module("client")
        options = {"base_url": BASE_URL, "httpx_args": {"transport": transport}, **options}
        if token is None:
            return clients.Client(**options)  # no credentials at all
        return clients.AuthenticatedClient(token=token, prefix="Token", **options)

    return make


@pytest.fixture
def client(make_client):
    return make_client()


def cursor_of(next_url):
    """The cursor to pass for the page at ``next_url``: the generated list operations take ``cursor=``."""
    return parse_qs(urlsplit(next_url).query)["cursor"][0]


def test_every_operation_module_imports(generated):
    api = generated.module("api")
    modules = [m.name for m in pkgutil.walk_packages(api.__path__, f"{api.__name__}.") if not m.ispkg]

    failures = {}
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception as error:  # every failing module is reported, not only the first
            failures[name] = repr(error)
    assert failures == {}
    methods = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
    paths = generated.schema["paths"].values()
    operations = {operation["operationId"] for path in paths for method, operation in path.items() if method in methods}
    assert {name.rsplit(".", 1)[1] for name in modules} == operations


def test_a_consumer_syncs_a_roster_page_by_page(client, generated):
    day = datetime.date(2025, 6, 1)
    partner = PartnerCompanyFactory()
    on_roster = {RosterMembershipFactory(partner=partner).channel.pk for _ in range(7)}
    RosterMembershipFactory(partner=partner, starts_on=datetime.date(2023, 1, 1), ends_on=datetime.date(2023, 12, 31))
    RosterMembershipFactory(partner=PartnerCompanyFactory())
    channels_list = generated.operation("channels", "channels_list")

    rows, pages, cursor = [], 0, generated.module("types").UNSET
    while True:
        page = channels_list.sync(client=client, partner=[partner.slug], active_on=day, limit=3, cursor=cursor)
        assert isinstance(page, generated.models.PaginatedChannelList), page
        rows += page.results
        pages += 1
        if not page.next_:
            break
        cursor = cursor_of(page.next_)

    assert pages == 3
    assert all(isinstance(row, generated.models.Channel) for row in rows)
    assert sorted(row.id for row in rows) == sorted(on_roster)


def test_brief_list_and_detail_parse_into_the_brief_model(client, generated):
    channel = ChannelFactory()
    BriefChannel = generated.models.BriefChannel

    page = generated.operation("channels", "channels_list").sync(client=client, brief=True, limit=5)
    detail = generated.operation("channels", "channels_retrieve").sync(channel.pk, client=client, brief=True)

    assert page.results and all(isinstance(row, BriefChannel) for row in page.results)
    assert isinstance(detail, BriefChannel)
    assert (detail.id, detail.display) == (channel.pk, str(channel))


def test_response_fields_the_server_always_sends_are_never_unset(client, generated):
    mou = Mou.objects.get(partner__slug="schannel")
    responses = [
        generated.operation("mous", "mous_retrieve").sync_detailed(mou.pk, client=client),
        generated.operation("mous", "mous_list").sync_detailed(client=client, limit=1),
        generated.operation("channels", "channels_list").sync_detailed(client=client, limit=1),
    ]

    maybe_unset = {}
    for response in responses:
        body = json.loads(response.content)
        for parsed, sent in [
            (response.parsed, body),
            *zip(getattr(response.parsed, "results", []), body.get("results", []), strict=True),
        ]:
            # Python names: ``next`` is ``next_``.
            fields = {f.name.rstrip("_"): f for f in attrs.fields(type(parsed))}
            maybe_unset[type(parsed).__name__] = sorted(name for name in sent if "Unset" in str(fields[name].type))
    # Only the internal fields may be absent: partner users never receive them.
    assert maybe_unset == {
        "Mou": ["notes", "responsible"],
        "Channel": ["notes"],
        "PaginatedMouList": [],
        "PaginatedChannelList": [],
    }


def test_create_patch_to_null_and_delete_an_mou(client, generated):
    models = generated.models
    agency, partner, responsible = AgencyFactory(), PartnerCompanyFactory(), role_user(MINISTRY_STAFF)

    created = generated.operation("mous", "mous_create").sync(
        client=client,
        body=models.MouRequest(
            title="MOU on KOL communication",
            agency=agency.pk,
            partner=partner.pk,
            starts_on="2025-01",
            renews=None,
            responsible=responsible.pk,
        ),
    )
    assert isinstance(created, models.Mou), created
    assert (created.starts_on, created.renews) == ("2025-01", None)

    mous_retrieve = generated.operation("mous", "mous_retrieve")

    patched = generated.operation("mous", "mous_partial_update").sync(
        created.id, client=client, body=models.PatchedMouRequest(starts_on=None, responsible=None)
    )
    assert isinstance(patched, models.Mou), patched
    reread = mous_retrieve.sync(created.id, client=client)
    assert (reread.starts_on, reread.responsible) == (None, None)

    deleted = generated.operation("mous", "mous_destroy").sync_detailed(created.id, client=client)
    assert deleted.status_code == 204
    assert mous_retrieve.sync_detailed(created.id, client=client).status_code == 404


def test_invalid_input_is_a_typed_400_with_the_fields_messages(client, generated):
    body = generated.models.MouRequest(
        title="Backwards",
        agency=AgencyFactory().pk,
        partner=PartnerCompanyFactory().pk,
        starts_on="2025",
        ends_on="2024",
    )

    response = generated.operation("mous", "mous_create").sync_detailed(client=client, body=body)

    assert response.status_code == 400
    assert isinstance(response.parsed, generated.models.ValidationError)
    assert list(response.parsed.additional_properties) == ["ends_on"]
    assert all(isinstance(message, str) and message for message in response.parsed["ends_on"])


@pytest.mark.parametrize("token", ["not-a-token", None])
def test_a_bad_or_missing_token_is_a_typed_401(make_client, generated, token):
    response = generated.operation("channels", "channels_list").sync_detailed(client=make_client(token=token))

    assert response.status_code == 401
    assert isinstance(response.parsed, generated.models.Error)
    assert response.parsed.detail


def test_a_missing_object_is_a_typed_404(client, generated):
    channel = ChannelFactory()
    missing = channel.pk
    channel.delete()

    response = generated.operation("channels", "channels_retrieve").sync_detailed(missing, client=client)

    assert response.status_code == 404
    assert isinstance(response.parsed, generated.models.Error)
    assert response.parsed.detail


def test_a_stale_if_match_is_a_typed_412_and_changes_nothing(make_client, generated):
    kol = KolFactory(name_en="Quach Beem")
    client = make_client()
    kols_retrieve = generated.operation("kols", "kols_retrieve")
    kols_partial_update = generated.operation("kols", "kols_partial_update")
    read = kols_retrieve.sync_detailed(kol.pk, client=client)
    etag = read.headers["ETag"]
    first = kols_partial_update.sync_detailed(
        kol.pk, client=client, if_match=etag, body=generated.models.PatchedKolRequest(name_en="One")
    )
    assert first.status_code == 200
    assert first.headers["ETag"] != etag

    stale = kols_partial_update.sync_detailed(
        kol.pk, client=client, if_match=etag, body=generated.models.PatchedKolRequest(name_en="Two")
    )

    assert stale.status_code == 412
    assert isinstance(stale.parsed, generated.models.Error)
    assert stale.parsed.detail == str(PreconditionFailed.default_detail)
    assert kols_retrieve.sync(kol.pk, client=client).name_en == "One"


# The three everyday questions, on the demo data (README, "Generate a Python client").


def test_who_is_on_a_partners_roster_on_a_date(client, generated):
    channels_list = generated.operation("channels", "channels_list")
    day = datetime.date(2024, 1, 1)

    page = channels_list.sync(client=client, partner=["bhmedia"], active_on=day)
    names = [channel.display for channel in page.results]

    on_roster = RosterMembership.objects.filter(partner__slug="bhmedia").active_on(day).values("channel")
    assert names and sorted(names) == sorted(str(channel) for channel in Channel.objects.filter(pk__in=on_roster))


def test_find_channels_by_name(client, generated):
    channels_list = generated.operation("channels", "channels_list")

    page = channels_list.sync(client=client, q="quang ninh")
    names = [channel.display for channel in page.results]

    named = Channel.objects.filter(display_name__icontains="quang ninh")
    assert named and {str(channel) for channel in named} <= set(names)


def test_which_mous_are_in_force_for_an_agency_on_a_date(client, generated):
    mous_list = generated.operation("mous", "mous_list")
    day = datetime.date(2025, 6, 1)

    page = mous_list.sync(client=client, agency=["center-for-press-and-international-cooperation"], active_on=day)
    in_force = sorted(mou.id for mou in page.results)

    expected = Mou.objects.filter(agency__slug="center-for-press-and-international-cooperation").active_on(day)
    assert in_force and in_force == sorted(mou.pk for mou in expected)
