"""Demo data taken from the five source articles in ``shared/seeds`` (issue 2), and the demo-only users.

Facts are copied, wording is ours. Unknown dates stay empty; conflicts and approximations are
explained in ``notes``. Rows are matched on natural keys so that loading twice changes nothing.
"""

# ruff: noqa: RUF001 -- names and notes keep the typography of the articles (en dashes, multiplication sign).
import datetime
import os
import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from accounts.roles import assign_demo_roles
from campaigns.models import Assignment, Campaign, CampaignReport, Hashtag
from partners.choices import AgencyKind, KolKind, PartnerKind, Platform
from partners.models import Agency, Channel, ChannelMetric, Kol, Mou, PartnerCompany, RosterMembership

# Article 000 (English) and 001 (its Vietnamese version) share one URL.
SOURCE_KOL_ARTICLE = "https://vtcnews.vn/day-manh-truyen-thong-kol-de-quang-ba-hinh-anh-dat-nuoc-ar896867.html"
SOURCE_QMG_ARTICLE = (
    "https://baoquangninh.vn/bao-chi-truyen-thong-tren-mang-xa-hoi-dinh-huong-nhanh-nhay-lan-toa-3360233.html"
)
SOURCE_CULTURE_ARTICLE = (
    "https://vtcnews.vn/thuc-day-van-hoa-viet-thong-qua-suc-manh-cong-nghe-so-va-sang-tao-noi-dung-ar966381.html"
)
# Article 004 gives no URL.
SOURCE_NOTE_CONTEST_ARTICLE = (
    "Tạp chí Lao động và Công đoàn: “Thời khắc khó quên” chiến dịch được lan tỏa (no URL in the article)"
)
# Models without a source_note field carry the description in their notes instead.
CONTEST_SOURCE_LINE = f"Source: {SOURCE_NOTE_CONTEST_ARTICLE}."

DEMO_PASSWORD_ENV = "KOLREG_DEMO_PASSWORD"

DEMO_MODELS = (
    Agency,
    PartnerCompany,
    Kol,
    Channel,
    RosterMembership,
    Mou,
    Hashtag,
    Campaign,
    Assignment,
    ChannelMetric,
    CampaignReport,
)


def _with_contest_source(notes):
    return f"{notes} {CONTEST_SOURCE_LINE}".strip()


# --- Agencies: (slug, fields); parents are listed before their children. ---------------------------------------
AGENCIES = [
    (
        "ministry-of-information-and-communications",
        {
            "name": "Ministry of Information and Communications",
            "name_vi": "Bộ Thông tin và Truyền thông",
            "kind": AgencyKind.MINISTRY,
            "source_url": SOURCE_KOL_ARTICLE,
        },
    ),
    (
        "department-of-external-information",
        {
            "name": "Department of External Information",
            "name_vi": "Cục Thông tin đối ngoại",
            "kind": AgencyKind.DEPARTMENT,
            "parent": "ministry-of-information-and-communications",
            "source_url": SOURCE_KOL_ARTICLE,
        },
    ),
    (
        "center-for-press-and-international-cooperation",
        {
            "name": "Center for Press and International Cooperation",
            "name_vi": "Trung tâm Báo chí và Hợp tác quốc tế",
            "kind": AgencyKind.CENTER,
            "parent": "department-of-external-information",
            "source_url": SOURCE_KOL_ARTICLE,
        },
    ),
    (
        "ministry-of-culture-sports-and-tourism",
        {
            "name": "Ministry of Culture, Sports and Tourism",
            "kind": AgencyKind.MINISTRY,
            "source_url": SOURCE_CULTURE_ARTICLE,
        },
    ),
    (
        "copyright-office",
        {
            "name": "Copyright Office",
            "kind": AgencyKind.DEPARTMENT,
            "parent": "ministry-of-culture-sports-and-tourism",
            "source_url": SOURCE_CULTURE_ARTICLE,
            "notes": "Director: Tran Hoang (spoke at the signing of the MOU with TikTok Vietnam).",
        },
    ),
    (
        "vietnam-copyright-protection-center",
        {
            "name": "Vietnam Copyright Protection Center",
            "kind": AgencyKind.CENTER,
            "parent": "copyright-office",
            "source_url": SOURCE_CULTURE_ARTICLE,
        },
    ),
    (
        "vietnam-youth-union",
        {
            "name": "Vietnam Youth Union",
            "name_vi": "Hội Liên hiệp Thanh niên",
            "kind": AgencyKind.UNION,
            "source_url": SOURCE_KOL_ARTICLE,
        },
    ),
    (
        "quang-ninh-provincial-party-committee",
        {
            "name": "Quang Ninh Provincial Party Committee",
            "kind": AgencyKind.PROVINCIAL,
            "province": "Quảng Ninh",
            "source_url": SOURCE_QMG_ARTICLE,
        },
    ),
    (
        "qmg",
        {
            "name": "Quang Ninh Provincial Media Center",
            "acronym": "QMG",
            "kind": AgencyKind.PROVINCIAL,
            "province": "Quảng Ninh",
            "parent": "quang-ninh-provincial-party-committee",
            "source_url": SOURCE_QMG_ARTICLE,
            "notes": "The article calls it the mouthpiece of the Provincial Party Committee; it owns its social "
            "media channels itself.",
        },
    ),
    (
        "quang-ninh-department-of-education-and-training",
        {
            "name": "Quang Ninh Department of Education and Training",
            "kind": AgencyKind.PROVINCIAL,
            "province": "Quảng Ninh",
            "source_url": SOURCE_QMG_ARTICLE,
            "notes": "Worked with QMG on online teaching videos while schools were closed during Covid-19.",
        },
    ),
    (
        "labor-and-trade-union-magazine",
        {
            "name": "Labor and Trade Union Magazine",
            "name_vi": "Tạp chí Lao động và Công đoàn",
            "kind": AgencyKind.PRESS,
            "notes": _with_contest_source("Organised the 2021 “Thời khắc khó quên” TikTok contest."),
        },
    ),
    (
        "vietnam-health-trade-union",
        {
            "name": "Vietnam Health Trade Union",
            "name_vi": "Công đoàn Y tế Việt Nam",
            "kind": AgencyKind.UNION,
            "notes": _with_contest_source("Co-organised the 2021 “Thời khắc khó quên” TikTok contest."),
        },
    ),
    (
        "ha-giang-province",
        {
            "name": "Ha Giang Province",
            "name_vi": "Hà Giang",
            "kind": AgencyKind.PROVINCIAL,
            "province": "Hà Giang",
            "source_url": SOURCE_KOL_ARTICLE,
            "notes": "Uses KOLs to promote the province: held the “Digital Media Spreading the Image of Ha Giang” "
            "seminar, set up “Ha Giang Media Team” groups and honours notable contributors.",
        },
    ),
    (
        "thanh-hoa-province",
        {
            "name": "Thanh Hoa Province",
            "name_vi": "Thanh Hóa",
            "kind": AgencyKind.PROVINCIAL,
            "province": "Thanh Hóa",
            "source_url": SOURCE_KOL_ARTICLE,
            "notes": "Has worked with KOLs to promote tourism in Pu Luong and Ba Thuoc.",
        },
    ),
]

