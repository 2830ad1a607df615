"""The facts of the five source articles, read back through the API as a client would (issue 9).

Each row of ``FACTS`` names a fact, the API query a client would make for it, how to pick the one record
it is about among the results (``where``), and the values that record must show (``expect``). A path may
hold ``{id}``: the id of the one record another query (``lookup``) finds first, as a client would.
An expected value that is callable is a check on the value (for notes that must name both wordings).
"""

from dataclasses import dataclass, field

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

# The facts are read, never written: the demo data is loaded once for the module.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_data_for_module")]

COPYRIGHT_MOU = "Vietnam Copyright Protection Center \u00d7 TikTok Vietnam MOU on cultural industries"
QMG_FANPAGE = "QMG-Tin tuc Quang Ninh 24/7"
QA_LIVESTREAM = "Q&A session, 14th session of the 14th Provincial People's Council livestream (July 2023)"
VITAMIN_CHANNELS = {
    "Quang Linh Vlog",
    "Cô gái Lào Mayssa",
    "Hoa hậu vỉa hè",
    "Will",
    "Check in Vietnam",
    "Amazing things in Vietnam",
    "Blog của Rọt",
    "Hoàng Nam",
    "Quách Beem",
}


def contains(*parts):
    """A check that a text value contains every one of ``parts``."""

    def check(value):
        return isinstance(value, str) and all(part in value for part in parts)

    check.__name__ = f"contains{parts!r}"
    return check


def has_length(length):
    def check(value):
        return len(value) == length

    check.__name__ = f"has_length({length})"
    return check


@dataclass(frozen=True)
class Fact:
    description: str
    path: str
    expect: dict
    where: dict = field(default_factory=dict)
    lookup: tuple | None = None  # (path, where): the record whose id replaces {id} in path


def report(views, hashtag):
    return Fact(
        f"#{hashtag}: {views:,} views in TikTok's top 10 community campaigns of 2021 (004)",
        f"/api/v1/campaign-reports/?hashtag={hashtag}",
        {"views": views, "platforms": ["tiktok"], "reported_on": None},
        where={"reported_on": None},
    )


