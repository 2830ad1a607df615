"""Issue 10's four questions, asked in Chromium at 1366x768 on the demo data, as the people who ask them.

The pages are Vietnamese (the browser's language) except where a test says otherwise; the assertions use the
catalogue-independent facts (names, numbers, dates) and, where they read words, say so.
"""

import re

import pytest
from django.utils import timezone

from partners.models import Mou

from .conftest import assert_in_viewport, screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_q1_staff_see_expiring_and_open_ended_mous_on_the_dashboard(page, live_server, demo):
    """ "Which MOUs expire in the next 6 months, and which have no end date recorded?" — no click after sign-in."""
    sign_in(page, live_server, "ministry.demo")
    screenshot(page, "q1-staff-dashboard")

    assert page.url == f"{live_server.url}/admin/"
    assert "Cán bộ Bộ (demo)" in page.locator("#user-tools").text_content()
    open_ended = page.locator("#mous-no-end-date")
    for title in (
        "Vitamin KOL communication MOU",
        "Vietnam Copyright Protection Center \u00d7 TikTok Vietnam MOU on cultural industries",
    ):
        row = open_ended.locator("tr", has=page.get_by_role("link", name=title, exact=True))
        assert row.count() == 1
        for cell in row.locator("td").all():  # partner, agency, period, status and days left, all on screen
            assert_in_viewport(page, cell)
    vitamin = open_ended.locator("tr", has_text="Vitamin KOL communication MOU")
    assert vitamin.locator("td.partner").inner_text() == "Vitamin"

    # SChannel's MOU runs to the end of 2027: listed as expiring once it is within 180 days, else named as the next.
    schannel = Mou.objects.get(partner__slug="schannel")
    days_left = (schannel.in_force_until - timezone.localdate()).days
    if days_left <= 180:
        expiring = page.locator("#mous-expiring tr", has_text=schannel.title)
        assert_in_viewport(page, expiring.locator("td.days-left"))
        assert str(days_left) in expiring.locator("td.days-left").inner_text().replace(".", "")
    else:
        link = page.locator("#mous-expiring-none").get_by_role("link", name=schannel.title)
        assert_in_viewport(page, link)

    page.get_by_role("link", name="Vitamin KOL communication MOU", exact=True).first.click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/admin/overview/mous/{Mou.objects.get(partner__slug='vitamin').pk}/")


def test_q2_staff_find_vitamins_kols_and_their_followers_in_one_click(english_page, live_server, demo):
    """ "Which KOLs does Vitamin work with under its MOU, and how many followers does each have?" (in English)"""
    page = english_page
    sign_in(page, live_server, "ministry.demo")
    page.locator("#mous-no-end-date").get_by_role("link", name="Vitamin KOL communication MOU").click()
    page.wait_for_load_state()
    screenshot(page, "q2-vitamin-mou")

    rows = page.locator("#named-channels tbody tr")
    assert rows.count() == 9
    beem = page.locator("#named-channels tr", has_text="Quách Beem")
    for cell in beem.locator("td").all():
        assert_in_viewport(page, cell)
    # The demo channels have no follower count, which the page says in words, never "-".
    followers = [text.strip() for text in rows.locator("td.followers").all_inner_texts()]
    assert set(followers) == {"No follower count recorded"}


def test_q3_staff_see_a_campaigns_results_by_platform_with_sources(page, live_server, demo):
    """ "How did Towards the National Flag perform, by platform?" — and conflicting reports stand side by side."""
    sign_in(page, live_server, "ministry.demo")
    page.locator("#campaign-results").get_by_role("link", name="Hướng về lá cờ Tổ quốc").click()
    page.wait_for_load_state()
    screenshot(page, "q3-towards-the-national-flag")

    tiktok = page.locator("#results tr", has=page.locator("td.figure", has_text="800.000.000"))  # Vietnamese grouping
    assert_in_viewport(page, tiktok.locator("td.figure", has_text="800.000.000"))
    assert_in_viewport(page, tiktok.locator("td.source a", has_text="vtcnews.vn"))
    assert page.locator("#results h3", has_text="TikTok").count() == 1
    combined = page.locator("#results h3", has_text="Facebook + Instagram")
    assert combined.count() == 1
    assert_in_viewport(page, page.locator("#results td.figure", has_text="200.000"))

    # The contest with a growth series: 253M (contest summary) and 331.2M, each with its source, and the chart.
    page.goto(f"{live_server.url}/admin/")
    page.locator("#campaign-results").get_by_role("link", name="Thời khắc khó quên").click()
    page.wait_for_load_state()
    screenshot(page, "q3-thoi-khac-kho-quen")
    for figure in ("253.000.000", "331.200.000"):
        row = page.locator("#results tr", has=page.locator("td.figure", has_text=figure))
        assert_in_viewport(page, row.locator("td.figure", has_text=figure))
        assert_in_viewport(page, row.locator("td.source"))
        assert "Tạp chí Lao động và Công đoàn" in row.locator("td.source").inner_text()
    assert page.locator("#results-chart svg.pygal-chart").is_visible()


@pytest.mark.parametrize(
    ("username", "partner", "mou_title", "named_channels", "campaign"),
    [
        ("schannel.demo", "SChannel", "SChannel KOL communication MOU 2024\u20132027", 0, "Hướng về lá cờ Tổ quốc"),
        ("vitamin.demo", "Vitamin", "Vitamin KOL communication MOU", 9, None),
    ],
)
def test_q4_a_partner_lands_on_its_company_home(
    page, live_server, demo, username, partner, mou_title, named_channels, campaign
):
    """ "What is my company's roster, which MOUs am I party to and until when, and what am I assigned to?" """
    sign_in(page, live_server, username)
    screenshot(page, f"q4-{username}")

    assert page.url == f"{live_server.url}/admin/"
    assert page.locator("h1").inner_text().startswith(f"{partner}:")
    assert f"{partner} (demo)" in page.locator("#user-tools").text_content()
    mou = page.locator("#partner-mou-table tr", has_text=mou_title)
    for cell in mou.locator("td").all():  # status and end date included
        assert_in_viewport(page, cell)
    assert page.locator("#partner-mou-table tbody tr").count() == 1  # no other company's MOU
    assert page.locator("#partner-named tbody tr td.followers").count() == named_channels
    assert page.locator("#partner-roster").is_visible()
    campaigns = page.locator("#partner-campaigns tbody tr")
    if campaign:  # SChannel takes part in Towards the National Flag: its figures are on the row
        row = campaigns.filter(has_text=campaign)
        assert_in_viewport(page, row.locator("td.figure", has_text="800.000.000"))
        assert campaigns.count() == 1
    else:
        assert campaigns.count() == 0

    # One click to submit figures: a metric snapshot, and a result report for the company's campaigns.
    page.locator(".object-tools a[href$='/admin/partners/channelmetric/add/']").click()
    page.wait_for_load_state()
    assert re.search(r"/admin/partners/channelmetric/add/$", page.url)
    assert page.locator("#channelmetric_form").is_visible()
    page.go_back()
    page.locator(".object-tools a[href$='/admin/campaigns/campaignreport/add/']").click()
    page.wait_for_load_state()
    assert page.locator("#campaignreport_form").is_visible()
