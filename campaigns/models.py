"""Hashtag campaigns, their KOL assignments and result reports, and facts as the sources state them."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kolregistry.access import PartnerScope
from kolregistry.dates import (
    DatePrecisionField,
    PartialDateField,
    aligned_constraints,
    last_day_field,
    stated_date,
)
from kolregistry.models import NewestFirstIndex, SearchableModel, SourcedModel
from partners.choices import Platform
from partners.models import (
    Agency,
    Channel,
    Kol,
    Mou,
    PartnerCompany,
    active_on_condition,
    period_is_ordered,
    validate_period,
)

from .choices import AssignmentRole, AssignmentStatus

HASHTAG_PATTERN = re.compile(r"^\w+$")


def normalise_hashtag(text):
    """``"#ThoiKhacKhoQuen#"`` -> ``"ThoiKhacKhoQuen"``: no #, no surrounding spaces."""
    return (text or "").strip().strip("#").strip()


def hashtag_search_value(text):
    """A search for hashtags as typed, each without its "#": ``"#abc #Def"`` -> ``"abc Def"``."""
    return " ".join(normalise_hashtag(term) for term in (text or "").split())


def validate_period_within(inner, outer, outer_label):
    """Field-keyed errors when the period ``inner`` is certainly not inside ``outer``.

    Each is an object with partial ``starts_on`` / ``ends_on`` dates; a partial date is outside only
    when none of its possible days is inside.
    """
    starts_on, ends_on = inner.starts_on, inner.ends_on
    outer_start, outer_end = outer.starts_on, outer.ends_on
    errors = {}
    if starts_on and outer_start and starts_on.upper < outer_start.lower:
        errors["starts_on"] = _("Starts before the %(outer)s (%(date)s).") % {
            "outer": outer_label,
            "date": outer_start.display(),
        }
    if starts_on and outer_end and starts_on.lower > outer_end.upper:
        errors["starts_on"] = _("Starts after the %(outer)s ends (%(date)s).") % {
            "outer": outer_label,
            "date": outer_end.display(),
        }
    if ends_on and outer_end and ends_on.lower > outer_end.upper:
        errors["ends_on"] = _("Ends after the %(outer)s (%(date)s).") % {
            "outer": outer_label,
            "date": outer_end.display(),
        }
    if ends_on and outer_start and ends_on.upper < outer_start.lower:
        errors["ends_on"] = _("Ends before the %(outer)s starts (%(date)s).") % {
            "outer": outer_label,
            "date": outer_start.display(),
        }
    if errors:
        raise ValidationError(errors)


def clean_platforms(platforms):
    """A sorted list of distinct platform codes, or a field-keyed error."""
    if not isinstance(platforms, list) or any(p not in Platform.values for p in platforms):
        raise ValidationError(
            {"platforms": _("Choose platforms from: %(choices)s.") % {"choices": ", ".join(Platform.values)}}
        )
    return sorted(set(platforms))


def platforms_display(platforms, combined=False):
    """ "TikTok, YouTube"; for one figure over several platforms, "Facebook + Instagram (combined)"."""
    labels = [str(Platform(p).label) for p in platforms if p in Platform.values]
    if combined and len(labels) > 1:
        return _("%(platforms)s (combined)") % {"platforms": " + ".join(labels)}
    return ", ".join(labels)


class Hashtag(SourcedModel):
    """A hashtag, one entity across campaigns: #BanSacViet and #bansacviet are the same tag."""

    # A partner sees the hashtags of its campaigns and of their reports.
    partner_scope = PartnerScope(via=("campaigns", "reports"))

    name = models.CharField(_("name"), max_length=100, help_text=_("Without the leading #."))
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()

    # What the admin's search box and the API's ?q= match (kolregistry.search).
    search_paths = ("name",)

    class Meta:
        ordering = [Lower("name")]
        verbose_name = _("hashtag")
        verbose_name_plural = _("hashtags")
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="hashtag_name_unique_ci",
                violation_error_message=_("This hashtag already exists (hashtags ignore case)."),
            ),
            models.CheckConstraint(
                condition=~Q(name="") & ~Q(name__contains="#") & ~Q(name__contains=" "),
                name="hashtag_name_bare",
                violation_error_message=_("A hashtag name has no # and no spaces."),
            ),
        ]

    brief_fields = ("name",)

    def __str__(self):
        return f"#{self.name}"

    @property
    def slug(self):
        return self.name.lower()

    def clean(self):
        self.name = normalise_hashtag(self.name)
        if not HASHTAG_PATTERN.match(self.name):
            raise ValidationError({"name": _("A hashtag is letters, digits and underscores only, e.g. BanSacViet.")})

    def save(self, *args, **kwargs):
        self.name = normalise_hashtag(self.name)
        super().save(*args, **kwargs)