FACTS = [
    # --- 000 / 001: KOL communication (VTC News)
    Fact(
        "SChannel MOU: signed in May 2024 for the period 2024-2027",
        "/api/v1/mous/?partner=schannel",
        {
            "signed": True,
            "signed_on": "2024-05",
            "starts_on": "2024",
            "ends_on": "2027",
            "agency.slug": "center-for-press-and-international-cooperation",
            "partner.slug": "schannel",
        },
    ),
    Fact(
        "SChannel: its legal names in both languages, also called Schannel Network",
        "/api/v1/partners/?q=schannel",
        {
            "legal_name": "SChannel Advertising and Communication Services Joint Stock Company",
            "name_vi": "Công ty Cổ phần Dịch vụ Quảng cáo và Truyền thông SChannel",
            "other_names": "Schannel Network",
        },
        where={"slug": "schannel"},
    ),
    Fact(
        "Vitamin MOU: signed, no date or period stated, nine KOL channels named",
        "/api/v1/mous/?partner=vitamin",
        {
            "status": "signed",
            "signed": True,
            "signed_on": None,
            "starts_on": None,
            "ends_on": None,
            "agency.slug": "center-for-press-and-international-cooperation",
            "kols": has_length(9),
            "channels": has_length(9),
        },
    ),
    Fact(
        "Vitamin: its legal names in both languages",
        "/api/v1/partners/?q=vitamin",
        {
            "legal_name": "Vitamin Vietnam Media and Entertainment Joint Stock Company",
            "name_vi": "Công ty Cổ phần Truyền thông và Giải trí Vitamin Việt Nam",
        },
        where={"slug": "vitamin"},
    ),
    Fact(
        "The Center for Press and International Cooperation is under the Department of External Information",
        "/api/v1/agencies/?q=press international cooperation",
        {"name_vi": "Trung tâm Báo chí và Hợp tác quốc tế", "parent.slug": "department-of-external-information"},
        where={"slug": "center-for-press-and-international-cooperation"},
    ),
    Fact(
        "The Department of External Information is under the Ministry of Information and Communications",
        "/api/v1/agencies/?kind=department",
        {"name_vi": "Cục Thông tin đối ngoại", "parent.slug": "ministry-of-information-and-communications"},
        where={"slug": "department-of-external-information"},
    ),
    Fact(
        "Vitamin KOL Quách Beem, in both spellings",
        "/api/v1/kols/?q=quach beem",
        {"name": "Quách Beem", "name_en": "Quach Beem", "kind": "unknown"},
    ),
    Fact(
        "Vitamin KOL Miss Sidewalk is Hoa hậu vỉa hè",
        "/api/v1/kols/?q=miss sidewalk",
        {"name": "Hoa hậu vỉa hè", "name_en": "Miss Sidewalk"},
    ),
    Fact(
        "Towards the National Flag: launched by the Youth Union, the Department and the Ministry with Schannel Network",
        "/api/v1/campaigns/?hashtag=NgayQuockhanh",
        {
            "slug": "towards-the-national-flag",
            "name_vi": "Hướng về lá cờ Tổ quốc",
            "starts_on": None,  # the year conflicts: completed September 2023, yet for the 79th National Day
            "ends_on": None,
        },
    ),
    Fact(
        "Towards the National Flag: completed in September 2023, as stated",
        "/api/v1/stated-facts/?campaign=towards-the-national-flag&measure=completed",
        {"stated_on": "2023-09", "as_stated": contains("9/2023", "September 2023")},
    ),
    Fact(
        "Towards the National Flag: for the 79th anniversary of National Day",
        "/api/v1/stated-facts/?campaign=towards-the-national-flag&measure=anniversary",
        {"value": 79},
    ),
    Fact(
        "Towards the National Flag on TikTok: 60,000 videos, 10,000 template uses, 99% positive, ~800M views",
        "/api/v1/campaign-reports/?campaign=towards-the-national-flag&platform=tiktok",
        {
            "videos": 60_000,
            "template_uses": 10_000,
            "views": 800_000_000,
            "positive_share_pct": lambda value: float(value) == 99,
            "approximate": True,
        },
        where={"platforms": ["tiktok"]},
    ),
    Fact(
        "Towards the National Flag on Facebook + Instagram: one combined report, found by facebook",
        "/api/v1/campaign-reports/?campaign=towards-the-national-flag&platform=facebook",
        {"platforms": ["facebook", "instagram"], "combined": True, "profile_frame_changes": 200_000},
    ),
    Fact(
        "Towards the National Flag on Facebook + Instagram: found by instagram, 21,000 story-template uses",
        "/api/v1/campaign-reports/?campaign=towards-the-national-flag&platform=instagram",
        {"platforms": ["facebook", "instagram"], "story_template_uses": 21_000},
    ),
    Fact(
        "Combined report: the English “people” and the Vietnamese “lượt” (times) are both flagged",
        "/api/v1/campaign-reports/?campaign=towards-the-national-flag&platform=facebook",
        {
            "notes": contains(
                "200,000 people changed", "200.000 lượt thay khung ảnh đại diện", "21,000 people used", "21.000 lượt"
            )
        },
    ),
    Fact(
        "Happy Vietnam contest promotion ran in 2023-2024",
        "/api/v1/campaigns/?q=happy vietnam",
        {"starts_on": "2023", "ends_on": "2024", "organisers": []},
        where={"slug": "happy-vietnam"},
    ),
    Fact(
        "Dien Bien Phu 70th anniversary ran in 2023-2024",
        "/api/v1/campaigns/?q=dien bien phu",
        {"starts_on": "2023", "ends_on": "2024", "organisers": []},
        where={"slug": "dien-bien-phu-70th-anniversary"},
    ),
    Fact(
        "Happy Vietnam: “hundreds of millions of views” in English is “lượt tiếp cận” (reach) in Vietnamese",
        "/api/v1/stated-facts/?campaign=happy-vietnam",
        {"approximate": True, "value": None, "as_stated": contains("views", "lượt tiếp cận")},
    ),
    Fact(
        "Ha Giang: a digital-media seminar and media-team groups, in both languages",
        "/api/v1/agencies/?q=ha giang",
        {"kind": "provincial", "notes": contains("Ha Giang Media Team", "Đội ngũ truyền thông Hà Giang")},
    ),
    Fact(
        "Thanh Hoa: KOLs promote Pu Luong and Ba Thuoc",
        "/api/v1/agencies/?q=thanh hoa",
        {"notes": contains("Pu Luong", "Ba Thuoc")},
    ),
    # --- 002: QMG on social networks (Báo Quảng Ninh)
    Fact(
        "QMG is the mouthpiece of the Quang Ninh Provincial Party Committee",
        "/api/v1/agencies/?q=qmg",
        {"acronym": "QMG", "parent.slug": "quang-ninh-provincial-party-committee"},
        where={"slug": "qmg"},
    ),
    Fact(
        "QMG's fanpage QMG-Tin tuc Quang Ninh 24/7 has nearly 354,000 followers",
        "/api/v1/channels/?agency=qmg&platform=facebook",
        {"followers": 354_000},
        where={"display_name": QMG_FANPAGE},
    ),
    Fact(
        "Quang Ninh TV with BHMedia: operating since 14 December 2020, 175,000 subscribers",
        "/api/v1/channels/?partner=bhmedia",
        {"display_name": "Quang Ninh TV", "platform": "youtube", "launched_on": "2020-12-14", "followers": 175_000},
    ),
    Fact(
        "BHMedia runs the Quang Ninh TV channel from 14 December 2020, no end stated",
        "/api/v1/memberships/?partner=bhmedia",
        {"starts_on": "2020-12-14", "ends_on": None},
    ),
    Fact(
        "QMG's second Quang Ninh TV YouTube channel has nearly 66,000 subscribers",
        "/api/v1/channels/?agency=qmg&platform=youtube",
        {"display_name": "Quang Ninh TV", "followers": 66_000},
        where={"launched_on": None},
    ),
    Fact(
        "QMG's TikTok QMG - Quang Ninh News: 72.4 thousand followers and 1.7 million likes",
        "/api/v1/channel-metrics/?channel={id}",
        {"followers": 72_400, "likes": 1_700_000},
        where={"subject": ""},
        lookup=("/api/v1/channels/?agency=qmg&platform=tiktok", {"display_name": "QMG - Quang Ninh News"}),
    ),
    Fact(
        "QMG's TikTok: videos with up to 1.1 million views",
        "/api/v1/channel-metrics/?channel={id}",
        {"views": 1_100_000},
        where={"subject": "most-viewed videos"},
        lookup=("/api/v1/channels/?agency=qmg&platform=tiktok", {}),
    ),
    Fact(
        "QMG owns its TikTok channel since 2021",
        "/api/v1/stated-facts/?channel={id}&measure=owns",
        {"stated_on": "2021", "as_stated": "Since 2021"},
        lookup=("/api/v1/channels/?agency=qmg&platform=tiktok", {}),
    ),
    Fact(
        "QMG's Zalo QMG Quang Ninh News has nearly 5,000 followers",
        "/api/v1/channels/?agency=qmg&platform=zalo",
        {"display_name": "QMG Quang Ninh News", "followers": 5_000},
    ),
    Fact(
        "QMG's Weibo channel is in Chinese; QMG-Halong News in English",
        "/api/v1/channels/?agency=qmg&platform=weibo",
        {"language": "zh"},
    ),
    Fact(
        "QMG-Halong News: an English account whose platform is not stated",
        "/api/v1/channels/?agency=qmg&platform=other",
        {"display_name": "QMG-Halong News", "language": "en"},
    ),
    Fact(
        "July 2023 Q&A livestream on the fanpage: 26,000 views, 1,200 likes, 559 comments",
        "/api/v1/channel-metrics/?channel={id}",
        {"views": 26_000, "likes": 1_200, "comments": 559},
        where={"subject": QA_LIVESTREAM},
        lookup=("/api/v1/channels/?agency=qmg&platform=facebook", {"display_name": QMG_FANPAGE}),
    ),
    Fact(
        "The council's Q&A session was first livestreamed in July 2023",
        "/api/v1/stated-facts/?agency=qmg&measure=Q%26A session",
        {"stated_on": "2023-07"},
    ),
    Fact(
        "60th anniversary of the province's founding: livestream with 628,000 views",
        "/api/v1/campaign-reports/?campaign=qmg-60th-anniversary-livestream",
        {"views": 628_000, "platforms": []},
    ),
    Fact(
        "60th anniversary livestream: nearly 11,000 concurrent viewers",
        "/api/v1/stated-facts/?campaign=qmg-60th-anniversary-livestream",
        {"value": 11_000, "approximate": True, "as_stated": "nearly 11,000"},
    ),
    Fact(
        "70th anniversary of the liberation of the Mining Region: livestreamed in 2025",
        "/api/v1/stated-facts/?agency=qmg&measure=mining region",
        {"stated_on": "2025", "value": None},
    ),
    Fact(
        "The Yagi storm: covered on QMG's channels, dated only “most recently”",
        "/api/v1/stated-facts/?agency=qmg&measure=yagi",
        {"as_stated": "most recently", "stated_on": None},
    ),
    Fact(
        "Quang Ninh Eat and Play 24/7: built from 2022",
        "/api/v1/stated-facts/?measure=builds the fanpage",
        {"stated_on": "2022", "channel.display": contains("Quang Ninh Eat and Play 24/7")},
    ),
    # --- 003: Copyright Protection Center and TikTok Vietnam (VTC News)
    Fact(
        "Copyright Protection Center and TikTok Vietnam MOU: signed on September 19, no year",
        "/api/v1/mous/?partner=tiktok-vietnam",
        {
            "title": COPYRIGHT_MOU,
            "status": "signed",
            "signed": True,
            "signed_on": None,
            "signed_on_as_stated": "September 19",
            "starts_on": None,
            "agency.slug": "vietnam-copyright-protection-center",
        },
    ),
    Fact(
        "The Vietnam Copyright Protection Center is a unit under the Copyright Office",
        "/api/v1/agencies/?q=copyright protection",
        {"parent.slug": "copyright-office"},
        where={"slug": "vietnam-copyright-protection-center"},
    ),
    Fact(
        "The Copyright Office (Cục Bản quyền tác giả) is under the Ministry of Culture, Sports and Tourism",
        "/api/v1/agencies/?q=copyright office",
        {"name_vi": "Cục Bản quyền tác giả", "parent.slug": "ministry-of-culture-sports-and-tourism"},
        where={"slug": "copyright-office"},
    ),
    Fact(
        "Mr. Tran Hoang, Director of the Copyright Office",
        "/api/v1/people/?q=tran hoang",
        {
            "name": "Trần Hoàng",
            "name_en": "Tran Hoang",
            "position": "Director of the Copyright Office",
            "agency.slug": "copyright-office",
        },
    ),
    Fact(
        "Tran Hoang spoke at the signing of the 003 MOU, for the agency's side",
        "/api/v1/mou-people/?person_id={id}",
        {"role": "present", "side": "agency", "mou.display": COPYRIGHT_MOU},
        lookup=("/api/v1/people/?q=tran hoang", {}),
    ),
    Fact(
        "The 003 MOU promotes Vietnam's 12 cultural industries",
        "/api/v1/stated-facts/?mou={id}",
        {"value": 12},
        where={"measure": "cultural industries to promote"},
        lookup=("/api/v1/mous/?partner=tiktok-vietnam", {}),
    ),
    Fact(
        "#BanSacViet / #ProudVietnam: a TikTok campaign under the 003 MOU",
        "/api/v1/campaigns/?hashtag=ProudVietnam",
        {"slug": "ban-sac-viet", "platforms": ["tiktok"], "mou.display": COPYRIGHT_MOU},
    ),
    Fact(
        "#BanSacViet is expected to reach hundreds of millions of views",
        "/api/v1/stated-facts/?campaign=ban-sac-viet&measure=expected views",
        {"as_stated": "hundreds of millions of views", "value": None},
    ),
    Fact(
        "#BanSacViet has five content pillars",
        "/api/v1/stated-facts/?campaign=ban-sac-viet&measure=content pillars",
        {"value": 5},
    ),
    # --- 004: “Thời khắc khó quên” (Tạp chí Lao động và Công đoàn)
    Fact(
        "Thời khắc khó quên ran from 1 to 30 September 2021, by the magazine with the Health Trade Union",
        "/api/v1/campaigns/?agency=vietnam-health-trade-union",
        {"slug": "thoi-khac-kho-quen", "starts_on": "2021-09-01", "ends_on": "2021-09-30", "platforms": ["tiktok"]},
    ),
    Fact(
        "#ThoiKhacKhoQuen: over 1 million views after 3 days",
        "/api/v1/campaign-reports/?campaign=thoi-khac-kho-quen",
        {
            "views": 1_000_000,
            "reported_on_approximate": True,
            "reported_on_as_stated": "sau 3 ngày xuất hiện trên TikTok",
        },
        where={"reported_on": "2021-09-04"},
    ),
    Fact(
        "#ThoiKhacKhoQuen: 13 million views after a week",
        "/api/v1/campaign-reports/?campaign=thoi-khac-kho-quen",
        {"views": 13_000_000, "reported_on_approximate": True, "reported_on_as_stated": "sau một tuần"},
        where={"reported_on": "2021-09-08"},
    ),
    Fact(
        "Contest summary, 1-30 September 2021: 45,304 clips, 253M views, 13M likes, 553k comments, 344k shares",
        "/api/v1/campaign-reports/?campaign=thoi-khac-kho-quen",
        {
            "videos": 45_304,
            "views": 253_000_000,
            "likes": 13_000_000,
            "comments": 553_000,
            "shares": 344_000,
            "period_starts_on": "2021-09-01",
            "period_ends_on": "2021-09-30",
            "reported_on_as_stated": "sau một tháng diễn ra cuộc thi",
            "notes": contains("331.2M", "300 million"),
        },
        where={"reported_on": "2021-09-30"},
    ),
    Fact(
        "#ThoiKhacKhoQuen: over 300 million views after a month, flagged against the 253M",
        "/api/v1/campaign-reports/?campaign=thoi-khac-kho-quen",
        {"views": 300_000_000, "reported_on_as_stated": "sau một tháng", "notes": contains("253M")},
        where={"reported_on": "2021-10-01"},
    ),
    report(331_200_000, "ThoiKhacKhoQuen"),
    report(50_400_000_000, "ONhaVanVui"),
    report(6_700_000_000, "SongKhoe247"),
    report(6_100_000_000, "ForYourPride"),
    report(1_400_000_000, "CreateKindness"),
    report(31_900_000, "TacHaiThuocLa"),
    report(26_500_000, "HienMauTinhNguyen"),
    report(15_000_000, "PhongChongThienTai"),
    report(8_000_000, "SongChuDong"),
    report(7_400_000, "TeTeVanThe"),
    Fact(
        "#ThoiKhacKhoQuen was 5th in TikTok's top 10 community campaigns of 2021",
        "/api/v1/stated-facts/?campaign=thoi-khac-kho-quen&measure=top 10",
        {"value": 5},
    ),
    Fact(
        "Công đoàn Việt Nam TikTok after one month: 121 thousand likes, 117 thousand followers",
        "/api/v1/channel-metrics/?channel={id}",
        {
            "followers": 117_000,
            "likes": 121_000,
            "measured_on_approximate": True,
            "measured_on_as_stated": "sau một tháng",
        },
        where={"measured_on": "2021-09-30"},
        lookup=("/api/v1/channels/?agency=labor-and-trade-union-magazine", {"display_name": "Công đoàn Việt Nam"}),
    ),
    Fact(
        "Công đoàn Việt Nam TikTok by 1 January 2022: 136 thousand likes, 144 thousand followers",
        "/api/v1/channel-metrics/?channel={id}",
        {"followers": 144_000, "likes": 136_000, "measured_on_approximate": False},
        where={"measured_on": "2022-01-01"},
        lookup=("/api/v1/channels/?agency=labor-and-trade-union-magazine", {}),
    ),
    Fact(
        "TikTok has 1 billion monthly users (“1 tỷ”)",
        "/api/v1/stated-facts/?partner=tiktok-vietnam",
        {"value": 1_000_000_000, "as_stated": "1 tỷ"},
    ),
    Fact(
        "“Hàng trăm tác phẩm”: hundreds of entries, no number",
        "/api/v1/stated-facts/?campaign=thoi-khac-kho-quen&measure=entries received",
        {"value": None, "approximate": True, "as_stated": "hàng trăm"},
    ),
    Fact(
        "The prizes were awarded on the morning of 19 November 2021",
        "/api/v1/stated-facts/?campaign=thoi-khac-kho-quen&measure=prize",
        {"stated_on": "2021-11-19"},
    ),
    Fact(
        "TikToker Trúc Linh called on the community to take part",
        "/api/v1/channels/?kol=truc-linh",
        {"platform": "tiktok", "kol.display": contains("Trúc Linh")},
    ),
]


