"""The admin as ministry staff use it, crawled over HTTP under gunicorn (benchmark/server.py).

Per page: the median time of ``repeat`` requests, the SQL queries (X-Benchmark-Queries), the size of the HTML
and its number of ``<option>``s; then the workers' peak memory. Only the HTML is fetched, never the static files
or scripts it references. The pages are found in whatever data is loaded:

- every changelist the user may open: page 1, a page 90% deep, a search, and each sidebar filter's first choice;
- the change page of the biggest partner company, agency, KOL, channel, MOU and campaign (``BIGGEST``);
- every add page the user may open.
"""

import http.client
import json
import math
import re
import statistics
import sys
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.db import connection
from django.db.models import Count
from django.test import RequestFactory
from django.urls import reverse

from .middleware import QUERY_COUNT_HEADER
from .server import REQUEST_TIMEOUT_S, peak_rss_mb, serve
from .users import ministry_staff_user

SEARCH_TERM = "nguyen"
DEEP_PAGE = 0.9
# A page slower than this is fetched once: repeating a page that takes minutes only makes the run longer.
SLOW_PAGE_MS = 10_000

# Targets of issue 14.
MAX_KB = 1024
MAX_OPTIONS = 500
MIN_SLOW_MS = 300
INDEX_TIMES = 3
MAX_RSS_MB = 150

# Whose change page is measured: of each model, the object with the most rows of (child model, its key to it).
BIGGEST = {
    "partners.PartnerCompany": ("partners.RosterMembership", "partner"),
    "partners.Agency": ("partners.Channel", "agency"),
    "partners.Kol": ("partners.Channel", "kol"),
    "partners.Channel": ("partners.ChannelMetric", "channel"),
    "partners.Mou": ("partners.Mou_channels", "mou"),
    "campaigns.Campaign": ("campaigns.Assignment", "campaign"),
}

OPTION = re.compile(rb"<option[\s>]")
PAGE_LINK = re.compile(r'href="\?p=(\d+)"')


def measure(database_name, repeat, stdout=sys.stdout):
    """Crawl the admin served from ``database_name``, which the default connection must be on.

    ``{"admin": {page: {"median_ms", "queries", "kb", "options", "status", "path", "requests"}},
    "admin_peak_rss_mb": N}``.
    """
    if connection.settings_dict["NAME"] != database_name:
        raise ValueError(f"the default connection is on {connection.settings_dict['NAME']}, not {database_name}")
    user, password = ministry_staff_user()
    biggest = biggest_objects()
    with serve(database_name) as server:
        browser = Browser(server.base_url)
        browser.log_in(user.username, password)
        crawl = Crawl(browser, repeat, stdout)
        crawl.run(user, biggest)
        peak = peak_rss_mb(server.worker_pids())
        if any(page["status"] >= 500 for page in crawl.pages.values()):
            stdout.write(f"admin: the server's log, for the pages that failed:\n{server.log_text()[-5000:]}\n")
    return {"admin": crawl.pages, "admin_peak_rss_mb": peak}


def biggest_objects():
    """``{model: pk}`` of the objects in ``BIGGEST``; the first object of a model whose children are all absent."""
    biggest = {}
    for model_label, (child_label, key) in BIGGEST.items():
        model, child = apps.get_model(model_label), apps.get_model(child_label)
        top = (
            child.objects.filter(**{f"{key}__isnull": False})
            .values(key)
            .annotate(rows=Count("pk"))
            .order_by("-rows", key)
            .first()
        )
        pk = top[key] if top else model.objects.order_by("pk").values_list("pk", flat=True).first()
        if pk is not None:
            biggest[model] = pk
    return biggest


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    ms: float


