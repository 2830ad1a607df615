"""The campaigns resources through the REST API: CRUD, validation, database rejections, seed-data queries."""

import datetime

import pytest
from rest_framework.test import APIClient

from campaigns.models import Assignment, Campaign, CampaignReport, Hashtag
from tests.factories import (
    AgencyFactory,
    AssignmentFactory,
    CampaignFactory,
    CampaignReportFactory,
    ChannelFactory,
    HashtagFactory,
    MouFactory,
    PartnerCompanyFactory,
)

SOURCE = "https://vtcnews.vn/day-manh-truyen-thong-kol-de-quang-ba-hinh-anh-dat-nuoc-ar896867.html"


@pytest.fixture
def api(staff_user):
    client = APIClient()
    client.force_authenticate(staff_user)
    return client


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def hashtag_case():
    return {"name": "#BanSacViet"}, {"notes": "Vietnamese Identity"}, {"name": "Ban Sac Viet"}, "name"


def campaign_case():
    payload = {
        "name": "#BanSacViet: Vietnamese Identity \u2013 Shine Globally",
        "slug": "ban-sac-viet",
        "organisers": [AgencyFactory().pk],
        "partners": [PartnerCompanyFactory().pk],
        "hashtags": ["#BanSacViet", "ProudVietnam"],
        "platforms": ["tiktok"],
    }
    return payload, {"platforms": ["facebook", "tiktok"]}, {**payload, "platforms": ["myspace"]}, "platforms"


def assignment_case():
    campaign = CampaignFactory(starts_on=datetime.date(2021, 9, 1), ends_on=datetime.date(2021, 9, 30))
    payload = {"campaign": campaign.pk, "channel": ChannelFactory().pk, "role": "creator", "status": "planned"}
    return payload, {"status": "completed"}, {**payload, "starts_on": "2021-08-01"}, "starts_on"


def report_case():
    payload = {
        "campaign": CampaignFactory().pk,
        "hashtag": HashtagFactory().pk,
        "platform": "tiktok",
        "reported_on": "2021-09-30",
        "views": 253000000,
        "source_url": SOURCE,
    }
    return payload, {"approximate": True}, {**payload, "positive_share_pct": "150"}, "positive_share_pct"


RESOURCES = {
    "hashtags": (Hashtag, HashtagFactory, hashtag_case),
    "campaigns": (Campaign, CampaignFactory, campaign_case),
    "assignments": (Assignment, AssignmentFactory, assignment_case),
    "campaign-reports": (CampaignReport, CampaignReportFactory, report_case),
}


@pytest.mark.parametrize("resource", RESOURCES)
def test_list_and_detail(api, resource):
    _model, factory, _case = RESOURCES[resource]
    obj = factory()
    [row] = results(api.get(f"/api/v1/{resource}/"))
    assert (row["id"], row["display"]) == (obj.pk, str(obj))
    assert row["url"] == f"http://testserver/api/v1/{resource}/{obj.pk}/"
    assert "search_text" not in row
    assert api.get(row["url"]).json() == row


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
    assert response.json()[field][0]
    assert model.objects.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize("resource", RESOURCES)
def test_unauthenticated_is_401(resource):
    assert APIClient().get(f"/api/v1/{resource}/").status_code == 401


def test_campaign_hashtags_are_written_by_name_and_reuse_existing_tags(api):
    existing = HashtagFactory(name="BanSacViet")
    response = api.post(
        "/api/v1/campaigns/",
        {"name": "Bản sắc Việt", "slug": "ban-sac-viet", "hashtags": ["#bansacviet", "ProudVietnam", "proudvietnam"]},
    )
    assert response.status_code == 201, response.content
    assert sorted(response.json()["hashtags"]) == ["BanSacViet", "ProudVietnam"]
    assert Hashtag.objects.count() == 2
    assert Campaign.objects.get().hashtags.filter(pk=existing.pk).exists()


