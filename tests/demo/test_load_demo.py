"""``manage.py load_demo``: the article facts, correctly linked, loaded idempotently, and the demo users."""

import datetime
import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from campaigns.models import Campaign, CampaignReport, Hashtag
from demo.facts import DEMO_MODELS, SOURCE_CULTURE_ARTICLE, SOURCE_NOTE_CONTEST_ARTICLE
from partners.choices import MouStatus, Platform
from partners.models import Agency, Channel, Kol, Mou, PartnerCompany

pytestmark = pytest.mark.django_db

DEMO_USERNAMES = ["ministry.demo", "schannel.demo", "vitamin.demo"]


@pytest.fixture(autouse=True)
def no_demo_password(monkeypatch, settings):
    """Start every test without KOLREG_DEMO_PASSWORD, and hash passwords quickly."""
    monkeypatch.delenv("KOLREG_DEMO_PASSWORD", raising=False)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def load_demo(verbosity=1):
    out = StringIO()
    call_command("load_demo", verbosity=verbosity, stdout=out)
    return out.getvalue()


def snapshot():
    """Row counts and every row's values, per demo model."""
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in DEMO_MODELS}


def logs_in(client, username, password):
    client.post("/admin/login/", {"username": username, "password": password, "next": "/admin/"})
    return client.session.get("_auth_user_id") == str(get_user_model().objects.get(username=username).pk)


@pytest.fixture
def loaded():
    load_demo(verbosity=0)


def test_second_run_changes_nothing(monkeypatch):
    monkeypatch.setenv("KOLREG_DEMO_PASSWORD", "demo-password-for-tests")
    load_demo()
    first = snapshot()
    users = list(get_user_model().objects.order_by("pk").values())

    output = load_demo()

    assert snapshot() == first
    assert list(get_user_model().objects.order_by("pk").values()) == users
    assert "Agency: 14 (0 created, 0 updated)" in output
    assert "CampaignReport: 17 (0 created, 0 updated)" in output


def test_first_run_reports_counts_per_model():
    output = load_demo()

    assert "Agency: 14 (14 created, 0 updated)" in output
    assert "Kol: 13 (13 created, 0 updated)" in output
    assert "Demo users: 3 (3 created)" in output


def test_rerun_restores_an_edited_fact(loaded):
    Mou.objects.filter(title__startswith="SChannel").update(ends_on=datetime.date(2030, 1, 1))

    output = load_demo()

    assert Mou.objects.get(title__startswith="SChannel").ends_on.isoformat() == "2027"
    assert "Mou: 3 (0 created, 1 updated)" in output


def test_verbosity_zero_prints_nothing_when_no_password_is_generated(monkeypatch):
    monkeypatch.setenv("KOLREG_DEMO_PASSWORD", "demo-password-for-tests")

    assert load_demo(verbosity=0) == ""


def test_schannel_mou_period_and_agency_chain(loaded):
    mou = Mou.objects.select_related("agency__parent__parent", "partner").get(partner__slug="schannel")

    assert [d.isoformat() for d in (mou.signed_on, mou.starts_on, mou.ends_on)] == ["2024-05", "2024", "2027"]
    assert mou.agency.name == "Center for Press and International Cooperation"
    assert mou.agency.parent.name == "Department of External Information"
    assert mou.agency.parent.parent.name == "Ministry of Information and Communications"
    assert mou.agency.parent.parent.parent is None
    assert mou.partner.legal_name == "SChannel Advertising and Communication Services Joint Stock Company"


def test_schannel_mou_is_active_within_its_period_only(loaded):
    mou = Mou.objects.get(partner__slug="schannel")

    assert mou in Mou.objects.active_on(datetime.date(2026, 1, 1))
    assert mou not in Mou.objects.active_on(datetime.date(2028, 6, 1))


