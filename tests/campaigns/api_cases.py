"""Per-resource cases for the generic API tests (tests/test_api_crud.py): campaigns resources."""

import datetime

from campaigns.models import Assignment, Campaign, CampaignReport, Hashtag, StatedFact
from tests.factories import (
    AgencyFactory,
    AssignmentFactory,
    CampaignFactory,
    CampaignReportFactory,
    ChannelFactory,
    HashtagFactory,
    PartnerCompanyFactory,
    StatedFactFactory,
)

SOURCE = "https://vtcnews.vn/day-manh-truyen-thong-kol-de-quang-ba-hinh-anh-dat-nuoc-ar896867.html"


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
        "platforms": ["tiktok"],
        "reported_on": "2021-09-30",
        "views": 253000000,
        "source_url": SOURCE,
    }
    return payload, {"approximate": True}, {**payload, "positive_share_pct": "150"}, "positive_share_pct"


def stated_fact_case():
    payload = {
        "campaign": CampaignFactory().pk,
        "measure": "contest entries",
        "approximate": True,
        "as_stated": "hàng trăm",
        "source_url": SOURCE,
    }
    return payload, {"value": 300}, {**payload, "as_stated": ""}, "as_stated"


RESOURCES = {
    "hashtags": (Hashtag, HashtagFactory, hashtag_case),
    "campaigns": (Campaign, CampaignFactory, campaign_case),
    "assignments": (Assignment, AssignmentFactory, assignment_case),
    "campaign-reports": (CampaignReport, CampaignReportFactory, report_case),
    "stated-facts": (StatedFact, StatedFactFactory, stated_fact_case),
}