# --- Partner companies ----------------------------------------------------------------------------------------------
PARTNERS = [
    (
        "schannel",
        {
            "short_name": "SChannel",
            "legal_name": "SChannel Advertising and Communication Services Joint Stock Company",
            "name_vi": "Công ty Cổ phần Dịch vụ Quảng cáo và Truyền thông SChannel",
            "other_names": "Schannel Network",
            "kind": PartnerKind.CREATOR_NETWORK,
            "source_url": SOURCE_KOL_ARTICLE,
        },
    ),
    (
        "vitamin",
        {
            "short_name": "Vitamin",
            "legal_name": "Vitamin Vietnam Media and Entertainment Joint Stock Company",
            "name_vi": "Công ty Cổ phần Truyền thông và Giải trí Vitamin Việt Nam",
            "kind": PartnerKind.CREATOR_NETWORK,
            "source_url": SOURCE_KOL_ARTICLE,
        },
    ),
    (
        "tiktok-vietnam",
        {
            "short_name": "TikTok Vietnam",
            "legal_name": "TikTok Vietnam",
            "name_vi": "TikTok Việt Nam",
            "kind": PartnerKind.PLATFORM,
            "source_url": SOURCE_CULTURE_ARTICLE,
            "notes": "Legal name not given in the articles. Also supported the 2021 “Thời khắc khó quên” contest.",
        },
    ),
    (
        "bhmedia",
        {
            "short_name": "BHMedia",
            "legal_name": "BHMedia",
            "kind": PartnerKind.MEDIA_COMPANY,
            "source_url": SOURCE_QMG_ARTICLE,
            "notes": "Legal name not given in the article. Runs a Quang Ninh TV YouTube channel together with QMG.",
        },
    ),
]

# --- KOLs -------------------------------------------------------------------------------------------------------------
_NAMED_BY_CHANNEL = "Known from the channel name only; the article does not say who is behind it."
_NEW_TO_TIKTOK = (
    "joined the call to take part in the #ThoiKhacKhoQuen contest although new to TikTok; no channel named."
)

KOLS = [
    ("quang-linh", {"name": "Quang Linh", "name_en": "Quang Linh", "kind": KolKind.PERSON}),
    ("mayssa", {"name": "Mayssa", "name_en": "Mayssa (Lao Girl)", "kind": KolKind.PERSON, "nationality": "LA"}),
    ("miss-sidewalk", {"name": "Hoa hậu vỉa hè", "name_en": "Miss Sidewalk", "notes": _NAMED_BY_CHANNEL}),
    ("will", {"name": "Will", "name_en": "Will", "notes": _NAMED_BY_CHANNEL}),
    ("check-in-vietnam", {"name": "Check in Vietnam", "name_en": "Check in Vietnam", "notes": _NAMED_BY_CHANNEL}),
    (
        "amazing-things-in-vietnam",
        {"name": "Amazing things in Vietnam", "name_en": "Amazing Things in Vietnam", "notes": _NAMED_BY_CHANNEL},
    ),
    ("rots-blog", {"name": "Rọt", "name_en": "Rot", "notes": _NAMED_BY_CHANNEL}),
    ("hoang-nam", {"name": "Hoàng Nam", "name_en": "Hoang Nam", "kind": KolKind.PERSON}),
    ("quach-beem", {"name": "Quách Beem", "name_en": "Quach Beem", "kind": KolKind.PERSON}),
    (
        "truc-linh",
        {
            "name": "Trúc Linh",
            "name_en": "Truc Linh",
            "kind": KolKind.PERSON,
            "notes": _with_contest_source("TikToker who urged the community to join the #ThoiKhacKhoQuen contest."),
        },
    ),
    (
        "quang-huy",
        {
            "name": "Quang Huy",
            "name_en": "Quang Huy",
            "kind": KolKind.PERSON,
            "notes": _with_contest_source(f"Commentator; {_NEW_TO_TIKTOK}"),
        },
    ),
    (
        "xuan-bac",
        {
            "name": "Xuân Bắc",
            "name_en": "Xuan Bac",
            "kind": KolKind.PERSON,
            "notes": _with_contest_source(f"Artist; {_NEW_TO_TIKTOK}"),
        },
    ),
    (
        "mai-anh",
        {
            "name": "Mai Anh",
            "name_en": "Mai Anh",
            "kind": KolKind.PERSON,
            "notes": _with_contest_source(f"Journalist; {_NEW_TO_TIKTOK}"),
        },
    ),
]
# KOLs from article 004 (the contest) have no URL; the rest come from article 000/001.
_CONTEST_KOLS = {"truc-linh", "quang-huy", "xuan-bac", "mai-anh"}