def test_vitamin_mou_names_its_nine_kols_in_both_spellings(loaded):
    mou = Mou.objects.get(partner__slug="vitamin")
    kols = mou.kols.all()

    assert {k.name for k in kols} == {
        "Quang Linh",
        "Mayssa",
        "Hoa hậu vỉa hè",
        "Will",
        "Check in Vietnam",
        "Amazing things in Vietnam",
        "Rọt",
        "Hoàng Nam",
        "Quách Beem",
    }
    assert {("Quách Beem", "Quach Beem"), ("Hoa hậu vỉa hè", "Miss Sidewalk"), ("Rọt", "Rot")} <= {
        (k.name, k.name_en) for k in kols
    }
    assert kols.get(slug="mayssa").nationality == ""  # "Lao Girl" is no source for a nationality
    assert mou.channels.count() == 9
    assert set(mou.channels.values_list("kol__slug", flat=True)) == set(kols.values_list("slug", flat=True))
    assert mou.status == MouStatus.SIGNED  # "has also signed"; no period is given
    assert mou.agency.slug == "center-for-press-and-international-cooperation"


def test_qmg_owns_its_channels_with_follower_counts(loaded):
    qmg = Agency.objects.get(acronym="QMG")
    channels = Channel.objects.filter(agency=qmg)

    assert {p: channels.filter(platform=p).count() for p in ("facebook", "youtube", "tiktok", "zalo", "weibo")} == {
        "facebook": 4,
        "youtube": 2,
        "tiktok": 1,
        "zalo": 1,
        "weibo": 1,
    }
    assert not channels.filter(kol__isnull=False).exists()
    followers = {
        (c.platform, c.display_name, c.launched_on): c.followers
        for c in channels.filter(platform__in=["youtube", "tiktok", "zalo", "weibo"])
    }
    assert followers == {
        ("youtube", "Quang Ninh TV", datetime.date(2020, 12, 14)): 175_000,
        ("youtube", "Quang Ninh TV", None): 66_000,
        ("tiktok", "QMG - Quang Ninh News", None): 72_400,
        ("zalo", "QMG Quang Ninh News", None): 5_000,
        ("weibo", "", None): None,
    }
    assert channels.get(display_name="QMG-Tin tuc Quang Ninh 24/7").followers == 354_000
    assert qmg.parent.slug == "quang-ninh-provincial-party-committee"


def test_bhmedia_manages_the_quang_ninh_tv_channel_from_launch(loaded):
    bhmedia = PartnerCompany.objects.get(slug="bhmedia")
    membership = bhmedia.memberships.get()

    assert (membership.starts_on, membership.ends_on) == (datetime.date(2020, 12, 14), None)
    assert list(Channel.objects.managed_by(bhmedia, on=datetime.date(2024, 1, 1))) == [membership.channel]
    assert not Channel.objects.managed_by(bhmedia, on=datetime.date(2020, 12, 13)).exists()
    assert membership.channel.agency.acronym == "QMG"


def test_thoi_khac_kho_quen_reports_stand_side_by_side_in_date_order(loaded):
    hashtag = Hashtag.objects.get(name__iexact="thoikhackhoquen")
    reports = CampaignReport.objects.filter(hashtag=hashtag, campaign__slug="thoi-khac-kho-quen")

    assert [(r.reported_on, r.views) for r in reports] == [
        (datetime.date(2021, 9, 4), 1_000_000),
        (datetime.date(2021, 9, 8), 13_000_000),
        (datetime.date(2021, 9, 30), 253_000_000),
        (datetime.date(2021, 10, 1), 300_000_000),
        (None, 331_200_000),
    ]
    assert "331.2M" in reports.get(views=253_000_000).notes
    assert "253M" in reports.get(views=331_200_000).notes
    assert all(r.source_note == SOURCE_NOTE_CONTEST_ARTICLE and r.source_url == "" for r in reports)


def test_thoi_khac_kho_quen_campaign_period_and_organisers(loaded):
    campaign = Campaign.objects.get(slug="thoi-khac-kho-quen")

    assert (campaign.starts_on, campaign.ends_on) == (datetime.date(2021, 9, 1), datetime.date(2021, 9, 30))
    assert set(campaign.organisers.values_list("slug", flat=True)) == {
        "labor-and-trade-union-magazine",
        "vietnam-health-trade-union",
    }
    summary = campaign.reports.get(reported_on=datetime.date(2021, 9, 30))
    assert (summary.videos, summary.likes, summary.comments, summary.shares) == (45_304, 13_000_000, 553_000, 344_000)