class Browser:
    """One signed-in user: keeps its cookies and fetches only the URL asked, following no redirect.

    Plain http.client: a new connection per request, as gunicorn's sync workers close each one anyway.
    """

    def __init__(self, base_url):
        parts = urlsplit(base_url)
        self.host, self.port, self.cookies = parts.hostname, parts.port, {}

    def request(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        connection = http.client.HTTPConnection(self.host, self.port, timeout=REQUEST_TIMEOUT_S)
        try:
            started = time.perf_counter()
            connection.request(method, path, body=body, headers=headers)
            answer = connection.getresponse()
            content = answer.read()
            ms = (time.perf_counter() - started) * 1000
        finally:
            connection.close()
        for header in answer.headers.get_all("Set-Cookie") or []:
            self.cookies.update((name, morsel.value) for name, morsel in SimpleCookie(header).items())
        return Response(answer.status, answer.headers, content, ms)

    def get(self, path):
        return self.request("GET", path)

    def log_in(self, username, password):
        """Sign in through the admin's login form, with its CSRF token."""
        login = reverse("admin:login")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', self.get(login).body)
        form = {
            "csrfmiddlewaretoken": token[1].decode() if token else "",
            "username": username,
            "password": password,
            "next": reverse("admin:index"),
        }
        answer = self.request("POST", login, urlencode(form), {"Content-Type": "application/x-www-form-urlencoded"})
        if answer.status != 302 or settings.SESSION_COOKIE_NAME not in self.cookies:
            raise RuntimeError(f"signing in to the admin as {username} failed: HTTP {answer.status}")


class Crawl:
    """The pages measured, in the order crawled: ``{name: figures}``."""

    def __init__(self, browser, repeat, stdout):
        self.browser, self.repeat, self.stdout = browser, max(repeat, 1), stdout
        self.pages = {}

    def run(self, user, biggest):
        self.measure("index", reverse("admin:index"))
        request = RequestFactory().get(reverse("admin:index"))
        request.user = user
        registry = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label_lower)
        closed = []
        for model, model_admin in registry:
            label = model._meta.label_lower
            permissions = model_admin.get_model_perms(request)
            before = len(self.pages)
            if permissions.get("view") or permissions.get("change"):
                self.changelist(label, admin_url(model, "changelist"), model_admin)
            else:
                closed.append(label)
            if model in biggest:
                self.measure(f"{label} change", admin_url(model, "change", biggest[model]))
            if permissions.get("add"):
                self.measure(f"{label} add", admin_url(model, "add"))
            if len(self.pages) > before:
                slowest = max(list(self.pages.values())[before:], key=lambda page: page["median_ms"])
                self.stdout.write(
                    f"admin: {label}: {len(self.pages) - before} pages, slowest {slowest['median_ms']:.0f} ms\n"
                )
        if closed:
            self.stdout.write(f"admin: not open to ministry staff, not crawled: {', '.join(closed)}\n")

    def changelist(self, label, url, model_admin):
        first = self.measure(f"{label} list", url)
        if first.status != 200:
            return
        html = first.body.decode()
        last_page = max((int(number) for number in PAGE_LINK.findall(html)), default=1)
        if last_page > 1:
            self.measure(f"{label} list 90%", f"{url}?p={math.ceil(last_page * DEEP_PAGE)}")
        if 'id="searchbar"' in html:
            self.measure(f"{label} list q={SEARCH_TERM}", f"{url}?{urlencode({'q': SEARCH_TERM})}")
        sidebar = FilterSidebar()
        sidebar.feed(html)
        for sidebar_filter in sidebar.filters:
            query = self.first_choice(sidebar_filter)
            if query is None:
                self.stdout.write(f"admin: {label}: the filter {sidebar_filter.title!r} offers no choice\n")
                continue
            names = ",".join(dict(parse_qsl(query, keep_blank_values=True)))
            self.measure(f"{label} filter {names}", urljoin(url, f"?{query}"))
        if len(sidebar.filters) < len(model_admin.list_filter):
            self.stdout.write(
                f"admin: {label}: {len(sidebar.filters)} of {len(model_admin.list_filter)} filters shown"
                " (a filter with nothing to choose on this data is hidden)\n"
            )

    def first_choice(self, sidebar_filter):
        """The query string of the filter's first choice: its first link past "All", or a value for its field."""
        for link in sidebar_filter.links:
            query = urlsplit(link).query
            if query:
                return query
        for field in sidebar_filter.fields:
            value = field.options[0] if field.options else self.autocomplete_choice(field)
            if value is not None:
                return urlencode({field.name: value})
        return None

    def autocomplete_choice(self, field):
        """The first id an autocomplete filter's endpoint offers; the search term for a plain text field."""
        url = field.attributes.get("data-ajax--url")
        if not url:
            return SEARCH_TERM if field.tag == "input" else None
        # The attributes of Django's AutocompleteSelect, which its endpoint takes as parameters.
        parameters = {
            name.replace("-", "_"): field.attributes[f"data-{name}"]
            for name in ("app-label", "model-name", "field-name")
            if f"data-{name}" in field.attributes
        }
        answer = self.browser.get(f"{url}?{urlencode({'term': '', **parameters})}")
        results = json.loads(answer.body).get("results") if answer.status == 200 else None
        return str(results[0]["id"]) if results else None

    def measure(self, name, path):
        """Fetch ``path`` ``repeat`` times (once if it fails or is very slow); record and return the last answer."""
        durations = []
        for _ in range(self.repeat):
            response = self.browser.get(path)
            durations.append(response.ms)
            if response.status != 200 or response.ms > SLOW_PAGE_MS:
                break
        queries = response.headers.get(QUERY_COUNT_HEADER)
        self.pages[name] = {
            "median_ms": round(statistics.median(durations), 1),
            "queries": int(queries) if queries is not None else None,
            "kb": round(len(response.body) / 1024, 1),
            "options": len(OPTION.findall(response.body)),
            "status": response.status,
            "path": path,
            "requests": len(durations),
        }
        if response.status != 200:
            self.stdout.write(f"admin: {name}: HTTP {response.status} at {path}\n")
        return response


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@dataclass
class FormField:
    tag: str
    name: str
    attributes: dict
    options: list