# Vitamin MOU channels: (KOL slug, display name as the Vietnamese article writes it, the English article's name).
VITAMIN_CHANNELS = [
    ("quang-linh", "Quang Linh Vlog", "Quang Linh Vlog"),
    ("mayssa", "Cô gái Lào Mayssa", "Mayssa (Lao Girl)"),
    ("miss-sidewalk", "Hoa hậu vỉa hè", "Miss Sidewalk"),
    ("will", "Will", "Will"),
    ("check-in-vietnam", "Check in Vietnam", "Check in Vietnam"),
    ("amazing-things-in-vietnam", "Amazing things in Vietnam", "Amazing Things in Vietnam"),
    ("rots-blog", "Blog của Rọt", "Rot's Blog"),
    ("hoang-nam", "Hoàng Nam", "Hoang Nam"),
    ("quach-beem", "Quách Beem", "Quach Beem"),
]


@dataclass(frozen=True)
class ChannelSeed:
    """A channel to load; ``owner`` is ("kol" | "agency", slug)."""

    owner: tuple
    platform: str
    display_name: str
    source_url: str = ""
    language: str = ""
    launched_on: datetime.date | None = None
    notes: str = ""


# Both of QMG's YouTube channels are called "Quang Ninh TV"; the launch date tells them apart.
QMG_BHMEDIA_YOUTUBE_LAUNCH = datetime.date(2020, 12, 14)

# ChannelMetric has no notes field, so what qualifies a channel's figures is said in the channel's notes.
_UNDATED_FIGURES = "Audience figures are undated: the article says “currently”."

QMG_CHANNELS = [
    ChannelSeed(
        ("agency", "qmg"),
        Platform.FACEBOOK,
        "QMG-Tin tuc Quang Ninh 24/7",
        SOURCE_QMG_ARTICLE,
        "vi",
        notes=f"QMG's main fanpage for official news about the province. {_UNDATED_FIGURES}",
    ),
    ChannelSeed(
        ("agency", "qmg"),
        Platform.YOUTUBE,
        "Quang Ninh TV",
        SOURCE_QMG_ARTICLE,
        launched_on=QMG_BHMEDIA_YOUTUBE_LAUNCH,
        notes="The Quang Ninh TV channel run with BHMedia; has YouTube's Silver Creator Award (silver button). "
        f"Followers are YouTube subscribers. {_UNDATED_FIGURES}",
    ),
    ChannelSeed(
        ("agency", "qmg"),
        Platform.YOUTUBE,
        "Quang Ninh TV",
        SOURCE_QMG_ARTICLE,
        notes="QMG's second YouTube channel of this name: special broadcasts and livestreams of daily news. "
        f"Followers are YouTube subscribers. {_UNDATED_FIGURES}",
    ),
    ChannelSeed(
        ("agency", "qmg"),
        Platform.TIKTOK,
        "QMG - Quang Ninh News",
        SOURCE_QMG_ARTICLE,
        notes="Owned since 2021 (no exact launch date given). Its videos reach “up to” 1.1 million views. "
        f"{_UNDATED_FIGURES}",
    ),
    ChannelSeed(("agency", "qmg"), Platform.ZALO, "QMG Quang Ninh News", SOURCE_QMG_ARTICLE, notes=_UNDATED_FIGURES),
    ChannelSeed(
        ("agency", "qmg"),
        Platform.WEIBO,
        "",
        SOURCE_QMG_ARTICLE,
        "zh",
        notes="Chinese-language Weibo channel for foreign readers; its name is not given.",
    ),
    ChannelSeed(
        ("agency", "qmg"),
        Platform.FACEBOOK,
        "Quang Ninh Eat and Play 24/7",
        SOURCE_QMG_ARTICLE,
        "vi",
        notes="Travel fanpage (destinations, food, experiences) built from 2022; no exact launch date given.",
    ),
    ChannelSeed(
        ("agency", "qmg"),
        Platform.FACEBOOK,
        "Stories with doctors",
        SOURCE_QMG_ARTICLE,
        "vi",
        notes="Fanpage of a Quang Ninh radio programme.",
    ),
    ChannelSeed(
        ("agency", "qmg"),
        Platform.FACEBOOK,
        "QMG - Radio Quang Ninh",
        SOURCE_QMG_ARTICLE,
        "vi",
        notes="Fanpage of Quang Ninh radio programmes.",
    ),
    ChannelSeed(
        ("agency", "qmg"),
        Platform.OTHER,
        "QMG-Halong News",
        SOURCE_QMG_ARTICLE,
        "en",
        notes="English-language social media account for foreign readers; the platform is not stated.",
    ),
]