def test_ban_sac_viet_runs_under_the_copyright_center_tiktok_mou(loaded):
    campaign = Campaign.objects.select_related("mou__agency__parent__parent", "mou__partner").get(
        hashtags__name="BanSacViet"
    )

    assert campaign.mou.agency.slug == "vietnam-copyright-protection-center"
    assert campaign.mou.agency.parent.parent.slug == "ministry-of-culture-sports-and-tourism"
    assert campaign.mou.partner.slug == "tiktok-vietnam"
    assert campaign.mou.signed_on is None
    assert set(campaign.hashtags.values_list("name", flat=True)) == {"BanSacViet", "ProudVietnam"}
    assert campaign.description.count("\n") >= 5
    assert campaign.source_url == SOURCE_CULTURE_ARTICLE


def test_towards_the_national_flag_keeps_the_conflicting_year_out_of_its_period(loaded):
    campaign = Campaign.objects.get(slug="towards-the-national-flag")
    tiktok = campaign.reports.get(platforms=[Platform.TIKTOK])
    combined = campaign.reports.get(platforms=[Platform.FACEBOOK, Platform.INSTAGRAM])

    assert (campaign.starts_on, campaign.ends_on) == (None, None)
    assert "79th anniversary" in campaign.notes
    assert (tiktok.videos, tiktok.template_uses, tiktok.positive_share_pct, tiktok.views) == (
        60_000,
        10_000,
        99,
        800_000_000,
    )
    assert tiktok.approximate
    assert (combined.profile_frame_changes, combined.story_template_uses) == (200_000, 21_000)
    assert set(campaign.organisers.values_list("slug", flat=True)) == {
        "vietnam-youth-union",
        "department-of-external-information",
        "ministry-of-information-and-communications",
    }


def test_hashtags_are_unique_ignoring_case(loaded):
    names = list(Hashtag.objects.values_list("name", flat=True))

    assert len({name.lower() for name in names}) == len(names)
    assert "ThoiKhacKhoQuen" in names


def test_an_existing_hashtag_in_another_case_is_reused():
    existing = Hashtag.objects.create(name="bansacviet")

    load_demo(verbosity=0)

    assert Hashtag.objects.filter(name__iexact="BanSacViet").get().pk == existing.pk
    assert Campaign.objects.get(slug="ban-sac-viet").hashtags.filter(pk=existing.pk).exists()


def test_every_row_has_a_source(loaded):
    for model in DEMO_MODELS:
        for row in model.objects.all():
            has_note = bool(getattr(row, "source_note", "")) or SOURCE_NOTE_CONTEST_ARTICLE in getattr(row, "notes", "")
            assert row.source_url or has_note, f"{model.__name__} {row} has no source"


def test_kols_without_a_known_channel_are_kept(loaded):
    assert not Kol.objects.get(slug="xuan-bac").channels.exists()
    assert Kol.objects.get(slug="truc-linh").channels.get().platform == Platform.TIKTOK


def test_demo_users_are_staff_but_not_superusers(loaded):
    users = get_user_model().objects.filter(username__in=DEMO_USERNAMES)

    assert sorted(users.values_list("username", flat=True)) == DEMO_USERNAMES
    assert all(user.is_staff and not user.is_superuser for user in users)


def test_the_demo_staff_user_is_responsible_for_the_demo_mous(loaded):
    staff = get_user_model().objects.get(username="ministry.demo")

    assert staff.email == "ministry.demo@example.invalid"
    assert set(Mou.objects.values_list("responsible", flat=True)) == {staff.pk}
    history = Mou.history.count()
    load_demo(verbosity=0)
    assert Mou.history.count() == history


def test_password_from_the_environment_is_applied_on_every_run(monkeypatch, client):
    monkeypatch.setenv("KOLREG_DEMO_PASSWORD", "first-demo-password")
    output = load_demo()
    monkeypatch.setenv("KOLREG_DEMO_PASSWORD", "second-demo-password")
    load_demo()

    assert "DEMO-ONLY" not in output
    assert "first-demo-password" not in output
    assert not logs_in(client, "schannel.demo", "first-demo-password")
    assert logs_in(client, "schannel.demo", "second-demo-password")


def test_generated_password_is_printed_once_and_never_reset(client):
    first = load_demo(verbosity=0)
    password = re.search(r"Password: (\S+)", first).group(1)
    second = load_demo()

    assert "DEMO-ONLY credentials" in first
    assert "not for production" in first
    assert "DEMO-ONLY" not in second
    assert password not in second
    assert logs_in(client, "ministry.demo", password)
    assert logs_in(client, "vitamin.demo", password)