def test_campaign_representation(api):
    mou = MouFactory()
    organiser = AgencyFactory(slug="vietnam-youth-union")
    campaign = CampaignFactory(mou=mou, platforms=["tiktok", "facebook"], starts_on=None, ends_on=None)
    campaign.organisers.add(organiser)
    row = api.get(f"/api/v1/campaigns/{campaign.pk}/").json()
    assert row["mou"] == {"id": mou.pk, "url": f"http://testserver/api/v1/mous/{mou.pk}/", "display": mou.title}
    assert [agency["slug"] for agency in row["organisers"]] == ["vietnam-youth-union"]
    assert row["platforms"] == ["tiktok", "facebook"]


def test_invalid_hashtag_name_in_a_campaign_is_a_400(api):
    response = api.post("/api/v1/campaigns/", {"name": "X", "slug": "x", "hashtags": ["two words"]})
    assert response.status_code == 400
    assert response.json()["hashtags"]
    assert not Hashtag.objects.exists()


def test_campaign_outside_its_mou_period_is_a_400(api):
    mou = MouFactory(starts_on=datetime.date(2024, 1, 1), ends_on=datetime.date(2027, 12, 31))
    response = api.post("/api/v1/campaigns/", {"name": "X", "slug": "x", "mou": mou.pk, "starts_on": "2023-06-01"})
    assert response.status_code == 400
    assert "MOU period" in response.json()["starts_on"][0]


def test_duplicate_hashtag_is_a_400_with_a_message(api):
    HashtagFactory(name="ThoiKhacKhoQuen")
    response = api.post("/api/v1/hashtags/", {"name": "#thoikhackhoquen"})
    assert response.status_code == 400
    assert "already exists" in str(response.json())
    assert Hashtag.objects.count() == 1


def test_duplicate_hashtag_the_database_rejects_is_a_409_not_a_500(api, monkeypatch):
    """A concurrent insert can pass validation; the unique index still rejects it cleanly."""
    monkeypatch.setattr(Hashtag, "validate_constraints", lambda self, exclude=None: None)
    HashtagFactory(name="ThoiKhacKhoQuen")
    response = api.post("/api/v1/hashtags/", {"name": "thoikhackhoquen"})
    assert response.status_code == 409
    assert response.json()["detail"]
    assert Hashtag.objects.count() == 1


def test_duplicate_assignment_role_is_a_400(api):
    assignment = AssignmentFactory()
    response = api.post(
        "/api/v1/assignments/",
        {"campaign": assignment.campaign_id, "channel": assignment.channel_id, "role": assignment.role},
    )
    assert response.status_code == 400
    assert "already has this role" in str(response.json())


def test_report_without_figures_is_a_400(api):
    response = api.post("/api/v1/campaign-reports/", {"campaign": CampaignFactory().pk, "source_url": SOURCE})
    assert response.status_code == 400
    assert response.json()["views"] == ["Record at least one figure."]


def test_deleting_a_hashtag_with_reports_is_a_409(api):
    report = CampaignReportFactory(hashtag=HashtagFactory())
    response = api.delete(f"/api/v1/hashtags/{report.hashtag_id}/")
    assert response.status_code == 409
    assert Hashtag.objects.filter(pk=report.hashtag_id).exists()


# Built on the demo data


@pytest.mark.usefixtures("demo_data")
def test_thoi_khac_kho_quen_reports_stand_side_by_side(api):
    rows = results(api.get("/api/v1/campaign-reports/", {"hashtag": "#thoikhackhoquen", "platform": "tiktok"}))
    views = sorted(row["views"] for row in rows)
    assert 253_000_000 in views
    assert 331_200_000 in views


@pytest.mark.usefixtures("demo_data")
def test_campaigns_by_partner_hashtag_and_organiser(api):
    by_partner = {row["slug"] for row in results(api.get("/api/v1/campaigns/?partner=schannel"))}
    assert by_partner == {"towards-the-national-flag"}
    by_hashtag = [row["slug"] for row in results(api.get("/api/v1/campaigns/?hashtag=BanSacViet"))]
    assert by_hashtag == ["ban-sac-viet"]
    by_agency = {row["slug"] for row in results(api.get("/api/v1/campaigns/?agency=vietnam-youth-union"))}
    assert "towards-the-national-flag" in by_agency
    running = {row["slug"] for row in results(api.get("/api/v1/campaigns/?active_on=2021-09-15"))}
    assert "thoi-khac-kho-quen" in running