def results(client, path):
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code, response.content[:300])
    return response.json()["results"]


def value_at(record, dotted):
    for name in dotted.split("."):
        record = record[name]
    return record


def the_one(client, path, where):
    rows = [row for row in results(client, path) if all(value_at(row, k) == v for k, v in where.items())]
    assert len(rows) == 1, f"{path} {where}: {len(rows)} records match"
    return rows[0]


@pytest.mark.parametrize("fact", FACTS, ids=lambda fact: fact.description)
def test_fact_reads_back_through_the_api(api, fact):
    path = fact.path
    if fact.lookup:
        path = path.replace("{id}", str(the_one(api, *fact.lookup)["id"]))

    record = the_one(api, path, fact.where)

    for name, expected in fact.expect.items():
        actual = value_at(record, name)
        if callable(expected):
            assert expected(actual), f"{fact.description}: {name} = {actual!r} fails {expected.__name__}"
        else:
            assert actual == expected, f"{fact.description}: {name}"


@pytest.mark.parametrize(
    ("day", "in_force"), [("2024-02-01", False), ("2024-05-01", True), ("2026-01-01", True), ("2028-01-01", False)]
)
def test_schannel_mou_is_in_force_from_its_signing_month_to_the_end_of_2027(api, day, in_force):
    titles = [mou["title"] for mou in results(api, f"/api/v1/mous/?active_on={day}")]

    assert any(title.startswith("SChannel KOL communication MOU") for title in titles) is in_force


