"""The benchmark's dataset: a registry the size of a national one, generated deterministically and loaded with COPY.

At scale 1: 100k channels, 50k KOLs (Vietnamese names with accents, 5% stored in NFD), 2,000 partner companies
of which 20 are big, 150k roster memberships that never overlap (the largest partner has ~19k), 10k MOUs (some
active today, some expiring soon, some renewing others), 1M channel metric snapshots, 2,000 campaigns with
hashtags, assignments and reports, and an agency tree (the ministry, its departments and centers, 63 provinces'
departments and media centers). Every count is multiplied by the scale, except the agency tree.

Rows are written as PostgreSQL's COPY text, a chunk at a time, so memory stays flat at scale 10. They hold what
the models' own ``save()`` would store: ``search_text`` from the model's builder, handles and URLs normalised,
each channel's latest followers from its newest snapshot. History tables stay empty. The same scale on the same
day gives the same rows (dates are relative to today, so that some MOUs are active and some expire soon).
"""

import datetime
import io
import json
import math
import re
import time
import unicodedata
from array import array
from bisect import bisect
from decimal import Decimal
from itertools import accumulate
from random import Random

from django.db import connection
from django.utils import timezone
from django.utils.text import slugify

from campaigns.models import Assignment, Campaign, CampaignReport, Hashtag
from kolregistry.dates import DatePrecision, PartialDate
from kolregistry.models import SearchableModel
from kolregistry.search import denormalised_paths
from kolregistry.text import fold
from partners.models import (
    Agency,
    Channel,
    ChannelMetric,
    Kol,
    Mou,
    PartnerCompany,
    RosterMembership,
    normalise_handle,
    normalise_url,
)

SEED = 20261126
# Rows per COPY: a few MB of text, whatever the scale.
CHUNK_ROWS = 20_000

# Counts at scale 1.
PARTNERS = 2_000
BIG_PARTNERS = 20
KOLS = 50_000
CHANNELS = 100_000
AGENCY_CHANNEL_SHARE = 0.05
EXTRA_AGENCIES = 300
MOUS = 10_000
CAMPAIGNS = 2_000
# Snapshots per channel: 0 to 20, 10 on average (1M at scale 1); memberships per channel: 1.5 on average.
SNAPSHOTS_MAX = 20
MEMBERSHIPS_PER_CHANNEL = {0: 15, 1: 40, 2: 30, 3: 10, 4: 5}
NFD_SHARE = 0.05

DAY, MONTH, YEAR = DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR
ROSTER_START = datetime.date(2016, 1, 1)

