"""Implementation C of the benchmark, the floor: one hand-written SQL query per request, encoded with orjson.

Each function answers what the real endpoint answers (the same rows in the same order, the same keys per
row, a ``next`` link) on Django's connection, with the same predicates, so the same indexes serve it.
To-many relations come from the database as JSON text and go into the response as it is
(``orjson.Fragment``). Brief related objects are ``{id, url, display[, slug]}`` as in the real API.
"""

import base64

import orjson
from django.db import connection
from django.http import HttpResponse
from django.utils import timezone

from kolregistry.search import search_terms
from partners.choices import MouStatus, Platform

PAGE_SIZE = 50
API_PATH = "/api/v1/"
PRECISION_LENGTH = {"year": 4, "month": 7}
# The real API renders UTC instants with a Z.
ORJSON_OPTIONS = orjson.OPT_UTC_Z


def partial_date(day, precision):
    return day.isoformat()[: PRECISION_LENGTH.get(precision, 10)] if day else None


def like(term):
    """``term`` as a ``LIKE`` pattern for "contains", escaped as Django escapes it."""
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def platform_label_sql(column):
    """SQL for the platform's label, as ``Channel.__str__`` shows it, and its parameters."""
    whens = " ".join("WHEN %s THEN %s" for _ in Platform.choices)
    params = [str(part) for choice in Platform.choices for part in choice]
    return f"(CASE {column} {whens} ELSE {column} END)", params


def channel_display_sql(alias):
    label, params = platform_label_sql(f"{alias}.platform")
    display = (
        f"COALESCE(NULLIF({alias}.display_name, ''), NULLIF({alias}.handle, ''), 'unnamed channel')"
        f" || ' (' || {label} || ')'"
    )
    return display, params


def brief_list_sql(base, table, alias, link_sql, order_sql, display_sql, display_params, path, slug=True):
    """A correlated subquery returning the brief objects of a to-many relation as JSON text."""
    slug_sql = f", 'slug', {alias}.slug" if slug else ""
    sql = (
        f"(SELECT COALESCE(json_agg(json_build_object('id', {alias}.id, 'url', %s || {alias}.id || '/',"
        f" 'display', {display_sql}{slug_sql}) ORDER BY {order_sql}), '[]')::text"
        f" FROM {table} {alias} {link_sql})"
    )
    return sql, [f"{base}{path}/", *display_params]


class Page:
    """Runs one query and shapes its rows: ``fetch`` returns the page's JSON (bytes) and the query count."""

    def __init__(self, base):
        self.base = base  # the API root, e.g. "http://testserver/api/v1/"

    def brief(self, path, pk, display, slug=None):
        if pk is None:
            return None
        data = {"id": pk, "url": f"{self.base}{path}/{pk}/", "display": display}
        if slug is not None:
            data["slug"] = slug
        return data

    def run(self, sql, params):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def paginated(self, rows, to_dict, limit, position):
        """The page envelope: a ``next`` cursor from the last row's ordering value, as keyset pages have."""
        page = rows[:limit]
        following = None
        if len(rows) > limit:
            token = base64.b64encode(f"p={position(page[-1])}".encode()).decode()
            following = f"{self.base}?cursor={token}"
        body = {"next": following, "previous": None, "results": [to_dict(row) for row in page]}
        return orjson.dumps(body, option=ORJSON_OPTIONS)


# Channels ------------------------------------------------------------------------------------------------

CHANNEL_SELECT = """
SELECT c.id, c.platform, c.display_name, c.handle, c.url, c.language, c.launched_on, c.launched_on_precision,
       c.kol_id, k.name, k.name_en, k.slug, c.agency_id, a.name, a.acronym, a.slug,
       c.followers, c.followers_on, c.followers_on_precision, c.notes, c.source_url, c.inferences::text,
       c.created_at, c.updated_at
FROM partners_channel c
LEFT JOIN partners_kol k ON k.id = c.kol_id
LEFT JOIN partners_agency a ON a.id = c.agency_id
"""
BY_NAME = "ORDER BY c.display_name, c.id"
BY_FOLLOWERS = "ORDER BY COALESCE(c.followers, -1) DESC, c.id DESC"
# A follower range on the order's expression, so that it bounds the order index's scan (never negative: the
# channels without a count, ranked -1, stay out).
FOLLOWER_RANGE = "COALESCE(c.followers, -1) >= %s AND COALESCE(c.followers, -1) <= %s"
# On a partner's roster on a date: its parameters are the partner's id and the date twice.
ON_ROSTER = (
    "c.id IN (SELECT m.channel_id FROM partners_rostermembership m WHERE m.partner_id = %s"
    " AND m.starts_on <= %s AND (m.ends_on_last IS NULL OR m.ends_on_last >= %s))"
)


