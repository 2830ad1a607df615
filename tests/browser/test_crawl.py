"""Every admin page reachable from the index, as ministry staff and as a partner, in Vietnamese and in English.

Breadth-first from /admin/ along same-origin /admin/ links: each app, changelist, add page, deleted list,
one change page per model, its history and one historical version. Links with a query string (filters,
"Show counts", pagination; not sorting) are followed from a changelist's first page only, one per set of
parameters, so that every filter's code runs once; in Vietnamese only, the second language skips them and
the historical versions. Logout, delete, password and popup links are not followed.

Pages are fetched with the browser context's request API (its cookies, its Accept-Language) for speed;
the first page of each layout (index, app, list, add, change, history, version, deleted list) is also
rendered in the page, where console errors and requests leaving the registry fail the test. On every page:

- no status of 400 or more (a link the admin offers must work);
- no script, style sheet, image or frame from another host;
- on a Vietnamese page, none of ``ENGLISH_PHRASES`` in its text; on an English page, no Vietnamese word.
  The text is the page's HTML without scripts and styles (so text shown only after a click counts too),
  minus the data: a proper name or an English campaign title is not a translation gap.

Needs the Vietnamese catalogue filled: these are the tests that check that it is.
"""

import re
import time
import unicodedata
from collections import deque
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation

from .conftest import LOCAL_HOSTS, open_page, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

# Enough for every page kind of every model, with room for the models and filters still to come.
MAX_PAGES = 400

# Actions a crawl must not take, and pages that are not the admin's own (the "view on site" redirect).
SKIPPED_PATHS = re.compile(r"/(logout|password_change|password|delete)/|/autocomplete/|/jsi18n/|^/admin/r/")
# Popups repeat the add page; sorting by each column would double the crawl.
SKIPPED_PARAMETERS = {"_popup", "_to_field", "o"}
THOROUGH_ONLY = re.compile(r"/history/\d+/$|/deleted/$")
CHANGELIST = re.compile(r"^/admin/\w+/\w+/$")
APP_PATH = re.compile(r"^/admin/\w+/$")
MODEL_PATH = re.compile(r"^/admin/\w+/\w+/")
OBJECT_ID = re.compile(r"/\d+/")

