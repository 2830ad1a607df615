"""Spreadsheet import and export in the admin: preview, confirmation, errors, filtered and scoped exports."""

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.roles import PARTNER_USERS
from partners.models import Channel, ChannelMetric, Kol, RosterMembership
from tests.factories import ChannelFactory, KolFactory, PartnerCompanyFactory, RosterMembershipFactory
from tests.helpers import kol_saves_fail_after_the_first, role_user

pytestmark = pytest.mark.django_db

CSV, XLSX = "0", "1"


def upload(client, url_name, rows, name="sheet.csv"):
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    data = {"format": CSV, "import_file": SimpleUploadedFile(name, text.getvalue().encode(), "text/csv")}
    return client.post(reverse(f"admin:{url_name}_import"), data)


def test_import_previews_then_writes_on_confirmation_with_the_user_in_history(admin_client, staff_user):
    KolFactory(slug="known", name="Known")
    rows = [["Slug", "Name", "Kind"], ["new-kol", "Khoa Pug", "person"], ["known", "Known again", ""]]
    rows.append(["known-too", "", ""])
    KolFactory(slug="known-too", name="Same")
    rows[3][1] = "Same"
    rows[3][2] = Kol.objects.get(slug="known-too").kind

    preview = upload(admin_client, "partners_kol", rows)

    page = preview.content.decode()
    assert preview.status_code == 200
    assert all(kind in page for kind in ('class="new"', 'class="update"', 'class="skip"'))
    assert "Confirm import" in page
    assert not Kol.objects.filter(slug="new-kol").exists()  # the preview writes nothing

    confirm = preview.context["confirm_form"].initial
    response = admin_client.post(reverse("admin:partners_kol_process_import"), confirm)

    assert response.status_code == 302
    assert Kol.objects.get(slug="known").name == "Known again"
    assert Kol.history.get(slug="new-kol").history_user == staff_user


def test_import_errors_show_the_models_messages_and_offer_no_confirmation(admin_client):
    rows = [["Slug", "Name", "Nationality"], ["ok", "Fine", "VN"], ["bad", "Wrong", "Vietnam"]]
    response = upload(admin_client, "partners_kol", rows)

    page = response.content.decode()
    assert "Use a two-letter ISO 3166 country code, e.g. VN or LA." in page
    assert "Confirm import" not in page
    assert not Kol.objects.exists()


def test_wrong_headers_and_empty_files_get_a_message(admin_client):
    page = upload(admin_client, "partners_kol", [["Slug", "Nickname"], ["a", "b"]]).content.decode()
    assert "Unknown columns: Nickname." in page
    assert "Missing columns: Name." in page
    assert "Traceback" not in page

    page = upload(admin_client, "partners_kol", [["Slug", "Name"]]).content.decode()
    assert "No valid data to import." in page
    assert not Kol.objects.exists()