CONTEST_CHANNELS = [
    ChannelSeed(
        ("kol", "truc-linh"),
        Platform.TIKTOK,
        "Trúc Linh",
        notes=_with_contest_source("TikTok account of TikToker Trúc Linh; handle not given."),
    ),
    ChannelSeed(
        ("agency", "labor-and-trade-union-magazine"),
        Platform.TIKTOK,
        "Công đoàn Việt Nam",
        notes=_with_contest_source(
            "TikTok account where the contest clips were posted, starting from zero followers. The owner is "
            "inferred: the magazine ran the contest; the article does not say who holds the account. Figures "
            "“after one month” of the contest are dated 30 September 2021, its last day."
        ),
    ),
]

# --- Channel metrics: (channel key, lookup/values). Undated "currently" figures keep measured_on empty. ----------
_QMG_FB = (("agency", "qmg"), Platform.FACEBOOK, "QMG-Tin tuc Quang Ninh 24/7", None)
_QMG_YT_BHMEDIA = (("agency", "qmg"), Platform.YOUTUBE, "Quang Ninh TV", QMG_BHMEDIA_YOUTUBE_LAUNCH)
_QMG_YT_SECOND = (("agency", "qmg"), Platform.YOUTUBE, "Quang Ninh TV", None)
_QMG_TIKTOK = (("agency", "qmg"), Platform.TIKTOK, "QMG - Quang Ninh News", None)
_QMG_ZALO = (("agency", "qmg"), Platform.ZALO, "QMG Quang Ninh News", None)
_UNION_TIKTOK = (("agency", "labor-and-trade-union-magazine"), Platform.TIKTOK, "Công đoàn Việt Nam", None)

CHANNEL_METRICS = [
    (_QMG_FB, {"followers": 354_000, "approximate": True}),
    (
        _QMG_FB,
        {
            # ChannelMetric has no notes field: the month the article gives goes into the subject.
            "subject": "Q&A session, 14th session of the 14th Provincial People's Council livestream (July 2023)",
            "views": 26_000,
            "likes": 1_200,
            "comments": 559,
        },
    ),
    (_QMG_YT_BHMEDIA, {"followers": 175_000}),
    (_QMG_YT_SECOND, {"followers": 66_000, "approximate": True}),
    (_QMG_TIKTOK, {"followers": 72_400, "likes": 1_700_000}),
    (_QMG_TIKTOK, {"subject": "most-viewed videos", "views": 1_100_000}),
    (_QMG_ZALO, {"followers": 5_000, "approximate": True}),
    (_UNION_TIKTOK, {"measured_on": datetime.date(2021, 9, 30), "followers": 117_000, "likes": 121_000}),
    (_UNION_TIKTOK, {"measured_on": datetime.date(2022, 1, 1), "followers": 144_000, "likes": 136_000}),
]

# --- MOUs (matched on title) -------------------------------------------------------------------------------------
MOU_SCHANNEL = "SChannel KOL communication MOU 2024–2027"
MOU_VITAMIN = "Vitamin KOL communication MOU"
MOU_COPYRIGHT_TIKTOK = "Vietnam Copyright Protection Center × TikTok Vietnam MOU on cultural industries"

MOUS = [
    (
        MOU_SCHANNEL,
        {
            "agency": "center-for-press-and-international-cooperation",
            "partner": "schannel",
            "starts_on": datetime.date(2024, 1, 1),
            "ends_on": datetime.date(2027, 12, 31),
            "scope": "Content that appears at the same time on the vietnam.vn website and on the social media "
            "channels of KOLs managed by Schannel Network.",
            "notes": "Signed in May 2024 per the article; the day is not given, so the signing date stays empty. "
            "The period is given only as the years 2024–2027.",
            "source_url": SOURCE_KOL_ARTICLE,
        },
    ),
    (
        MOU_VITAMIN,
        {
            "agency": "center-for-press-and-international-cooperation",
            "partner": "vitamin",
            "scope": "Cooperation with social media channels of KOLs working with Vitamin.",
            "notes": "The article only says the center signed “a similar MOU” to SChannel's: signing date and "
            "period are unknown, so the status shows as draft. Its list of KOL channels ends with “…”, so it "
            "may name more than these nine.",
            "source_url": SOURCE_KOL_ARTICLE,
        },
    ),
    (
        MOU_COPYRIGHT_TIKTOK,
        {
            "agency": "vietnam-copyright-protection-center",
            "partner": "tiktok-vietnam",
            "scope": "Promoting Vietnam's 12 cultural industries through digital technology and content creation, "
            "including the #BanSacViet hashtag campaign on TikTok.",
            "notes": "Signed on September 19; the article gives no year, so the signing date stays empty. "
            "Period not stated.",
            "source_url": SOURCE_CULTURE_ARTICLE,
        },
    ),
]

# --- Hashtags (matched on name, ignoring case) ---------------------------------------------------------------------
TOP10_2021 = [
    ("ONhaVanVui", 50_400_000_000),
    ("SongKhoe247", 6_700_000_000),
    ("ForYourPride", 6_100_000_000),
    ("CreateKindness", 1_400_000_000),
    ("ThoiKhacKhoQuen", 331_200_000),
    ("TacHaiThuocLa", 31_900_000),
    ("HienMauTinhNguyen", 26_500_000),
    ("PhongChongThienTai", 15_000_000),
    ("SongChuDong", 8_000_000),
    ("TeTeVanThe", 7_400_000),
]
TOP10_NOTE = "TikTok's top 10 meaningful community campaigns of 2021"