def kol_display(name, name_en):
    return f"{name} / {name_en}" if name_en and name_en != name else name


def agency_display(name, acronym):
    return f"{name} ({acronym})" if acronym else name


class ChannelPage(Page):
    def __init__(self, base):
        super().__init__(base)
        self.labels = {value: str(label) for value, label in Platform.choices}

    def channel(self, row):
        (pk, platform, display_name, handle, url, language, launched_on, launched_on_precision, kol_id, kol_name,
         kol_name_en, kol_slug, agency_id, agency_name, agency_acronym, agency_slug, followers, followers_on,
         followers_on_precision, notes, source_url, inferences, created_at, updated_at) = row  # fmt: skip
        name = display_name or handle or "unnamed channel"
        return {
            "id": pk,
            "url": f"{self.base}channels/{pk}/",
            "display": f"{name} ({self.labels.get(platform, platform)})",
            "platform": platform,
            "display_name": display_name,
            "handle": handle,
            "channel_url": url,
            "language": language,
            "launched_on": partial_date(launched_on, launched_on_precision),
            "kol": self.brief("kols", kol_id, kol_id and kol_display(kol_name, kol_name_en), kol_slug),
            "agency": self.brief("agencies", agency_id, agency_id and agency_display(agency_name, agency_acronym),
                                 agency_slug),
            "followers": followers,
            "followers_on": partial_date(followers_on, followers_on_precision),
            "notes": notes,
            "source_url": source_url,
            "inferences": orjson.Fragment(inferences),
            "created_at": created_at,
            "updated_at": updated_at,
        }  # fmt: skip

    def list(self, where, params, order=BY_NAME, limit=PAGE_SIZE):
        rows = self.run(f"{CHANNEL_SELECT} WHERE {where} {order} LIMIT %s", [*params, limit + 1])
        position = (lambda row: row[2]) if order == BY_NAME else (lambda row: -1 if row[16] is None else row[16])
        return self.paginated(rows, self.channel, limit, position)

    def detail(self, pk):
        (row,) = self.run(f"{CHANNEL_SELECT} WHERE c.id = %s", [pk])
        return orjson.dumps(self.channel(row), option=ORJSON_OPTIONS)


def search_condition(terms):
    """Every term in the channel's ``search_text``, which holds its KOL's and agency's names too."""
    return " AND ".join(["c.search_text LIKE %s"] * len(terms)) or "TRUE", [like(term) for term in terms]


def roster(base, partner_id, day, limit=PAGE_SIZE):
    """R1: the channels on ``partner_id``'s roster on ``day`` (also what /partners/{id}/roster/ answers)."""
    return ChannelPage(base).list(ON_ROSTER, [partner_id, day, day], limit=limit)


def channels_by_followers(base, platforms, min_followers, max_followers, limit=PAGE_SIZE):
    """R2: platform and follower range, the most followed first."""
    where = f"c.platform = ANY(%s) AND {FOLLOWER_RANGE}"
    return ChannelPage(base).list(where, [list(platforms), min_followers, max_followers], BY_FOLLOWERS, limit)


def channel_search(base, terms, limit=PAGE_SIZE):
    """R4 on channels."""
    where, params = search_condition(terms)
    return ChannelPage(base).list(where, params, limit=limit)


def channels_filtered(base, terms, platforms, partner_id, day, min_followers, max_followers, limit=PAGE_SIZE):
    """R5: search, platforms, a partner's roster on a date and a follower range, the most followed first."""
    search, search_params = search_condition(terms)
    where = f"{search} AND c.platform = ANY(%s) AND {FOLLOWER_RANGE} AND {ON_ROSTER}"
    params = [*search_params, list(platforms), min_followers, max_followers, partner_id, day, day]
    return ChannelPage(base).list(where, params, BY_FOLLOWERS, limit)


def channels_after(base, after=None, limit=PAGE_SIZE):
    """R6 and R8: the channel list by name, from the first row or after ``(display_name, id)``."""
    if after is None:
        return ChannelPage(base).list("TRUE", [], limit=limit)
    return ChannelPage(base).list("(c.display_name, c.id) > (%s, %s)", list(after), limit=limit)


