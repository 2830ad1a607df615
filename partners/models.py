"""Agencies, partner companies, KOLs, their channels, rosters and MOUs."""

import datetime
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator, RegexValidator
from django.db import connection, models
from django.db.models import BooleanField, Case, Exists, ExpressionWrapper, F, OuterRef, Q, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kolregistry.access import PartnerScope, ministry_users
from kolregistry.dates import (
    DatePrecisionField,
    DaysBefore,
    LastDay,
    PartialDateField,
    aligned_constraints,
    last_day_field,
    stated_date,
)
from kolregistry.db import PeriodExclusionConstraint
from kolregistry.models import NewestFirstIndex, SearchableModel, SourcedModel

from .choices import (
    AgencyKind,
    KolKind,
    MouAlertThreshold,
    MouPersonRole,
    MouSide,
    MouStatus,
    PartnerKind,
    Platform,
)

PLATFORM_LABELS = dict(Platform.choices)

# A channel's place in ?ordering=followers: channels without a count sort as -1, so the keyset is never NULL.
FOLLOWERS_RANK = Coalesce("followers", Value(-1))

# An MOU in force whose end is this close is "expiring within 30 days" (and no longer merely in its notice period).
EXPIRY_ALERT_DAYS = 30
# The longest notice period an MOU may have (ten years).
MAX_NOTICE_PERIOD_DAYS = 3650

TAX_CODE_PATTERN = r"^[0-9]{10}(-[0-9]{3})?$"
# Digits, spaces, +, - and parentheses, with at least one digit; valid in Python and PostgreSQL regexes alike.
PHONE_PATTERN = r"^[0-9 ()+-]*[0-9][0-9 ()+-]*$"


def period_is_ordered(start="starts_on", end="ends_on"):
    """DB condition: when both partial dates are known, the end's last possible day is not before the start.

    "05/2024" to "2024" is consistent: it ended in 2024, after May.
    """
    return (
        Q(**{f"{start}__isnull": True}) | Q(**{f"{end}__isnull": True}) | Q(GreaterThanOrEqual(LastDay(end), F(start)))
    )


def active_on_condition(day, prefix=""):
    """Q for rows whose period may contain ``day``: from the start's first possible day to the end's last.

    Served by B-tree indexes on ``starts_on`` and ``ends_on_last``.
    """
    return Q(**{f"{prefix}starts_on__lte": day}) & (
        Q(**{f"{prefix}ends_on_last__isnull": True}) | Q(**{f"{prefix}ends_on_last__gte": day})
    )


def validate_period(starts_on, ends_on, end_name="ends_on"):
    """``starts_on`` and ``ends_on`` are ``PartialDate``s (or None)."""
    if starts_on and ends_on and ends_on.upper < starts_on.lower:
        raise ValidationError({end_name: _("The end date cannot be before the start date.")})


def normalise_handle(handle):
    """``" @QuachBeem "`` -> ``"quachbeem"``: handles compare without case or @."""
    return (handle or "").strip().lstrip("@").lower()


def normalise_url(url):
    """Lower-case scheme and host, drop ``www.``, a trailing slash and the fragment."""
    url = (url or "").strip()
    if not url:
        return ""
    parts = urlsplit(url)
    host = parts.netloc.lower().removeprefix("www.")
    return urlunsplit((parts.scheme.lower(), host, parts.path.rstrip("/"), parts.query, ""))


class Agency(SearchableModel):
    """A government body: ministry, department, center, provincial body, union or press organisation.

    Agencies form a tree through ``parent`` (ministry -> department -> center).
    """

    # A partner sees the agencies it deals with: its MOUs' counterparties, its campaigns' organisers
    # and the owners of its channels.
    partner_scope = PartnerScope(via=("mous", "campaigns", "channels"))

    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    name = models.CharField(_("name (English)"), max_length=255)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=255, blank=True)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=AgencyKind.choices)
    province = models.CharField(_("province"), max_length=100, blank=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    website = models.URLField(_("website"), blank=True)
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()
    search_source_fields = ("name", "name_vi", "acronym", "province")

    class Meta:
        ordering = ["name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=F("pk")),
                name="agency_not_own_parent",
                violation_error_message=_("An agency cannot be its own parent."),
            ),
        ]

    brief_fields = ("name", "acronym")

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def clean(self):
        if self.pk is None or self.parent_id is None:
            return
        if self.parent_id == self.pk:
            raise ValidationError({"parent": _("An agency cannot be its own parent.")})
        if self.parent_id in self.descendant_ids():
            raise ValidationError({"parent": _("An agency cannot sit below itself in the tree.")})

    def descendant_ids(self):
        """Ids of this agency and every agency below it, in one query."""
        return {self.pk, *Agency.objects.filter(pk__in=agency_subtree([self.pk])).values_list("pk", flat=True)}


def agency_subtree(root_ids):
    """A subquery of the ids of the agencies ``root_ids`` and of every agency below them, for ``pk__in=``.

    One recursive query, on PostgreSQL and SQLite alike, whatever the depth of the tree. UNION, not UNION ALL,
    drops ids already seen, so a cycle written past validation ends too.
    """
    root_ids = [int(pk) for pk in root_ids]
    if not root_ids:
        return RawSQL("SELECT NULL WHERE 1 = 0", ())
    quote = connection.ops.quote_name
    table, pk, parent = (
        quote(name) for name in (Agency._meta.db_table, Agency._meta.pk.column, Agency._meta.get_field("parent").column)
    )
    placeholders = ", ".join(["%s"] * len(root_ids))
    sql = (
        f"WITH RECURSIVE subtree(agency_id) AS (SELECT {pk} FROM {table} WHERE {pk} IN ({placeholders})"
        f" UNION SELECT child.{pk} FROM {table} child JOIN subtree ON child.{parent} = subtree.agency_id)"
        " SELECT agency_id FROM subtree"
    )
    return RawSQL(sql, root_ids)