# English that shows an untranslated string on a Vietnamese page: Django's, django-simple-history's,
# django-axes' and the registry's own. Matched as whole words, ignoring case.
ENGLISH_PHRASES = (
    "Add",
    "All",
    "Action",
    "Actions",
    "Cancel",
    "Change",
    "Changed by",
    "Change history",
    "Change reason",
    "Changes",
    "Choose",
    "Choose a date",
    "Clear",
    "Close",
    "Comment",
    "Created",
    "Date",
    "Date/time",
    "date unknown",
    "Delete",
    "Deleted",
    "entries",
    "entry",
    "Filter",
    "Hide counts",
    "Historical",
    "History",
    "Home",
    "Log out",
    "None",
    "Object",
    "Partners",
    "Campaigns",
    "Recent actions",
    "Revert",
    "Save",
    "Search",
    "Select",
    "Show counts",
    "Unknown",
    "View",
    "Welcome",
    "results",
    "total",
    # Words of any English sentence, which Vietnamese never uses: they catch strings no list foresees.
    "a",
    "and",
    "are",
    "below",
    "by",
    "for",
    "from",
    "has",
    "have",
    "is",
    "not",
    "of",
    "or",
    "that",
    "the",
    "this",
    "was",
    "with",
    "you",
    "your",
)
ENGLISH_PATTERN = re.compile(
    r"\b(?:" + "|".join(re.escape(phrase) for phrase in sorted(ENGLISH_PHRASES, key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)
# How django-simple-history shortens a long value in a history's "Changes": the word around it is cut.
SHORTENED = re.compile(r"\S*\[\d+ chars\]\S*")
# Letters English never uses but Vietnamese does, and the words that carry them.
VIETNAMESE_WORD = re.compile(
    r"\w*[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]\w*", re.IGNORECASE
)


class PageParser(HTMLParser):
    """A page's links, the text it can show, and what it loads from elsewhere."""

    SKIPPED_TAGS = {"script", "style", "template", "noscript", "textarea"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.loads, self.chunks = [], [], []
        self._skipping = []  # tags whose text is not shown or is the user's input

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag in {"script", "img", "iframe"} and attrs.get("src"):
            self.loads.append(attrs["src"])
        if tag == "link" and attrs.get("href") and "stylesheet" in (attrs.get("rel") or ""):
            self.loads.append(attrs["href"])
        if tag == "input" and attrs.get("type") in {"submit", "button"} and attrs.get("value"):
            self.chunks.append(attrs["value"])  # a button's label
        if tag in self.SKIPPED_TAGS or (tag == "select" and attrs.get("id") == "language-select"):
            # The language switcher names each language in itself ("English", "Tiếng Việt") on purpose.
            self._skipping.append(tag)

    def handle_endtag(self, tag):
        if self._skipping and self._skipping[-1] == tag:
            self._skipping.pop()

    def handle_data(self, data):
        if not self._skipping:
            self.chunks.append(data)

    @property
    def text(self):
        return unicodedata.normalize("NFC", " ".join(" ".join(self.chunks).split()))


def strings_in(value):
    """The strings in a field's value, JSON included (the inferences' reasons)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)


def data_values(language):
    """Every text the demo data holds, as the admin shows it in ``language``: names, titles, notes, ``str()``.

    Fields with choices are left out: their labels are the registry's to translate.
    """
    values = set()
    with translation.override(language):
        for model in apps.get_models():
            if model.__name__.startswith("Historical") or model._meta.app_label in {"sessions", "admin", "axes"}:
                continue
            fields = [
                field.attname
                for field in model._meta.concrete_fields
                if isinstance(field, (models.CharField, models.TextField, models.JSONField)) and not field.choices
            ]
            for obj in model._default_manager.all():
                values.add(str(obj))
                for name in fields:
                    values.update(strings_in(getattr(obj, name)))
    return {unicodedata.normalize("NFC", value) for value in values if len(value) > 2}


def inside_a_value(text, match, values):
    """Whether ``match`` lies within an occurrence of one of ``values`` in ``text``, or with its neighbour words
    within one of them (django-simple-history shortens long values: "Ministry of Informa[34 chars]")."""
    before = re.search(r"\S+\s*$", text[max(0, match.start() - 60) : match.start()])
    after = re.match(r"\s*\S+", text[match.end() : match.end() + 60])
    context = (before.group(0) if before else "") + match.group(0) + (after.group(0) if after else "")
    if any(context.strip() in value for value in values):
        return True
    for value in values:
        start = text.find(value, max(0, match.end() - len(value)))
        while start != -1 and start <= match.start():
            if start + len(value) >= match.end():
                return True
            start = text.find(value, start + 1)
    return False


def foreign_words(text, language, values):
    """English phrases on a Vietnamese page, Vietnamese words on an English page, outside the data."""
    if language == "vi":
        text = SHORTENED.sub(" ", text)
        found = set()
        for match in ENGLISH_PATTERN.finditer(text):
            phrase = match.group(0).lower()
            containing = [value for value in values if phrase in value.lower()]
            if not inside_a_value(text, match, containing):
                found.add(match.group(0))
        return found
    data_words = {word.lower() for value in values for word in VIETNAMESE_WORD.findall(value)}
    return {word for word in VIETNAMESE_WORD.findall(text) if word.lower() not in data_words}


def page_kind(path):
    """``/admin/partners/mou/1/history/2/`` → ``/admin/partners/mou/{id}/history/{id}/``."""
    return OBJECT_ID.sub("/{id}/", OBJECT_ID.sub("/{id}/", path))


def layout(path):
    """The template a page is drawn with: ``/admin/{app}/{model}/{id}/history/`` for every model's history."""
    return MODEL_PATH.sub("/admin/{app}/{model}/", APP_PATH.sub("/admin/{app}/", page_kind(path)))


def crawl(context, base_url, language, values, thorough=True):
    """Fetch every reachable admin page; render the first of each layout. Returns ``({url: [problems]}, count)``.

    ``thorough=False`` leaves out filtered lists, historical versions and deleted lists, whose texts the
    other pages of the model show too: for the second language.
    """
    problems, rendered = {}, set()
    page = context.pages[0]
    start = f"{base_url}/admin/"
    queue, queued, kinds = deque([start]), {start}, {page_kind("/admin/")}
    fetched = 0
    while queue:
        url = queue.popleft()
        fetched += 1
        assert fetched <= MAX_PAGES, f"more than {MAX_PAGES} admin pages: the crawl's rules need a look"
        response = context.request.get(url)
        parts = urlsplit(url)
        found = []
        if response.status >= 400:
            found.append(f"status {response.status}")
        parser = PageParser()
        parser.feed(response.text())
        outside = [load for load in parser.loads if urlsplit(urljoin(url, load)).hostname not in LOCAL_HOSTS]
        if outside:
            found.append(f"loads from elsewhere: {outside}")
        words = foreign_words(parser.text, language, values)
        if words:
            found.append(f"{'English' if language == 'vi' else 'Vietnamese'}: {sorted(words)}")
        if found:
            problems[url] = found
        if not parts.query and layout(parts.path) not in rendered and response.status < 400:
            # The admin's scripts run the same on every model's page of a layout: one rendering shows their errors.
            rendered.add(layout(parts.path))
            page.goto(url)
        for link in parser.links:
            target = urljoin(url, link).split("#")[0]
            target_parts = urlsplit(target)
            if target_parts.netloc != parts.netloc or not target_parts.path.startswith("/admin/"):
                continue
            if SKIPPED_PATHS.search(target_parts.path):
                continue
            if not thorough and THOROUGH_ONLY.search(target_parts.path):
                continue
            if target_parts.query:
                parameters = {name for name, _value in parse_qsl(target_parts.query, keep_blank_values=True)}
                if not thorough or parts.query or not CHANGELIST.match(parts.path):
                    continue
                if parameters & SKIPPED_PARAMETERS:
                    continue
                key = (page_kind(target_parts.path), frozenset(parameters))
            else:
                key = page_kind(target_parts.path)
            if key in kinds or target in queued:
                continue
            kinds.add(key)
            queued.add(target)
            queue.append(target)
    return problems, fetched


def crawl_as(browser, live_server, username):
    timings = {}
    for locale, language in (("vi-VN", "vi"), ("en-GB", "en")):
        started = time.monotonic()
        page, watch = open_page(browser, locale=locale)
        # The request API does not send the locale's Accept-Language the way page navigations do.
        page.context.set_extra_http_headers({"Accept-Language": language})
        sign_in(page, live_server, username)
        # Filtered lists once, in Vietnamese: the filters' querysets do not depend on the language.
        problems, fetched = crawl(page.context, live_server.url, language, data_values(language), language == "vi")
        page.context.close()
        timings[language] = (fetched, round(time.monotonic() - started, 1))
        assert problems == {}, f"{username} in {language}: {problems}"
        assert watch.outside == [], f"{username} in {language}: requests left the registry: {watch.outside}"
        assert watch.console_errors == [], f"{username} in {language}: console errors: {watch.console_errors}"
        assert fetched > 20, f"{username} reached only {fetched} pages in {language}"
    print(f"crawl as {username}: (pages, seconds) {timings}")


def test_crawl_as_ministry_staff(browser, live_server, demo):
    crawl_as(browser, live_server, "ministry.demo")


def test_crawl_as_a_partner(browser, live_server, demo):
    crawl_as(browser, live_server, "schannel.demo")
