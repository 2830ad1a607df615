"""The staff dashboard, partner home, MOU overview and campaign results, through the admin client."""

import datetime

import pytest
from django.utils import timezone

from accounts.roles import MINISTRY_STAFF
from partners.choices import MouStatus, Platform
from tests.factories import (
    AssignmentFactory,
    CampaignFactory,
    CampaignReportFactory,
    ChannelFactory,
    ChannelMetricFactory,
    HashtagFactory,
    MouFactory,
    PartnerCompanyFactory,
    RosterMembershipFactory,
)
from tests.helpers import partner_client, role_user

pytestmark = pytest.mark.django_db


def days_from_today(days):
    return timezone.localdate() + datetime.timedelta(days=days)


@pytest.fixture
def ministry(client):
    client.force_login(role_user(MINISTRY_STAFF))
    return client


@pytest.fixture
def two_partners(db):
    """SChannel and Vitamin, each with an MOU naming a channel on its roster, a campaign and a report."""
    w = type("World", (), {})()
    w.schannel = PartnerCompanyFactory(short_name="SChannel")
    w.vitamin = PartnerCompanyFactory(short_name="Vitamin")
    for name, partner in (("s", w.schannel), ("v", w.vitamin)):
        channel = ChannelFactory(display_name=f"Channel of {partner}")
        RosterMembershipFactory(partner=partner, channel=channel)
        mou = MouFactory(partner=partner, title=f"MOU of {partner}", ends_on=days_from_today(40))
        mou.channels.add(channel)
        campaign = CampaignFactory(name=f"Campaign of {partner}")
        campaign.partners.add(partner)
        AssignmentFactory(campaign=campaign, channel=channel, videos_planned=3)
        CampaignReportFactory(campaign=campaign, views=4_500_000)
        setattr(w, f"channel_{name}", channel)
        setattr(w, f"mou_{name}", mou)
        setattr(w, f"campaign_{name}", campaign)
    ChannelMetricFactory(channel=w.channel_v, followers=1_234_567, measured_on=datetime.date(2025, 3, 1))
    return w


def test_the_staff_dashboard_lists_mous_ending_within_six_months_and_those_without_an_end(ministry):
    soon = MouFactory(title="Ends in 10 days", ends_on=days_from_today(10))
    later = MouFactory(title="Ends in 100 days", ends_on=days_from_today(100))
    MouFactory(title="Ends in 300 days", ends_on=days_from_today(300))
    open_ended = MouFactory(title="Open-ended", ends_on=None)
    MouFactory(title="Terminated, open-ended", ends_on=None, terminated_on=datetime.date(2024, 6, 1))

    response = ministry.get("/admin/")

    assert response.status_code == 200
    context = response.context
    assert [row.mou for row in context["expiring"]] == [soon, later]
    assert [row.days_left for row in context["expiring"]] == [10, 100]
    assert [row.mou for row in context["open_ended"]] == [open_ended]
    assert context["expiry_counts"] == [(30, 1), (90, 1), (180, 2)]
    assert dict(context["status_counts"])[MouStatus.ACTIVE] == 4
    assert dict(context["status_counts"])[MouStatus.TERMINATED] == 1
    content = response.content.decode()
    assert f'href="/admin/overview/mous/{soon.pk}/"' in content  # each row links to its MOU
    assert "No end date recorded" in content


def test_the_dashboard_shows_the_first_twenty_mous_of_a_table_and_links_to_the_rest(ministry):
    ending = [MouFactory(title=f"Ends in {days} days", ends_on=days_from_today(days)) for days in range(10, 35)]
    MouFactory.create_batch(22, ends_on=None)

    response = ministry.get("/admin/")

    context = response.context
    assert [row.mou for row in context["expiring"]] == ending[:20]
    assert (context["expiring_total"], len(context["open_ended"]), context["open_ended_total"]) == (25, 20, 22)
    content = response.content.decode()
    assert "The first 20 of 25 MOUs." in content and "The first 20 of 22 MOUs." in content
    # The links open the MOU list on the same MOUs.
    assert ministry.get(context["expiring_url"]).context["cl"].result_count == 25
    assert ministry.get(context["open_ended_url"]).context["cl"].result_count == 22


