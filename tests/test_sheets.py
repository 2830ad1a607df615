"""Spreadsheet import and export through the commands: matching, dates, errors, bad files, scope, atomicity."""

import csv
import datetime
import io
import unicodedata

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import translation

from accounts.roles import MINISTRY_STAFF, PARTNER_USERS
from kolregistry.dates import DatePrecision, PartialDate
from kolregistry.sheets import validate_constraints
from partners.models import Channel, ChannelMetric, Kol, RosterMembership
from tests.factories import ChannelFactory, KolFactory, PartnerCompanyFactory, RosterMembershipFactory
from tests.helpers import kol_saves_fail_after_the_first, role_user

pytestmark = pytest.mark.django_db

KOL_HEADERS = ["Slug", "Name", "Name (English / unaccented)", "Kind"]
CHANNEL_HEADERS = ["Platform", "Handle", "Launch date", "KOL (slug)"]


def write_csv(path, rows, encoding="utf-8"):
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    path.write_bytes(text.getvalue().encode(encoding))
    return path


def import_sheet(resource, path, *args):
    out = io.StringIO()
    call_command("import_sheet", resource, str(path), *args, stdout=out)
    return out.getvalue()


def failed_import(resource, path, *args):
    out = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("import_sheet", resource, str(path), *args, stdout=out)
    return out.getvalue(), str(error.value)


def export_sheet(resource, tmp_path, *args, name="export.csv"):
    output = tmp_path / name
    call_command("export_sheet", resource, "--output", str(output), *args, stderr=io.StringIO())
    return output


def csv_rows(path):
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))


def test_import_creates_then_matches_by_natural_key_in_dd_mm_yyyy_and_iso_dates(tmp_path):
    kol = KolFactory(slug="quach-beem")
    rows = [
        CHANNEL_HEADERS,
        ["tiktok", "@QuachBeem", "17/05/2024", "quach-beem"],
        ["youtube", "quachbeem", "05/2024", "quach-beem"],
        ["facebook", "quachbeem", "2024-05", "quach-beem"],
        ["zalo", "quachbeem", "2024", "quach-beem"],
    ]
    output = import_sheet("channels", write_csv(tmp_path / "channels.csv", rows))

    assert "4 new, 0 update, 0 unchanged, 0 error" in output
    launched = dict(Channel.objects.filter(kol=kol).values_list("platform", "launched_on"))
    assert launched["tiktok"] == datetime.date(2024, 5, 17)
    assert Channel.objects.get(platform="youtube").launched_on == PartialDate(
        datetime.date(2024, 5, 1), DatePrecision.MONTH
    )
    assert Channel.objects.get(platform="zalo").launched_on.precision == DatePrecision.YEAR

    # The same rows again (the handle spelled differently) match the stored channels: nothing new.
    rows[1][1] = "QUACHBEEM"
    rows[2][2] = "2024-05"
    output = import_sheet("channels", write_csv(tmp_path / "again.csv", rows))
    assert "0 new, 0 update, 4 unchanged, 0 error" in output
    assert Channel.objects.count() == 4


def test_dry_run_reports_model_messages_by_column_exits_non_zero_and_writes_nothing(tmp_path):
    KolFactory(slug="taken")
    rows = [KOL_HEADERS, ["new-kol", "Khoa Pug", "", "person"], ["taken", "Renamed", "", "person"]]
    rows.append(["bad slug!", "Bad", "", "nobody"])
    output, error = failed_import("kols", write_csv(tmp_path / "kols.csv", rows), "--dry-run")

    assert "row 1: new" in output
    assert "row 2: update" in output
    assert "row 3: error" in output
    assert "Slug: Enter a valid “slug”" in output
    assert "Kind: Value 'nobody' is not a valid choice." in output
    assert "1 new, 1 update, 0 unchanged, 1 error" in error
    assert not Kol.objects.filter(slug="new-kol").exists()
    assert Kol.objects.get(slug="taken").name != "Renamed"


def test_wrong_headers_are_named_and_nothing_is_written(tmp_path):
    rows = [["Slug", "Nickname"], ["new-kol", "Khoa"]]
    _out, error = failed_import("kols", write_csv(tmp_path / "kols.csv", rows))

    assert "Unknown columns: Nickname." in error
    assert "Missing columns: Name." in error
    assert not Kol.objects.exists()


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\n\n"])
def test_empty_file_is_refused(tmp_path, content):
    path = tmp_path / "kols.csv"
    path.write_bytes(content)
    _out, error = failed_import("kols", path)
    assert "The file is empty." in error


TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def cp1258(text):
    """Vietnamese as Windows-1258 writes it: a letter the code page has (ê, ơ), then a combining tone mark."""
    encoded = b""
    for char in text:
        try:
            encoded += char.encode("cp1258")
        except UnicodeEncodeError:
            marks = unicodedata.normalize("NFD", char)
            base = unicodedata.normalize("NFC", "".join(mark for mark in marks if mark not in TONE_MARKS))
            encoded += (base + "".join(mark for mark in marks if mark in TONE_MARKS)).encode("cp1258")
    return encoded


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1258"])
def test_vietnamese_names_survive_utf8_bom_and_windows_1258(tmp_path, encoding):
    rows = [KOL_HEADERS, ["quach-beem", "Quách Beem", "Quach Beem", "person"], ["vu-dieu", "Vũ Điệu Đỗ", "", ""]]
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    path = tmp_path / "kols.csv"
    path.write_bytes(cp1258(text.getvalue()) if encoding == "cp1258" else text.getvalue().encode(encoding))

    import_sheet("kols", path)

    assert Kol.objects.get(slug="quach-beem").name == "Quách Beem"
    assert Kol.objects.get(slug="vu-dieu").name == "Vũ Điệu Đỗ"
    assert export_sheet("kols", tmp_path).read_bytes().decode("utf-8-sig").count("Quách Beem") == 1


def test_undecodable_file_is_refused(tmp_path):
    path = tmp_path / "kols.csv"
    path.write_bytes(b"Slug,Name\n\x81\x8d\x8f,x\n")  # bytes no code page maps
    _out, error = failed_import("kols", path)
    assert "neither UTF-8 nor Windows-1258" in error


def test_formulas_are_neutralised_on_export_and_round_trip(tmp_path):
    formula = '=HYPERLINK("http://evil.example/", "Click")'
    KolFactory(slug="trap", name=formula, notes="+1 call me", name_en="-")

    rows = csv_rows(export_sheet("kols", tmp_path))
    assert rows[1][rows[0].index("Name")] == "'" + formula
    assert rows[1][rows[0].index("Notes")] == "'+1 call me"
    sheet = openpyxl.load_workbook(export_sheet("kols", tmp_path, name="kols.xlsx")).active
    assert sheet.cell(2, rows[0].index("Name") + 1).data_type == "s"
    assert sheet.cell(2, rows[0].index("Name") + 1).value == "'" + formula

    for name in ("export.csv", "kols.xlsx"):
        assert "1 unchanged" in import_sheet("kols", tmp_path / name)
    assert Kol.objects.get(slug="trap").name == formula


def test_memberships_may_not_overlap_within_one_file(tmp_path):
    channel = ChannelFactory(handle="khoapug", platform="youtube")
    PartnerCompanyFactory(slug="schannel")
    headers = ["Channel platform", "Channel handle", "Partner company (slug)", "Starts on", "Ends on"]
    rows = [headers, ["youtube", "khoapug", "schannel", "01/2024", "06/2024"]]
    rows.append(["youtube", "khoapug", "schannel", "15/06/2024", ""])
    output, error = failed_import("memberships", write_csv(tmp_path / "roster.csv", rows))

    assert "row 2: error — Starts on: This channel is already managed by" in output
    assert "1 new, 0 update, 0 unchanged, 1 error" in error
    assert not RosterMembership.objects.filter(channel=channel).exists()


def test_a_database_error_mid_file_rolls_back_every_row(tmp_path, monkeypatch):
    rows = [KOL_HEADERS, ["first", "First", "", "person"], ["second", "Second", "", "person"]]
    saved = kol_saves_fail_after_the_first(monkeypatch)
    output, _error = failed_import("kols", write_csv(tmp_path / "kols.csv", rows))

    assert "row 2: error — row: simulated" in output
    assert saved and not Kol.objects.exists()


def test_history_names_the_importing_user(tmp_path):
    user = role_user(MINISTRY_STAFF, username="importer")
    import_sheet("kols", write_csv(tmp_path / "kols.csv", [KOL_HEADERS, ["k", "K", "", ""]]), "--user", "importer")
    assert Kol.history.get(slug="k").history_user == user