HASHTAGS = [
    (
        "NgayQuockhanh",
        {"source_url": SOURCE_KOL_ARTICLE, "notes": "The English article translates it as #NationalDay."},
    ),
    (
        "ToiYeuToQuocToi",
        {"source_url": SOURCE_KOL_ARTICLE, "notes": "The English article translates it as #ILoveMyCountry."},
    ),
    ("happyvietnam", {"source_url": SOURCE_KOL_ARTICLE}),
    ("BanSacViet", {"source_url": SOURCE_CULTURE_ARTICLE}),
    ("ProudVietnam", {"source_url": SOURCE_CULTURE_ARTICLE}),
    *(
        (
            name,
            {
                "notes": _with_contest_source(
                    "The article writes it with a trailing #, as #ThoiKhacKhoQuen#."
                    if name == "ThoiKhacKhoQuen"
                    else ""
                )
            },
        )
        for name, _views in TOP10_2021
    ),
]

# --- Campaigns: (slug, fields); organisers/partners are slugs, mou a title, hashtags names. ----------------------
CAMPAIGNS = [
    (
        "towards-the-national-flag",
        {
            "name": "Towards the National Flag",
            "name_vi": "Hướng về lá cờ Tổ quốc",
            "organisers": [
                "vietnam-youth-union",
                "department-of-external-information",
                "ministry-of-information-and-communications",
            ],
            "partners": ["schannel"],
            "hashtags": ["NgayQuockhanh", "ToiYeuToQuocToi", "happyvietnam"],
            "platforms": [Platform.FACEBOOK, Platform.INSTAGRAM, Platform.TIKTOK],
            "description": "Social media campaign for Vietnam's National Day: people shared flag videos, video "
            "templates, profile-picture frames and stories to spread the image of the flag and patriotism, "
            "amplified by KOLs and Schannel Network.",
            "notes": "Period left empty because the year conflicts: the article says the campaign was completed in "
            "September 2023, yet it marked the 79th anniversary of National Day (2024) and the article dates from "
            "September 2024. Its figures cover 26 August – 9 September of that year. The English article renders "
            "#NgayQuockhanh and #ToiYeuToQuocToi as #NationalDay and #ILoveMyCountry.",
            "source_url": SOURCE_KOL_ARTICLE,
        },
    ),
    (
        "ban-sac-viet",
        {
            "name": "#BanSacViet: Vietnamese Identity – Shine Globally",
            "name_vi": "Bản sắc Việt",
            "organisers": ["vietnam-copyright-protection-center"],
            "partners": ["tiktok-vietnam"],
            "mou": MOU_COPYRIGHT_TIKTOK,
            "hashtags": ["BanSacViet", "ProudVietnam"],
            "platforms": [Platform.TIKTOK],
            "description": "Spreads the value of Vietnam's 12 cultural industries at home and abroad through short "
            "TikTok videos, builds a creative community on TikTok and helps businesses, artists and organisations "
            "reach policies, technology trends and new markets.\n"
            "Content pillars:\n"
            "1. Cultural industry products (film, music, fine arts, fashion, games, cultural tourism…) in short, "
            "shareable clips.\n"
            "2. Creative journeys of artisans, artists and entrepreneurs, and their successes.\n"
            "3. New technology (AI, VR, AR, blockchain) to digitise, preserve and manage cultural products.\n"
            "4. Community: the #BanSacViet and #ProudVietnam hashtag challenge, inviting users to show their view "
            "of Vietnamese identity.\n"
            "5. Policy and trend updates: short explainers of policies, regulations and international news.",
            "notes": "Period not stated. The article gives only the expected reach (hundreds of millions of views, "
            "hundreds of thousands of videos), not results, so no result report is recorded.",
            "source_url": SOURCE_CULTURE_ARTICLE,
        },
    ),
    (
        "thoi-khac-kho-quen",
        {
            "name": "“Unforgettable Moments” TikTok video contest",
            "name_vi": "Thời khắc khó quên",
            "organisers": ["labor-and-trade-union-magazine", "vietnam-health-trade-union"],
            "partners": ["tiktok-vietnam"],
            "hashtags": ["ThoiKhacKhoQuen"],
            "platforms": [Platform.TIKTOK],
            "starts_on": datetime.date(2021, 9, 1),
            "ends_on": datetime.date(2021, 9, 30),
            "description": "TikTok video-clip contest honouring the frontline forces fighting Covid-19, inviting "
            "people to record unforgettable moments of the epidemic.",
            "notes": _with_contest_source(
                f"Supported by TikTok Vietnam. Ranked 5th in {TOP10_NOTE}. Prizes were awarded on 19 November 2021 "
                "at the Vietnam Health Trade Union. TikToker Trúc Linh, commentator Quang Huy, artist Xuân Bắc and "
                "journalist Mai Anh called on people to take part. Two view totals conflict (253M and 331.2M); "
                "both are kept as separate reports."
            ),
        },
    ),
    (
        "happy-vietnam",
        {
            "name": "Happy Vietnam photo and video contest promotion",
            "name_vi": "Quảng bá cuộc thi ảnh và video Happy Vietnam",
            "organisers": ["center-for-press-and-international-cooperation"],
            "description": "KOLs told the story of a happy Vietnam to the world while promoting the Happy Vietnam "
            "photo and video contest.",
            "notes": "Ran in 2023–2024; exact dates not given. The article credits it and the Dien Bien Phu campaign "
            "together with “hundreds of millions of views” and gives no exact figure, so no report is recorded.",
            "source_url": SOURCE_KOL_ARTICLE,
        },
    ),
    (
        "dien-bien-phu-70th-anniversary",
        {
            "name": "70th anniversary of the Dien Bien Phu victory",
            "name_vi": "70 năm chiến thắng Điện Biên Phủ",
            "organisers": ["center-for-press-and-international-cooperation"],
            "description": "KOLs spread awareness of the 70th anniversary of the Dien Bien Phu victory in Hanoi "
            "and Dien Bien.",
            "notes": "Ran in 2023–2024; exact dates not given. The article credits it and the Happy Vietnam "
            "campaign together with “hundreds of millions of views” and gives no exact figure.",
            "source_url": SOURCE_KOL_ARTICLE,
        },
    ),
    (
        "qmg-60th-anniversary-livestream",
        {
            "name": "Livestream of the 60th anniversary of Quang Ninh province's founding",
            "organisers": ["qmg"],
            "description": "QMG livestreamed the province's 60th founding anniversary on its social media channels.",
            "notes": "Date and platform not stated.",
            "source_url": SOURCE_QMG_ARTICLE,
        },
    ),
    *(
        (
            name.lower(),
            {
                "name": f"#{name}",
                "hashtags": [name],
                "platforms": [Platform.TIKTOK],
                "notes": _with_contest_source(f"Ranked {rank} in {TOP10_NOTE}. Organisers and period not stated."),
            },
        )
        for rank, (name, _views) in enumerate(TOP10_2021, start=1)
        if name != "ThoiKhacKhoQuen"
    ),
]