def test_the_dashboard_names_the_next_mou_to_end_when_none_ends_within_six_months(ministry):
    MouFactory(title="Ends in 300 days", ends_on=days_from_today(300))

    response = ministry.get("/admin/")

    assert response.context["expiring"] == []
    assert response.context["next_expiring"].days_left == 300
    assert "No MOU in force ends in the next 6 months." in response.content.decode()


def test_the_dashboard_lists_what_mous_miss_latest_reports_largest_channels_and_reach(ministry, two_partners):
    MouFactory(title="Undated", starts_on=None, ends_on=None, signed=False)
    ChannelMetricFactory(channel=two_partners.channel_s, followers=50, measured_on=datetime.date(2025, 3, 1))

    response = ministry.get("/admin/")

    context = response.context
    undated = next(row for row in context["missing"] if row.mou.title == "Undated")
    assert [str(item) for item in undated.missing] == ["signing date", "start date", "end date", "signed document"]
    assert len(context["latest_reports"]) == 2
    (platform, channels), *_rest = context["largest_channels"]
    assert platform == Platform.TIKTOK.label
    assert channels == [two_partners.channel_v, two_partners.channel_s]  # the most followed first
    content = response.content.decode()
    assert "1,234,567" in content
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in content  # the reach chart, inline
    assert "<script" not in content.split('id="reach-chart"')[1]  # no script in the chart (CSP: self only)


def test_the_reach_chart_names_campaigns_in_the_pages_language(ministry, two_partners):
    campaign = two_partners.campaign_v
    campaign.name, campaign.name_vi = "Towards the National Flag", "Hướng về lá cờ Tổ quốc"
    campaign.save()

    english = ministry.get("/admin/").context["reach_chart"]
    vietnamese = ministry.get("/admin/", HTTP_ACCEPT_LANGUAGE="vi").context["reach_chart"]

    assert "Towards the National Flag: 4,500,000" in english
    assert "Hướng về lá cờ Tổ quốc" not in english
    assert "Hướng về lá cờ Tổ quốc: 4.500.000" in vietnamese


def test_the_dashboard_keeps_its_queries_bounded(ministry, two_partners, django_assert_max_num_queries):
    for number in range(5):
        MouFactory(title=f"Open {number}", ends_on=None)
        CampaignReportFactory(views=number + 1)
    with django_assert_max_num_queries(25):
        assert ministry.get("/admin/").status_code == 200


def test_the_stock_app_list_stays_one_click_away(ministry):
    response = ministry.get("/admin/")
    assert 'href="/admin/records/"' in response.content.decode()
    records = ministry.get("/admin/records/")
    assert records.status_code == 200
    assert 'href="/admin/partners/mou/"' in records.content.decode()


def test_a_partner_user_lands_on_its_own_home(client, two_partners, django_assert_max_num_queries):
    partner_client(client, two_partners.vitamin)

    with django_assert_max_num_queries(30):
        response = client.get("/admin/")

    assert response.status_code == 200
    assert response.templates[0].name == "dashboard/partner.html"
    content = response.content.decode()
    assert "MOU of Vitamin" in content and "Campaign of Vitamin" in content and "Channel of Vitamin" in content
    assert "1,234,567" in content  # the roster's follower count
    assert "4,500,000" in content  # the campaign's figures
    assert "3 videos planned" in content  # the assignment
    # One click to submit: the add forms, prefilled with the channel and the campaign.
    assert f'href="/admin/partners/channelmetric/add/?channel={two_partners.channel_v.pk}"' in content
    assert f'href="/admin/campaigns/campaignreport/add/?campaign={two_partners.campaign_v.pk}"' in content
    # Nothing of SChannel's.
    assert "SChannel" not in content


@pytest.mark.parametrize(
    "url",
    [
        "/admin/overview/partners/{w.schannel.pk}/",
        "/admin/overview/mous/{w.mou_s.pk}/",
        "/admin/overview/campaigns/{w.campaign_s.pk}/",
    ],
)
def test_a_partner_user_cannot_open_another_partners_pages(client, two_partners, url):
    partner_client(client, two_partners.vitamin)
    assert client.get(url.format(w=two_partners)).status_code == 404