FAMILY_NAMES = {
    "Nguyễn": 38, "Trần": 11, "Lê": 9.5, "Phạm": 7, "Hoàng": 5, "Huỳnh": 2, "Phan": 4.5, "Vũ": 3.9, "Võ": 2,
    "Đặng": 2.1, "Bùi": 2, "Đỗ": 1.4, "Hồ": 1.3, "Ngô": 1.3, "Dương": 1, "Lý": 0.5, "Đinh": 0.8, "Trịnh": 0.6,
    "Mai": 0.5, "Cao": 0.4, "Lương": 0.4, "Quách": 0.2, "Tô": 0.3, "Hà": 0.5, "Đoàn": 0.5, "Lâm": 0.4, "Chu": 0.2,
}  # fmt: skip
MIDDLE_NAMES = [
    "Văn",
    "Thị",
    "Đức",
    "Minh",
    "Ngọc",
    "Thanh",
    "Hoàng",
    "Quang",
    "Thu",
    "Hữu",
    "Xuân",
    "Anh",
    "Bảo",
    "Gia",
    "Khánh",
    "Mai",
    "Phương",
    "Thùy",
    "Hải",
    "Kim",
    "Tuấn",
    "Công",
    "Đình",
    "Quốc",
    "Trọng",
    "Diệu",
]
GIVEN_NAMES = [
    "Anh",
    "Linh",
    "Hương",
    "Hùng",
    "Dũng",
    "Trang",
    "Hà",
    "Đức",
    "Quang",
    "Tuấn",
    "Hoa",
    "Mai",
    "Lan",
    "Phương",
    "Nam",
    "Long",
    "Sơn",
    "Hải",
    "Thảo",
    "Ngọc",
    "Vy",
    "Huyền",
    "Khánh",
    "Bảo",
    "Châu",
    "Duy",
    "Hiếu",
    "Hạnh",
    "Thủy",
    "Yến",
    "Nhung",
    "Giang",
    "Trâm",
    "Quỳnh",
    "Tâm",
    "Thắng",
    "Việt",
    "Cường",
    "Đạt",
    "Phúc",
    "Lộc",
    "Thịnh",
    "Nhi",
    "My",
    "Ngân",
    "Tú",
    "Kiên",
    "Toàn",
    "Trung",
    "Hậu",
]
# Stage names: "{given}" and "{place}" are filled in.
STAGE_NAMES = (
    "Bà {given} Vlog",
    "{given} Review",
    "Hoa hậu {given}",
    "Cô {given} dạy nấu ăn",
    "Anh {given} đi đâu",
    "Ẩm thực {place}",
    "Du lịch {place}",
    "Chuyện làng quê {place}",
)
CHANNEL_SUFFIXES = ("Official", "Vlog", "TV", "Channel", "Review", "Family", "Studio")
PROVINCES = [
    "An Giang",
    "Bà Rịa - Vũng Tàu",
    "Bạc Liêu",
    "Bắc Giang",
    "Bắc Kạn",
    "Bắc Ninh",
    "Bến Tre",
    "Bình Dương",
    "Bình Định",
    "Bình Phước",
    "Bình Thuận",
    "Cà Mau",
    "Cao Bằng",
    "Cần Thơ",
    "Đà Nẵng",
    "Đắk Lắk",
    "Đắk Nông",
    "Điện Biên",
    "Đồng Nai",
    "Đồng Tháp",
    "Gia Lai",
    "Hà Giang",
    "Hà Nam",
    "Hà Nội",
    "Hà Tĩnh",
    "Hải Dương",
    "Hải Phòng",
    "Hậu Giang",
    "Hòa Bình",
    "Hưng Yên",
    "Khánh Hòa",
    "Kiên Giang",
    "Kon Tum",
    "Lai Châu",
    "Lâm Đồng",
    "Lạng Sơn",
    "Lào Cai",
    "Long An",
    "Nam Định",
    "Nghệ An",
    "Ninh Bình",
    "Ninh Thuận",
    "Phú Thọ",
    "Phú Yên",
    "Quảng Bình",
    "Quảng Nam",
    "Quảng Ngãi",
    "Quảng Ninh",
    "Quảng Trị",
    "Sóc Trăng",
    "Sơn La",
    "Tây Ninh",
    "Thái Bình",
    "Thái Nguyên",
    "Thanh Hóa",
    "Thừa Thiên Huế",
    "Tiền Giang",
    "Thành phố Hồ Chí Minh",
    "Trà Vinh",
    "Tuyên Quang",
    "Vĩnh Long",
    "Vĩnh Phúc",
    "Yên Bái",
]
MINISTRY = ("Ministry of Information and Communications", "Bộ Thông tin và Truyền thông", "MIC")
# (English, Vietnamese, acronym, [(English, Vietnamese) of its centers]).
DEPARTMENTS = (
    (
        "Authority of Broadcasting and Electronic Information",
        "Cục Phát thanh, truyền hình và thông tin điện tử",
        "ABEI",
        [("Digital Content Monitoring Center", "Trung tâm Giám sát nội dung số")],
    ),
    ("Press Authority", "Cục Báo chí", "", [("Press Data Center", "Trung tâm Dữ liệu báo chí")]),
    ("Authority of Publication, Printing and Distribution", "Cục Xuất bản, In và Phát hành", "", []),
    (
        "Authority of Information Security",
        "Cục An toàn thông tin",
        "AIS",
        [("Vietnam Cybersecurity Emergency Response Center", "Trung tâm Ứng cứu khẩn cấp không gian mạng Việt Nam")],
    ),
    (
        "Department of Grassroots Information",
        "Cục Thông tin cơ sở",
        "",
        [("Grassroots Information Center", "Trung tâm Thông tin cơ sở")],
    ),
    (
        "Authority of Foreign Information Service",
        "Cục Thông tin đối ngoại",
        "",
        [("Foreign Information Center", "Trung tâm Thông tin đối ngoại")],
    ),
    ("International Cooperation Department", "Vụ Hợp tác quốc tế", "", []),
    ("Legal Department", "Vụ Pháp chế", "", []),
)
EXTRA_AGENCY_KINDS = (
    ("press", "{place} Newspaper", "Báo {place}"),
    ("press", "{place} Radio and Television", "Đài Phát thanh và Truyền hình {place}"),
    ("union", "{place} Journalists' Association", "Hội Nhà báo {place}"),
    ("union", "{place} Youth Union", "Tỉnh đoàn {place}"),
)
BIG_PARTNER_NAMES = [
    "SChannel",
    "Vitamin Network",
    "META Media",
    "Yeah1 Network",
    "POPS Worldwide",
    "Đông Tây Promotion",
    "DatVietVAC",
    "BHMedia",
    "Cát Tiên Sa",
    "Lucky Media",
    "Ting Tong Network",
    "Dreams Network",
    "Vie Channel",
    "Kim Ngân Media",
    "Sao Việt Network",
    "Hoa Sen Media",
    "Lotus Creator Hub",
    "Gen Z Network",
    "Ánh Dương Creators",
    "Phương Nam Network",
]
COMPANY_WORDS = [
    "Ánh Dương",
    "Sao Mai",
    "Hoàng Gia",
    "Phương Nam",
    "Bình Minh",
    "Đất Việt",
    "Trường An",
    "Thiên Long",
    "Hồng Hà",
    "Tân Thời",
    "Việt Á",
    "Đông Á",
    "Hải Đăng",
    "Kim Cương",
    "Ngọc Lan",
    "Hòa Bình",
    "Sông Hàn",
    "Tây Đô",
    "Bắc Hà",
    "Lạc Hồng",
]
PLATFORM_WEIGHTS = {"tiktok": 35, "facebook": 28, "youtube": 25, "instagram": 6, "zalo": 4, "website": 1, "other": 1}
PROFILE_URLS = {
    "tiktok": "https://www.TikTok.com/@{handle}/",
    "youtube": "https://www.youtube.com/@{handle}",
    "facebook": "https://www.facebook.com/{handle}",
    "instagram": "https://www.instagram.com/{handle}/",
    "zalo": "https://zalo.me/{handle}",
    "website": "https://{handle}.vn",
    "other": "",
}
CAMPAIGN_PLATFORMS = ("facebook", "tiktok", "youtube", "zalo", "instagram")
TOPICS = (
    ("Vietnamese cultural identity", "bản sắc văn hóa Việt"),
    ("fighting fake news", "phòng chống tin giả"),
    ("digital transformation", "chuyển đổi số"),
    ("road safety", "an toàn giao thông"),
    ("sea and islands", "biển đảo quê hương"),
    ("reading culture", "văn hóa đọc"),
    ("online safety for children", "an toàn cho trẻ em trên mạng"),
    ("tourism in {place}", "quảng bá du lịch {place}"),
    ("local products of {place}", "sản phẩm OCOP {place}"),
)
HASHTAG_WORDS = [
    "BanSac",
    "TuHao",
    "VietNam",
    "DuLich",
    "QuangNinh",
    "HaNoi",
    "ChuyenDoiSo",
    "AnToan",
    "GiaoThong",
    "VanHoa",
    "AmThuc",
    "TetViet",
    "YeuNuoc",
    "KhoiNghiep",
    "SachHay",
    "BienDao",
    "QueHuong",
    "NhanAi",
    "ThoiKhacKhoQuen",
    "Viet",
]
NOT_IN_HANDLE = re.compile(r"[^a-z0-9]")
ASSIGNMENT_ROLES = {"creator": 60, "amplifier": 20, "host": 10, "ambassador": 5, "other": 5}