def channel_detail(base, pk):
    """R7: one channel."""
    return ChannelPage(base).detail(pk)


# KOLs ----------------------------------------------------------------------------------------------------


def kol_search(base, terms, limit=PAGE_SIZE):
    """R4 on KOLs: each with its channels (brief, by id)."""
    page = Page(base)
    display, display_params = channel_display_sql("ch")
    channels, channel_params = brief_list_sql(
        base, "partners_channel", "ch", "WHERE ch.kol_id = k.id", "ch.id", display, display_params, "channels", False
    )
    # A KOL's search_text holds its channels' names too, as the real endpoint relies on.
    where = " AND ".join(["k.search_text LIKE %s"] * len(terms)) or "TRUE"
    sql = (
        f"SELECT k.id, k.slug, k.name, k.name_en, k.kind, k.nationality, {channels}, k.notes, k.source_url,"
        f" k.inferences::text, k.created_at, k.updated_at FROM partners_kol k WHERE {where} ORDER BY k.name, k.id"
        " LIMIT %s"
    )
    rows = page.run(sql, [*channel_params, *(like(term) for term in terms), limit + 1])

    def kol(row):
        pk, slug, name, name_en, kind, nationality, channel_list, notes, source_url, inferences, created, updated = row
        return {
            "id": pk,
            "url": f"{base}kols/{pk}/",
            "display": kol_display(name, name_en),
            "slug": slug,
            "name": name,
            "name_en": name_en,
            "kind": kind,
            "nationality": nationality,
            "channels": orjson.Fragment(channel_list),
            "notes": notes,
            "source_url": source_url,
            "inferences": orjson.Fragment(inferences),
            "created_at": created,
            "updated_at": updated,
        }

    return page.paginated(rows, kol, limit, lambda row: row[2])


# MOUs ----------------------------------------------------------------------------------------------------

# MouQuerySet.with_status: its parameters are today, terminated, draft, today, today, signed, today, expired, active.
MOU_STATUS = """(CASE
    WHEN o.terminated_on IS NOT NULL AND o.terminated_on <= %s THEN %s
    WHEN NOT o.signed THEN %s
    WHEN o.starts_on IS NULL OR o.starts_on > %s OR o.signed_on > %s THEN %s
    WHEN o.ends_on_last < %s THEN %s
    ELSE %s END)"""
MOU_ACTIVE_ON = (
    "o.starts_on <= %s AND (o.ends_on_last IS NULL OR o.ends_on_last >= %s) AND o.signed"
    " AND (o.signed_on IS NULL OR o.signed_on <= %s) AND NOT (o.terminated_on IS NOT NULL AND o.terminated_on <= %s)"
)


