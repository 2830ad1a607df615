"""Admin for hashtags, campaigns, assignments and campaign result reports."""

from django import forms
from django.contrib import admin
from django.db.models import Count
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from kolregistry.admin import ActiveTodayFilter, RegistryAdmin, RegistryFormsMixin, https_url_formfield
from partners.admin import CampaignMouStatusFilter, ChannelManagedByPartnerFilter, PlatformsFilter
from partners.choices import Platform

from .models import REPORT_FIGURE_FIELDS, Assignment, Campaign, CampaignReport, Hashtag, normalise_hashtag


class PlatformsForm(forms.ModelForm):
    """Offers the platforms as checkboxes rather than raw JSON."""

    platforms = forms.MultipleChoiceField(
        label=capfirst(_("platforms")), choices=Platform.choices, required=False, widget=forms.CheckboxSelectMultiple
    )


class AssignmentInline(RegistryFormsMixin, admin.TabularInline):
    """The channels taking part in a campaign."""

    model = Assignment
    fields = ("channel", "role", "videos_planned", "deliverables", "starts_on", "ends_on", "status")
    autocomplete_fields = ("channel",)
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("channel")


class CampaignReportInline(RegistryFormsMixin, admin.StackedInline):
    """Result reports of a campaign, one per source and date; they are never merged."""

    model = CampaignReport
    fields = (
        ("reported_on", "reported_on_approximate", "reported_on_as_stated"),
        ("platforms", "hashtag"),
        ("period_starts_on", "period_ends_on", "approximate"),
        ("videos", "template_uses", "views"),
        ("likes", "comments", "shares"),
        ("positive_share_pct", "profile_frame_changes", "story_template_uses"),
        ("source_url", "source_note"),
        "notes",
    )
    form = PlatformsForm
    autocomplete_fields = ("hashtag",)
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("hashtag")


@admin.register(Hashtag)
class HashtagAdmin(RegistryAdmin):
    """Hashtags, one entity across campaigns whatever their case."""

    list_display = ("__str__", "campaign_count", "source_url")
    # Explicit because the count annotation's GROUP BY drops Meta.ordering (autocomplete pages need an order).
    ordering = Hashtag._meta.ordering
    search_fields = ("name",)
    # Hashtags are written without accents; a typed "#" is not part of the name.
    search_lookups = ("name__icontains",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(campaign_total=Count("campaigns"))

    def get_search_results(self, request, queryset, search_term):
        terms = " ".join(normalise_hashtag(term) for term in search_term.split())
        return super().get_search_results(request, queryset, terms)

    @admin.display(description=_("campaigns"), ordering="campaign_total")
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
class CampaignAdmin(RegistryAdmin):
    """Campaigns with their organisers, partners, hashtags, assignments and result reports."""

    form = CampaignForm
    list_display = (
        "name",
        "name_vi",
        "starts_on",
        "ends_on",
        "mou",
        "organiser_list",
        "partner_list",
        "hashtag_list",
        "platform_list",
    )
    list_filter = (
        PlatformsFilter,
        ("partners", admin.RelatedOnlyFieldListFilter),
        ActiveTodayFilter,
        CampaignMouStatusFilter,
        ("organisers", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("mou",)
    search_fields = ("search_text",)
    search_lookups = ("search_text__contains", "hashtags__name__icontains")
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
class AssignmentAdmin(RegistryAdmin):
    """A channel's part in a campaign."""

    list_display = ("channel", "campaign", "role", "videos_planned", "starts_on", "ends_on", "status")
    list_filter = (
        "status",
        "role",
        "channel__platform",
        ChannelManagedByPartnerFilter,
        ("campaign", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("channel", "campaign")
    search_fields = ("campaign__search_text", "channel__search_text")
    search_lookups = (
        "campaign__search_text__contains",
        "channel__search_text__contains",
        "channel__kol__search_text__contains",
    )
    autocomplete_fields = ("campaign", "channel")


@admin.register(CampaignReport)
class CampaignReportAdmin(RegistryAdmin):
    """Campaign reach figures as each source reported them."""

    form = PlatformsForm
    list_display = (
        "campaign",
        "hashtag",
        "platform_list",
        "reported_on",
        "videos",
        "views",
        "likes",
        "comments",
        "shares",
        "positive_share_pct",
        "approximate",
    )
    list_filter = (PlatformsFilter, "approximate", ("campaign", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("campaign", "hashtag")
    search_fields = ("campaign__search_text", "hashtag__name")
    search_lookups = ("campaign__search_text__contains", "hashtag__name__icontains")
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