class Table:
    """COPY text for one table, with ids assigned here (1, 2, …) so that other rows can refer to them.

    ``depends_on`` lists the tables its rows refer to: they are flushed first, as each COPY is checked on its own.
    """

    ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})

    def __init__(self, model, cursor, stamps, depends_on=()):
        self.model, self.cursor, self.stamps, self.depends_on = model, cursor, stamps, depends_on
        fields = [field for field in model._meta.concrete_fields if not field.generated]
        self.attnames = [field.attname for field in fields]
        self.defaults = {field.attname: self.encode(field.get_default()) for field in fields}
        self.searchable = issubclass(model, SearchableModel)
        self.timestamped = "created_at" in self.defaults
        self.sql = f"COPY {model._meta.db_table} ({', '.join(field.column for field in fields)}) FROM STDIN"
        self.buffer, self.pending, self.count = io.StringIO(), 0, 0

    @classmethod
    def encode(cls, value):
        if value is None:
            return "\\N"
        if isinstance(value, str):
            return value.translate(cls.ESCAPES)
        if isinstance(value, bool):
            return "t" if value else "f"
        if isinstance(value, dict | list):
            return json.dumps(value, ensure_ascii=False).translate(cls.ESCAPES)
        if isinstance(value, PartialDate):
            return value.lower.isoformat()
        if isinstance(value, datetime.date):
            return value.isoformat()
        return str(value)

    def add(self, **values):
        """Queue one row (fields by attname; the rest take their defaults) and return its id."""
        self.count += 1
        values["id"] = self.count
        if self.searchable:
            # The model's own builder, on an unsaved instance: exactly what save() would store.
            sources = {name: values[name] for name in self.model.search_source_fields if name in values}
            values["search_text"] = self.model(**sources).build_search_text()
        if self.timestamped:
            values["created_at"] = values["updated_at"] = self.stamps[self.count % len(self.stamps)]
        encode, defaults = self.encode, self.defaults
        row = [encode(values[name]) if name in values else defaults[name] for name in self.attnames]
        self.buffer.write("\t".join(row))
        self.buffer.write("\n")
        self.pending += 1
        if self.pending >= CHUNK_ROWS:
            self.flush()
        return self.count

    def flush(self):
        for table in self.depends_on:
            table.flush()
        if self.pending:
            self.buffer.seek(0)
            self.cursor.copy_expert(self.sql, self.buffer)
            self.buffer, self.pending = io.StringIO(), 0

    def reset_sequence(self):
        table = self.model._meta.db_table
        self.cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s, %s)", [table, max(self.count, 1), self.count > 0]
        )


def scaled(count, scale):
    """``count`` times ``scale``, at least 1."""
    return max(1, round(count * scale))