def test_export_applies_the_changelists_filters_and_search(admin_client):
    ChannelFactory(platform="youtube", display_name="Khoa Pug")
    ChannelFactory(platform="youtube", display_name="Other")
    ChannelFactory(platform="tiktok", display_name="Khoa Pug TikTok")
    url = reverse("admin:partners_channel_export") + "?platform__exact=youtube&q=khoa"

    changelist = admin_client.get(reverse("admin:partners_channel_changelist") + "?platform__exact=youtube&q=khoa")
    assert url.replace("&", "&amp;") in changelist.content.decode()  # the Export button keeps the list's query
    response = admin_client.post(url, {"format": CSV, "resource": "0"})

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row[rows[0].index("Display name")] for row in rows[1:]] == ["Khoa Pug"]
    response = admin_client.post(url, {"format": XLSX, "resource": "0"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_partner_imports_metrics_but_not_kols(client):
    partner = PartnerCompanyFactory()
    RosterMembershipFactory(partner=partner, channel__handle="own", channel__platform="tiktok")
    ChannelFactory(handle="theirs", platform="tiktok")
    client.force_login(role_user(PARTNER_USERS, partner))

    kols = client.get(reverse("admin:partners_kol_changelist")).content.decode()
    assert reverse("admin:partners_kol_import") not in kols
    assert reverse("admin:partners_kol_export") in kols
    assert client.get(reverse("admin:partners_kol_import")).status_code == 403

    headers = ["Channel platform", "Channel handle", "Measured on", "Followers", "Source URL"]
    rows = [headers, ["tiktok", "own", "2025-01-01", "5", "https://example.test/"]]
    rows.append(["tiktok", "theirs", "2025-01-01", "5", "https://example.test/"])
    page = upload(client, "partners_channelmetric", rows).content.decode()
    assert "No channel “tiktok @theirs” found." in page
    assert "Confirm import" not in page
    assert not ChannelMetric.objects.exists()
    assert Channel.objects.count() == 2

    url = reverse("admin:partners_channel_export")
    exported = client.post(url, {"format": CSV, "resource": "0"}).content.decode("utf-8-sig")
    assert "own" in exported and "theirs" not in exported
    assert "Notes" not in exported.splitlines()[0]


def test_round_trip_windows_1258_dates_and_formulas_through_the_admin(admin_client):
    KolFactory(slug="trap", name='=HYPERLINK("http://evil.example/", "Click")')
    url = reverse("admin:partners_kol_export")
    exported = admin_client.post(url, {"format": CSV, "resource": "0"}).content
    assert "'=HYPERLINK(" in exported.decode("utf-8-sig")

    sheet = SimpleUploadedFile("kols.csv", exported, "text/csv")
    preview = admin_client.post(reverse("admin:partners_kol_import"), {"format": CSV, "import_file": sheet})
    assert [row.import_type for row in preview.context["result"].rows] == ["skip"]

    # Windows-1258 (Quách: a letter of the code page) with a dd/mm/yyyy date, on a channel.
    rows = "Platform,Handle,Display name,Launch date,KOL (slug)\ntiktok,quachbeem,Quách Beem,17/05/2024,trap\n"
    sheet = SimpleUploadedFile("channels.csv", rows.encode("cp1258"), "text/csv")
    preview = admin_client.post(reverse("admin:partners_channel_import"), {"format": CSV, "import_file": sheet})
    admin_client.post(reverse("admin:partners_channel_process_import"), preview.context["confirm_form"].initial)
    channel = Channel.objects.get(handle="quachbeem")
    assert (channel.display_name, channel.launched_on) == ("Quách Beem", datetime.date(2024, 5, 17))


def test_a_confirmation_that_no_longer_passes_writes_nothing(admin_client):
    channel = ChannelFactory(platform="youtube", handle="khoapug")
    partner, other = PartnerCompanyFactory(slug="schannel"), PartnerCompanyFactory()
    ChannelFactory(platform="facebook", handle="other")
    rows = [["Channel platform", "Channel handle", "Partner company (slug)", "Starts on"]]
    rows += [["youtube", "khoapug", "schannel", "2024"], ["facebook", "other", "schannel", "2024"]]
    preview = upload(admin_client, "partners_rostermembership", rows)
    RosterMembershipFactory(channel=channel, partner=other, starts_on=datetime.date(2023, 1, 1))  # meanwhile

    confirm = preview.context["confirm_form"].initial
    response = admin_client.post(reverse("admin:partners_rostermembership_process_import"), confirm, follow=True)

    assert "Nothing was imported" in response.content.decode()
    assert not RosterMembership.objects.filter(partner=partner).exists()


def test_a_file_over_the_admins_row_limit_is_refused_and_points_to_the_command(admin_client, settings):
    settings.SHEET_ADMIN_MAX_ROWS = 3
    rows = [["Slug", "Name"]] + [[f"kol-{n}", f"KOL {n}"] for n in range(4)]

    page = upload(admin_client, "partners_kol", rows).content.decode()

    assert "The file has 4 rows; the admin imports at most 3 at a time." in page
    assert "manage.py import_sheet" in page
    assert not Kol.objects.exists()
    assert "Confirm import" in upload(admin_client, "partners_kol", rows[:4]).content.decode()


def test_memberships_overlapping_within_one_file_are_an_error_row_in_the_preview(admin_client):
    ChannelFactory(handle="khoapug", platform="youtube")
    PartnerCompanyFactory(slug="schannel")
    rows = [["Channel platform", "Channel handle", "Partner company (slug)", "Starts on", "Ends on"]]
    rows += [
        ["youtube", "khoapug", "schannel", "01/2024", "06/2024"],
        ["youtube", "khoapug", "schannel", "2024-06-15", ""],
    ]

    response = upload(admin_client, "partners_rostermembership", rows)

    assert [row.import_type for row in response.context["result"].rows] == ["new", "invalid"]
    assert "This channel is already managed by" in response.content.decode()
    assert "Confirm import" not in response.content.decode()
    assert not RosterMembership.objects.exists()


def test_a_database_error_mid_file_on_confirmation_rolls_back_every_row(admin_client, monkeypatch):
    rows = [["Slug", "Name"], ["first", "First"], ["second", "Second"]]
    confirm = upload(admin_client, "partners_kol", rows).context["confirm_form"].initial
    saved = kol_saves_fail_after_the_first(monkeypatch)
    response = admin_client.post(reverse("admin:partners_kol_process_import"), confirm, follow=True)

    assert "Nothing was imported" in response.content.decode()
    assert saved and not Kol.objects.exists()


def test_utf8_with_bom_and_iso_dates_through_the_admin(admin_client):
    KolFactory(slug="quach-beem")
    text = (
        "\ufeffPlatform,Handle,Display name,Launch date,KOL (slug)\ntiktok,quachbeem,Quách Beem,2024-05-17,quach-beem\n"
    )
    sheet = SimpleUploadedFile("channels.csv", text.encode(), "text/csv")
    preview = admin_client.post(reverse("admin:partners_channel_import"), {"format": CSV, "import_file": sheet})
    admin_client.post(reverse("admin:partners_channel_process_import"), preview.context["confirm_form"].initial)

    channel = Channel.objects.get(handle="quachbeem")
    assert (channel.display_name, channel.launched_on) == ("Quách Beem", datetime.date(2024, 5, 17))


def test_an_undecodable_file_gets_a_message_in_the_admin(admin_client):
    sheet = SimpleUploadedFile("kols.csv", b"Slug,Name\n\x81\x8d\x8f,x\n", "text/csv")
    page = admin_client.post(reverse("admin:partners_kol_import"), {"format": CSV, "import_file": sheet})
    assert "neither UTF-8 nor Windows-1258" in page.content.decode()
    assert not Kol.objects.exists()
