"""Admin for hashtags, campaigns, assignments, campaign result reports and stated facts.

The partners app's admins of agencies, partner companies, KOLs, channels and MOUs are registered again here
with their stated facts, which the partners app cannot import.
"""

from django import forms
from django.contrib import admin
from django.db.models import F
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from kolregistry.admin import (
    TIMESTAMPS,
    ActiveTodayFilter,
    AutocompleteFilter,
    BoundedInline,
    ChoiceListFilter,
    LargeTableMixin,
    RegistryAdmin,
    RegistryFormsMixin,
    https_url_formfield,
    row_count,
    short_url,
)
from kolregistry.dates import stated_date
from kolregistry.sheets import SheetAdminMixin, SheetExportMixin
from partners import admin as partners_admin
from partners.admin import CampaignMouStatusFilter, ChannelManagedByPartnerFilter, PlatformsFilter
from partners.choices import Platform
from partners.models import Agency, Channel, Kol, Mou, PartnerCompany

from .models import (
    REPORT_FIGURE_FIELDS,
    Assignment,
    Campaign,
    CampaignReport,
    Hashtag,
    StatedFact,
    hashtag_search_value,
)
from .resources import AssignmentSheet, CampaignReportResource, CampaignSheet, HashtagSheet, StatedFactSheet

# A change page lists at most this many of the record's stated facts, and links to the list of all of them.
STATED_FACTS_SHOWN = 10


class StatedFactsMixin:
    """For the admin of a model that stated facts can be about: its change page shows the latest ones.

    ``stated_fact_field`` names the ``StatedFact`` field that points at the model.
    """

    stated_fact_field = None

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), "stated_fact_list")

    def get_sections(self, request, obj=None):
        sections = super().get_sections(request, obj)
        if obj is None:
            return sections
        return [*sections, (_("Stated facts"), {"fields": ["stated_fact_list"]})]

    @admin.display(description=_("stated facts"))
    def stated_fact_list(self, obj):
        # Facts are visible to whoever sees their subject (StatedFact.partner_scope), so no further scoping.
        facts = StatedFact.objects.filter(**{self.stated_fact_field: obj})
        total = facts.count()
        all_url = reverse("admin:campaigns_statedfact_changelist") + f"?{self.stated_fact_field}__id__exact={obj.pk}"
        if not total:
            return _("None recorded.")
        shown = facts[:STATED_FACTS_SHOWN]
        rows = format_html_join(
            "",
            '<li><a href="{}">{}: {}</a>{}</li>',
            (
                (
                    reverse("admin:campaigns_statedfact_change", args=[fact.pk]),
                    fact.measure,
                    fact.figure_text(),
                    format_html(" ({})", fact.stated_on) if fact.stated_on else "",
                )
                for fact in shown
            ),
        )
        label = _("All stated facts about this record (%(count)d)") % {"count": total}
        return format_html('<ul class="stated-facts">{}</ul><a href="{}">{}</a>', rows, all_url, label)


class PlatformsForm(forms.ModelForm):
    """Offers the platforms as checkboxes rather than raw JSON."""

    platforms = forms.MultipleChoiceField(
        label=capfirst(_("platforms")), choices=Platform.choices, required=False, widget=forms.CheckboxSelectMultiple
    )


class AssignmentInline(RegistryFormsMixin, BoundedInline):
    """The channels taking part in a campaign."""

    model = Assignment
    fields = ("channel", "role", "videos_planned", "deliverables", "starts_on", "ends_on", "status")
    autocomplete_fields = ("channel",)
    row_ordering = ("-pk",)  # the most recently assigned
    empty_text = _("No channels assigned to this campaign yet.")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("channel")


class CampaignReportInline(RegistryFormsMixin, BoundedInline):
    """Result reports of a campaign, one per source and date; they are never merged.

    One row per report with its figures, to compare them side by side; the platforms, the period the
    figures cover and the other counts are on the report's own page.
    """

    model = CampaignReport
    fields = (
        "reported_on",
        "hashtag",
        "videos",
        "views",
        "likes",
        "comments",
        "shares",
        "positive_share_pct",
        "approximate",
        "source_url",
        "source_note",
    )
    table_fields = (
        "reported",
        "hashtag",
        "platforms",
        "videos",
        "views",
        "likes",
        "comments",
        "shares",
        "positive_share_pct",
        "source",
    )
    autocomplete_fields = ("hashtag",)
    row_ordering = (F("reported_on").desc(nulls_last=True), "-pk")
    empty_text = _("No result reports recorded yet.")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("hashtag")

    @admin.display(description=_("reported on"))
    def reported(self, obj):
        return stated_date(obj, "reported_on")

    @admin.display(description=_("source"))
    def source(self, obj):
        return short_url(obj.source_url) if obj.source_url else obj.source_note