# --- Campaign result reports: (campaign slug, fields). Conflicting reports stay separate rows. --------------------
_FLAG_PERIOD_NOTE = "Figures for 26 August – 9 September; the year conflicts in the article (2023 or 2024)."
_CONTEST_SERIES = "Date derived from the contest launch on 1 September 2021"

CAMPAIGN_REPORTS = [
    (
        "towards-the-national-flag",
        {
            "platform": Platform.TIKTOK,
            "videos": 60_000,
            "template_uses": 10_000,
            "positive_share_pct": 99,
            "views": 800_000_000,
            "approximate": True,
            "source_url": SOURCE_KOL_ARTICLE,
            "notes": f"“Over” 60,000 videos and “approximately” 800 million views across the campaign's hashtags. "
            f"{_FLAG_PERIOD_NOTE}",
        },
    ),
    (
        "towards-the-national-flag",
        {
            "platform": "",
            "profile_frame_changes": 200_000,
            "story_template_uses": 21_000,
            "source_url": SOURCE_KOL_ARTICLE,
            "notes": "Facebook and Instagram together; the article does not split the figures by platform.",
        },
    ),
    (
        "thoi-khac-kho-quen",
        {
            "hashtag": "ThoiKhacKhoQuen",
            "platform": Platform.TIKTOK,
            "reported_on": datetime.date(2021, 9, 4),
            "views": 1_000_000,
            "approximate": True,
            "source_note": SOURCE_NOTE_CONTEST_ARTICLE,
            "notes": f"“Over 1 million” views after 3 days. {_CONTEST_SERIES}.",
        },
    ),
    (
        "thoi-khac-kho-quen",
        {
            "hashtag": "ThoiKhacKhoQuen",
            "platform": Platform.TIKTOK,
            "reported_on": datetime.date(2021, 9, 8),
            "views": 13_000_000,
            "source_note": SOURCE_NOTE_CONTEST_ARTICLE,
            "notes": f"13 million views after a week. {_CONTEST_SERIES}.",
        },
    ),
    (
        "thoi-khac-kho-quen",
        {
            "hashtag": "ThoiKhacKhoQuen",
            "platform": Platform.TIKTOK,
            "reported_on": datetime.date(2021, 9, 30),
            "period_starts_on": datetime.date(2021, 9, 1),
            "period_ends_on": datetime.date(2021, 9, 30),
            "videos": 45_304,
            "views": 253_000_000,
            "likes": 13_000_000,
            "comments": 553_000,
            "shares": 344_000,
            "approximate": True,
            "source_note": SOURCE_NOTE_CONTEST_ARTICLE,
            "notes": "Contest summary: 45,304 clips (exact); “over” 253 million views, 13 million likes, 553 "
            "thousand comments and 344 thousand shares. Conflicts with the 331.2M in TikTok's 2021 ranking.",
        },
    ),
    (
        "thoi-khac-kho-quen",
        {
            "hashtag": "ThoiKhacKhoQuen",
            "platform": Platform.TIKTOK,
            "reported_on": datetime.date(2021, 10, 1),
            "views": 300_000_000,
            "approximate": True,
            "source_note": SOURCE_NOTE_CONTEST_ARTICLE,
            "notes": f"“Over 300 million” views after a month. {_CONTEST_SERIES}.",
        },
    ),
    (
        "thoi-khac-kho-quen",
        {
            "hashtag": "ThoiKhacKhoQuen",
            "platform": Platform.TIKTOK,
            "views": 331_200_000,
            "source_note": SOURCE_NOTE_CONTEST_ARTICLE,
            "notes": f"{TOP10_NOTE} (ranked 5th); undated. Conflicts with the 253M of the same article's contest "
            "summary.",
        },
    ),
    (
        "qmg-60th-anniversary-livestream",
        {
            "views": 628_000,
            "source_url": SOURCE_QMG_ARTICLE,
            "notes": "Nearly 11,000 concurrent viewers. The platform is not stated (QMG's social media channels).",
        },
    ),
    *(
        (
            name.lower(),
            {
                "hashtag": name,
                "platform": Platform.TIKTOK,
                "views": views,
                "source_note": SOURCE_NOTE_CONTEST_ARTICLE,
                "notes": f"{TOP10_NOTE}; undated.",
            },
        )
        for name, views in TOP10_2021
        if name != "ThoiKhacKhoQuen"
    ),
]


