"""A partner never learns of another partner's rows: not nested in an answer, not through a filter.

The walk takes its routes from the routers, its filters from each route's FilterSet and its nested
fields from the JSON itself, so a resource, filter or relation added later is walked automatically.
For each, as SChannel's user and as a SChannel-scoped token:

- every brief object ``{id, url, ...}`` anywhere in a list, brief list, detail or detail action
  names a row of the resource its ``url`` points at that the caller's own list of it shows;
- each nested field shows exactly the ministry's value less what is out of scope (a to-one
  relation out of scope reads as ``null``);
- a filter given the id or slug of a row out of scope answers exactly as one given a row that
  does not exist: same status, same body apart from the value echoed back.
"""

import json
import re
from urllib.parse import urlparse

import pytest
from django_filters.filters import QuerySetRequestMixin

from accounts.roles import MINISTRY_ADMINISTRATORS
from kolregistry.api.filters import SlugFilter
from kolregistry.api.urls import ROUTERS
from partners.choices import MouSide
from partners.models import MouPerson
from tests.factories import ChannelFactory, MouFactory, MouPersonFactory, PersonFactory

from .conftest import session_client, token_client, user_with_role

pytestmark = pytest.mark.django_db

ROUTES = {prefix: viewset for router in ROUTERS for prefix, viewset, _basename in router.registry}
PREFIX_OF_MODEL = {viewset.queryset.model: prefix for prefix, viewset in ROUTES.items()}
CALLERS = ["partner_user", "partner_token"]
NONEXISTENT_ID = 2_000_000_000
NONEXISTENT_SLUG = "no-such-row"

# Nested fields whose ministry value, in the world below, holds rows out of SChannel's scope: the
# walk must have hidden something in each, or the fixture no longer exercises them.
# An MOU's named KOLs and channels are always visible to its partner, so they hide nothing.
FIELDS_WITH_FOREIGN_ROWS = {
    ("agencies", "parent"),
    ("kols", "channels"),
    ("mous", "renews"),
    ("campaigns", "partners"),
    ("campaigns", "mou"),
    ("people", "agency"),
}


def id_and_slug_filters():
    """(route, filter name, filter) for every filter that takes the id or slug of a row."""
    return [
        (prefix, name, filter_)
        for prefix, viewset in ROUTES.items()
        for name, filter_ in viewset.filterset_class.base_filters.items()
        if isinstance(filter_, QuerySetRequestMixin)
    ]


@pytest.fixture
def world(world):
    """The shared world, plus links from SChannel's rows to rows outside its scope.

    ``channel_s``'s KOL also owns a channel nobody manages; ``organiser`` sits under an agency
    SChannel has no dealings with; ``mou_s`` renews another partner's MOU and names Vitamin's
    channel and KOL; ``joint`` runs under that other partner's MOU. ``mou_s`` names an official of an
    agency SChannel has no dealings with, and Vitamin's signatory (linked past validation, e.g. before
    moving companies), whom SChannel must not see.
    """
    world.organiser.parent = world.unrelated_agency
    world.organiser.save()
    world.kol_channel_elsewhere = ChannelFactory(kol=world.channel_s.kol)
    world.mou_other = MouFactory(partner=world.other, agency=world.unrelated_agency)
    world.mou_s.renews = world.mou_other
    world.mou_s.save()
    world.mou_s.channels.add(world.channel_v)
    world.mou_s.kols.add(world.channel_v.kol)
    world.joint.mou = world.mou_other
    world.joint.save()
    official = PersonFactory(partner=None, agency=world.unrelated_agency)
    MouPersonFactory(mou=world.mou_s, person=official, side=MouSide.AGENCY)
    MouPerson.objects.create(mou=world.mou_s, person=world.person_v, role="contact", side=MouSide.PARTNER)
    return world


@pytest.fixture(params=CALLERS)
def partner_client(request, world):
    if request.param == "partner_user":
        return session_client(request.getfixturevalue("schannel_user"))
    owner = user_with_role("token.owner", MINISTRY_ADMINISTRATORS)
    return token_client(owner, partner=world.schannel)[0]


@pytest.fixture
def ministry_client(world):
    return session_client(user_with_role("ministry.admin", MINISTRY_ADMINISTRATORS, is_staff=True))