@admin.register(Hashtag)
class HashtagAdmin(SheetExportMixin, RegistryAdmin):
    """Hashtags, one entity across campaigns whatever their case."""

    resource_classes = (HashtagSheet,)

    list_display = ("__str__", "campaign_count", "source_url")
    search_fields = ("name",)

    def get_queryset(self, request):
        links = Campaign.hashtags.through.objects.all()
        return super().get_queryset(request).annotate(campaign_total=row_count(links, "hashtag"))

    def get_search_results(self, request, queryset, search_term):
        # A typed "#" is not part of the name.
        return super().get_search_results(request, queryset, hashtag_search_value(search_term))

    # Not sortable: sorting would count the campaigns of all hashtags, not just the page's.
    @admin.display(description=_("campaigns"))
    def campaign_count(self, obj):
        return obj.campaign_total


class CampaignForm(PlatformsForm):
    class Meta:
        model = Campaign
        formfield_callback = https_url_formfield
        fields = (
            "name",
            "name_vi",
            "slug",
            "starts_on",
            "ends_on",
            "mou",
            "organisers",
            "partners",
            "hashtags",
            "platforms",
            "description",
            "notes",
            "source_url",
        )


@admin.register(Campaign)
class CampaignAdmin(SheetExportMixin, StatedFactsMixin, RegistryAdmin):
    """Campaigns with their organisers, partners, hashtags, assignments, result reports and stated facts."""

    resource_classes = (CampaignSheet,)

    stated_fact_field = "campaign"
    form = CampaignForm
    # The Vietnamese name and the MOU are on the change page: the list fits 1366 px.
    list_display = ("name", "starts_on", "ends_on", "organiser_list", "partner_list", "hashtag_list", "platform_list")
    list_filter = (
        PlatformsFilter,
        ("partners", AutocompleteFilter),
        ActiveTodayFilter,
        CampaignMouStatusFilter,
        ("organisers", AutocompleteFilter),
    )
    list_select_related = ("mou",)
    search_fields = ("search_text",)
    autocomplete_fields = ("mou", "organisers", "partners", "hashtags")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (AssignmentInline, CampaignReportInline)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("organisers", "partners", "hashtags")

    @admin.display(description=_("organising agencies"))
    def organiser_list(self, obj):
        return ", ".join(agency.acronym or agency.name for agency in obj.organisers.all())

    @admin.display(description=_("partner companies"))
    def partner_list(self, obj):
        return ", ".join(str(partner) for partner in obj.partners.all())

    @admin.display(description=_("hashtags"))
    def hashtag_list(self, obj):
        return " ".join(str(hashtag) for hashtag in obj.hashtags.all())

    @admin.display(description=_("platforms"))
    def platform_list(self, obj):
        return obj.get_platforms_display()


@admin.register(Assignment)
class AssignmentAdmin(LargeTableMixin, SheetExportMixin, RegistryAdmin):
    """A channel's part in a campaign."""

    resource_classes = (AssignmentSheet,)

    list_display = ("channel", "campaign", "role", "videos_planned", "starts_on", "ends_on", "status")
    list_filter = (
        "status",
        "role",
        "channel__platform",
        ("channel__memberships__partner", ChannelManagedByPartnerFilter),
        ("campaign", AutocompleteFilter),
    )
    list_select_related = ("channel", "campaign")
    # The most recently assigned first, by the primary key: the model's ordering sorts through two tables.
    ordering = ("-id",)
    search_fields = ("campaign__search_text", "channel__search_text")
    autocomplete_fields = ("campaign", "channel")