class DemoLoader:
    """Creates or updates the demo rows and records which rows it created or changed."""

    def __init__(self):
        self.created = set()
        self.updated = set()
        self.agencies = {}
        self.partners = {}
        self.kols = {}
        self.channels = {}
        self.mous = {}
        self.hashtags = {}
        self.campaigns = {}

    def upsert(self, model, lookup, values):
        """Find the row by ``lookup``, apply ``values`` (all fields), validate, and save only if something changed."""
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            obj = model(**values)
            obj.full_clean()
            obj.save()
            self.created.add((model, obj.pk))
            return obj
        before = {name: getattr(obj, name) for name in values}
        for name, value in values.items():
            setattr(obj, name, value)
        obj.full_clean()
        if any(getattr(obj, name) != old for name, old in before.items()):
            obj.save()
            self.mark_updated(obj)
        return obj

    def set_related(self, obj, field, targets):
        manager = getattr(obj, field)
        if {t.pk for t in manager.all()} != {t.pk for t in targets}:
            manager.set(targets)
            self.mark_updated(obj)

    def mark_updated(self, obj):
        key = (type(obj), obj.pk)
        if key not in self.created:
            self.updated.add(key)

    def counts(self, model):
        """(rows in the database, rows created, rows updated) for ``model``."""
        created = sum(1 for m, _pk in self.created if m is model)
        updated = sum(1 for m, _pk in self.updated if m is model)
        return model.objects.count(), created, updated

    def load(self):
        self.load_agencies()
        self.load_partners()
        self.load_kols()
        self.load_channels()
        self.load_memberships()
        self.load_channel_metrics()
        self.load_mous()
        self.load_hashtags()
        self.load_campaigns()
        self.load_reports()

    def load_agencies(self):
        for slug, fields in AGENCIES:
            values = {
                "slug": slug,
                "name": fields["name"],
                "name_vi": fields.get("name_vi", ""),
                "acronym": fields.get("acronym", ""),
                "kind": fields["kind"],
                "province": fields.get("province", ""),
                "parent": self.agencies[fields["parent"]] if fields.get("parent") else None,
                "website": "",
                "notes": fields.get("notes", ""),
                "source_url": fields.get("source_url", ""),
            }
            self.agencies[slug] = self.upsert(Agency, {"slug": slug}, values)

    def load_partners(self):
        for slug, fields in PARTNERS:
            values = {
                "slug": slug,
                "short_name": fields["short_name"],
                "legal_name": fields["legal_name"],
                "name_vi": fields.get("name_vi", ""),
                "other_names": fields.get("other_names", ""),
                "kind": fields["kind"],
                "tax_code": "",
                "website": "",
                "notes": fields.get("notes", ""),
                "source_url": fields["source_url"],
            }
            self.partners[slug] = self.upsert(PartnerCompany, {"slug": slug}, values)

    def load_kols(self):
        for slug, fields in KOLS:
            values = {
                "slug": slug,
                "name": fields["name"],
                "name_en": fields["name_en"],
                "kind": fields.get("kind", KolKind.UNKNOWN),
                "nationality": fields.get("nationality", ""),
                "notes": fields.get("notes", ""),
                "source_url": "" if slug in _CONTEST_KOLS else SOURCE_KOL_ARTICLE,
            }
            self.kols[slug] = self.upsert(Kol, {"slug": slug}, values)

    def channel_seeds(self):
        vitamin = [
            ChannelSeed(
                ("kol", kol_slug),
                Platform.OTHER,
                display_name,
                SOURCE_KOL_ARTICLE,
                notes=f"Platform not stated: the article names the channel only. English article: “{english}”.",
            )
            for kol_slug, display_name, english in VITAMIN_CHANNELS
        ]
        return [*vitamin, *QMG_CHANNELS, *CONTEST_CHANNELS]

    def load_channels(self):
        for seed in self.channel_seeds():
            kind, slug = seed.owner
            owners = {"kol": self.kols[slug] if kind == "kol" else None}
            owners["agency"] = self.agencies[slug] if kind == "agency" else None
            # Natural key: owner, platform, display name and launch date (see QMG_BHMEDIA_YOUTUBE_LAUNCH).
            lookup = {
                **owners,
                "platform": seed.platform,
                "display_name": seed.display_name,
                "launched_on": seed.launched_on,
            }
            values = {
                **lookup,
                "handle": "",
                "url": "",
                "language": seed.language,
                "notes": seed.notes,
                "source_url": seed.source_url,
            }
            self.channels[(seed.owner, seed.platform, seed.display_name, seed.launched_on)] = self.upsert(
                Channel, lookup, values
            )

    def load_memberships(self):
        channel = self.channels[_QMG_YT_BHMEDIA]
        partner = self.partners["bhmedia"]
        starts_on = QMG_BHMEDIA_YOUTUBE_LAUNCH
        values = {
            "channel": channel,
            "partner": partner,
            "starts_on": starts_on,
            "ends_on": None,
            "notes": "Run in collaboration with BHMedia since the channel started on 14 December 2020; no end stated.",
            "source_url": SOURCE_QMG_ARTICLE,
        }
        self.upsert(RosterMembership, {"channel": channel, "partner": partner, "starts_on": starts_on}, values)

    def load_channel_metrics(self):
        for channel_key, fields in CHANNEL_METRICS:
            source_url = SOURCE_QMG_ARTICLE if channel_key[0] == ("agency", "qmg") else ""
            source_note = "" if source_url else SOURCE_NOTE_CONTEST_ARTICLE
            lookup = {
                "channel": self.channels[channel_key],
                "measured_on": fields.get("measured_on"),
                "subject": fields.get("subject", ""),
                "source_url": source_url,
                "source_note": source_note,
            }
            values = {
                **lookup,
                "followers": fields.get("followers"),
                "likes": fields.get("likes"),
                "views": fields.get("views"),
                "comments": fields.get("comments"),
                "approximate": fields.get("approximate", False),
            }
            self.upsert(ChannelMetric, lookup, values)

    def load_mous(self):
        vitamin_kols = [self.kols[kol_slug] for kol_slug, _name, _english in VITAMIN_CHANNELS]
        vitamin_channels = [
            self.channels[(("kol", kol_slug), Platform.OTHER, name, None)]
            for kol_slug, name, _english in VITAMIN_CHANNELS
        ]
        for title, fields in MOUS:
            values = {
                "title": title,
                "reference": "",
                "agency": self.agencies[fields["agency"]],
                "partner": self.partners[fields["partner"]],
                "signed_on": None,
                "starts_on": fields.get("starts_on"),
                "ends_on": fields.get("ends_on"),
                "terminated_on": None,
                "termination_reason": "",
                "scope": fields["scope"],
                "notes": fields["notes"],
                "renews": None,
                "source_url": fields["source_url"],
            }
            mou = self.upsert(Mou, {"title": title}, values)
            named = title == MOU_VITAMIN
            self.set_related(mou, "kols", vitamin_kols if named else [])
            self.set_related(mou, "channels", vitamin_channels if named else [])
            self.mous[title] = mou

    def load_hashtags(self):
        for name, fields in HASHTAGS:
            values = {"name": name, "notes": fields.get("notes", ""), "source_url": fields.get("source_url", "")}
            self.hashtags[name] = self.upsert(Hashtag, {"name__iexact": name}, values)

    def load_campaigns(self):
        for slug, fields in CAMPAIGNS:
            values = {
                "slug": slug,
                "name": fields["name"],
                "name_vi": fields.get("name_vi", ""),
                "starts_on": fields.get("starts_on"),
                "ends_on": fields.get("ends_on"),
                "mou": self.mous[fields["mou"]] if fields.get("mou") else None,
                "platforms": sorted(fields.get("platforms", [])),
                "description": fields.get("description", ""),
                "notes": fields.get("notes", ""),
                "source_url": fields.get("source_url", ""),
            }
            campaign = self.upsert(Campaign, {"slug": slug}, values)
            self.set_related(campaign, "organisers", [self.agencies[s] for s in fields.get("organisers", [])])
            self.set_related(campaign, "partners", [self.partners[s] for s in fields.get("partners", [])])
            self.set_related(campaign, "hashtags", [self.hashtags[n] for n in fields.get("hashtags", [])])
            self.campaigns[slug] = campaign

    def load_reports(self):
        for slug, fields in CAMPAIGN_REPORTS:
            lookup = {
                "campaign": self.campaigns[slug],
                "hashtag": self.hashtags[fields["hashtag"]] if fields.get("hashtag") else None,
                "platform": fields.get("platform", ""),
                "reported_on": fields.get("reported_on"),
                "source_url": fields.get("source_url", ""),
                "source_note": fields.get("source_note", ""),
            }
            values = {
                **lookup,
                **{name: fields.get(name) for name in CampaignReport.FIGURE_FIELDS},
                "period_starts_on": fields.get("period_starts_on"),
                "period_ends_on": fields.get("period_ends_on"),
                "approximate": fields.get("approximate", False),
                "notes": fields.get("notes", ""),
            }
            self.upsert(CampaignReport, lookup, values)