def plain(text):
    """``"Quảng Ninh"`` -> ``"Quang Ninh"``: the unaccented spelling, case kept (``fold`` lower-cases)."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


def aligned(day, precision):
    """The partial date of ``precision`` that contains ``day``, stored as its first day."""
    if precision == YEAR:
        return PartialDate(day.replace(month=1, day=1), YEAR)
    if precision == MONTH:
        return PartialDate(day.replace(day=1), MONTH)
    return PartialDate(day, DAY)


def partial_fields(name, value):
    """``{name: first day, name_precision: precision}`` for a ``PartialDate`` (or None)."""
    if value is None:
        return {name: None}
    return {name: value.lower, f"{name}_precision": value.precision}


class Generator:
    """Writes the whole dataset for one scale; ``run()`` returns the row count of each table."""

    def __init__(self, scale, stdout, today):
        self.scale, self.stdout, self.today = scale, stdout, today
        self.rng = Random(SEED)
        midnight = datetime.datetime.combine(today, datetime.time(), tzinfo=datetime.UTC)
        # created_at / updated_at spread over the last 25 days, the same for every run of the day.
        self.stamps = [(midnight - datetime.timedelta(minutes=37 * step)).isoformat() for step in range(1, 1000)]
        self.cursor = connection.cursor()
        self.tables = []

    def table(self, model, *depends_on):
        table = Table(model, self.cursor, self.stamps, depends_on)
        self.tables.append(table)
        return table

    def run(self):
        started = time.perf_counter()
        names = ", ".join(model._meta.db_table for model in self.all_tables())
        self.cursor.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
        self.agencies = self.table(Agency)
        self.partners = self.table(PartnerCompany)
        self.kols = self.table(Kol)
        self.channels = self.table(Channel, self.kols, self.agencies)
        self.metrics = self.table(ChannelMetric, self.channels)
        self.memberships = self.table(RosterMembership, self.channels, self.partners)
        steps = (
            ("agencies", self.write_agencies),
            ("partner companies", self.write_partners),
            ("KOLs, channels, snapshots and memberships", self.write_kols_and_channels),
            ("MOUs", self.write_mous),
            ("campaigns, assignments and reports", self.write_campaigns),
            ("related names in search_text", self.write_related_search_text),
        )
        for label, step in steps:
            step_started = time.perf_counter()
            step()
            for table in self.tables:
                table.flush()
            self.stdout.write(f"  {label}: {time.perf_counter() - step_started:.1f} s\n")
        for table in self.tables:
            table.reset_sequence()
        self.stdout.write(f"  loaded in {time.perf_counter() - started:.1f} s\n")
        return {table.model._meta.db_table: table.count for table in self.tables}

    def write_related_search_text(self):
        """Append the related rows' names to each ``search_text``, as ``kolregistry.search.build_search_text``.

        The rows were written with their own names only; each related table's are copied first, so that no
        update reads text another has already extended. Reverse rows come by id, as the builder takes them.
        """
        cursor = self.cursor
        loaded = {table.model for table in self.tables}
        plans = {model: denormalised_paths(model) for model in loaded}
        related = {field.related_model for paths in plans.values() for field in paths.values()}
        for model in related:
            cursor.execute(f"CREATE TEMP TABLE own_{model._meta.db_table} AS SELECT * FROM {model._meta.db_table}")
        for model, paths in plans.items():
            if not paths:
                continue
            table, joins, parts = model._meta.db_table, [], []
            for number, field in enumerate(paths.values()):
                own = f"own_{field.related_model._meta.db_table}"
                if field.many_to_one:
                    joins.append(f"LEFT JOIN {own} p{number} ON p{number}.id = m.{field.column}")
                    parts.append(f"NULLIF(p{number}.search_text, '')")
                else:
                    key = field.field.column
                    joins.append(
                        f"LEFT JOIN (SELECT {key} AS owner_id, string_agg(NULLIF(search_text, ''), ' ' ORDER BY id)"
                        f" AS t FROM {own} GROUP BY {key}) p{number} ON p{number}.owner_id = m.id"
                    )
                    parts.append(f"p{number}.t")
            cursor.execute(
                f"CREATE TEMP TABLE new_{table} AS SELECT m.id, concat_ws(' ', NULLIF(m.search_text, ''),"
                f" {', '.join(parts)}) AS search_text FROM {table} m {' '.join(joins)}"
            )
            cursor.execute(f"UPDATE {table} m SET search_text = n.search_text FROM new_{table} n WHERE n.id = m.id")
            cursor.execute(f"DROP TABLE new_{table}")
        for model in related:
            cursor.execute(f"DROP TABLE own_{model._meta.db_table}")

    @staticmethod
    def all_tables():
        return [
            Agency,
            PartnerCompany,
            Kol,
            Channel,
            ChannelMetric,
            RosterMembership,
            Mou,
            Mou.kols.through,
            Mou.channels.through,
            Hashtag,
            Campaign,
            Campaign.organisers.through,
            Campaign.partners.through,
            Campaign.hashtags.through,
            Assignment,
            CampaignReport,
        ]

    def day_between(self, first, last):
        return first + datetime.timedelta(days=self.rng.randint(0, max(0, (last - first).days)))

    def precision(self, day_share=0.8, month_share=0.15):
        draw = self.rng.random()
        return DAY if draw < day_share else MONTH if draw < day_share + month_share else YEAR

    # Agencies: the ministry, its departments and their centers; each province's department and its media
    # center below it; then newspapers, broadcasters and unions (scaled).

    def write_agencies(self):
        self.agency_names = []

        def add(**values):
            self.agency_names.append(values["name_vi"])
            return self.agencies.add(**values)

        ministry = add(
            name=MINISTRY[0],
            name_vi=MINISTRY[1],
            acronym=MINISTRY[2],
            kind="ministry",
            slug="mic",
            website="https://mic.gov.vn",
        )
        self.ministry_agencies = [ministry]
        for english, vietnamese, acronym, centers in DEPARTMENTS:
            department = add(
                parent_id=ministry,
                name=english,
                name_vi=vietnamese,
                acronym=acronym,
                kind="department",
                slug=slugify(english)[:90],
            )
            self.ministry_agencies.append(department)
            for center_english, center_vietnamese in centers:
                center = add(
                    parent_id=department,
                    name=center_english,
                    name_vi=center_vietnamese,
                    kind="center",
                    slug=slugify(center_english)[:90],
                )
                self.ministry_agencies.append(center)
        self.provincial_agencies = []
        for province in PROVINCES:
            english = plain(province)
            department = add(
                parent_id=ministry,
                name=f"{english} Department of Information and Communications",
                name_vi=f"Sở Thông tin và Truyền thông {province}",
                kind="provincial",
                province=province,
                slug=f"dic-{slugify(english)}",
            )
            center = add(
                parent_id=department,
                name=f"{english} Media Center",
                name_vi=f"Trung tâm Truyền thông {province}",
                kind="center",
                province=province,
                slug=f"media-center-{slugify(english)}",
            )
            self.provincial_agencies += [department, center]
        for number in range(round(EXTRA_AGENCIES * self.scale)):
            kind, english, vietnamese = EXTRA_AGENCY_KINDS[number % len(EXTRA_AGENCY_KINDS)]
            province = PROVINCES[(number // len(EXTRA_AGENCY_KINDS)) % len(PROVINCES)]
            add(
                name=english.format(place=plain(province)),
                name_vi=vietnamese.format(place=province),
                kind=kind,
                province=province,
                slug=f"agency-{self.agencies.count + 1}",
            )
        self.agency_count = self.agencies.count

    # Partner companies: 20 big creator networks first, then the small ones. The big ones share 70% of the
    # memberships (the largest ~13%, ~19k at scale 1), the small ones the rest.

    def write_partners(self):
        total = scaled(PARTNERS, self.scale)
        big = min(total, scaled(BIG_PARTNERS, self.scale))
        weights, self.partner_names = [], []
        for number in range(total):
            if number < big:
                short_name = BIG_PARTNER_NAMES[number % len(BIG_PARTNER_NAMES)]
                kind = "creator_network"
                weights.append((number + 1) ** -0.7)
            else:
                words = COMPANY_WORDS[number % len(COMPANY_WORDS)]
                short_name = f"{words} Media {number}"
                kind = self.rng.choices(("creator_network", "media_company", "platform"), (70, 28, 2))[0]
                weights.append(1.0)
            self.partner_names.append(short_name)
            tax_code = "" if self.rng.random() < 0.2 else f"0{(number * 7919) % 10**9:09d}"
            if tax_code and self.rng.random() < 0.1:
                tax_code += "-001"
            self.partners.add(
                short_name=short_name,
                legal_name=f"{plain(short_name)} Joint Stock Company",
                name_vi=f"Công ty Cổ phần {short_name}",
                kind=kind,
                tax_code=tax_code,
                slug=f"{slugify(plain(short_name))[:80]}-{number + 1}",
                website=f"https://{slugify(plain(short_name)).replace('-', '')}.vn",
            )
        # Normalised so that the big partners' share is 70% whatever the scale.
        big_total = sum(weights[:big]) or 1
        small_total = sum(weights[big:]) or 1
        normalised = [w / big_total * 0.7 for w in weights[:big]] + [w / small_total * 0.3 for w in weights[big:]]
        self.partner_cum_weights = list(accumulate(normalised))

    def partner(self):
        """A partner id, the big ones far more often."""
        weights = self.partner_cum_weights
        return min(bisect(weights, self.rng.random() * weights[-1]), len(weights) - 1) + 1

    # KOLs, each with its channels, each channel with its snapshots and roster memberships.

    def kol_name(self):
        """A full name (family, middle, given) by the real frequency of family names; one in five a stage name."""
        rng = self.rng
        if rng.random() < 0.2:
            return rng.choice(STAGE_NAMES).format(given=rng.choice(GIVEN_NAMES), place=rng.choice(PROVINCES))
        family = rng.choices(list(FAMILY_NAMES), list(FAMILY_NAMES.values()))[0]
        return f"{family} {rng.choice(MIDDLE_NAMES)} {rng.choice(GIVEN_NAMES)}"

    def write_kols_and_channels(self):
        rng = self.rng
        kol_total = scaled(KOLS, self.scale)
        channel_total = scaled(CHANNELS, self.scale)
        agency_channels = round(channel_total * AGENCY_CHANNEL_SHARE)
        # Every KOL has one channel; the others go to KOLs at random.
        extra = array("H", bytes(2 * kol_total))
        for _ in range(max(0, channel_total - agency_channels - kol_total)):
            extra[rng.randrange(kol_total)] += 1
        for number in range(kol_total):
            name = self.kol_name()
            stored = unicodedata.normalize("NFD", name) if rng.random() < NFD_SHARE else name
            kol = self.kols.add(
                name=stored,
                name_en=plain(name),
                kind=rng.choices(("person", "organisation", "unknown"), (80, 5, 15))[0],
                nationality=rng.choices(("VN", "", "LA", "KR"), (85, 12, 2, 1))[0],
                slug=f"{slugify(plain(name))[:80]}-{number + 1}",
            )
            for _ in range(1 + extra[number]):
                self.write_channel(stored, kol_id=kol)
        for number in range(agency_channels):
            agency = rng.choice(self.provincial_agencies) if number % 2 else rng.randint(1, self.agency_count)
            self.write_channel(self.agency_names[agency - 1], agency_id=agency)

    def write_channel(self, owner_name, **owner):
        rng = self.rng
        platform = rng.choices(list(PLATFORM_WEIGHTS), list(PLATFORM_WEIGHTS.values()))[0]
        number = self.channels.count + 1
        display_name = owner_name if rng.random() < 0.6 else f"{owner_name} {rng.choice(CHANNEL_SUFFIXES)}"
        handle = normalise_handle(f"@{NOT_IN_HANDLE.sub('', fold(owner_name))[:30]}{number}")
        url = normalise_url(PROFILE_URLS[platform].format(handle=handle))
        launched_on = None
        if rng.random() < 0.7:
            launched_on = aligned(self.day_between(datetime.date(2012, 1, 1), self.today), self.precision(0.5, 0.3))
        snapshots = self.snapshots(url)
        # The newest whole-channel snapshot by date, then id: what Channel.refresh_latest_followers() copies.
        whole = [(s["measured_on"].lower, n, s) for n, s in enumerate(snapshots) if s["followers"] is not None]
        latest = max(whole, key=lambda item: item[:2])[2] if whole else None
        channel = self.channels.add(
            platform=platform,
            display_name=display_name,
            handle=handle,
            url=url,
            language=rng.choices(("vi", "en", ""), (90, 5, 5))[0],
            followers=latest["followers"] if latest else None,
            **partial_fields("followers_on", latest["measured_on"] if latest else None),
            **partial_fields("launched_on", launched_on),
            **owner,
        )
        for snapshot in snapshots:
            self.metrics.add(
                channel_id=channel, **partial_fields("measured_on", snapshot.pop("measured_on")), **snapshot
            )
        self.write_memberships(channel)

    def snapshots(self, url):
        """A channel's snapshots, oldest first, with growing followers; one in ten is about a single post."""
        rng = self.rng
        count = rng.randint(0, SNAPSHOTS_MAX)
        day = self.today - datetime.timedelta(days=rng.randint(30 * count + 1, 30 * count + 400))
        followers = int(10 ** rng.uniform(2, 7))
        snapshots = []
        for _ in range(count):
            day = min(self.today, day + datetime.timedelta(days=rng.randint(1, 59)))
            # Whole days, or a month as some sources state it; the newest by date then id wins, as in the model.
            measured_on = aligned(day, MONTH) if rng.random() < 0.05 else PartialDate(day)
            source = {"source_url": url} if url and rng.random() < 0.5 else {"source_note": "Số liệu công khai"}
            if rng.random() < 0.1:
                views = int(followers * rng.uniform(0.1, 3))
                snapshot = {"subject": f"Video {rng.randint(1, 999)}", "followers": None, "views": views}
            else:
                followers = int(followers * rng.uniform(1.0, 1.15))
                snapshot = {"followers": followers, "approximate": rng.random() < 0.1}
                if rng.random() < 0.5:
                    snapshot["likes"] = int(followers * rng.uniform(0.5, 20))
            snapshots.append({"measured_on": measured_on, **source, **snapshot})
        return snapshots

    def write_memberships(self, channel):
        """Back-to-back periods that never overlap (their partial dates included); the last one often open."""
        rng = self.rng
        count = rng.choices(list(MEMBERSHIPS_PER_CHANNEL), list(MEMBERSHIPS_PER_CHANNEL.values()))[0]
        previous_end = ROSTER_START - datetime.timedelta(days=1)
        cursor = ROSTER_START + datetime.timedelta(days=rng.randint(0, 1500))
        for number in range(count):
            if cursor > self.today:
                return
            starts_on = aligned(cursor, self.precision(0.8, 0.15))
            if starts_on.lower <= previous_end:
                starts_on = PartialDate(cursor)
            ends_on = None
            if number < count - 1 or rng.random() < 0.4:
                ends_on = aligned(cursor + datetime.timedelta(days=rng.randint(90, 900)), self.precision(0.8, 0.15))
            self.memberships.add(
                channel_id=channel,
                partner_id=self.partner(),
                **partial_fields("starts_on", starts_on),
                **partial_fields("ends_on", ends_on),
            )
            if ends_on is None:
                return
            previous_end = ends_on.upper
            cursor = previous_end + datetime.timedelta(days=rng.randint(1, 200))

    # MOUs: some drafts, some signed but not in force yet, many active (some in their notice period, some
    # expiring within 30 days), many expired, some terminated; some renew an earlier MOU of the same parties.

    def write_mous(self):
        rng, today = self.rng, self.today
        mous = self.table(Mou, self.agencies, self.partners)
        kols = self.table(Mou.kols.through, mous)
        channels = self.table(Mou.channels.through, mous)
        self.mou_periods = []
        last_of_pair, pairs = {}, []
        kol_total, channel_total = self.kols.count, self.channels.count
        for _ in range(scaled(MOUS, self.scale)):
            if pairs and rng.random() < 0.25:
                agency, partner = rng.choice(pairs)
            else:
                draw = rng.random()
                if draw < 0.4:
                    agency = rng.choice(self.provincial_agencies)
                elif draw < 0.7:
                    agency = rng.choice(self.ministry_agencies)
                else:
                    agency = rng.randint(1, self.agency_count)
                partner = self.partner()
                pairs.append((agency, partner))
            state = rng.random()
            if state < 0.1:  # not in force yet (a draft, or signed and starting later)
                starts = today + datetime.timedelta(days=rng.randint(10, 200))
                ends = starts + datetime.timedelta(days=rng.randint(365, 1095))
            elif state < 0.13:  # expiring within 30 days
                ends = today + datetime.timedelta(days=rng.randint(0, 30))
                starts = ends - datetime.timedelta(days=rng.randint(365, 1095))
            elif state < 0.18:  # in its notice period
                ends = today + datetime.timedelta(days=rng.randint(31, 90))
                starts = ends - datetime.timedelta(days=rng.randint(365, 1095))
            elif state < 0.5:  # active
                starts = today - datetime.timedelta(days=rng.randint(30, 1500))
                ends = None if rng.random() < 0.1 else today + datetime.timedelta(days=rng.randint(91, 1500))
            else:  # expired (or terminated)
                ends = today - datetime.timedelta(days=rng.randint(1, 2500))
                starts = ends - datetime.timedelta(days=rng.randint(180, 1095))
            starts_on = aligned(starts, MONTH) if state >= 0.5 and rng.random() < 0.1 else PartialDate(starts)
            # Far ends are sometimes known only to the month or year; near ones always to the day.
            ends_on = None
            if ends:
                far = abs((ends - today).days) > 120
                ends_on = aligned(ends, self.precision(0.7, 0.2)) if far else PartialDate(ends)
            signed = not (state < 0.05 or rng.random() < 0.02)
            signed_on = None
            if signed and rng.random() < 0.95:
                signed_on = PartialDate(starts - datetime.timedelta(days=rng.randint(0, 30)))
                if signed_on.lower > today:
                    signed_on = PartialDate(today)
            terminated_on, reason = None, ""
            if state > 0.92 and signed:
                terminated_on = self.day_between(starts_on.lower, min(today, ends or today))
                reason = "Hai bên thống nhất chấm dứt trước thời hạn."
            _topic_en, topic_vi = rng.choice(TOPICS)
            place = rng.choice(PROVINCES)
            renews = last_of_pair.get((agency, partner)) if rng.random() < 0.8 else None
            mou = mous.add(
                reference="" if rng.random() < 0.2 else f"{mous.count + 1}/{starts.year}/BTTTT-HTQT",
                title=f"Ghi nhớ hợp tác về {topic_vi.format(place=place)} với {self.partner_names[partner - 1]}",
                agency_id=agency,
                partner_id=partner,
                signed=signed,
                **partial_fields("signed_on", signed_on),
                **partial_fields("starts_on", starts_on),
                **partial_fields("ends_on", ends_on),
                terminated_on=terminated_on,
                termination_reason=reason,
                scope=f"Phối hợp tuyên truyền {topic_vi.format(place=place)} trên mạng xã hội.",
                renews_id=renews,
                notice_period_days=rng.choices((90, 30, 60, 180), (70, 10, 10, 10))[0],
            )
            last_of_pair[(agency, partner)] = mou
            if signed and ends_on:
                self.mou_periods.append((mou, starts_on, ends_on))
            if rng.random() < 0.2:
                for kol in rng.sample(range(1, kol_total + 1), min(kol_total, rng.randint(1, 3))):
                    kols.add(mou_id=mou, kol_id=kol)
            if rng.random() < 0.3:
                for channel in rng.sample(range(1, channel_total + 1), min(channel_total, rng.randint(1, 5))):
                    channels.add(mou_id=mou, channel_id=channel)

    # Campaigns with hashtags, organisers, partners, assignments (about 20 each) and reports (about 3 each).

    def write_campaigns(self):
        rng, today = self.rng, self.today
        hashtags = self.table(Hashtag)
        campaigns = self.table(Campaign, self.agencies, self.partners)
        organisers = self.table(Campaign.organisers.through, campaigns)
        partners = self.table(Campaign.partners.through, campaigns)
        tags = self.table(Campaign.hashtags.through, campaigns, hashtags)
        assignments = self.table(Assignment, campaigns, self.channels)
        reports = self.table(CampaignReport, campaigns, hashtags)
        seen = set()
        channel_total = self.channels.count
        for _ in range(scaled(CAMPAIGNS, self.scale)):
            topic_en, topic_vi = rng.choice(TOPICS)
            place = rng.choice(PROVINCES)
            year = today.year - rng.randint(0, 6)
            mou = None
            if self.mou_periods and rng.random() < 0.4:
                mou, mou_starts, mou_ends = rng.choice(self.mou_periods)
                starts = self.day_between(mou_starts.upper, mou_ends.lower)
                ends = self.day_between(starts, min(mou_ends.lower, starts + datetime.timedelta(days=180)))
                starts_on, ends_on = PartialDate(starts), PartialDate(ends)
            elif rng.random() < 0.05:
                starts_on = ends_on = None
            else:
                starts = self.day_between(datetime.date(year, 1, 1), datetime.date(year, 12, 31))
                starts_on = aligned(starts, self.precision(0.85, 0.15))
                ends_on = aligned(starts + datetime.timedelta(days=rng.randint(14, 180)), starts_on.precision)
            platforms = sorted(rng.sample(CAMPAIGN_PLATFORMS, rng.randint(1, 3)))
            campaign = campaigns.add(
                name=f"{topic_en.format(place=plain(place)).capitalize()} {year}",
                name_vi=f"Chiến dịch {topic_vi.format(place=place)} {year}",
                slug=f"campaign-{campaigns.count + 1}",
                **partial_fields("starts_on", starts_on),
                **partial_fields("ends_on", ends_on),
                mou_id=mou,
                platforms=platforms,
                description=f"Lan tỏa {topic_vi.format(place=place)} trên {', '.join(platforms)}.",
            )
            for agency in {rng.randint(1, self.agency_count) for _ in range(rng.randint(1, 2))}:
                organisers.add(campaign_id=campaign, agency_id=agency)
            for partner in {self.partner() for _ in range(rng.randint(0, 3))}:
                partners.add(campaign_id=campaign, partnercompany_id=partner)
            campaign_tags = []
            for _ in range(rng.randint(1, 3)):
                name = "".join(rng.sample(HASHTAG_WORDS, 2)) + (str(year) if rng.random() < 0.3 else "")
                if name.lower() in seen:
                    name += f"_{hashtags.count + 1}"  # never another's name: those have no underscore
                seen.add(name.lower())
                campaign_tags.append(hashtags.add(name=name))
                tags.add(campaign_id=campaign, hashtag_id=campaign_tags[-1])
            self.write_assignments(assignments, campaign, starts_on, ends_on, channel_total)
            for _ in range(rng.randint(1, 5)):
                reported_on = None
                if ends_on and ends_on.upper < today:
                    reported_on = PartialDate(
                        self.day_between(ends_on.upper, min(today, ends_on.upper + datetime.timedelta(days=60)))
                    )
                views = rng.randint(10_000, 500_000_000)
                reports.add(
                    campaign_id=campaign,
                    hashtag_id=rng.choice([*campaign_tags, None]),
                    platforms=sorted(rng.sample(platforms, rng.randint(1, len(platforms)))),
                    **partial_fields("reported_on", reported_on),
                    **partial_fields("period_starts_on", starts_on),
                    **partial_fields("period_ends_on", ends_on),
                    views=views,
                    likes=int(views * rng.uniform(0.01, 0.1)) if rng.random() < 0.7 else None,
                    videos=rng.randint(10, 50_000) if rng.random() < 0.5 else None,
                    positive_share_pct=Decimal(rng.randint(5000, 10000)) / 100 if rng.random() < 0.3 else None,
                    approximate=rng.random() < 0.3,
                    source_note="Báo cáo tổng kết của đơn vị tổ chức",
                )

    def write_assignments(self, assignments, campaign, starts_on, ends_on, channel_total):
        rng, today = self.rng, self.today
        if ends_on and ends_on.upper < today:
            statuses = {"completed": 90, "cancelled": 10}
        elif starts_on and starts_on.lower > today:
            statuses = {"planned": 1}
        else:
            statuses = {"active": 80, "planned": 20}
        count = min(channel_total, rng.randint(5, 35))
        for channel in rng.sample(range(1, channel_total + 1), count):
            within = rng.random() < 0.5
            assignments.add(
                campaign_id=campaign,
                channel_id=channel,
                role=rng.choices(list(ASSIGNMENT_ROLES), list(ASSIGNMENT_ROLES.values()))[0],
                videos_planned=rng.randint(1, 10) if rng.random() < 0.6 else None,
                **partial_fields("starts_on", starts_on if within else None),
                **partial_fields("ends_on", ends_on if within else None),
                status=rng.choices(list(statuses), list(statuses.values()))[0],
            )


def load(scale, stdout, today=None):
    """Replace the registry's rows in the current database with the dataset of ``scale``; returns row counts.

    Only for the benchmark's scratch database: it truncates every table it fills.
    """
    if scale <= 0 or math.isnan(scale):
        raise ValueError(f"The scale must be positive, not {scale}.")
    return Generator(scale, stdout, today or timezone.localdate()).run()
