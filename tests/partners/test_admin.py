"""The partners admin: changelist query bounds, accent-insensitive search, filters, inlines and validation."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from partners.choices import MouSide, MouStatus, Platform
from partners.models import Channel, ChannelMetric, Mou, RosterMembership
from tests.factories import (
    AgencyFactory,
    CampaignFactory,
    ChannelFactory,
    ChannelMetricFactory,
    KolFactory,
    MouFactory,
    MouPersonFactory,
    PartnerCompanyFactory,
    PersonFactory,
    RosterMembershipFactory,
)
from tests.helpers import assert_changelist_shows, listed, partner_client

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def changelist_url(model):
    return reverse(f"admin:partners_{model}_changelist")


def make_agencies(n):
    parent = AgencyFactory(acronym="MIC")
    AgencyFactory.create_batch(n - 1, parent=parent)


def make_partners(n):
    for partner in PartnerCompanyFactory.create_batch(n):
        RosterMembershipFactory(partner=partner)


def make_kols(n):
    for kol in KolFactory.create_batch(n):
        ChannelFactory.create_batch(2, kol=kol)


def make_channels(n):
    agency = AgencyFactory()
    for index in range(n):
        channel = ChannelFactory(kol=None, agency=agency) if index % 2 else ChannelFactory()
        RosterMembershipFactory(channel=channel)
        ChannelMetricFactory(channel=channel)


def make_metrics(n):
    ChannelMetricFactory.create_batch(n)


def make_memberships(n):
    RosterMembershipFactory.create_batch(n)


def make_mous(n):
    for mou in MouFactory.create_batch(n):
        CampaignFactory(mou=mou)
        mou.kols.add(KolFactory())


def make_people(n):
    for index in range(n):
        mou = MouFactory()
        if index % 2:
            MouPersonFactory(mou=mou, person=PersonFactory(partner=None, agency=mou.agency), side=MouSide.AGENCY)
        else:
            MouPersonFactory(mou=mou)


CHANGELISTS = {
    "agency": make_agencies,
    "partnercompany": make_partners,
    "kol": make_kols,
    "channel": make_channels,
    "channelmetric": make_metrics,
    "rostermembership": make_memberships,
    "mou": make_mous,
    "person": make_people,
    "mouperson": make_people,
}
# Measured on SQLite and PostgreSQL; the same bound holds for 2 and 25 rows.
MAX_CHANGELIST_QUERIES = {
    "agency": 8,
    "partnercompany": 7,
    "kol": 8,
    "channel": 10,
    "channelmetric": 8,
    "rostermembership": 10,
    "mou": 9,
    "person": 9,
    "mouperson": 8,
}


@pytest.mark.parametrize("rows", [2, 25])
@pytest.mark.parametrize("model", sorted(CHANGELISTS))
def test_changelist_runs_a_bounded_number_of_queries(admin_client, django_assert_max_num_queries, model, rows):
    CHANGELISTS[model](rows)
    assert_changelist_shows(
        admin_client, django_assert_max_num_queries, changelist_url(model), rows, MAX_CHANGELIST_QUERIES[model]
    )


@pytest.fixture
def quach_beem():
    return KolFactory(name="Quách Beem", name_en="Quach Beem", slug="quach-beem")


@pytest.fixture
def miss_sidewalk():
    return KolFactory(name="Hoa hậu vỉa hè", name_en="Miss Sidewalk", slug="hoa-hau-via-he")


def test_search_ignores_accents(admin_client, quach_beem, miss_sidewalk):
    response = admin_client.get(changelist_url("kol"), {"q": "quach beem"})

    assert listed(response) == [quach_beem]


def test_search_ignores_accents_in_a_longer_name(admin_client, quach_beem, miss_sidewalk):
    response = admin_client.get(changelist_url("kol"), {"q": "hoa hau via he"})

    assert listed(response) == [miss_sidewalk]


def test_search_accepts_accented_terms(admin_client, quach_beem, miss_sidewalk):
    response = admin_client.get(changelist_url("kol"), {"q": "Vỉa Hè"})

    assert listed(response) == [miss_sidewalk]


def test_search_requires_every_term(admin_client, quach_beem):
    response = admin_client.get(changelist_url("kol"), {"q": "quach sidewalk"})

    assert listed(response) == []


def test_kol_search_through_several_matching_channels_lists_the_kol_once(admin_client, quach_beem):
    ChannelFactory(kol=quach_beem, display_name="Beem TikTok", handle="beem.tiktok")
    ChannelFactory(kol=quach_beem, display_name="Beem YouTube", handle="beem.youtube", platform=Platform.YOUTUBE)

    response = admin_client.get(changelist_url("kol"), {"q": "beem"})

    assert listed(response) == [quach_beem]
    assert response.context["cl"].result_count == 1


def test_the_admin_and_the_api_search_alike(admin_client, api, quach_beem, miss_sidewalk):
    ChannelFactory(kol=quach_beem, handle="beem.official")

    admin_found = listed(admin_client.get(changelist_url("kol"), {"q": "beem.official"}))
    api_found = [row["slug"] for row in api.get("/api/v1/kols/", {"q": "beem.official"}).json()["results"]]

    assert admin_found == [quach_beem]
    assert api_found == ["quach-beem"]


def test_channel_search_matches_the_owning_kol(admin_client, quach_beem):
    channel = ChannelFactory(kol=quach_beem, display_name="Beem", handle="beem")
    ChannelFactory()

    response = admin_client.get(changelist_url("channel"), {"q": "QUACH"})

    assert listed(response) == [channel]


def test_membership_search_matches_partner_names_without_accents(admin_client):
    partner = PartnerCompanyFactory(short_name="Mạng Sáng Tạo", legal_name="Công ty Cổ phần Mạng Sáng Tạo")
    membership = RosterMembershipFactory(partner=partner)
    RosterMembershipFactory()

    response = admin_client.get(changelist_url("rostermembership"), {"q": "cong ty mang sang tao"})

    assert listed(response) == [membership]


def test_mou_search_matches_the_agency(admin_client):
    mou = MouFactory(agency=AgencyFactory(name_vi="Trung tâm Báo chí và Hợp tác truyền thông quốc tế"))
    MouFactory()

    response = admin_client.get(changelist_url("mou"), {"q": "bao chi hop tac"})

    assert listed(response) == [mou]


def test_autocomplete_uses_accent_insensitive_search(admin_client, quach_beem, miss_sidewalk):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "partners", "model_name": "channel", "field_name": "kol", "term": "quach beem"},
    )

    assert response.status_code == 200
    assert [result["id"] for result in response.json()["results"]] == [str(quach_beem.pk)]


def test_platform_filter(admin_client):
    tiktok = ChannelFactory(platform=Platform.TIKTOK)
    ChannelFactory(platform=Platform.YOUTUBE)

    response = admin_client.get(changelist_url("channel"), {"platform__exact": Platform.TIKTOK})

    assert listed(response) == [tiktok]


def test_channel_partner_filter_lists_the_roster_of_today(admin_client):
    partner = PartnerCompanyFactory()
    managed = RosterMembershipFactory(partner=partner, starts_on=TODAY - 10 * DAY).channel
    RosterMembershipFactory(partner=partner, starts_on=TODAY - 100 * DAY, ends_on=TODAY - 50 * DAY)
    RosterMembershipFactory(starts_on=TODAY - 10 * DAY)

    response = admin_client.get(changelist_url("channel"), {"managed_by": partner.pk})

    assert listed(response) == [managed]


def test_unknown_filter_value_is_refused_not_a_server_error(admin_client):
    PartnerCompanyFactory()

    response = admin_client.get(changelist_url("channel"), {"managed_by": "nonsense"})

    assert response.status_code == 302
    assert "e=1" in response["Location"]


def test_membership_active_today_filter(admin_client):
    current = RosterMembershipFactory(starts_on=TODAY - 10 * DAY)
    past = RosterMembershipFactory(starts_on=TODAY - 100 * DAY, ends_on=TODAY - DAY)

    assert listed(admin_client.get(changelist_url("rostermembership"), {"active_today": "yes"})) == [current]
    assert listed(admin_client.get(changelist_url("rostermembership"), {"active_today": "no"})) == [past]


def test_membership_partner_filter(admin_client):
    membership = RosterMembershipFactory()
    RosterMembershipFactory()

    response = admin_client.get(changelist_url("rostermembership"), {"partner__id__exact": membership.partner_id})

    assert listed(response) == [membership]


@pytest.fixture
def mous_by_status():
    return {
        MouStatus.DRAFT: MouFactory(signed=False, starts_on=TODAY - 10 * DAY, ends_on=None),
        MouStatus.SIGNED: MouFactory(starts_on=TODAY + 10 * DAY, ends_on=None),
        MouStatus.ACTIVE: MouFactory(starts_on=TODAY - 10 * DAY, ends_on=TODAY + 30 * DAY),
        MouStatus.EXPIRED: MouFactory(starts_on=TODAY - 400 * DAY, ends_on=TODAY - DAY),
        MouStatus.TERMINATED: MouFactory(starts_on=TODAY - 400 * DAY, ends_on=None, terminated_on=TODAY - DAY),
    }


@pytest.mark.parametrize("status", MouStatus.values)
def test_mou_status_filter_uses_the_derived_status(admin_client, mous_by_status, status):
    response = admin_client.get(changelist_url("mou"), {"mou_status": status})

    assert listed(response) == [mous_by_status[status]]
    assert str(MouStatus(status).label) in response.text


def test_mou_active_today_filter(admin_client, mous_by_status):
    response = admin_client.get(changelist_url("mou"), {"active_today": "yes"})

    assert listed(response) == [mous_by_status[MouStatus.ACTIVE]]


def test_mou_expiring_within_90_days_filter(admin_client, mous_by_status):
    MouFactory(starts_on=TODAY - 10 * DAY, ends_on=TODAY + 200 * DAY)

    response = admin_client.get(changelist_url("mou"), {"expiring_within": "90"})

    assert listed(response) == [mous_by_status[MouStatus.ACTIVE]]


def test_mou_partner_filter(admin_client):
    mou = MouFactory()
    MouFactory()

    response = admin_client.get(changelist_url("mou"), {"partner__id__exact": mou.partner_id})

    assert listed(response) == [mou]


def test_partner_change_page_shows_its_roster_inline(admin_client):
    membership = RosterMembershipFactory(channel=ChannelFactory(display_name="Kênh Một"))

    response = admin_client.get(reverse("admin:partners_partnercompany_change", args=[membership.partner_id]))

    assert response.status_code == 200
    assert "Kênh Một" in response.text
    assert response.context["inline_admin_formsets"][0].formset.queryset.get() == membership


def test_kol_change_page_adds_a_channel_inline(admin_client, quach_beem):
    url = reverse("admin:partners_kol_change", args=[quach_beem.pk])
    data = {
        "name": quach_beem.name,
        "name_en": quach_beem.name_en,
        "kind": quach_beem.kind,
        "slug": quach_beem.slug,
        "channels-TOTAL_FORMS": "1",
        "channels-INITIAL_FORMS": "0",
        "channels-0-platform": Platform.TIKTOK,
        "channels-0-display_name": "Quách Beem",
        "channels-0-handle": "@QuachBeem",
    }

    response = admin_client.post(url, data)

    assert response.status_code == 302
    channel = quach_beem.channels.get()
    assert (channel.handle, channel.agency) == ("quachbeem", None)


def test_channel_change_page_shows_owner_metrics_and_read_only_followers(admin_client):
    metric = ChannelMetricFactory(followers=4_200_000, measured_on=datetime.date(2025, 3, 1))
    channel = metric.channel

    response = admin_client.get(reverse("admin:partners_channel_change", args=[channel.pk]))

    assert response.status_code == 200
    assert "followers" not in response.context["adminform"].form.fields
    assert "4,200,000" in response.text  # the snapshots are a read-only table, for editors too
    assert [formset.formset.prefix for formset in response.context["inline_admin_formsets"]] == [
        "metrics",
        "memberships",
    ]


def test_channel_changelist_shows_owner_and_partner_today(admin_client):
    agency = AgencyFactory(name="Quang Ninh Media Group", acronym="QMG")
    channel = ChannelFactory(kol=None, agency=agency)
    RosterMembershipFactory(channel=channel, partner=PartnerCompanyFactory(short_name="Network Today"))

    response = admin_client.get(changelist_url("channel"))

    assert "Quang Ninh Media Group (QMG)" in response.text
    assert "Network Today" in response.text


def membership_form(channel, partner, starts_on, ends_on=""):
    return {"channel": channel.pk, "partner": partner.pk, "starts_on": starts_on, "ends_on": ends_on}


def test_overlapping_membership_is_refused_by_the_admin_form(admin_client):
    existing = RosterMembershipFactory(starts_on=datetime.date(2024, 1, 1), ends_on=None)
    other_partner = PartnerCompanyFactory()

    response = admin_client.post(
        reverse("admin:partners_rostermembership_add"),
        membership_form(existing.channel, other_partner, "2025-01-01"),
    )

    assert response.status_code == 200
    assert "starts_on" in response.context["adminform"].form.errors
    assert RosterMembership.objects.count() == 1


def test_membership_ending_before_it_starts_is_refused(admin_client):
    response = admin_client.post(
        reverse("admin:partners_rostermembership_add"),
        membership_form(ChannelFactory(), PartnerCompanyFactory(), "2025-01-01", "2024-01-01"),
    )

    assert response.context["adminform"].form.errors["ends_on"] == ["The end date cannot be before the start date."]
    assert not RosterMembership.objects.exists()


def channel_form(**values):
    return {
        "platform": Platform.TIKTOK,
        "display_name": "New channel",
        "metrics-TOTAL_FORMS": "0",
        "metrics-INITIAL_FORMS": "0",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        **values,
    }


def test_channel_with_two_owners_is_refused_by_the_admin_form(admin_client):
    response = admin_client.post(
        reverse("admin:partners_channel_add"), channel_form(kol=KolFactory().pk, agency=AgencyFactory().pk)
    )

    assert response.status_code == 200
    assert "agency" in response.context["adminform"].form.errors
    assert not Channel.objects.exists()


def test_channel_added_through_the_admin_with_a_metric(admin_client):
    data = channel_form(
        kol=KolFactory().pk,
        **{
            "metrics-TOTAL_FORMS": "1",
            "metrics-0-measured_on": "2025-01-02",
            "metrics-0-followers": "1500",
            "metrics-0-source_note": "Article of 2 January 2025",
        },
    )

    response = admin_client.post(reverse("admin:partners_channel_add"), data)

    assert response.status_code == 302
    channel = Channel.objects.get()
    assert (channel.followers, channel.followers_on) == (1500, datetime.date(2025, 1, 2))


MOU_PEOPLE_INLINE = {"people_links-TOTAL_FORMS": "0", "people_links-INITIAL_FORMS": "0"}


def mou_form(**values):
    return {
        "title": "MOU on KOL communication",
        "agency": AgencyFactory().pk,
        "partner": PartnerCompanyFactory().pk,
        "starts_on": "2024-01-01",
        "ends_on": "2027-12-31",
        "notice_period_days": "90",
        **MOU_PEOPLE_INLINE,
        **values,
    }


def test_mou_ending_before_it_starts_is_refused_by_the_admin_form(admin_client):
    response = admin_client.post(reverse("admin:partners_mou_add"), mou_form(ends_on="2023-12-31"))

    assert response.status_code == 200
    assert "ends_on" in response.context["adminform"].form.errors
    assert not Mou.objects.exists()


def test_mou_saved_with_a_pdf_and_named_kols(admin_client, settings, tmp_path, quach_beem, miss_sidewalk):
    settings.MEDIA_ROOT = tmp_path
    document = SimpleUploadedFile("mou.pdf", PDF, content_type="application/pdf")

    response = admin_client.post(
        reverse("admin:partners_mou_add"), mou_form(document=document, kols=[quach_beem.pk, miss_sidewalk.pk])
    )

    assert response.status_code == 302
    mou = Mou.objects.get()
    assert mou.document.read() == PDF
    assert set(mou.kols.all()) == {quach_beem, miss_sidewalk}


def test_mou_document_that_is_not_a_pdf_is_refused(admin_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    document = SimpleUploadedFile("mou.pdf", b"PK\x03\x04 a zip file", content_type="application/pdf")

    response = admin_client.post(reverse("admin:partners_mou_add"), mou_form(document=document))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["document"] == ["The document is not a PDF file."]
    assert not Mou.objects.exists()
    assert not any(tmp_path.iterdir())


def test_mou_document_with_another_extension_is_refused(admin_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    document = SimpleUploadedFile("mou.docx", PDF)

    response = admin_client.post(reverse("admin:partners_mou_add"), mou_form(document=document))

    assert "document" in response.context["adminform"].form.errors
    assert not Mou.objects.exists()


def test_mou_document_over_the_size_limit_is_refused(admin_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.KOLREG_MOU_DOCUMENT_MAX_BYTES = 100
    document = SimpleUploadedFile("mou.pdf", PDF + b"0" * 100, content_type="application/pdf")

    response = admin_client.post(reverse("admin:partners_mou_add"), mou_form(document=document))

    assert "document" in response.context["adminform"].form.errors
    assert "the limit is 100" in response.context["adminform"].form.errors["document"][0]
    assert not Mou.objects.exists()


def test_admin_refuses_mous_renewing_each_other(admin_client):
    earlier = MouFactory()
    renewal = MouFactory(renews=earlier)

    response = admin_client.post(
        reverse("admin:partners_mou_change", args=[earlier.pk]),
        mou_form(title=earlier.title, agency=earlier.agency_id, partner=earlier.partner_id, renews=renewal.pk),
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["renews"] == ["An MOU cannot renew one of its own renewals."]
    earlier.refresh_from_db()
    assert earlier.renews is None


def test_admin_refuses_to_delete_a_renewed_mou(admin_client):
    earlier = MouFactory()
    renewal = MouFactory(title="MOU 2024-2027", renews=earlier)

    response = admin_client.post(reverse("admin:partners_mou_delete", args=[earlier.pk]), {"post": "yes"})

    assert response.status_code == 200
    assert "MOU 2024-2027" in str(response.context["protected"])
    renewal.refresh_from_db()
    assert renewal.renews == earlier


def test_admin_refuses_to_delete_a_channel_with_metrics(admin_client):
    metric = ChannelMetricFactory()

    response = admin_client.post(reverse("admin:partners_channel_delete", args=[metric.channel_id]), {"post": "yes"})

    assert response.status_code == 200
    assert str(metric) in str(response.context["protected"])
    assert Channel.objects.filter(pk=metric.channel_id).exists()
    assert ChannelMetric.objects.filter(pk=metric.pk).exists()


def test_admin_delete_action_refuses_channels_with_metrics(admin_client):
    metric = ChannelMetricFactory()
    bare = ChannelFactory()

    response = admin_client.post(
        changelist_url("channel"),
        {"action": "delete_selected", "_selected_action": [metric.channel_id, bare.pk], "post": "yes"},
    )

    assert response.status_code == 200
    assert str(metric) in str(response.context["protected"])
    assert set(Channel.objects.values_list("pk", flat=True)) == {metric.channel_id, bare.pk}
    assert ChannelMetric.objects.filter(pk=metric.pk).exists()


def test_mou_change_page_shows_status_and_campaigns_read_only(admin_client):
    mou = MouFactory(starts_on=TODAY - 10 * DAY, ends_on=None)
    CampaignFactory(mou=mou, name="Campaign under the MOU", starts_on=TODAY, ends_on=TODAY)

    response = admin_client.get(reverse("admin:partners_mou_change", args=[mou.pk]))

    assert response.status_code == 200
    assert "Campaign under the MOU" in response.text
    assert "Active" in response.text
    assert "campaigns" not in response.context["adminform"].form.fields


def test_mou_history_is_viewable_in_the_admin(admin_client):
    mou = MouFactory(title="First title")
    mou.title = "Second title"
    mou.save()

    response = admin_client.get(reverse("admin:partners_mou_history", args=[mou.pk]))

    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 2


# Layout at 1366x768 (issue 10): formatted figures and dates, readable read-only pages, scoped related rows.


def change_url(model, pk):
    return reverse(f"admin:partners_{model}_change", args=[pk])


def test_changelist_figures_are_grouped_for_the_language(admin_client):
    ChannelMetricFactory(followers=253_000_000, approximate=True)
    english = admin_client.get(changelist_url("channelmetric")).content.decode()
    vietnamese = admin_client.get(changelist_url("channelmetric"), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "≈ 253,000,000" in english
    assert "≈ 253.000.000" in vietnamese
    assert "253000000" not in english + vietnamese


def test_dates_are_short_in_both_languages(admin_client):
    mou = MouFactory(ends_on=datetime.date(2027, 12, 31))
    english = admin_client.get(changelist_url("mou")).content.decode()
    vietnamese = admin_client.get(change_url("mou", mou.pk), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "31 Dec 2027" in english
    # The record's timestamps too: numeric, never "Ngày 01 tháng 1 năm 2024".
    created = timezone.localtime(mou.created_at)
    assert created.strftime("%H:%M %d/%m/%Y") in vietnamese
    assert re.search(r"tháng \d+ năm \d{4}", vietnamese) is None


def test_staff_read_only_figure_is_grouped(admin_client):
    channel = ChannelFactory()
    ChannelMetricFactory(channel=channel, followers=354_000)
    page = admin_client.get(change_url("channel", channel.pk)).content.decode()
    assert "354,000" in page
    assert "354000" not in page.replace('value="354000"', "")


def test_empty_inlines_say_what_is_missing(admin_client, client):
    channel = ChannelFactory()
    page = admin_client.get(change_url("channel", channel.pk)).content.decode()
    assert "No metric snapshots recorded yet." in page
    assert "No partner company has managed this channel yet." in page
    mou = MouFactory()
    mou.channels.add(channel)
    viewer_page = partner_client(client, mou.partner).get(change_url("channel", channel.pk)).content.decode()
    assert "No metric snapshots recorded yet." in viewer_page


def test_viewer_gets_a_compact_read_only_table_of_metrics(client):
    membership = RosterMembershipFactory()
    ChannelMetricFactory(channel=membership.channel, followers=1_500_000, likes=20_000)
    page = partner_client(client, membership.partner).get(change_url("channel", membership.channel_id))
    content = page.content.decode()
    assert page.status_code == 200
    assert 'class="inline-group readonly-inline"' in content
    assert "1,500,000" in content and "20,000" in content
    # No edit form for the rows: no management form, no inputs named after the inline's fields.
    assert "metrics-TOTAL_FORMS" not in content
    assert 'name="metrics-0-followers"' not in content


def test_viewer_page_hides_related_rows_out_of_scope(client):
    own = PartnerCompanyFactory(short_name="Own Network")
    parent = AgencyFactory(name="Hidden Parent Ministry")
    agency = AgencyFactory(name="Visible Department", parent=parent)
    mou = MouFactory(partner=own, agency=agency, renews=MouFactory(title="Rival renewal MOU"))
    partner_client(client, own)

    agency_page = client.get(change_url("agency", agency.pk)).content.decode()
    mou_page = client.get(change_url("mou", mou.pk)).content.decode()
    agency_list = client.get(changelist_url("agency")).content.decode()

    assert "Visible Department" in agency_page
    assert "Hidden Parent Ministry" not in agency_page + agency_list
    assert "Rival renewal MOU" not in mou_page


def test_channel_list_names_no_other_partner_managing_it(client):
    own = PartnerCompanyFactory(short_name="Own Network")
    membership = RosterMembershipFactory(partner=PartnerCompanyFactory(short_name="Rival Network"))
    MouFactory(partner=own).channels.add(membership.channel)
    content = partner_client(client, own).get(changelist_url("channel")).content.decode()
    assert membership.channel.display_name in content
    assert "Rival Network" not in content


def test_staff_still_see_every_related_row(admin_client):
    parent = AgencyFactory(name="Parent Ministry")
    agency = AgencyFactory(parent=parent)
    assert "Parent Ministry" in admin_client.get(change_url("agency", agency.pk)).content.decode()
    assert "Parent Ministry" in admin_client.get(changelist_url("agency")).content.decode()


def test_viewer_table_is_bounded_and_hides_internal_notes(client):
    membership = RosterMembershipFactory(notes="Internal remark of the ministry")
    ChannelMetricFactory.create_batch(25, channel=membership.channel, followers=7_777)
    content = partner_client(client, membership.partner).get(change_url("channel", membership.channel_id))
    content = content.content.decode()
    assert content.count('<td><span class="figure">7,777</span></td>') == 20
    assert f"?channel__id__exact={membership.channel_id}" in content and "All 25 channel metrics →" in content
    assert "Internal remark of the ministry" not in content


def test_a_partner_counts_only_the_channels_of_a_kol_it_may_see(client, admin_client):
    kol = KolFactory(name="Quang Linh")
    own = RosterMembershipFactory(channel=ChannelFactory(kol=kol))
    RosterMembershipFactory(channel=ChannelFactory(kol=kol))  # managed by another company

    staff_row = listed(admin_client.get(changelist_url("kol")))
    partner_row = listed(partner_client(client, own.partner).get(changelist_url("kol")))

    assert [row.channel_total for row in staff_row] == [2]
    assert [row.channel_total for row in partner_row] == [1]


def test_mou_history_shows_a_foreign_key_set_from_empty_as_empty_not_deleted(admin_client, staff_user):
    mou = MouFactory(title="First title")
    mou.responsible = staff_user
    mou.save()

    page = admin_client.get(reverse("admin:partners_mou_history", args=[mou.pk])).content.decode()

    assert "pk=None" not in page
    assert "Deleted" not in page