@dataclass
class SidebarFilter:
    title: str
    links: list
    fields: list


class FilterSidebar(HTMLParser):
    """The filters in a changelist's sidebar (#changelist-filter): each one's links and form fields."""

    VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__()
        self.depth = 0  # inside #changelist-filter when > 0
        self.filters = []
        self.select = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if not self.depth:
            self.depth = int(attributes.get("id") == "changelist-filter")
            return
        self.depth += tag not in self.VOID_TAGS
        if tag == "details":
            self.filters.append(SidebarFilter(attributes.get("data-filter-title", ""), [], []))
        if not self.filters:
            return
        current = self.filters[-1]
        name = attributes.get("name")
        if tag == "a" and attributes.get("href"):
            current.links.append(attributes["href"])
        elif tag == "select" and name:
            self.select = FormField(tag, name, attributes, [])
            current.fields.append(self.select)
        elif tag == "option" and self.select is not None and attributes.get("value"):
            self.select.options.append(attributes["value"])
        elif tag == "input" and name and attributes.get("type", "text") not in {"hidden", "submit", "button"}:
            current.fields.append(FormField(tag, name, attributes, []))

    def handle_endtag(self, tag):
        if self.depth and tag not in self.VOID_TAGS:
            self.depth -= 1
        if tag == "select":
            self.select = None


def table(result):
    """The crawl as a markdown table, each page's figures over a target of issue 14 flagged."""
    pages = result["admin"]
    index_ms = pages.get("index", {}).get("median_ms") or 0
    slow_ms = max(INDEX_TIMES * index_ms, MIN_SLOW_MS)
    lines = [
        "| admin page | status | median ms | queries | KB | options | over target |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    over_count = 0
    for name, page in pages.items():
        over = [
            label
            for label, is_over in (
                (f"> {slow_ms:.0f} ms", name != "index" and page["median_ms"] > slow_ms),
                (f"> {MAX_KB // 1024} MB", page["kb"] > MAX_KB),
                (f"> {MAX_OPTIONS} options", page["options"] > MAX_OPTIONS),
            )
            if is_over
        ]
        over_count += bool(over)
        queries = "?" if page["queries"] is None else page["queries"]
        lines.append(
            f"| {name} | {page['status']} | {page['median_ms']:.0f} | {queries} | {page['kb']:.0f} "
            f"| {page['options']} | {', '.join(over)} |"
        )
    failed = sum(page["status"] != 200 for page in pages.values())
    peak = result["admin_peak_rss_mb"]
    peak_over = f" (over {MAX_RSS_MB} MB)" if (peak or 0) > MAX_RSS_MB else ""
    lines += [
        "",
        f"{len(pages)} admin pages: {over_count} over a target, {failed} not answering 200. "
        f"Time target: {slow_ms:.0f} ms (3 x the index's {index_ms:.0f} ms, at least {MIN_SLOW_MS} ms).",
        f"Peak worker RSS after the crawl: {peak} MB{peak_over}.",
    ]
    return "\n".join(lines)
