"""The campaigns resources through the REST API: CRUD, validation, database rejections, seed-data queries."""

import datetime

import pytest

from campaigns.models import Campaign, Hashtag
from tests.factories import (
    AgencyFactory,
    AssignmentFactory,
    CampaignFactory,
    CampaignReportFactory,
    HashtagFactory,
    MouFactory,
)
from tests.helpers import results

SOURCE = "https://vtcnews.vn/day-manh-truyen-thong-kol-de-quang-ba-hinh-anh-dat-nuoc-ar896867.html"


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


def test_deleting_a_campaign_with_reports_and_assignments_is_a_409_naming_them(api):
    campaign = CampaignFactory(name="Thời khắc khó quên")
    CampaignReportFactory.create_batch(2, campaign=campaign)
    AssignmentFactory(campaign=campaign)
    response = api.delete(f"/api/v1/campaigns/{campaign.pk}/")
    assert response.status_code == 409
    assert response.json()["detail"].startswith(
        "It cannot be deleted while 2 campaign result reports, 1 assignment refer to it ("
    )
    assert (campaign.reports.count(), campaign.assignments.count()) == (2, 1)


def test_campaign_is_deleted_once_its_reports_and_assignments_are(api):
    report = CampaignReportFactory()
    assignment = AssignmentFactory(campaign=report.campaign)
    assert api.delete(f"/api/v1/campaign-reports/{report.pk}/").status_code == 204
    assert api.delete(f"/api/v1/assignments/{assignment.pk}/").status_code == 204
    assert api.delete(f"/api/v1/campaigns/{report.campaign_id}/").status_code == 204
    assert not Campaign.objects.filter(pk=report.campaign_id).exists()


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
