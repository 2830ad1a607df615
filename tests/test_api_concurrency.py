"""Lost updates through the API: PATCH writes only what it was sent; ETag / If-Match refuse stale writes."""

import json
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from functools import partial

import pytest
from django.db import connection

from accounts.models import ApiToken
from partners.models import Kol
from tests.factories import CampaignFactory, KolFactory, PartnerCompanyFactory, UserFactory

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite serialises writers; real concurrency needs PostgreSQL"
)

STALE = '"0123456789abcdef0123456789abcdef"'


def kol_url(kol):
    return f"/api/v1/kols/{kol.pk}/"


def full_kol(kol, **values):
    return {"slug": kol.slug, "name": kol.name, "name_en": kol.name_en, "kind": kol.kind, **values}


@pytest.fixture
def kol(db):
    return KolFactory(name_en="Quach Beem", nationality="VN")


def write(api, method, kol, if_match):
    body = {"PUT": full_kol(kol, name_en="Renamed"), "PATCH": {"name_en": "Renamed"}, "DELETE": None}[method]
    return getattr(api, method.lower())(kol_url(kol), body, format="json", HTTP_IF_MATCH=if_match)


@pytest.mark.django_db
def test_detail_response_carries_a_strong_etag(api, kol):
    response = api.get(kol_url(kol))

    assert response.status_code == 200
    etag = response["ETag"]
    assert etag.startswith('"') and etag.endswith('"') and len(etag) > 2


@pytest.mark.django_db
def test_list_and_history_responses_carry_no_etag(api, kol):
    assert not api.get("/api/v1/kols/").has_header("ETag")
    assert not api.get(f"{kol_url(kol)}history/").has_header("ETag")


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
@pytest.mark.parametrize("if_match", [STALE, f"W/{STALE}", '""'])
def test_stale_if_match_is_refused_and_nothing_changes(api, kol, method, if_match):
    response = write(api, method, kol, if_match)

    assert response.status_code == 412
    assert set(response.json()) == {"detail"}
    stored = Kol.objects.get(pk=kol.pk)
    assert (stored.name_en, stored.updated_at) == ("Quach Beem", kol.updated_at)
    assert stored.history.count() == 1


@pytest.mark.django_db
def test_weak_form_of_the_current_etag_does_not_match(api, kol):
    etag = api.get(kol_url(kol))["ETag"]

    assert write(api, "PATCH", kol, f"W/{etag}").status_code == 412


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["PUT", "PATCH"])
def test_matching_if_match_writes_and_answers_the_new_etag(api, kol, method):
    etag = api.get(kol_url(kol))["ETag"]

    response = write(api, method, kol, f'"other", {etag}')

    assert response.status_code == 200
    assert Kol.objects.get(pk=kol.pk).name_en == "Renamed"
    assert response["ETag"] not in (etag, "")
    assert api.get(kol_url(kol))["ETag"] == response["ETag"]


@pytest.mark.django_db
def test_matching_if_match_deletes(api, kol):
    etag = api.get(kol_url(kol))["ETag"]

    assert write(api, "DELETE", kol, etag).status_code == 204
    assert not Kol.objects.filter(pk=kol.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
def test_if_match_star_matches_an_existing_record(api, kol, method):
    assert write(api, method, kol, "*").status_code in (200, 204)


@pytest.mark.django_db
def test_the_etag_read_before_a_write_is_stale_after_it(api, kol):
    etag = api.get(kol_url(kol))["ETag"]
    assert api.patch(kol_url(kol), {"nationality": "LA"}, format="json").status_code == 200

    assert write(api, "PATCH", kol, etag).status_code == 412
    assert Kol.objects.get(pk=kol.pk).name_en == "Quach Beem"


@pytest.mark.django_db
def test_a_many_to_many_only_patch_moves_the_etag_on(api):
    campaign = CampaignFactory()
    url = f"/api/v1/campaigns/{campaign.pk}/"
    etag = api.get(url)["ETag"]

    response = api.patch(url, {"partners": [PartnerCompanyFactory().pk]}, format="json", HTTP_IF_MATCH=etag)

    assert response.status_code == 200
    assert response["ETag"] != etag


# Real concurrency: a live server answering each request in its own thread, with its own connection.


def send(live_server, key, method, path, body=None, if_match=None):
    headers = {"Authorization": f"Token {key}", "Content-Type": "application/json"}
    if if_match:
        headers["If-Match"] = if_match
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"{live_server.url}{path}", data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers.get("ETag")
    except urllib.error.HTTPError as error:
        return error.code, None


def at_once(*calls):
    """Run ``calls`` in threads released together; their results in order."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait()
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


@pytest.fixture
def live_key(transactional_db):
    owner = UserFactory(username="concurrency.admin", is_staff=True, is_superuser=True)
    return ApiToken.objects.issue(owner=owner, name="concurrency")[1]


@on_postgresql
def test_concurrent_patches_of_different_fields_both_survive(live_server, live_key):
    lost = []
    for round_ in range(20):
        kol = KolFactory(name_en="Before", notes="Before")
        patch = partial(send, live_server, live_key, "PATCH", kol_url(kol))
        results = at_once(partial(patch, {"name_en": f"Name {round_}"}), partial(patch, {"notes": f"Notes {round_}"}))
        assert [status for status, _etag in results] == [200, 200]
        stored = Kol.objects.get(pk=kol.pk)
        if (stored.name_en, stored.notes) != (f"Name {round_}", f"Notes {round_}"):
            lost.append((stored.name_en, stored.notes))
    assert lost == []


@on_postgresql
def test_concurrent_writes_with_the_same_if_match_let_exactly_one_through(live_server, live_key):
    for round_ in range(10):
        kol = KolFactory(name_en="Before")
        etag = send(live_server, live_key, "GET", kol_url(kol))[1]
        patch = partial(send, live_server, live_key, "PATCH", kol_url(kol), if_match=etag)
        results = at_once(partial(patch, {"name_en": f"First {round_}"}), partial(patch, {"notes": f"Second {round_}"}))
        assert sorted(status for status, _etag in results) == [200, 412]
        stored = Kol.objects.get(pk=kol.pk)
        assert (stored.name_en == f"First {round_}") != (stored.notes == f"Second {round_}")