def test_a_partner_reads_a_shared_campaign_without_the_other_partner_or_its_mou(client, two_partners):
    campaign = two_partners.campaign_s  # SChannel's, under SChannel's MOU, now shared with Vitamin
    campaign.partners.add(two_partners.vitamin)
    campaign.mou = two_partners.mou_s
    campaign.save()

    response = partner_client(client, two_partners.vitamin).get(f"/admin/overview/campaigns/{campaign.pk}/")

    assert response.status_code == 200
    assert list(response.context["campaign"].partners.all()) == [two_partners.vitamin]
    assert response.context["campaign"].mou is None
    assert "MOU of SChannel" not in response.content.decode()


def test_staff_open_any_partners_home(ministry, two_partners):
    response = ministry.get(f"/admin/overview/partners/{two_partners.schannel.pk}/")
    content = response.content.decode()
    assert "MOU of SChannel" in content
    assert "MOU of Vitamin" not in content


def test_the_mou_overview_lists_the_named_kols_with_followers_in_words_when_unknown(ministry, two_partners):
    mou = two_partners.mou_v
    uncounted = ChannelFactory(display_name="Uncounted", platform=Platform.YOUTUBE)
    mou.channels.add(uncounted)
    mou.kols.add(uncounted.kol)

    response = ministry.get(f"/admin/overview/mous/{mou.pk}/")

    content = response.content.decode()
    assert [row.channel for row in response.context["named"]] == [two_partners.channel_v, uncounted]
    assert "1,234,567" in content
    assert "No follower count recorded" in content
    assert "YouTube" in content
    assert "<td>-</td>" not in content


def test_campaign_results_show_conflicting_reports_side_by_side_with_their_sources(ministry):
    campaign = CampaignFactory(name="Unforgettable moments", platforms=[Platform.TIKTOK])
    hashtag = HashtagFactory(name="ThoiKhacKhoQuen")
    for day, views in ((datetime.date(2021, 9, 4), 1_000_000), (datetime.date(2021, 9, 30), 253_000_000)):
        CampaignReportFactory(
            campaign=campaign,
            hashtag=hashtag,
            reported_on=day,
            views=views,
            source_url="",
            source_note="Contest summary",
        )
    CampaignReportFactory(
        campaign=campaign,
        hashtag=hashtag,
        reported_on=None,
        views=331_200_000,
        source_url="",
        source_note="TikTok ranking",
    )
    CampaignReportFactory(
        campaign=campaign, platforms=[Platform.FACEBOOK, Platform.INSTAGRAM], views=None, profile_frame_changes=200_000
    )

    english = ministry.get(f"/admin/overview/campaigns/{campaign.pk}/")
    vietnamese = ministry.get(f"/admin/overview/campaigns/{campaign.pk}/", HTTP_ACCEPT_LANGUAGE="vi")

    results = english.context["results"]
    assert [group.label for group in results] == ["Facebook + Instagram (combined)", "TikTok"]
    assert [report.views for report in results[1].reports] == [1_000_000, 253_000_000, 331_200_000]
    content = english.content.decode()
    assert "253,000,000" in content and "331,200,000" in content  # never merged
    assert "Contest summary" in content and "TikTok ranking" in content
    assert ">vtcnews.vn</a>" in content  # the combined report's source URL, by its site
    assert "pygal-chart" in content  # the dated series is drawn
    assert "253.000.000" in vietnamese.content.decode()


def test_a_campaign_without_a_series_says_why_there_is_no_chart(ministry):
    campaign = CampaignFactory()
    CampaignReportFactory(campaign=campaign, reported_on=None)
    content = ministry.get(f"/admin/overview/campaigns/{campaign.pk}/").content.decode()
    assert "pygal-chart" not in content
    assert "No chart: the reports do not give dated view counts that form a series." in content


def test_the_change_pages_link_to_the_overviews(ministry, two_partners):
    mou_page = ministry.get(f"/admin/partners/mou/{two_partners.mou_s.pk}/change/").content.decode()
    campaign_page = ministry.get(f"/admin/campaigns/campaign/{two_partners.campaign_s.pk}/change/").content.decode()
    assert f'href="/admin/overview/mous/{two_partners.mou_s.pk}/"' in mou_page
    assert f'href="/admin/overview/campaigns/{two_partners.campaign_s.pk}/"' in campaign_page


def test_demo_users_are_greeted_by_their_display_names(client, demo_data):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="vitamin.demo"))
    content = client.get("/admin/").content.decode()
    assert "Vitamin (demo)" in content
    assert "DEMO ONLY" not in content