def get_json(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    return response.json()


def list_ids(client, prefix):
    return {row["id"] for row in get_json(client, f"/api/v1/{prefix}/", limit=500)["results"]}


class VisibleIds(dict):
    """Route prefix -> the ids the caller's own list of it shows, fetched when first needed.

    Those lists are checked against the expected scope in test_authorization_matrix.py.
    """

    def __init__(self, client):
        super().__init__()
        self.client = client

    def __missing__(self, prefix):
        self[prefix] = list_ids(self.client, prefix)
        return self[prefix]


@pytest.fixture
def visible(partner_client):
    return VisibleIds(partner_client)


def prefix_of(url):
    parts = urlparse(url).path.strip("/").split("/")
    assert parts[:2] == ["api", "v1"] and parts[2] in ROUTES, url
    return parts[2]


def brief_objects(data):
    """Every object in ``data`` that points at a registry row: it has an ``id`` and an API ``url``."""
    if isinstance(data, dict):
        if "id" in data and isinstance(data.get("url"), str) and "/api/v1/" in data["url"]:
            yield data
        for value in data.values():
            yield from brief_objects(value)
    elif isinstance(data, list):
        for item in data:
            yield from brief_objects(item)


def documents(client, prefix, ids):
    """Every answer a reader can get from a route: list, brief list, details and their actions."""
    yield f"/api/v1/{prefix}/", get_json(client, f"/api/v1/{prefix}/", limit=500)
    yield f"/api/v1/{prefix}/?brief=1", get_json(client, f"/api/v1/{prefix}/", limit=500, brief=1)
    actions = [
        action.url_path for action in ROUTES[prefix].get_extra_actions() if action.detail and "get" in action.mapping
    ]
    for pk in sorted(ids):
        yield f"/api/v1/{prefix}/{pk}/", get_json(client, f"/api/v1/{prefix}/{pk}/")
        for action in actions:
            yield f"/api/v1/{prefix}/{pk}/{action}/", get_json(client, f"/api/v1/{prefix}/{pk}/{action}/")


@pytest.mark.parametrize("prefix", ROUTES)
def test_no_foreign_row_appears_anywhere(partner_client, visible, prefix):
    leaks = [
        (url, prefix_of(brief["url"]), brief["id"])
        for url, data in documents(partner_client, prefix, visible[prefix])
        for brief in brief_objects(data)
        if brief["id"] not in visible[prefix_of(brief["url"])]
    ]
    assert leaks == []


def scoped_value(value, visible):
    """The ministry's value of a nested field, less what ``visible`` does not hold."""
    if isinstance(value, list):
        return [item for item in value if item["id"] in visible[prefix_of(item["url"])]]
    return value if value["id"] in visible[prefix_of(value["url"])] else None


def is_brief(value):
    return isinstance(value, dict) and "id" in value and "url" in value


def test_nested_fields_show_exactly_the_rows_in_scope(partner_client, ministry_client, visible):
    hidden_in = set()
    for prefix in ROUTES:
        for pk in sorted(visible[prefix]):
            full = get_json(ministry_client, f"/api/v1/{prefix}/{pk}/")
            seen = get_json(partner_client, f"/api/v1/{prefix}/{pk}/")
            for name, value in full.items():
                nested = is_brief(value) or (isinstance(value, list) and value and all(map(is_brief, value)))
                if not nested:
                    continue
                assert seen[name] == scoped_value(value, visible), (prefix, pk, name)
                if seen[name] != value:
                    hidden_in.add((prefix, name))
    assert FIELDS_WITH_FOREIGN_ROWS - hidden_in == set(), "the world no longer exercises these fields"


def value_for(filter_, row):
    return str(row.slug if isinstance(filter_, SlugFilter) else row.pk)


def masked(response, value):
    """The response with the echoed ``value`` replaced, for comparing two answers."""
    body = json.dumps(response.json(), sort_keys=True, ensure_ascii=False)
    return response.status_code, re.sub(rf"(?<![\w-]){re.escape(value)}(?![\w-])", "<value>", body)


@pytest.mark.parametrize(
    ("prefix", "name", "filter_"),
    id_and_slug_filters(),
    ids=[f"{prefix}?{name}" for prefix, name, _filter in id_and_slug_filters()],
)
def test_a_foreign_id_or_slug_filters_like_a_nonexistent_one(partner_client, visible, prefix, name, filter_):
    queryset = filter_.queryset(None) if callable(filter_.queryset) else filter_.queryset
    model = queryset.model
    foreign = queryset.exclude(pk__in=visible[PREFIX_OF_MODEL[model]]).order_by("pk").first()
    assert foreign is not None, f"the world has no {model.__name__} out of SChannel's scope"
    foreign_value = value_for(filter_, foreign)
    missing_value = NONEXISTENT_SLUG if isinstance(filter_, SlugFilter) else str(NONEXISTENT_ID)

    url = f"/api/v1/{prefix}/"
    answer = masked(partner_client.get(url, {name: foreign_value}), foreign_value)
    assert answer == masked(partner_client.get(url, {name: missing_value}), missing_value)


def test_the_walk_finds_the_filters():
    names = {(prefix, name) for prefix, name, _filter in id_and_slug_filters()}
    assert {("channels", "mou"), ("channels", "partner"), ("kols", "mou"), ("campaigns", "partner")} <= names