class CampaignQuerySet(models.QuerySet):
    """Campaign lookups by date."""

    def active_on(self, day):
        return self.filter(active_on_condition(day))


class Campaign(SearchableModel):
    """A hashtag campaign run by one or more agencies, optionally under an MOU."""

    # A partner sees the campaigns it takes part in, and those where one of its channels has an assignment.
    partner_scope = PartnerScope(partner="partners", via=("assignments",))

    name = models.CharField(_("name (English)"), max_length=255)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=255, blank=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    starts_on_precision = DatePrecisionField()
    starts_on = PartialDateField(_("starts on"), null=True, blank=True, help_text=_("Empty when unknown."))
    ends_on_precision = DatePrecisionField()
    ends_on = PartialDateField(_("ends on"), null=True, blank=True, help_text=_("Empty when unknown or open."))
    ends_on_last = last_day_field("ends_on", _("last possible end day"))
    organisers = models.ManyToManyField(
        Agency, verbose_name=_("organising agencies"), blank=True, related_name="campaigns"
    )
    partners = models.ManyToManyField(
        PartnerCompany, verbose_name=_("partner companies"), blank=True, related_name="campaigns"
    )
    mou = models.ForeignKey(
        Mou, verbose_name=_("MOU"), on_delete=models.PROTECT, null=True, blank=True, related_name="campaigns"
    )
    hashtags = models.ManyToManyField(Hashtag, verbose_name=_("hashtags"), blank=True, related_name="campaigns")
    platforms = models.JSONField(_("platforms"), default=list, blank=True)
    description = models.TextField(_("description and content pillars"), blank=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = CampaignQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[organisers, partners, hashtags])
    search_source_fields = ("name", "name_vi", "description")
    # What the admin's search box and the API's ?q= match (kolregistry.search).
    search_paths = ("", "hashtags__name")

    class Meta:
        ordering = [F("starts_on").desc(nulls_last=True), "name"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.CheckConstraint(
                condition=period_is_ordered(),
                name="campaign_period_ordered",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            *aligned_constraints("campaign", "starts_on", "ends_on"),
        ]
        indexes = [
            models.Index(fields=["starts_on", "ends_on_last"], name="campaign_period_idx"),
            # The API's order (?ordering=name, the default): a page is read from the index, not a sort of all.
            models.Index(fields=["name", "id"], name="campaign_name_id_idx"),
        ]

    brief_fields = ("name",)

    def __str__(self):
        return self.name

    def get_platforms_display(self):
        return platforms_display(self.platforms)

    def clean(self):
        self.platforms = clean_platforms(self.platforms)
        validate_period(self.starts_on, self.ends_on)
        if self.mou_id:
            validate_period_within(self, self.mou, _("MOU period"))


class Assignment(SourcedModel):
    """A channel's part in a campaign: role, deliverables, period and status."""

    # A partner sees the assignments of the channels it has had on its roster (not of those its MOUs
    # merely name: their campaigns are other partners' business).
    partner_scope = PartnerScope(via=("channel__memberships",))

    # A campaign's assignments record who took part: it cannot be deleted until they are.
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="assignments"
    )
    channel = models.ForeignKey(
        Channel, verbose_name=_("channel"), on_delete=models.PROTECT, related_name="assignments"
    )
    role = models.CharField(_("role"), max_length=20, choices=AssignmentRole.choices, default=AssignmentRole.CREATOR)
    videos_planned = models.PositiveIntegerField(_("videos planned"), null=True, blank=True)
    deliverables = models.TextField(_("other deliverables"), blank=True)
    starts_on_precision = DatePrecisionField()
    starts_on = PartialDateField(_("starts on"), null=True, blank=True)
    ends_on_precision = DatePrecisionField()
    ends_on = PartialDateField(_("ends on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=AssignmentStatus.choices, default=AssignmentStatus.PLANNED
    )
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()

    # What the admin's search box and the API's ?q= match (kolregistry.search).
    search_paths = ("campaign", "channel")

    class Meta:
        ordering = ["campaign", "channel"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "channel", "role"],
                name="assignment_unique_role_per_channel",
                violation_error_message=_("This channel already has this role in the campaign."),
            ),
            models.CheckConstraint(
                condition=period_is_ordered(),
                name="assignment_period_ordered",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            *aligned_constraints("assignment", "starts_on", "ends_on"),
        ]

    def __str__(self):
        return f"{self.channel} in {self.campaign} ({self.get_role_display()})"

    def clean(self):
        validate_period(self.starts_on, self.ends_on)
        if self.campaign_id:
            validate_period_within(self, self.campaign, _("campaign period"))


