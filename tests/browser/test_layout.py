"""Issue 10 at 1366x768: the columns one decides with are on screen, and change pages need no horizontal scroll.

Signed in with the demo data as ministry staff and as a Vitamin user, in Vietnamese (the longest labels).
The assertions use CSS classes and figures, not the Vietnamese catalogue.
"""

import pytest

from campaigns.models import Campaign
from partners.models import Channel, Mou, PartnerCompany

from .conftest import VIEWPORT, assert_in_viewport, screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

# Per changelist, the columns (Django's "column-<name>" header classes) a user decides with.
DECIDING_COLUMNS = {
    "partners/mou": ("title", "partner", "ends_on", "status", "campaign_count", "has_document"),
    "partners/channel": ("name", "platform", "managed_by_today", "followers_shown", "followers_on"),
    "campaigns/campaign": ("name", "organiser_list", "partner_list", "hashtag_list", "platform_list"),
    "campaigns/campaignreport": (
        "campaign",
        "hashtag",
        "reported",
        "videos_shown",
        "views_shown",
        "likes_shown",
        "comments_shown",
        "shares_shown",
        "positive_share_pct_shown",
    ),
}


def assert_columns_on_screen(page, live_server, changelist, columns):
    page.goto(f"{live_server.url}/admin/{changelist}/")
    for column in columns:
        assert_in_viewport(page, page.locator(f"#result_list thead th.column-{column}"))


def assert_no_horizontal_scroll(page, live_server, path, name):
    page.goto(f"{live_server.url}{path}")
    screenshot(page, name)
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORT["width"], path


def test_ministry_staff_see_the_deciding_columns_and_pages_fit(page, live_server, demo):
    sign_in(page, live_server, "ministry.demo")
    for changelist, columns in DECIDING_COLUMNS.items():
        assert_columns_on_screen(page, live_server, changelist, columns)
    screenshot(page, "layout-ministry-reports")
    # Figures are grouped as Vietnamese writes them (#ThoiKhacKhoQuen's 253M views).
    assert "253.000.000" in page.content()

    channel = Channel.objects.order_by("-followers").first()
    campaign = Campaign.objects.get(name="Thời khắc khó quên")
    mou = Mou.objects.get(partner__short_name="Vitamin")
    assert_no_horizontal_scroll(page, live_server, f"/admin/partners/channel/{channel.pk}/change/", "layout-channel")
    assert_no_horizontal_scroll(page, live_server, f"/admin/campaigns/campaign/{campaign.pk}/change/", "layout-camp")
    assert_no_horizontal_scroll(page, live_server, f"/admin/partners/mou/{mou.pk}/change/", "layout-mou")
    # An editor's roster is a bounded read-only table with its count and add links (issue 14).
    partner = PartnerCompany.objects.get(short_name="BHMedia")
    assert_no_horizontal_scroll(page, live_server, f"/admin/partners/partnercompany/{partner.pk}/change/", "layout-pc")
    assert page.locator("#memberships-group .readonly-inline-all a.addlink").count() == 1


def test_a_partner_sees_the_deciding_columns_and_read_only_pages_fit(page, live_server, demo):
    sign_in(page, live_server, "vitamin.demo")
    for changelist in ("partners/mou", "partners/channel"):
        assert_columns_on_screen(page, live_server, changelist, DECIDING_COLUMNS[changelist])
        assert page.locator("#result_list input.action-select").count() == 0  # partners have no actions

    mou = Mou.objects.get(partner__short_name="Vitamin")
    channel = mou.channels.order_by("pk").first()
    assert_no_horizontal_scroll(page, live_server, f"/admin/partners/mou/{mou.pk}/change/", "layout-partner-mou")
    assert_no_horizontal_scroll(
        page, live_server, f"/admin/partners/channel/{channel.pk}/change/", "layout-partner-channel"
    )
    # A viewer's inlines are compact read-only tables, never stacked edit forms.
    assert page.locator(".readonly-inline").count() >= 1
    assert page.locator(".inline-related").count() == 0