def mou_page(base, where, where_params, limit=PAGE_SIZE):
    page = Page(base)
    today = timezone.localdate()
    status_params = [today, MouStatus.TERMINATED, MouStatus.DRAFT, today, today, MouStatus.SIGNED, today]
    status_params += [MouStatus.EXPIRED, MouStatus.ACTIVE]
    kol_list, kol_params = brief_list_sql(
        base,
        "partners_kol",
        "kk",
        "JOIN partners_mou_kols mk ON mk.kol_id = kk.id WHERE mk.mou_id = o.id",
        "kk.id",
        "(CASE WHEN kk.name_en <> '' AND kk.name_en <> kk.name THEN kk.name || ' / ' || kk.name_en ELSE kk.name END)",
        [],
        "kols",
    )
    display, display_params = channel_display_sql("ch")
    channel_list, channel_params = brief_list_sql(
        base,
        "partners_channel",
        "ch",
        "JOIN partners_mou_channels mc ON mc.channel_id = ch.id WHERE mc.mou_id = o.id",
        "ch.id",
        display,
        display_params,
        "channels",
        False,
    )
    sql = f"""
SELECT o.id, o.reference, o.title, o.agency_id, a.name, a.acronym, a.slug, o.partner_id, p.short_name, p.slug,
       {MOU_STATUS}, o.signed, o.signed_on, o.signed_on_precision, o.signed_on_as_stated, o.starts_on,
       o.starts_on_precision, o.ends_on, o.ends_on_precision, o.terminated_on, o.termination_reason, o.scope,
       o.renews_id, r.title, {kol_list}, {channel_list}, o.document, o.notice_period_days, o.responsible_id,
       o.notes, o.source_url, o.inferences::text, o.created_at, o.updated_at
FROM partners_mou o
JOIN partners_agency a ON a.id = o.agency_id
JOIN partners_partnercompany p ON p.id = o.partner_id
LEFT JOIN partners_mou r ON r.id = o.renews_id
WHERE {where} ORDER BY o.title, o.id LIMIT %s"""
    rows = page.run(sql, [*status_params, *kol_params, *channel_params, *where_params, limit + 1])
    media = f"{base.split('/api/', 1)[0]}/media/"

    def mou(row):
        (pk, reference, title, agency_id, agency_name, agency_acronym, agency_slug, partner_id, partner_name,
         partner_slug, status, signed, signed_on, signed_on_precision, signed_on_as_stated, starts_on,
         starts_on_precision, ends_on, ends_on_precision, terminated_on, termination_reason, scope, renews_id,
         renews_title, kols, channels, document, notice_period_days, responsible_id, notes, source_url, inferences,
         created_at, updated_at) = row  # fmt: skip
        return {
            "id": pk,
            "url": f"{base}mous/{pk}/",
            "display": title,
            "reference": reference,
            "title": title,
            "agency": page.brief("agencies", agency_id, agency_display(agency_name, agency_acronym), agency_slug),
            "partner": page.brief("partners", partner_id, partner_name, partner_slug),
            "status": status,
            "signed": signed,
            "signed_on": partial_date(signed_on, signed_on_precision),
            "signed_on_as_stated": signed_on_as_stated,
            "starts_on": partial_date(starts_on, starts_on_precision),
            "ends_on": partial_date(ends_on, ends_on_precision),
            "terminated_on": terminated_on,
            "termination_reason": termination_reason,
            "scope": scope,
            "renews": page.brief("mous", renews_id, renews_title),
            "kols": orjson.Fragment(kols),
            "channels": orjson.Fragment(channels),
            "document": f"{media}{document}" if document else None,
            "notice_period_days": notice_period_days,
            "responsible": responsible_id,
            "notes": notes,
            "source_url": source_url,
            "inferences": orjson.Fragment(inferences),
            "created_at": created_at,
            "updated_at": updated_at,
        }

    return page.paginated(rows, mou, limit, lambda row: row[2])


def mous_active_for_agency(base, agency_id, day, limit=PAGE_SIZE):
    """R3: MOUs in force on ``day`` of an agency and every agency below it."""
    where = (
        "o.agency_id IN (WITH RECURSIVE tree(id) AS (SELECT %s::bigint UNION"
        " SELECT child.id FROM partners_agency child JOIN tree ON child.parent_id = tree.id) SELECT id FROM tree)"
        f" AND {MOU_ACTIVE_ON}"
    )
    return mou_page(base, where, [agency_id, day, day, day, day], limit)


def mou_search(base, terms, limit=PAGE_SIZE):
    """R4 on MOUs."""
    condition = (
        "(o.search_text LIKE %s OR o.agency_id IN (SELECT id FROM partners_agency WHERE search_text LIKE %s)"
        " OR o.partner_id IN (SELECT id FROM partners_partnercompany WHERE search_text LIKE %s))"
    )
    where = " AND ".join([condition] * len(terms)) or "TRUE"
    return mou_page(base, where, [like(term) for term in terms for _part in range(3)], limit)


def mou_list(base, limit=PAGE_SIZE):
    """R8: the MOU list by title."""
    return mou_page(base, "TRUE", [], limit)


# Campaigns -----------------------------------------------------------------------------------------------


