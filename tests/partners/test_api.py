"""The partners resources through the REST API: CRUD, validation, database rejections, seed-data queries."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from partners.models import Channel, Kol, Mou, PartnerCompany, RosterMembership
from tests.factories import (
    AgencyFactory,
    ChannelFactory,
    ChannelMetricFactory,
    KolFactory,
    MouFactory,
    PartnerCompanyFactory,
    RosterMembershipFactory,
)
from tests.helpers import results

SOURCE = "https://baoquangninh.vn/bao-chi-truyen-thong-tren-mang-xa-hoi-dinh-huong-nhanh-nhay-lan-toa-3360233.html"


def test_api_root_lists_every_resource(api):
    root = api.get("/api/v1/").json()
    assert set(root) == {
        "agencies",
        "partners",
        "kols",
        "channels",
        "memberships",
        "channel-metrics",
        "mous",
        "people",
        "mou-people",
        "campaigns",
        "hashtags",
        "assignments",
        "campaign-reports",
        "stated-facts",
        "changes",
    }


def test_browsable_api_for_logged_in_users(client, staff_user):
    assert client.get("/api/v1/channels/", HTTP_ACCEPT="text/html").status_code == 401
    client.force_login(staff_user)
    response = client.get("/api/v1/channels/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


# Representation


def test_channel_carries_owner_brief_and_latest_followers(api):
    kol = KolFactory(name="Quách Beem", name_en="Quach Beem", slug="quach-beem")
    channel = ChannelFactory(kol=kol)
    ChannelMetricFactory(channel=channel, measured_on=datetime.date(2022, 1, 1), followers=144000)
    row = api.get(f"/api/v1/channels/{channel.pk}/").json()
    assert row["kol"] == {
        "id": kol.pk,
        "url": f"http://testserver/api/v1/kols/{kol.pk}/",
        "display": "Quách Beem / Quach Beem",
        "slug": "quach-beem",
    }
    assert row["agency"] is None
    assert (row["followers"], row["followers_on"]) == (144000, "2022-01-01")


def test_channel_write_normalises_and_accepts_a_brief_object(api):
    kol = KolFactory()
    response = api.post(
        "/api/v1/channels/",
        {
            "platform": "tiktok",
            "handle": " @QuachBeem ",
            "kol": {"id": kol.pk},
            "channel_url": "https://WWW.tiktok.com/@q/",
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["handle"] == "quachbeem"
    assert response.json()["channel_url"] == "https://tiktok.com/@q"


def test_brief_list(api):
    partner = PartnerCompanyFactory(slug="schannel", short_name="SChannel")
    assert results(api.get("/api/v1/partners/?brief=1")) == [
        {
            "id": partner.pk,
            "url": f"http://testserver/api/v1/partners/{partner.pk}/",
            "display": "SChannel",
            "slug": "schannel",
        }
    ]


def test_mou_status_is_derived_and_read_only(api):
    mou = MouFactory(starts_on=datetime.date(2024, 1, 1), ends_on=datetime.date(2099, 12, 31))
    response = api.patch(f"/api/v1/mous/{mou.pk}/", {"status": "terminated"})
    assert response.status_code == 200
    assert response.json()["status"] == "active"


def test_unknown_foreign_key_id_is_a_400(api):
    response = api.post("/api/v1/channels/", {"platform": "tiktok", "kol": 999999})
    assert response.status_code == 400
    assert "999999" in response.json()["kol"][0]
    response = api.post("/api/v1/channels/", {"platform": "tiktok", "kol": "abc"})
    assert response.status_code == 400
    assert response.json()["kol"]


def test_channel_without_owner_is_a_400(api):
    response = api.post("/api/v1/channels/", {"platform": "tiktok", "display_name": "Orphan"})
    assert response.status_code == 400
    assert response.json()["kol"] == ["Choose the KOL or the agency that owns this channel."]


def test_agency_cannot_become_its_own_descendant(api):
    ministry = AgencyFactory()
    department = AgencyFactory(parent=ministry)
    response = api.patch(f"/api/v1/agencies/{ministry.pk}/", {"parent": department.pk})
    assert response.status_code == 400
    assert response.json()["parent"]
    ministry.refresh_from_db()
    assert ministry.parent is None


def test_patch_validates_against_the_stored_values(api):
    membership = RosterMembershipFactory(starts_on=datetime.date(2024, 1, 1))
    response = api.patch(f"/api/v1/memberships/{membership.pk}/", {"ends_on": "2023-01-01"})
    assert response.status_code == 400
    assert response.json()["ends_on"] == ["The end date cannot be before the start date."]


def test_overlapping_membership_is_a_400_with_a_message(api):
    existing = RosterMembershipFactory(starts_on=datetime.date(2020, 12, 14))
    response = api.post(
        "/api/v1/memberships/",
        {"channel": existing.channel_id, "partner": PartnerCompanyFactory().pk, "starts_on": "2024-01-01"},
    )
    assert response.status_code == 400
    assert "already managed by" in response.json()["starts_on"][0]
    assert RosterMembership.objects.count() == 1


def test_duplicate_handle_is_a_400_with_a_message(api):
    ChannelFactory(platform="tiktok", handle="quachbeem")
    response = api.post("/api/v1/channels/", {"platform": "tiktok", "handle": "@QuachBeem", "kol": KolFactory().pk})
    assert response.status_code == 400
    assert "already has this handle" in str(response.json())


def test_overlap_the_database_rejects_is_a_409_not_a_500(api, monkeypatch):
    """A concurrent write can pass validation; the exclusion constraint still rejects it cleanly."""
    if connection.vendor != "postgresql":
        pytest.skip("the exclusion constraint exists on PostgreSQL only")
    monkeypatch.setattr(RosterMembership, "clean", lambda self: None)
    existing = RosterMembershipFactory(starts_on=datetime.date(2020, 12, 14))
    response = api.post(
        "/api/v1/memberships/",
        {"channel": existing.channel_id, "partner": PartnerCompanyFactory().pk, "starts_on": "2024-01-01"},
    )
    assert response.status_code == 409
    assert response.json() == {"detail": "This channel is already managed by a partner during this period."}
    assert RosterMembership.objects.count() == 1


def test_check_constraint_the_database_rejects_is_a_400_not_a_500(api, monkeypatch):
    """With the model's checks out of the way, the database's constraint answers, with the same message."""
    monkeypatch.setattr(Channel, "clean", lambda self: None)
    monkeypatch.setattr(Channel, "validate_constraints", lambda self, exclude=None: None)
    response = api.post(
        "/api/v1/channels/", {"platform": "tiktok", "kol": KolFactory().pk, "agency": AgencyFactory().pk}
    )
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["A channel is owned by exactly one KOL or one agency."]}
    assert not Channel.objects.exists()


def test_deleting_a_referenced_row_is_a_409(api):
    channel = ChannelFactory()
    response = api.delete(f"/api/v1/kols/{channel.kol_id}/")
    assert response.status_code == 409
    assert response.json()["detail"] == f"It cannot be deleted while 1 channel refers to it ({channel})."
    assert Kol.objects.filter(pk=channel.kol_id).exists()


def test_deleting_a_channel_with_metrics_is_a_409_naming_them(api):
    channel = ChannelFactory(display_name="Quang Linh Vlog")
    for day in (1, 2, 3):
        ChannelMetricFactory(channel=channel, measured_on=datetime.date(2025, 1, day))
    response = api.delete(f"/api/v1/channels/{channel.pk}/")
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "It cannot be deleted while 3 channel metrics refer to it (Quang Linh Vlog (TikTok) @ 1 Jan 2025, "
        "Quang Linh Vlog (TikTok) @ 2 Jan 2025, Quang Linh Vlog (TikTok) @ 3 Jan 2025)."
    )
    assert channel.metrics.count() == 3


def test_conflict_counts_each_kind_of_dependent(api):
    channel = ChannelFactory()
    ChannelMetricFactory.create_batch(4, channel=channel)
    RosterMembershipFactory(channel=channel)
    detail = api.delete(f"/api/v1/channels/{channel.pk}/").json()["detail"]
    assert detail.startswith("It cannot be deleted while 4 channel metrics, 1 roster membership refer to it (")
    assert detail.endswith(", …).")


def test_channel_is_deleted_once_its_metrics_are(api):
    metric = ChannelMetricFactory()
    assert api.delete(f"/api/v1/channel-metrics/{metric.pk}/").status_code == 204
    assert api.delete(f"/api/v1/channels/{metric.channel_id}/").status_code == 204
    assert not Channel.objects.filter(pk=metric.channel_id).exists()


def test_mous_renewing_each_other_is_a_400(api):
    earlier = MouFactory()
    renewal = MouFactory(renews=earlier)
    response = api.patch(f"/api/v1/mous/{earlier.pk}/", {"renews": renewal.pk})
    assert response.status_code == 400
    assert response.json() == {"renews": ["An MOU cannot renew one of its own renewals."]}
    earlier.refresh_from_db()
    assert earlier.renews is None


def test_deleting_a_renewed_mou_is_a_409(api):
    earlier = MouFactory(title="MOU 2021-2023")
    renewal = MouFactory(title="MOU 2024-2027", renews=earlier)
    response = api.delete(f"/api/v1/mous/{earlier.pk}/")
    assert response.status_code == 409
    assert response.json()["detail"] == "It cannot be deleted while 1 MOU refers to it (MOU 2024-2027)."
    renewal.refresh_from_db()
    assert renewal.renews == earlier


# Pagination


def test_limit_and_cursor_walk_every_row_once(api):
    ChannelFactory.create_batch(7, display_name="Same name")
    ChannelFactory.create_batch(3)
    seen, url = [], "/api/v1/channels/?limit=3"
    while url:
        body = api.get(url).json()
        assert set(body) == {"next", "previous", "results"}
        assert len(body["results"]) <= 3
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
    assert sorted(seen) == sorted(Channel.objects.values_list("pk", flat=True))
    assert len(seen) == 10


def test_limit_defaults_to_50_and_is_capped_at_500(api):
    kol = KolFactory()
    Channel.objects.bulk_create(Channel(platform="tiktok", handle=f"c{n}", kol=kol) for n in range(501))
    assert len(results(api.get("/api/v1/channels/"))) == 50
    capped = api.get("/api/v1/channels/?limit=100000").json()
    assert len(capped["results"]) == 500
    assert capped["next"]


def test_ordering_by_followers_walks_pages_with_unknown_counts(api):
    for followers in (None, 5, 5, 10, None):
        channel = ChannelFactory()
        if followers:
            ChannelMetricFactory(channel=channel, followers=followers)
    seen, url = [], "/api/v1/channels/?ordering=-followers&limit=2"
    while url:
        body = api.get(url).json()
        seen += [row["followers"] for row in body["results"]]
        url = body["next"]
    assert seen == [10, 5, 5, None, None]


def test_unknown_ordering_is_a_400(api):
    response = api.get("/api/v1/channels/?ordering=handle")
    assert response.status_code == 400
    assert response.json()["ordering"]


@pytest.mark.parametrize("cursor", ["garbage", "cD1ub3QtYS1udW1iZXI%3D"])
def test_bad_cursor_is_a_404(api, cursor):
    ChannelFactory()
    assert api.get(f"/api/v1/channels/?ordering=followers&cursor={cursor}").status_code == 404


# Roster shortcut


def test_roster_shortcut_lists_the_channels_managed_on_a_date(api):
    partner = PartnerCompanyFactory()
    current = RosterMembershipFactory(partner=partner, starts_on=datetime.date(2020, 12, 14)).channel
    RosterMembershipFactory(partner=partner, starts_on=datetime.date(2025, 1, 1))
    ChannelMetricFactory(channel=current, followers=175000, measured_on=datetime.date(2024, 1, 1))
    rows = results(api.get(f"/api/v1/partners/{partner.pk}/roster/?on=2024-01-01"))
    assert [(row["id"], row["followers"]) for row in rows] == [(current.pk, 175000)]
    assert rows[0]["kol"]["id"] == current.kol_id


def test_roster_shortcut_defaults_to_today_and_rejects_bad_dates(api):
    membership = RosterMembershipFactory(starts_on=datetime.date(2020, 1, 1))
    url = f"/api/v1/partners/{membership.partner_id}/roster/"
    assert [row["id"] for row in results(api.get(url))] == [membership.channel_id]
    response = api.get(f"{url}?on=2024-13-45")
    assert response.status_code == 400
    assert response.json()["on"]


# Built on the demo data from the source articles


@pytest.mark.usefixtures("demo_data")
def test_vitamin_mou_names_its_channels_and_kols(api):
    mou = Mou.objects.get(partner__slug="vitamin")
    kols = {row["slug"] for row in results(api.get(f"/api/v1/kols/?mou={mou.pk}"))}
    assert len(kols) == 9
    assert {"quang-linh", "mayssa", "miss-sidewalk", "quach-beem", "hoang-nam"} <= kols
    channels = {row["display_name"] for row in results(api.get(f"/api/v1/channels/?mou={mou.pk}"))}
    assert len(channels) == 9
    assert {"Quang Linh Vlog", "Cô gái Lào Mayssa", "Hoa hậu vỉa hè", "Blog của Rọt", "Quách Beem"} <= channels


@pytest.mark.usefixtures("demo_data")
def test_schannel_mou_in_force_on_2026_but_not_mid_2028(api):
    def titles(day):
        return [row["title"] for row in results(api.get(f"/api/v1/mous/?partner=schannel&active_on={day}"))]

    assert titles("2026-01-01") == ["SChannel KOL communication MOU 2024\u20132027"]
    assert titles("2028-06-01") == []


@pytest.mark.usefixtures("demo_data")
@pytest.mark.parametrize(
    ("query", "expected"),
    [("quach beem", "Quách Beem"), ("hoa hau via he", "Hoa hậu vỉa hè"), ("QUÁCH", "Quách Beem")],
)
def test_accent_insensitive_search_finds_vitamin_channels(api, query, expected):
    names = [row["display_name"] for row in results(api.get("/api/v1/channels/", {"q": query}))]
    assert names == [expected]


@pytest.mark.usefixtures("demo_data")
def test_kol_search_matches_both_spellings(api):
    assert [row["slug"] for row in results(api.get("/api/v1/kols/", {"q": "miss sidewalk"}))] == ["miss-sidewalk"]
    assert [row["slug"] for row in results(api.get("/api/v1/kols/", {"q": "hoa hau"}))] == ["miss-sidewalk"]


@pytest.mark.usefixtures("demo_data")
def test_search_quang_ninh_finds_qmg_channels_through_their_owner(api):
    qmg_channels = set(Channel.objects.filter(agency__slug="qmg").values_list("pk", flat=True))
    found = {row["id"] for row in results(api.get("/api/v1/channels/", {"q": "Quảng Ninh", "limit": 500}))}
    assert len(qmg_channels) >= 9
    assert qmg_channels <= found


@pytest.mark.usefixtures("demo_data")
def test_qmg_roster_comes_back_with_follower_counts(api):
    rows = results(api.get("/api/v1/channels/?agency=qmg&ordering=-followers"))
    followers = [(row["platform"], row["followers"]) for row in rows]
    assert followers[:3] == [("facebook", 354000), ("youtube", 175000), ("tiktok", 72400)]
    assert all(row["agency"]["slug"] == "qmg" for row in rows)


@pytest.mark.usefixtures("demo_data")
def test_bhmedia_roster_on_2024_01_01(api):
    bhmedia = PartnerCompany.objects.get(slug="bhmedia")
    rows = results(api.get(f"/api/v1/partners/{bhmedia.pk}/roster/?on=2024-01-01"))
    assert [(row["display_name"], row["platform"], row["followers"]) for row in rows] == [
        ("Quang Ninh TV", "youtube", 175000)
    ]
    assert rows[0]["agency"]["slug"] == "qmg"
    assert results(api.get(f"/api/v1/partners/{bhmedia.pk}/roster/?on=2020-12-13")) == []


@pytest.mark.usefixtures("demo_data")
def test_schannel_mou_expires_within_its_remaining_days(api):
    mou = Mou.objects.get(partner__slug="schannel")
    remaining = (mou.ends_on.upper - timezone.localdate()).days
    if remaining < 0:
        pytest.skip("the SChannel MOU has ended")
    within = results(api.get(f"/api/v1/mous/?expires_within={remaining + 1}"))
    assert mou.pk in {row["id"] for row in within}
    assert mou.pk not in {row["id"] for row in results(api.get(f"/api/v1/mous/?expires_within={remaining - 1}"))}