def test_partner_imports_metrics_for_its_own_channels_only(tmp_path):
    own_partner, other_partner = PartnerCompanyFactory(), PartnerCompanyFactory()
    RosterMembershipFactory(partner=own_partner, channel__handle="own", channel__platform="tiktok")
    RosterMembershipFactory(partner=other_partner, channel__handle="theirs", channel__platform="tiktok")
    role_user(PARTNER_USERS, own_partner, username="partner")
    headers = ["Channel platform", "Channel handle", "Measured on", "Followers", "Source URL"]
    rows = [headers]
    rows += [["tiktok", handle, "01/01/2025", "10", "https://example.test/"] for handle in ("own", "theirs", "ghost")]
    output, _error = failed_import("metrics", write_csv(tmp_path / "metrics.csv", rows), "--user", "partner")

    assert "row 1: new" in output
    # Another partner's channel reads exactly as one that does not exist.
    theirs, ghost = output.splitlines()[1], output.splitlines()[2]
    assert theirs.replace("theirs", "X").replace("row 2", "row N") == ghost.replace("ghost", "X").replace(
        "row 3", "row N"
    )
    assert "No channel “tiktok @theirs” found." in theirs
    assert not ChannelMetric.objects.exists()


def test_partner_may_not_add_kols(tmp_path):
    role_user(PARTNER_USERS, PartnerCompanyFactory(), username="partner")
    output, _error = failed_import(
        "kols", write_csv(tmp_path / "k.csv", [KOL_HEADERS, ["k", "K", "", ""]]), "--user", "partner"
    )
    assert "You may not add records here." in output
    assert not Kol.objects.exists()


def test_partner_exports_only_its_scope_without_internal_notes(tmp_path):
    partner = PartnerCompanyFactory()
    RosterMembershipFactory(partner=partner, channel__handle="own")
    ChannelFactory(handle="theirs")
    role_user(PARTNER_USERS, partner, username="partner")

    rows = csv_rows(export_sheet("channels", tmp_path, "--user", "partner"))
    assert "Notes" not in rows[0]
    assert [row[rows[0].index("Handle")] for row in rows[1:]] == ["own"]


def test_export_filters_are_the_api_filters_and_are_checked(tmp_path):
    ChannelFactory(handle="on-tiktok", platform="tiktok")
    ChannelFactory(handle="on-youtube", platform="youtube")

    rows = csv_rows(export_sheet("channels", tmp_path, "--filter", "platform=youtube"))
    assert [row[rows[0].index("Handle")] for row in rows[1:]] == ["on-youtube"]
    with pytest.raises(CommandError, match=r"Unknown filter colour; choose from: .*platform"):
        export_sheet("channels", tmp_path, "--filter", "colour=red")
    with pytest.raises(CommandError, match="Invalid filter: platform"):
        export_sheet("channels", tmp_path, "--filter", "platform=myspace")


def test_headers_follow_the_language_and_english_is_accepted(tmp_path):
    KolFactory(slug="k")
    with translation.override("vi"):
        call_command("export_sheet", "kols", "--output", str(tmp_path / "vi.csv"), stderr=io.StringIO())
        headers = csv_rows(tmp_path / "vi.csv")[0]
        assert "Tên" in headers
        # English labels and field names are accepted whatever the language; a choice by its code or label.
        rows = [["slug", "Name", "name_en", "kind"], ["k2", "Hai", "Two", "Cá nhân"], ["k3", "Ba", "", "Organisation"]]
        assert "2 new" in import_sheet("kols", write_csv(tmp_path / "en.csv", rows))
    assert dict(Kol.objects.filter(slug__in=["k2", "k3"]).values_list("slug", "kind")) == {
        "k2": "person",
        "k3": "organisation",
    }


def test_the_command_has_no_row_limit(tmp_path, settings):
    settings.SHEET_ADMIN_MAX_ROWS = 2  # the admin's limit only
    rows = [KOL_HEADERS] + [[f"kol-{n}", f"KOL {n}", "", ""] for n in range(3)]
    assert "3 new" in import_sheet("kols", write_csv(tmp_path / "kols.csv", rows))


@pytest.mark.parametrize("exclude", [set(), {"handle"}])
def test_the_batched_constraint_checks_report_what_django_reports(exclude):
    existing = ChannelFactory(platform="tiktok", handle="taken")
    rows = [
        Channel(
            platform="tiktok", handle="taken", launched_on=PartialDate(datetime.date(2024, 5, 2), DatePrecision.MONTH)
        ),
        ChannelMetric(channel=existing, measured_on=datetime.date(2025, 1, 1)),  # no figure, no source
    ]
    for row in rows:
        with pytest.raises(ValidationError) as ours:
            validate_constraints(row, exclude=exclude)
        with pytest.raises(ValidationError) as django:
            row.validate_constraints(exclude=exclude)
        assert ours.value.message_dict == django.value.message_dict