# --- Demo-only users ----------------------------------------------------------------------------------------------
DEMO_USERS = [
    ("ministry.demo", "Ministry staff"),
    ("schannel.demo", "SChannel user"),
    ("vitamin.demo", "Vitamin user"),
]


@dataclass(frozen=True)
class DemoUsers:
    """The demo users, and the password generated for those created on this run (None otherwise)."""

    users: list
    created: list
    generated_password: str | None


def ensure_demo_users():
    """Create or refresh ministry.demo, schannel.demo and vitamin.demo: staff, never superusers.

    The password is KOLREG_DEMO_PASSWORD when set, applied on every run. Otherwise users created on this run
    get one shared generated password, returned for the caller to show once; existing users keep theirs.
    It is never written to a file.
    """
    user_model = get_user_model()
    env_password = os.environ.get(DEMO_PASSWORD_ENV) or None
    generated = None
    users, created = [], []
    for username, label in DEMO_USERS:
        user = user_model.objects.filter(username=username).first()
        is_new = user is None
        if is_new:
            user = user_model(username=username)
        user.first_name = "DEMO ONLY"
        user.last_name = label
        user.is_active = True
        user.is_staff = True
        user.is_superuser = False
        if env_password and (is_new or not user.check_password(env_password)):
            user.set_password(env_password)
        elif is_new and not env_password:
            generated = generated or secrets.token_urlsafe(12)
            user.set_password(generated)
        user.save()
        users.append(user)
        if is_new:
            created.append(user)
    return DemoUsers(users=users, created=created, generated_password=generated)


def load_demo():
    """Load every demo row and the demo users in one transaction; returns the loader and the DemoUsers."""
    with transaction.atomic():
        loader = DemoLoader()
        loader.load()
        demo_users = ensure_demo_users()
        assign_demo_roles({user.username: user for user in demo_users.users})
    return loader, demo_users