REPORT_FIGURE_FIELDS = (
    "videos",
    "template_uses",
    "views",
    "likes",
    "comments",
    "shares",
    "positive_share_pct",
    "profile_frame_changes",
    "story_template_uses",
)


class CampaignReport(SourcedModel):
    """Reach figures for a campaign (optionally one hashtag), as one source reported them.

    The figures may cover several platforms together (``platforms``). Reports are never overwritten:
    two sources that disagree stand side by side.
    """

    # A partner sees the reports of the campaigns it sees.
    partner_scope = PartnerScope(via=("campaign",))

    # Figures with a source are facts: a campaign that has them cannot be deleted until they are.
    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="reports")
    hashtag = models.ForeignKey(
        Hashtag, verbose_name=_("hashtag"), on_delete=models.PROTECT, null=True, blank=True, related_name="reports"
    )
    platforms = models.JSONField(
        _("platforms"),
        default=list,
        blank=True,
        help_text=_("Several when one figure covers them together; empty when the source names none."),
    )
    reported_on_precision = DatePrecisionField()
    reported_on = PartialDateField(
        _("reported on"), null=True, blank=True, help_text=_("Empty when the source gives no date.")
    )
    reported_on_approximate = models.BooleanField(
        _("date approximate"),
        default=False,
        help_text=_("The source gives the date only relative to an event, e.g. 'after a week'."),
    )
    reported_on_as_stated = models.CharField(
        _("date as stated"), max_length=100, blank=True, help_text=_("The source's own wording of the date.")
    )
    period_starts_on_precision = DatePrecisionField()
    period_starts_on = PartialDateField(_("figures from"), null=True, blank=True)
    period_ends_on_precision = DatePrecisionField()
    period_ends_on = PartialDateField(_("figures until"), null=True, blank=True)
    videos = models.PositiveBigIntegerField(_("videos"), null=True, blank=True)
    template_uses = models.PositiveBigIntegerField(_("video template uses"), null=True, blank=True)
    views = models.PositiveBigIntegerField(_("views"), null=True, blank=True)
    likes = models.PositiveBigIntegerField(_("likes"), null=True, blank=True)
    comments = models.PositiveBigIntegerField(_("comments"), null=True, blank=True)
    shares = models.PositiveBigIntegerField(_("shares"), null=True, blank=True)
    positive_share_pct = models.DecimalField(
        _("positive content (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    profile_frame_changes = models.PositiveBigIntegerField(_("profile-frame changes"), null=True, blank=True)
    story_template_uses = models.PositiveBigIntegerField(_("story-template uses"), null=True, blank=True)
    approximate = models.BooleanField(
        _("approximate"), default=False, help_text=_("The source says 'nearly', 'over' or 'about'.")
    )
    source_note = models.CharField(_("source description"), max_length=500, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()

    FIGURE_FIELDS = REPORT_FIGURE_FIELDS

    # What the admin's search box and the API's ?q= match (kolregistry.search).
    search_paths = ("campaign", "hashtag__name")

    class Meta:
        ordering = ["campaign", F("reported_on").asc(nulls_last=True), "id"]
        verbose_name = _("campaign result report")
        verbose_name_plural = _("campaign result reports")
        constraints = [
            models.CheckConstraint(
                condition=~Q(source_url="") | ~Q(source_note=""),
                name="campaign_report_has_source",
                violation_error_message=_("Give the source of the figures: a URL or a description."),
            ),
            models.CheckConstraint(
                condition=Q.create([(f"{name}__isnull", False) for name in REPORT_FIGURE_FIELDS], connector=Q.OR),
                name="campaign_report_has_a_figure",
                violation_error_message=_("Record at least one figure."),
            ),
            models.CheckConstraint(
                condition=Q(positive_share_pct__isnull=True)
                | Q(positive_share_pct__gte=0, positive_share_pct__lte=100),
                name="campaign_report_positive_share_is_percentage",
                violation_error_message=_("The positive-content share is a percentage from 0 to 100."),
            ),
            models.CheckConstraint(
                condition=period_is_ordered("period_starts_on", "period_ends_on"),
                name="campaign_report_period_ordered",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(reported_on_approximate=False) | ~Q(reported_on_as_stated=""),
                name="campaign_report_approximate_date_as_stated",
                violation_error_message=_("Give the source's wording of an approximate date."),
            ),
            *aligned_constraints("campaign_report", "reported_on", "period_starts_on", "period_ends_on"),
        ]
        indexes = [
            models.Index(fields=["campaign", "reported_on"], name="campaign_report_date_idx"),
            # The admin's list, newest first (CampaignReportAdmin.ordering).
            NewestFirstIndex("reported_on", name="campaign_report_newest_idx"),
        ]

    def __str__(self):
        return f"{self.campaign} @ {stated_date(self, 'reported_on')}"

    @property
    def combined(self):
        """Whether one set of figures covers several platforms together."""
        return len(self.platforms) > 1

    def get_platforms_display(self):
        return platforms_display(self.platforms, combined=True)

    def clean(self):
        errors = {}
        if not self.source_url and not self.source_note:
            errors["source_url"] = _("Give the source of the figures: a URL or a description.")
        if all(getattr(self, name) is None for name in self.FIGURE_FIELDS):
            errors["views"] = _("Record at least one figure.")
        if self.positive_share_pct is not None and not 0 <= self.positive_share_pct <= 100:
            errors["positive_share_pct"] = _("The positive-content share is a percentage from 0 to 100.")
        try:
            self.platforms = clean_platforms(self.platforms)
        except ValidationError as error:
            errors.update(error.message_dict)
        try:
            validate_period(self.period_starts_on, self.period_ends_on, "period_ends_on")
        except ValidationError as error:
            errors.update(error.message_dict)
        if self.reported_on_approximate and not self.reported_on_as_stated:
            errors["reported_on_as_stated"] = _("Give the source's wording of an approximate date.")
        if errors:
            raise ValidationError(errors)


# What a stated fact can be about, in the order forms show them.
STATED_FACT_SUBJECTS = ("agency", "partner", "kol", "channel", "mou", "campaign")


def exactly_one_of(*names):
    """DB condition: exactly one of the nullable fields ``names`` is set."""
    return Q.create(
        [Q(**{f"{name}__isnull": name != chosen for name in names}) for chosen in names],
        connector=Q.OR,
    )


class StatedFact(SearchableModel):
    """A figure as a source states it, when none of the registry's own fields can hold it.

    "Nearly 11,000 concurrent viewers" of a livestream, "1 billion monthly users" of a platform, "hundreds of
    entries" to a contest: what is counted (``measure``), the number when there is one, and the source's own
    wording. Like metrics and reports, facts are never merged: two sources that disagree are two facts.
    """

    # A partner sees the facts about what it sees.
    partner_scope = PartnerScope(via=STATED_FACT_SUBJECTS)

    # PROTECT, as for every sourced figure: a record that facts are about cannot be deleted until they are,
    # so no fact disappears as a side effect.
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, null=True, blank=True, related_name="stated_facts"
    )
    partner = models.ForeignKey(
        PartnerCompany,
        verbose_name=_("partner company"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stated_facts",
    )
    kol = models.ForeignKey(
        Kol, verbose_name=_("KOL"), on_delete=models.PROTECT, null=True, blank=True, related_name="stated_facts"
    )
    channel = models.ForeignKey(
        Channel, verbose_name=_("channel"), on_delete=models.PROTECT, null=True, blank=True, related_name="stated_facts"
    )
    mou = models.ForeignKey(
        Mou, verbose_name=_("MOU"), on_delete=models.PROTECT, null=True, blank=True, related_name="stated_facts"
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stated_facts",
    )
    measure = models.CharField(
        _("measure"),
        max_length=255,
        help_text=_("What is counted, e.g. “concurrent viewers of a livestream”, “monthly users”, “contest entries”."),
    )
    value = models.PositiveBigIntegerField(
        _("value"), null=True, blank=True, help_text=_("Empty when the source gives no number, e.g. “hundreds”.")
    )
    approximate = models.BooleanField(
        _("approximate"), default=False, help_text=_("The source says 'nearly', 'over', 'about' or 'hundreds'.")
    )
    as_stated = models.CharField(
        _("as stated"),
        max_length=100,
        blank=True,
        help_text=_(
            "The source's own wording of the figure, e.g. “nearly 11,000”, “hàng trăm”. Required without a value."
        ),
    )
    stated_on_precision = DatePrecisionField()
    stated_on = PartialDateField(
        _("figure dated"), null=True, blank=True, help_text=_("The date the figure refers to; empty when not stated.")
    )
    source_note = models.CharField(_("source description"), max_length=500, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()
    search_source_fields = ("measure", "as_stated")
    # What the admin's search box and the API's ?q= match (kolregistry.search).
    search_paths = ("", *STATED_FACT_SUBJECTS)

    SUBJECTS = STATED_FACT_SUBJECTS

    class Meta:
        ordering = [F("stated_on").desc(nulls_last=True), "measure", "id"]
        verbose_name = _("stated fact")
        verbose_name_plural = _("stated facts")
        constraints = [
            models.CheckConstraint(
                condition=exactly_one_of(*STATED_FACT_SUBJECTS),
                name="stated_fact_exactly_one_subject",
                violation_error_message=_(
                    "A stated fact is about exactly one agency, partner company, KOL, channel, MOU or campaign."
                ),
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=False) | ~Q(as_stated=""),
                name="stated_fact_has_value_or_wording",
                violation_error_message=_("Give the figure, or the source's wording when it gives no number."),
            ),
            models.CheckConstraint(
                condition=~Q(source_url="") | ~Q(source_note=""),
                name="stated_fact_has_source",
                violation_error_message=_("Give the source of the fact: a URL or a description."),
            ),
            *aligned_constraints("stated_fact", "stated_on"),
        ]

    def __str__(self):
        return f"{self.subject}: {self.measure} {self.figure_text()}".strip()

    @property
    def subject(self):
        """The one record the fact is about (None until one is chosen)."""
        return next((getattr(self, name) for name in self.SUBJECTS if getattr(self, f"{name}_id")), None)

    @property
    def subject_field(self):
        return next((name for name in self.SUBJECTS if getattr(self, f"{name}_id")), None)

    def figure_text(self):
        """The figure for people: ``11,000 (“nearly 11,000”)``, ``“hàng trăm”``, ``≈ 11,000``."""
        number = number_format(self.value, force_grouping=True) if self.value is not None else ""
        if self.as_stated:
            return f"{number} (“{self.as_stated}”)" if number else f"“{self.as_stated}”"
        return f"≈ {number}" if self.approximate else number

    def clean(self):
        errors = {}
        chosen = [name for name in self.SUBJECTS if getattr(self, f"{name}_id")]
        if not chosen:
            errors[self.SUBJECTS[0]] = _(
                "Choose what the fact is about: an agency, partner company, KOL, channel, MOU or campaign."
            )
        for name in chosen[1:]:
            errors[name] = _("A stated fact is about one record only: keep %(first)s or %(other)s, not both.") % {
                "first": self._meta.get_field(chosen[0]).verbose_name,
                "other": self._meta.get_field(name).verbose_name,
            }
        if self.value is None and not self.as_stated:
            errors["as_stated"] = _("Give the figure, or the source's wording when it gives no number.")
        if not self.source_url and not self.source_note:
            errors["source_url"] = _("Give the source of the fact: a URL or a description.")
        if errors:
            raise ValidationError(errors)