@admin.register(CampaignReport)
class CampaignReportAdmin(LargeTableMixin, SheetAdminMixin, RegistryAdmin):
    """Campaign reach figures as each source reported them."""

    resource_classes = (CampaignReportResource,)

    form = PlatformsForm
    # Every figure one compares; approximate ones are marked "≈" in their cells.
    list_display = (
        "campaign",
        "hashtag",
        "platform_list",
        "reported",
        "videos",
        "views",
        "likes",
        "comments",
        "shares",
        "positive_share_pct",
    )
    list_filter = (PlatformsFilter, "approximate", ("campaign", AutocompleteFilter))
    list_select_related = ("campaign", "hashtag")
    # Newest first, by an index: the model's ordering by campaign sorts through the campaign table.
    ordering = (F("reported_on").desc(nulls_last=True), "-id")
    search_fields = ("campaign__search_text", "hashtag__name")
    autocomplete_fields = ("campaign", "hashtag")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "campaign",
                    "hashtag",
                    "platforms",
                    ("reported_on", "reported_on_approximate", "reported_on_as_stated"),
                    ("period_starts_on", "period_ends_on"),
                )
            },
        ),
        (
            _("Figures"),
            {"fields": (*REPORT_FIGURE_FIELDS, "approximate")},
        ),
        (_("Source"), {"fields": ("source_url", "source_note", "notes", "created_at", "updated_at")}),
    )

    @admin.display(description=_("platforms"))
    def platform_list(self, obj):
        return obj.get_platforms_display()

    @admin.display(description=_("reported on"), ordering="reported_on")
    def reported(self, obj):
        return stated_date(obj, "reported_on")


class StatedFactSubjectFilter(ChoiceListFilter):
    """What the fact is about: an agency, a partner company, a KOL, a channel, an MOU or a campaign."""

    title = _("about")
    parameter_name = "about"

    def lookups(self, request, model_admin):
        return [(name, capfirst(StatedFact._meta.get_field(name).verbose_name)) for name in StatedFact.SUBJECTS]

    def queryset(self, request, queryset):
        value = self.checked_value()
        return queryset if value is None else queryset.filter(**{f"{value}__isnull": False})


@admin.register(StatedFact)
class StatedFactAdmin(SheetExportMixin, RegistryAdmin):
    """Facts as the sources state them, when no field of the registry holds them."""

    resource_classes = (StatedFactSheet,)

    list_display = ("subject_display", "measure", "figure", "stated_on", "source")
    list_filter = (
        StatedFactSubjectFilter,
        "approximate",
        ("campaign", AutocompleteFilter),
        ("channel", AutocompleteFilter),
    )
    list_select_related = StatedFact.SUBJECTS
    search_fields = ("search_text",)
    autocomplete_fields = StatedFact.SUBJECTS
    fieldsets = (
        (_("About"), {"fields": StatedFact.SUBJECTS}),
        (_("Figure"), {"fields": ("measure", "value", "approximate", "as_stated", "stated_on")}),
        (_("Source"), {"fields": ("source_url", "source_note", "notes", *TIMESTAMPS)}),
    )

    @admin.display(description=_("about"))
    def subject_display(self, obj):
        subject = obj.subject
        if subject is None:
            return "-"
        kind = capfirst(StatedFact._meta.get_field(obj.subject_field).verbose_name)
        return f"{kind}: {subject}"

    @admin.display(description=_("figure"), ordering="value")
    def figure(self, obj):
        return obj.figure_text()

    @admin.display(description=_("source"))
    def source(self, obj):
        return short_url(obj.source_url) if obj.source_url else obj.source_note


# The partners app's admins again, each with the stated facts about its records.
admin.site.unregister([Agency, PartnerCompany, Kol, Channel, Mou])


@admin.register(Agency)
class AgencyAdmin(StatedFactsMixin, partners_admin.AgencyAdmin):
    """Agencies, with the facts stated about them."""

    stated_fact_field = "agency"


@admin.register(PartnerCompany)
class PartnerCompanyAdmin(StatedFactsMixin, partners_admin.PartnerCompanyAdmin):
    """Partner companies, with the facts stated about them."""

    stated_fact_field = "partner"


@admin.register(Kol)
class KolAdmin(StatedFactsMixin, partners_admin.KolAdmin):
    """KOLs, with the facts stated about them."""

    stated_fact_field = "kol"


@admin.register(Channel)
class ChannelAdmin(StatedFactsMixin, partners_admin.ChannelAdmin):
    """Channels, with the facts stated about them."""

    stated_fact_field = "channel"


@admin.register(Mou)
class MouAdmin(StatedFactsMixin, partners_admin.MouAdmin):
    """MOUs, with the facts stated about them."""

    stated_fact_field = "mou"