def campaign_list(base, limit=PAGE_SIZE):
    """R8: the campaign list by name, with organisers, partners, MOU and hashtag names."""
    page = Page(base)
    organisers, organiser_params = brief_list_sql(
        base,
        "partners_agency",
        "ag",
        "JOIN campaigns_campaign_organisers co ON co.agency_id = ag.id WHERE co.campaign_id = g.id",
        "ag.name, ag.id",
        "(CASE WHEN ag.acronym <> '' THEN ag.name || ' (' || ag.acronym || ')' ELSE ag.name END)",
        [],
        "agencies",
    )
    partners, partner_params = brief_list_sql(
        base,
        "partners_partnercompany",
        "pc",
        "JOIN campaigns_campaign_partners cp ON cp.partnercompany_id = pc.id WHERE cp.campaign_id = g.id",
        "pc.short_name, pc.id",
        "pc.short_name",
        [],
        "partners",
    )
    sql = f"""
SELECT g.id, g.slug, g.name, g.name_vi, g.starts_on, g.starts_on_precision, g.ends_on, g.ends_on_precision,
       {organisers}, {partners}, g.mou_id, o.title,
       (SELECT COALESCE(json_agg(h.name ORDER BY lower(h.name), h.id), '[]')::text FROM campaigns_hashtag h
        JOIN campaigns_campaign_hashtags ch ON ch.hashtag_id = h.id WHERE ch.campaign_id = g.id),
       g.platforms::text, g.description, g.notes, g.source_url, g.inferences::text, g.created_at, g.updated_at
FROM campaigns_campaign g LEFT JOIN partners_mou o ON o.id = g.mou_id
ORDER BY g.name, g.id LIMIT %s"""
    rows = page.run(sql, [*organiser_params, *partner_params, limit + 1])

    def campaign(row):
        (pk, slug, name, name_vi, starts_on, starts_on_precision, ends_on, ends_on_precision, organiser_list,
         partner_list, mou_id, mou_title, hashtags, platforms, description, notes, source_url, inferences,
         created_at, updated_at) = row  # fmt: skip
        return {
            "id": pk,
            "url": f"{base}campaigns/{pk}/",
            "display": name,
            "slug": slug,
            "name": name,
            "name_vi": name_vi,
            "starts_on": partial_date(starts_on, starts_on_precision),
            "ends_on": partial_date(ends_on, ends_on_precision),
            "organisers": orjson.Fragment(organiser_list),
            "partners": orjson.Fragment(partner_list),
            "mou": page.brief("mous", mou_id, mou_title),
            "hashtags": orjson.Fragment(hashtags),
            "platforms": orjson.Fragment(platforms),
            "description": description,
            "notes": notes,
            "source_url": source_url,
            "inferences": orjson.Fragment(inferences),
            "created_at": created_at,
            "updated_at": updated_at,
        }

    return page.paginated(rows, campaign, limit, lambda row: row[2])


# Channel metrics -----------------------------------------------------------------------------------------


def channel_snapshots(base, channel_id, limit=30):
    """R7: a channel's latest snapshots (the real list orders by id, newest first)."""
    page = ChannelPage(base)
    rows = page.run(
        """
SELECT s.id, s.measured_on, s.measured_on_precision, s.measured_on_approximate, s.measured_on_as_stated, s.subject,
       s.followers, s.likes, s.views, s.comments, s.approximate, s.source_url, s.source_note, s.inferences::text,
       s.created_at, s.updated_at, c.display_name, c.handle, c.platform
FROM partners_channelmetric s JOIN partners_channel c ON c.id = s.channel_id
WHERE s.channel_id = %s ORDER BY s.id DESC LIMIT %s""",
        [channel_id, limit + 1],
    )

    def snapshot(row):
        (pk, measured_on, precision, measured_on_approximate, as_stated, subject, followers, likes, views, comments,
         approximate, source_url, source_note, inferences, created_at, updated_at, display_name, handle,
         platform) = row  # fmt: skip
        channel = f"{display_name or handle or 'unnamed channel'} ({page.labels.get(platform, platform)})"
        measured = partial_date(measured_on, precision)
        return {
            "id": pk,
            "url": f"{base}channel-metrics/{pk}/",
            "display": f"{channel} @ {measured or 'date unknown'}",
            "channel": page.brief("channels", channel_id, channel),
            "measured_on": measured,
            "measured_on_approximate": measured_on_approximate,
            "measured_on_as_stated": as_stated,
            "subject": subject,
            "followers": followers,
            "likes": likes,
            "views": views,
            "comments": comments,
            "approximate": approximate,
            "source_url": source_url,
            "source_note": source_note,
            "inferences": orjson.Fragment(inferences),
            "created_at": created_at,
            "updated_at": updated_at,
        }

    return page.paginated(rows, snapshot, limit, lambda row: row[0])


# Bare views over the floor, for load tests over HTTP (no authentication, no middleware work of their own) ----------


def roster_view(request):
    """``/benchmark/floor/roster/?partner_id=3&on=2024-05-01``: R1's floor."""
    body = roster(request.build_absolute_uri(API_PATH), int(request.GET["partner_id"]), request.GET["on"])
    return HttpResponse(body, content_type="application/json")


def channel_search_view(request):
    """``/benchmark/floor/channels/?q=nguyen``: R4's floor on channels."""
    body = channel_search(request.build_absolute_uri(API_PATH), search_terms(request.GET.get("q", "")))
    return HttpResponse(body, content_type="application/json")