class PartnerCompany(SearchableModel):
    """A company that manages KOL channels or runs a platform, e.g. SChannel, Vitamin, TikTok Vietnam."""

    # A partner sees itself.
    partner_scope = PartnerScope(partner="pk")

    legal_name = models.CharField(_("legal name"), max_length=255)
    short_name = models.CharField(_("brand / short name"), max_length=100)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=255, blank=True)
    other_names = models.CharField(
        _("other names"), max_length=255, blank=True, help_text=_("Other brands it trades under, comma-separated.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=PartnerKind.choices)
    tax_code = models.CharField(
        _("tax code"),
        max_length=14,
        blank=True,
        validators=[RegexValidator(TAX_CODE_PATTERN, _("A tax code is 10 digits, optionally followed by -NNN."))],
        help_text=_("Vietnamese enterprise code: 10 digits, or 10 digits + '-' + 3 for a branch."),
    )
    website = models.URLField(_("website"), blank=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()
    search_source_fields = ("short_name", "legal_name", "name_vi", "other_names")

    class Meta:
        ordering = ["short_name"]
        verbose_name = _("partner company")
        verbose_name_plural = _("partner companies")
        constraints = [
            models.CheckConstraint(
                condition=Q(tax_code="") | Q(tax_code__regex=TAX_CODE_PATTERN),
                name="partner_tax_code_format",
                violation_error_message=_("A tax code is 10 digits, optionally followed by -NNN."),
            ),
            models.UniqueConstraint(
                fields=["tax_code"],
                condition=~Q(tax_code=""),
                name="partner_tax_code_unique",
                violation_error_message=_("Another partner company already has this tax code."),
            ),
        ]

    brief_fields = ("short_name",)

    def __str__(self):
        return self.short_name


class Kol(SearchableModel):
    """A key opinion leader: the person or organisation behind one or more channels."""

    # A partner sees the KOLs behind the channels it sees, and those its own MOUs name.
    partner_scope = PartnerScope(via=("channels", "mous"))

    name = models.CharField(_("name"), max_length=255, help_text=_("As written in Vietnamese, with accents."))
    name_en = models.CharField(
        _("name (English / unaccented)"),
        max_length=255,
        blank=True,
        help_text=_("The international spelling, e.g. Quach Beem or Miss Sidewalk."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=KolKind.choices, default=KolKind.UNKNOWN)
    nationality = models.CharField(
        _("nationality"),
        max_length=2,
        blank=True,
        validators=[RegexValidator(r"^[A-Z]{2}$", _("Use a two-letter ISO 3166 country code, e.g. VN or LA."))],
        help_text=_("ISO 3166 country code, e.g. VN, LA."),
    )
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()
    search_source_fields = ("name", "name_en")
    # What the admin's search box and the API's ?q= match (kolregistry.search).
    search_paths = ("", "channels")

    class Meta:
        ordering = ["name"]
        verbose_name = _("KOL")
        verbose_name_plural = _("KOLs")
        # The API's default order: a frequent search term walks it and stops at the page.
        indexes = [models.Index(fields=["name", "id"], name="kol_name_id_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(nationality="") | Q(nationality__regex=r"^[A-Z]{2}$"),
                name="kol_nationality_iso_code",
                violation_error_message=_("Use a two-letter ISO 3166 country code, e.g. VN or LA."),
            ),
        ]

    brief_fields = ("name", "name_en")

    def __str__(self):
        if self.name_en and self.name_en != self.name:
            return f"{self.name} / {self.name_en}"
        return self.name


class ChannelQuerySet(models.QuerySet):
    """Channel lookups by roster."""

    def managed_by(self, partner, on=None):
        """Channels on ``partner``'s roster on ``on`` (default today), in one query."""
        on = on or timezone.localdate()
        return self.filter(
            pk__in=RosterMembership.objects.filter(active_on_condition(on), partner=partner).values("channel_id")
        )


class Channel(SearchableModel):
    """A social-media channel, owned by exactly one KOL or one agency."""

    # A partner sees the channels it has ever had on its roster (its past memberships, assignments
    # and reports refer to them) and those its own MOUs name.
    partner_scope = PartnerScope(via=("memberships", "mous"))

    platform = models.CharField(_("platform"), max_length=20, choices=Platform.choices)
    display_name = models.CharField(_("display name"), max_length=255, blank=True)
    handle = models.CharField(
        _("handle"), max_length=100, blank=True, help_text=_("Without the @; stored in lower case.")
    )
    url = models.URLField(_("URL"), max_length=500, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True, help_text=_("e.g. vi, en, zh"))
    launched_on_precision = DatePrecisionField()
    launched_on = PartialDateField(_("launch date"), null=True, blank=True)
    kol = models.ForeignKey(
        Kol, verbose_name=_("KOL"), on_delete=models.PROTECT, null=True, blank=True, related_name="channels"
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("owning agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="channels",
    )
    followers = models.PositiveBigIntegerField(_("followers (latest)"), null=True, blank=True, editable=False)
    followers_on_precision = DatePrecisionField()
    followers_on = PartialDateField(_("followers counted on"), null=True, blank=True, editable=False)
    notes = models.TextField(_("notes"), blank=True)

    objects = ChannelQuerySet.as_manager()
    history = HistoricalRecords()
    search_source_fields = ("display_name", "handle")
    # What the admin's search box and the API's ?q= match (kolregistry.search).
    search_paths = ("", "kol", "agency")

    class Meta:
        ordering = ["platform", "display_name", "id"]
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        constraints = [
            models.CheckConstraint(
                condition=Q(kol__isnull=False, agency__isnull=True) | Q(kol__isnull=True, agency__isnull=False),
                name="channel_exactly_one_owner",
                violation_error_message=_("A channel is owned by exactly one KOL or one agency."),
            ),
            models.UniqueConstraint(
                fields=["platform", "handle"],
                condition=~Q(handle=""),
                name="channel_handle_unique_per_platform",
                violation_error_message=_("Another channel on this platform already has this handle."),
            ),
            models.UniqueConstraint(
                fields=["platform", "url"],
                condition=~Q(url=""),
                name="channel_url_unique_per_platform",
                violation_error_message=_("Another channel on this platform already has this URL."),
            ),
            *aligned_constraints("channel", "launched_on"),
        ]
        indexes = [
            models.Index(fields=["followers"], name="channel_followers_idx"),
            # The API's orders, ?ordering=name (the default) and ?ordering=-followers (NULL as -1).
            models.Index(fields=["display_name", "id"], name="channel_display_name_id_idx"),
            models.Index(FOLLOWERS_RANK, F("id"), name="channel_followers_rank_idx"),
            # The dashboard's largest channels of each platform.
            models.Index(fields=["platform", "-followers", "id"], name="channel_platform_followers_idx"),
            # ?updated_since= on 100k channels.
            models.Index(fields=["updated_at"], name="channel_updated_at_idx"),
        ]

    brief_fields = ("display_name", "handle", "platform")

    def __str__(self):
        name = self.display_name or self.handle or _("unnamed channel")
        # get_platform_display() rebuilds its lookup on every call; API pages call this for every row.
        return f"{name} ({PLATFORM_LABELS.get(self.platform, self.platform)})"

    @property
    def owner(self):
        return self.kol or self.agency

    def clean(self):
        self.handle = normalise_handle(self.handle)
        self.url = normalise_url(self.url)
        if self.kol_id and self.agency_id:
            raise ValidationError({"agency": _("A channel is owned by a KOL or an agency, not both.")})
        if not self.kol_id and not self.agency_id:
            raise ValidationError({"kol": _("Choose the KOL or the agency that owns this channel.")})

    def save(self, *args, **kwargs):
        self.handle = normalise_handle(self.handle)
        self.url = normalise_url(self.url)
        super().save(*args, **kwargs)

    def refresh_latest_followers(self):
        """Copy the newest whole-channel follower snapshot onto the channel (undated ones count as oldest)."""
        latest = (
            self.metrics.filter(subject="", followers__isnull=False)
            .order_by(F("measured_on").desc(nulls_last=True), "-pk")
            .first()
        )
        self.followers = latest.followers if latest else None
        self.followers_on = latest.measured_on if latest else None
        # A save, not an update(), so the change is in the channel's history too; from a fresh copy,
        # so the history records the stored row rather than this possibly stale instance.
        stored = Channel.objects.get(pk=self.pk)
        if (stored.followers, stored.followers_on) != (self.followers, self.followers_on):
            stored.followers, stored.followers_on = self.followers, self.followers_on
            stored.save(update_fields=["followers", "followers_on", "followers_on_precision", "updated_at"])


class ChannelMetricQuerySet(models.QuerySet):
    """Keeps the latest follower count on the channel when snapshots are deleted in bulk."""

    def delete(self):
        # Bulk deletes (e.g. the admin action) skip ChannelMetric.delete().
        channel_ids = set(self.values_list("channel_id", flat=True))
        result = super().delete()
        for channel in Channel.objects.filter(pk__in=channel_ids):
            channel.refresh_latest_followers()
        return result


class ChannelMetric(SourcedModel):
    """A dated snapshot of a channel's (or one post's) audience figures, with its source.

    Snapshots are never overwritten: conflicting figures stand side by side.
    """

    # A partner sees the figures of the channels it sees.
    partner_scope = PartnerScope(via=("channel",))

    # Figures with a source are facts: a channel that has them cannot be deleted until they are.
    channel = models.ForeignKey(Channel, verbose_name=_("channel"), on_delete=models.PROTECT, related_name="metrics")
    measured_on_precision = DatePrecisionField()
    measured_on = PartialDateField(
        _("measured on"), null=True, blank=True, help_text=_("Empty when the source gives no date.")
    )
    measured_on_approximate = models.BooleanField(
        _("date approximate"),
        default=False,
        help_text=_("The source gives the date only relative to an event, e.g. 'after a week'."),
    )
    measured_on_as_stated = models.CharField(
        _("date as stated"), max_length=100, blank=True, help_text=_("The source's own wording of the date.")
    )
    subject = models.CharField(
        _("subject"),
        max_length=255,
        blank=True,
        help_text=_("Empty for whole-channel totals; otherwise the post or livestream the figures describe."),
    )
    followers = models.PositiveBigIntegerField(_("followers"), null=True, blank=True)
    likes = models.PositiveBigIntegerField(_("likes"), null=True, blank=True)
    views = models.PositiveBigIntegerField(_("views"), null=True, blank=True)
    comments = models.PositiveBigIntegerField(_("comments"), null=True, blank=True)
    approximate = models.BooleanField(
        _("approximate"), default=False, help_text=_("The source says 'nearly', 'over' or 'about'.")
    )
    source_note = models.CharField(_("source description"), max_length=500, blank=True)

    objects = ChannelMetricQuerySet.as_manager()
    history = HistoricalRecords()

    FIGURE_FIELDS = ("followers", "likes", "views", "comments")

    # What the admin's search box and the API's ?q= match (kolregistry.search).
    search_paths = ("channel",)

    class Meta:
        ordering = ["channel", F("measured_on").desc(nulls_last=True), "-id"]
        verbose_name = _("channel metric")
        verbose_name_plural = _("channel metrics")
        constraints = [
            models.CheckConstraint(
                condition=~Q(source_url="") | ~Q(source_note=""),
                name="channel_metric_has_source",
                violation_error_message=_("Give the source of the figures: a URL or a description."),
            ),
            models.CheckConstraint(
                condition=Q(followers__isnull=False)
                | Q(likes__isnull=False)
                | Q(views__isnull=False)
                | Q(comments__isnull=False),
                name="channel_metric_has_a_figure",
                violation_error_message=_("Record at least one figure."),
            ),
            models.CheckConstraint(
                condition=Q(measured_on_approximate=False) | ~Q(measured_on_as_stated=""),
                name="channel_metric_approximate_date_as_stated",
                violation_error_message=_("Give the source's wording of an approximate date."),
            ),
            *aligned_constraints("channel_metric", "measured_on"),
        ]
        indexes = [
            # ?updated_since= on a million metrics.
            models.Index(fields=["updated_at"], name="channel_metric_updated_at_idx"),
            # The admin's list, newest first (ChannelMetricAdmin.ordering).
            NewestFirstIndex("measured_on", name="channel_metric_newest_idx"),
        ]

    def __str__(self):
        return f"{self.channel} @ {stated_date(self, 'measured_on')}"

    def clean(self):
        errors = {}
        if not self.source_url and not self.source_note:
            errors["source_url"] = _("Give the source of the figures: a URL or a description.")
        if all(getattr(self, name) is None for name in self.FIGURE_FIELDS):
            errors["followers"] = _("Record at least one figure.")
        if self.measured_on and self.measured_on.lower > timezone.localdate():
            errors["measured_on"] = _("A measurement cannot be in the future.")
        if self.measured_on_approximate and not self.measured_on_as_stated:
            errors["measured_on_as_stated"] = _("Give the source's wording of an approximate date.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # Always: an edit may have moved this snapshot out of (or into) the whole-channel figures.
        self.channel.refresh_latest_followers()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        self.channel.refresh_latest_followers()
        return result


class RosterMembershipQuerySet(models.QuerySet):
    """Roster lookups by date."""

    def active_on(self, day=None):
        return self.filter(active_on_condition(day or timezone.localdate()))


class RosterMembership(SourcedModel):
    """A channel managed by a partner company over a period (open end = still managed)."""

    # A partner sees its own roster.
    partner_scope = PartnerScope(partner="partner")

    channel = models.ForeignKey(
        Channel, verbose_name=_("channel"), on_delete=models.PROTECT, related_name="memberships"
    )
    partner = models.ForeignKey(
        PartnerCompany, verbose_name=_("partner company"), on_delete=models.PROTECT, related_name="memberships"
    )
    starts_on_precision = DatePrecisionField()
    starts_on = PartialDateField(_("starts on"))
    ends_on_precision = DatePrecisionField()
    ends_on = PartialDateField(_("ends on"), null=True, blank=True, help_text=_("Empty while still managed."))
    ends_on_last = last_day_field("ends_on", _("last possible end day"))
    notes = models.TextField(_("notes"), blank=True)

    objects = RosterMembershipQuerySet.as_manager()
    history = HistoricalRecords()

    # What the admin's search box and the API's ?q= match (kolregistry.search).
    search_paths = ("channel", "partner")

    class Meta:
        ordering = ["channel", "-starts_on"]
        verbose_name = _("roster membership")
        verbose_name_plural = _("roster memberships")
        constraints = [
            models.CheckConstraint(
                condition=period_is_ordered(),
                name="membership_period_ordered",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            PeriodExclusionConstraint(
                name="membership_no_overlap_per_channel",
                key_fields=["channel"],
                end="ends_on_last",
                violation_error_message=_("This channel is already managed by a partner during this period."),
            ),
            *aligned_constraints("membership", "starts_on", "ends_on"),
        ]
        indexes = [
            models.Index(fields=["partner", "starts_on", "ends_on_last"], name="membership_partner_period_idx"),
            models.Index(fields=["starts_on", "ends_on_last"], name="membership_period_idx"),
            # The admin's list, newest first (RosterMembershipAdmin.ordering).
            models.Index(fields=["-starts_on", "-id"], name="membership_newest_idx"),
        ]

    def __str__(self):
        end = self.ends_on or "…"
        return f"{self.channel} — {self.partner} ({self.starts_on} to {end})"

    def is_active_on(self, day):
        ends_on = self.ends_on
        return self.starts_on.lower <= day and (ends_on is None or ends_on.upper >= day)

    def clean(self):
        starts_on, ends_on = self.starts_on, self.ends_on
        validate_period(starts_on, ends_on)
        if not (self.channel_id and starts_on):
            return
        # Partial dates overlap when their possible spans do, as in the database's exclusion constraint:
        # otherwise two partners could both be "active" on one day.
        overlapping = RosterMembership.objects.filter(channel_id=self.channel_id).exclude(pk=self.pk)
        if ends_on:
            overlapping = overlapping.filter(starts_on__lte=ends_on.upper)
        overlapping = overlapping.filter(Q(ends_on_last__isnull=True) | Q(ends_on_last__gte=starts_on.lower))
        clash = overlapping.select_related("partner").first()
        if clash:
            raise ValidationError(
                {
                    "starts_on": _("This channel is already managed by %(partner)s from %(start)s to %(end)s.")
                    % {
                        "partner": clash.partner,
                        "start": clash.starts_on,
                        "end": clash.ends_on or _("open end"),
                    }
                }
            )


def validate_pdf(document):
    """The signed MOU must be a real PDF within the configured size."""
    if getattr(document, "_committed", False):
        # Already in storage and checked on upload; re-reading it on every edit would fail if media is missing.
        return
    limit = settings.KOLREG_MOU_DOCUMENT_MAX_BYTES
    if document.size > limit:
        raise ValidationError(
            _("The document is %(size)s bytes; the limit is %(limit)s."), params={"size": document.size, "limit": limit}
        )
    position = document.tell() if hasattr(document, "tell") else 0
    document.seek(0)
    header = document.read(5)
    document.seek(position)
    if header != b"%PDF-":
        raise ValidationError(_("The document is not a PDF file."))


class MouQuerySet(models.QuerySet):
    """Status and date lookups computed in SQL, so admin filters and the API can use them."""

    def with_status(self, today=None):
        """Annotate ``status_code`` with the derived status (the rule is on ``Mou``), to filter and order on."""
        today = today or timezone.localdate()
        return self.annotate(
            status_code=Case(
                When(terminated_on__isnull=False, terminated_on__lte=today, then=Value(MouStatus.TERMINATED)),
                When(signed=False, then=Value(MouStatus.DRAFT)),
                When(starts_on__isnull=True, then=Value(MouStatus.SIGNED)),
                When(starts_on__gt=today, then=Value(MouStatus.SIGNED)),
                When(signed_on__gt=today, then=Value(MouStatus.SIGNED)),
                When(ends_on_last__lt=today, then=Value(MouStatus.EXPIRED)),
                default=Value(MouStatus.ACTIVE),
                output_field=models.CharField(),
            )
        )

    def with_status_in(self, statuses, today=None):
        return self.with_status(today).filter(status_code__in=statuses)

    def active_on(self, day=None):
        """MOUs in force on ``day``: signed, from the later of the start and signing to the end's last day."""
        day = day or timezone.localdate()
        return (
            self.filter(active_on_condition(day), signed=True)
            .filter(Q(signed_on__isnull=True) | Q(signed_on__lte=day))
            .exclude(terminated_on__lte=day)
        )

    def expiring_within(self, days, today=None):
        """MOUs in force today whose last possible day falls in the next ``days`` days."""
        today = today or timezone.localdate()
        return self.active_on(today).filter(ends_on_last__lte=today + datetime.timedelta(days=days))

    # The alert states: what ``manage.py mou_alerts`` e-mails about, the MOU list's "alert" filter, the MOU
    # page's "alerts today" and the dashboard show, all from these conditions. They need ``with_status(today)``.

    @staticmethod
    def alert_conditions(today):
        """``{MouAlertThreshold: Q}`` on ``with_status(today)`` rows.

        The deadlines exclude each other, the most urgent winning: in its notice period (but more than
        30 days left), ending within 30 days, expired with no MOU renewing it. Missing facts (signed but
        without a signing, start or end date or the signed PDF, not terminated) may come on top.
        """
        soon = today + datetime.timedelta(days=EXPIRY_ALERT_DAYS)
        renewed = Exists(Mou.objects.filter(renews=OuterRef("pk")))
        return {
            MouAlertThreshold.NOTICE: Q(status_code=MouStatus.ACTIVE, ends_on_last__gt=soon)
            & Q(LessThanOrEqual(DaysBefore(F("ends_on_last"), F("notice_period_days")), Value(today))),
            MouAlertThreshold.EXPIRES_SOON: Q(status_code=MouStatus.ACTIVE, ends_on_last__lte=soon),
            MouAlertThreshold.EXPIRED: Q(status_code=MouStatus.EXPIRED) & ~Q(renewed),
            MouAlertThreshold.INCOMPLETE: Q(signed=True)
            & ~Q(status_code=MouStatus.TERMINATED)
            & (Q(signed_on__isnull=True) | Q(starts_on__isnull=True) | Q(ends_on__isnull=True) | Q(document="")),
        }

    def alerting(self, threshold, today=None):
        """The MOUs in alert state ``threshold`` on ``today`` (default today)."""
        today = today or timezone.localdate()
        return self.with_status(today).filter(self.alert_conditions(today)[MouAlertThreshold(threshold)])

    def with_alert_states(self, today=None):
        """Annotate ``status_code`` and ``alert_<threshold>`` (a boolean per alert state) for ``today``."""
        today = today or timezone.localdate()
        return self.with_status(today).annotate(
            **{
                f"alert_{threshold.value}": ExpressionWrapper(condition, output_field=BooleanField())
                for threshold, condition in self.alert_conditions(today).items()
            }
        )

    def renewal_chain(self, mou):
        """The MOUs ``mou`` renews, itself and its renewals (and theirs), oldest to newest.

        One query per link; a branch (two renewals of one MOU) lists both, the earlier first.
        """
        older = [pk for pk in mou.renewed_chain_ids()[::-1] if pk != mou.pk]
        newer, frontier, seen = [], [mou.pk], {mou.pk, *older}
        while frontier:
            rows = Mou.objects.filter(renews__in=frontier).exclude(pk__in=seen)
            frontier = list(rows.order_by(F("starts_on").asc(nulls_last=True), "pk").values_list("pk", flat=True))
            newer.extend(frontier)
            seen.update(frontier)
        ids = [*older, mou.pk, *newer]
        position = Case(*(When(pk=pk, then=Value(index)) for index, pk in enumerate(ids)))
        return self.filter(pk__in=ids).order_by(position)


def default_notice_period():
    """A new MOU's notice period in days: ``settings.MOU_NOTICE_PERIOD_DAYS`` (env, default 90)."""
    return settings.MOU_NOTICE_PERIOD_DAYS


class Mou(SearchableModel):
    """A memorandum of understanding between an agency and a partner company for a period.

    Its status is derived from the facts, never stored. The dates may be partial ("2024", "05/2024");
    an MOU is in force from the first day it can be (the later of its start's and its signing's first
    possible day) to the last day its end allows. On a given day, the first rule that holds wins:

    ==============================================================  ==========
    terminated on or before the day                                 terminated
    not known to be signed                                          draft
    signed, start unknown, or in force only after the day           signed
    the end's last possible day is before the day                   expired
    otherwise                                                       active
    ==============================================================  ==========
    """

    # A partner sees its own MOUs.
    partner_scope = PartnerScope(partner="partner")

    reference = models.CharField(_("reference number"), max_length=100, blank=True)
    title = models.CharField(_("title"), max_length=255)
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="mous")
    partner = models.ForeignKey(
        PartnerCompany, verbose_name=_("partner company"), on_delete=models.PROTECT, related_name="mous"
    )
    signed = models.BooleanField(
        _("signed"), default=False, help_text=_("Known to be signed, even when the date of signing is not.")
    )
    signed_on_precision = DatePrecisionField()
    signed_on = PartialDateField(_("signed on"), null=True, blank=True, help_text=_("Empty when unknown."))
    signed_on_as_stated = models.CharField(
        _("signing date as stated"),
        max_length=100,
        blank=True,
        help_text=_("The source's wording when it gives no full date, e.g. a day with no year."),
    )
    starts_on_precision = DatePrecisionField()
    starts_on = PartialDateField(_("starts on"), null=True, blank=True, help_text=_("Empty when not yet known."))
    ends_on_precision = DatePrecisionField()
    ends_on = PartialDateField(_("ends on"), null=True, blank=True, help_text=_("Empty for an open-ended MOU."))
    ends_on_last = last_day_field("ends_on", _("last possible end day"))
    terminated_on = models.DateField(_("terminated on"), null=True, blank=True)
    termination_reason = models.TextField(_("termination reason"), blank=True)
    scope = models.TextField(_("scope"), blank=True)
    notes = models.TextField(_("internal notes"), blank=True)
    document = models.FileField(
        _("signed document (PDF)"),
        upload_to="mous/%Y/",
        blank=True,
        validators=[FileExtensionValidator(["pdf"]), validate_pdf],
    )
    # PROTECT, not SET_NULL: clearing the link would lose it for good, as restoring the deleted MOU from its
    # history does not restore the other MOU's link.
    renews = models.ForeignKey(
        "self", verbose_name=_("renews"), on_delete=models.PROTECT, null=True, blank=True, related_name="renewals"
    )
    kols = models.ManyToManyField(Kol, verbose_name=_("KOLs named"), blank=True, related_name="mous")
    channels = models.ManyToManyField(Channel, verbose_name=_("channels named"), blank=True, related_name="mous")
    notice_period_days = models.PositiveSmallIntegerField(
        _("notice period (days)"),
        default=default_notice_period,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_NOTICE_PERIOD_DAYS)],
        help_text=_("How many days before the end the responsible person is alerted to decide on a renewal."),
    )
    # PROTECT, not SET_NULL: deleting a user would otherwise silently leave their MOUs without anyone
    # responsible; the admin lists the MOUs to hand over first. A deactivated user stays linked, and the
    # alerts then go to MOU_ALERT_RECIPIENTS.
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible staff member"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responsible_mous",
        help_text=_("Ministry staff member who receives this MOU's expiry alerts."),
    )

    objects = MouQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[kols, channels])
    search_source_fields = ("reference", "title", "scope")
    # What the admin's search box and the API's ?q= match (kolregistry.search).
    search_paths = ("", "agency", "partner")

    class Meta:
        ordering = [F("starts_on").desc(nulls_last=True), "title"]
        verbose_name = _("MOU")
        verbose_name_plural = _("MOUs")
        constraints = [
            models.CheckConstraint(
                condition=period_is_ordered(),
                name="mou_period_ordered",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(terminated_on__isnull=True)
                | Q(terminated_on__gte=F("starts_on")),
                name="mou_terminated_after_start",
                violation_error_message=_("An MOU cannot be terminated before its period starts."),
            ),
            models.CheckConstraint(
                condition=~Q(renews=F("pk")),
                name="mou_not_renewing_itself",
                violation_error_message=_("An MOU cannot renew itself."),
            ),
            models.CheckConstraint(
                condition=Q(termination_reason="") | Q(terminated_on__isnull=False),
                name="mou_termination_reason_needs_date",
                violation_error_message=_("Give the termination date as well as the reason."),
            ),
            models.UniqueConstraint(
                fields=["reference"],
                condition=~Q(reference=""),
                name="mou_reference_unique",
                violation_error_message=_("Another MOU already has this reference number."),
            ),
            models.CheckConstraint(
                condition=Q(signed=True) | Q(signed_on__isnull=True),
                name="mou_signing_date_means_signed",
                violation_error_message=_("An MOU with a signing date is signed."),
            ),
            models.CheckConstraint(
                condition=Q(notice_period_days__gte=1, notice_period_days__lte=MAX_NOTICE_PERIOD_DAYS),
                name="mou_notice_period_range",
                violation_error_message=_("The notice period is between 1 and 3650 days."),
            ),
            *aligned_constraints("mou", "signed_on", "starts_on", "ends_on"),
        ]
        indexes = [
            models.Index(fields=["starts_on", "ends_on_last"], name="mou_period_idx"),
            models.Index(fields=["ends_on_last"], name="mou_ends_on_idx"),
            # The API's default order.
            models.Index(fields=["title", "id"], name="mou_title_id_idx"),
        ]

    brief_fields = ("title",)

    def __str__(self):
        return self.title

    @property
    def status(self):
        return self.status_on(timezone.localdate())

    @property
    def in_force_from(self):
        """The first day the MOU can be in force: its start, and not before its signing (None if unknown)."""
        if self.starts_on is None:
            return None
        return max(self.starts_on.lower, self.signed_on.lower if self.signed_on else self.starts_on.lower)

    @property
    def in_force_until(self):
        """The last day its end allows (None when open-ended)."""
        ends_on = self.ends_on
        return ends_on.upper if ends_on else None

    def status_on(self, day):
        """The status on ``day`` by the rule in the class docstring; ``MouQuerySet.with_status`` is the SQL."""
        if self.terminated_on and self.terminated_on <= day:
            return MouStatus.TERMINATED
        if not self.signed and not self.signed_on:
            return MouStatus.DRAFT
        if self.in_force_from is None or self.in_force_from > day:
            return MouStatus.SIGNED
        if self.in_force_until and self.in_force_until < day:
            return MouStatus.EXPIRED
        return MouStatus.ACTIVE

    def get_status_display(self):
        return MouStatus(self.status).label

    def is_active_on(self, day):
        return self.status_on(day) == MouStatus.ACTIVE

    def clean(self):
        errors = {}
        if self.signed_on:
            self.signed = True
        try:
            validate_period(self.starts_on, self.ends_on)
        except ValidationError as error:
            errors.update(error.message_dict)
        if self.terminated_on and self.starts_on and self.terminated_on < self.starts_on.lower:
            errors["terminated_on"] = _("An MOU cannot be terminated before its period starts.")
        if self.termination_reason and not self.terminated_on:
            errors["terminated_on"] = _("Give the termination date as well as the reason.")
        if self.renews_id and self.pk and self.renews_id == self.pk:
            errors["renews"] = _("An MOU cannot renew itself.")
        elif self.renews_id and self.pk and self.pk in self.renewed_ids():
            errors["renews"] = _("An MOU cannot renew one of its own renewals.")
        if self.responsible_id and not ministry_users().filter(pk=self.responsible_id).exists():
            errors["responsible"] = _("Only an active ministry staff member can be responsible for an MOU.")
        if errors:
            raise ValidationError(errors)

    def renewed_chain_ids(self):
        """Ids of the MOUs this one renews, the one it renews directly first (one query per link)."""
        ids, current = [], self.renews_id
        # Stopping at an id already seen keeps a cycle written past validation from looping forever.
        while current is not None and current not in ids:
            ids.append(current)
            current = Mou.objects.filter(pk=current).values_list("renews_id", flat=True).first()
        return ids

    def renewed_ids(self):
        """Ids of the MOUs this one renews, directly or down the chain."""
        return set(self.renewed_chain_ids())


class Person(SearchableModel):
    """Someone who works for an agency or a partner company and signs MOUs or is a contact for them.

    Staff look people up first when an MOU is up for renewal; their e-mail and phone are shown to a
    partner only for the partner's own people.
    """

    # A partner sees its own people, and the agencies' people on its own MOUs (MouPerson's declaration
    # keeps other companies' people out). Their contact details are internal except on its own people.
    partner_scope = PartnerScope(partner="partner", via=("mou_links",), internal_unless_own=("email", "phone"))

    name = models.CharField(_("name"), max_length=255, help_text=_("As written in Vietnamese, with accents."))
    name_en = models.CharField(
        _("name (English / unaccented)"),
        max_length=255,
        blank=True,
        help_text=_("The international spelling, e.g. Tran Hoang."),
    )
    position = models.CharField(
        _("position"), max_length=255, blank=True, help_text=_("e.g. Director of the Copyright Office")
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, null=True, blank=True, related_name="people"
    )
    partner = models.ForeignKey(
        PartnerCompany,
        verbose_name=_("partner company"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(
        _("phone"),
        max_length=50,
        blank=True,
        validators=[RegexValidator(PHONE_PATTERN, _("A phone number has only digits, spaces, +, - and parentheses."))],
        help_text=_("e.g. +84 24 3943 6795"),
    )
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()
    search_source_fields = ("name", "name_en", "position")

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.CheckConstraint(
                condition=Q(agency__isnull=False, partner__isnull=True) | Q(agency__isnull=True, partner__isnull=False),
                name="person_exactly_one_organisation",
                violation_error_message=_("A person works for exactly one agency or one partner company."),
            ),
            models.CheckConstraint(
                condition=Q(phone="") | Q(phone__regex=PHONE_PATTERN),
                name="person_phone_format",
                violation_error_message=_("A phone number has only digits, spaces, +, - and parentheses."),
            ),
        ]

    brief_fields = ("name", "name_en")

    def __str__(self):
        if self.name_en and self.name_en != self.name:
            return f"{self.name} / {self.name_en}"
        return self.name

    @property
    def organisation(self):
        return self.agency or self.partner

    def clean(self):
        if self.agency_id and self.partner_id:
            raise ValidationError({"partner": _("A person works for an agency or a partner company, not both.")})
        if not self.agency_id and not self.partner_id:
            raise ValidationError({"agency": _("Choose the agency or the partner company this person works for.")})


class MouPerson(SourcedModel):
    """A person's part in an MOU: its signatory, a contact person, or present at the signing, for one side."""

    # A partner sees the people of its own MOUs: the agency's and its own, never another company's
    # (one linked past validation, or who has moved on since).
    partner_scope = PartnerScope(
        via=("mou",), via_filter=Q(person__agency__isnull=False) | Q(person__partner=F("mou__partner"))
    )

    # PROTECT, as everywhere in the registry: who signed is a fact, and an MOU that names its people
    # cannot be deleted until they are (restoring the MOU from its history would not bring them back).
    mou = models.ForeignKey(Mou, verbose_name=_("MOU"), on_delete=models.PROTECT, related_name="people_links")
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="mou_links")
    role = models.CharField(_("role"), max_length=20, choices=MouPersonRole.choices)
    side = models.CharField(
        _("side"), max_length=20, choices=MouSide.choices, help_text=_("The party the person acts for.")
    )
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()

    # What the admin's search box and the API's ?q= match (kolregistry.search).
    search_paths = ("person", "mou")

    class Meta:
        ordering = ["mou", "side", "role", "id"]
        verbose_name = _("person in an MOU")
        verbose_name_plural = _("people in MOUs")
        constraints = [
            models.UniqueConstraint(
                fields=["mou", "person", "role"],
                name="mou_person_unique_role",
                violation_error_message=_("This person already has this role in the MOU."),
            ),
        ]

    def __str__(self):
        return f"{self.person} — {self.get_role_display()} ({self.mou})"

    def clean(self):
        # Keyed by side: both inlines (under the MOU and under the person) show that field.
        if not (self.mou_id and self.person_id):
            return
        person, mou = self.person, self.mou
        if self.side == MouSide.PARTNER and person.partner_id != mou.partner_id:
            raise ValidationError(
                {
                    "side": _("%(person)s does not work for %(partner)s, the partner company of this MOU.")
                    % {"person": person, "partner": mou.partner}
                }
            )
        if self.side == MouSide.AGENCY and person.agency_id is None:
            raise ValidationError({"side": _("%(person)s does not work for an agency.") % {"person": person}})


class MouAlert(models.Model):
    """An alert e-mailed about an MOU (``manage.py mou_alerts``), recorded so that it goes out once.

    The row is the claim: the command inserts it and sends the e-mail in one transaction, so the unique
    constraints let only one run (of several racing, or of reruns) send it, and a failed send leaves no
    row, to be retried on the next run. A deadline alert is keyed on the end date it was computed for:
    an MOU whose end is moved later is alerted again for its new end. The missing-facts alert goes once
    per MOU.
    """

    # The ministry's own bookkeeping: partners see none.
    partner_scope = PartnerScope()

    # CASCADE: the alerts are bookkeeping about the MOU, not facts that outlive it.
    mou = models.ForeignKey(Mou, verbose_name=_("MOU"), on_delete=models.CASCADE, related_name="alerts")
    threshold = models.CharField(_("alert"), max_length=20, choices=MouAlertThreshold.choices)
    ends_on = models.DateField(
        _("end date alerted for"), null=True, blank=True, help_text=_("Empty for the missing-facts alert.")
    )
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    recipients = models.TextField(_("recipients"), help_text=_("The e-mail addresses it was sent to, comma-separated."))

    history = HistoricalRecords()

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("MOU alert")
        verbose_name_plural = _("MOU alerts")
        constraints = [
            models.UniqueConstraint(
                fields=["mou", "threshold", "ends_on"],
                condition=Q(ends_on__isnull=False),
                name="mou_alert_once_per_threshold_and_end",
                violation_error_message=_("This alert was already sent for this MOU and end date."),
            ),
            models.UniqueConstraint(
                fields=["mou", "threshold"],
                condition=Q(ends_on__isnull=True),
                name="mou_alert_once_per_threshold",
                violation_error_message=_("This alert was already sent for this MOU."),
            ),
            models.CheckConstraint(
                condition=Q(threshold=MouAlertThreshold.INCOMPLETE, ends_on__isnull=True)
                | (~Q(threshold=MouAlertThreshold.INCOMPLETE) & Q(ends_on__isnull=False)),
                name="mou_alert_end_date_for_deadlines",
                violation_error_message=_("A deadline alert names the end date it was sent for; no other alert does."),
            ),
        ]

    def __str__(self):
        return f"{self.mou}: {self.get_threshold_display()}"

    @staticmethod
    def end_date_for(mou, threshold):
        """The end date an alert about ``mou`` in state ``threshold`` is recorded under (none for missing facts)."""
        return None if MouAlertThreshold(threshold) == MouAlertThreshold.INCOMPLETE else mou.ends_on_last