@pytest.mark.parametrize("platform", ["facebook", "instagram"])
def test_the_combined_report_is_found_by_either_platform(api, platform):
    reports = results(api, f"/api/v1/campaign-reports/?platform={platform}")

    assert [(r["campaign"]["slug"], r["platforms"]) for r in reports] == [
        ("towards-the-national-flag", ["facebook", "instagram"])
    ]


def test_tran_hoang_is_found_and_linked_to_the_copyright_mou(api):
    people = results(api, "/api/v1/people/?q=tran hoang")
    assert [person["name_en"] for person in people] == ["Tran Hoang"]
    mou = results(api, "/api/v1/mous/?partner=tiktok-vietnam")[0]

    links = results(api, f"/api/v1/mou-people/?person_id={people[0]['id']}")

    assert [(link["mou"]["id"], link["role"], link["side"]) for link in links] == [(mou["id"], "present", "agency")]
    assert [person["id"] for person in results(api, f"/api/v1/people/?mou={mou['id']}&role=present")] == [
        people[0]["id"]
    ]


def test_the_vitamin_user_sees_exactly_the_channels_of_vitamins_mou():
    client = APIClient()
    client.force_authenticate(get_user_model().objects.get(username="vitamin.demo"))

    channels = results(client, "/api/v1/channels/?limit=500")
    mous = results(client, "/api/v1/mous/")

    assert sorted(channel["display_name"] for channel in channels) == sorted(VITAMIN_CHANNELS)
    assert {channel["kol"]["slug"] for channel in channels} == {kol["slug"] for kol in mous[0]["kols"]}
    assert [mou["partner"]["slug"] for mou in mous] == ["vitamin"]
    # Nothing on Vitamin's roster adds to them in the demo data, and no other partner's channel shows.
    assert results(client, "/api/v1/memberships/") == []
    assert {channel["id"] for channel in channels} == {channel["id"] for channel in mous[0]["channels"]}
