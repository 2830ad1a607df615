"""FilterSets for the campaigns API: one per model, every filter declared explicitly.

Foreign keys filter by slug and by id; a hashtag's "slug" is its name, matched without case or ``#``.
"""

import datetime

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, Value
from django.db.models.functions import Coalesce, Lower
from django.utils.translation import gettext_lazy as _

from kolregistry.api.filters import (
    RegistryFilterSet,
    RelatedObjectsField,
    SlugFilter,
    id_filter,
    scoped_subquery,
    slug_filter,
)
from kolregistry.dates import LastDay
from kolregistry.search import search
from partners.choices import Platform
from partners.models import Agency, Channel, Kol, Mou, PartnerCompany, RosterMembership, active_on_condition

from .choices import AssignmentRole, AssignmentStatus
from .models import Assignment, Campaign, CampaignReport, Hashtag, StatedFact, hashtag_search_value, normalise_hashtag


class HashtagNameField(RelatedObjectsField):
    """Hashtags by name, ignoring case and a leading ``#``; an unknown name is an error."""

    def clean(self, value):
        names = {normalise_hashtag(name).lower() for name in (value or []) if normalise_hashtag(name)}
        if not names:
            return []
        hashtags = list(self.queryset.annotate(lower_name=Lower("name")).filter(lower_name__in=names))
        missing = sorted(names - {hashtag.name.lower() for hashtag in hashtags})
        if missing:
            raise ValidationError(
                _("There is no hashtag #%(name)s."), code="invalid_choice", params={"name": missing[0]}
            )
        return hashtags


class HashtagNameFilter(SlugFilter):
    """Hashtags by name (their "slug"), repeatable."""

    field_class = HashtagNameField


def platform_condition(platforms):
    """Rows (campaigns, reports) whose JSON ``platforms`` list holds any of ``platforms``.

    A text match on the quoted value works on SQLite too, which lacks JSON ``contains``.
    """
    condition = Q()
    for platform in platforms:
        condition |= Q(platforms__icontains=f'"{platform}"')
    return condition


class HashtagFilterSet(django_filters.FilterSet):
    """``/api/v1/hashtags/``: ``q`` (part of the name), ``campaign`` / ``campaign_id``."""

    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    campaign = slug_filter(Campaign, "campaigns", method="filter_campaign")
    campaign_id = id_filter(Campaign, method="filter_campaign")

    class Meta:
        model = Hashtag
        fields = ("q", "campaign", "campaign_id")

    def filter_q(self, queryset, name, value):
        return search(queryset, hashtag_search_value(value))

    def filter_campaign(self, queryset, name, campaigns):
        links = Campaign.hashtags.through.objects.filter(hashtag=OuterRef("pk"), campaign__in=campaigns)
        return queryset.filter(Exists(links))


class CampaignFilterSet(RegistryFilterSet):
    """``/api/v1/campaigns/``: ``agency``, ``partner``, ``mou``, ``hashtag``, ``platform``, ``active_on``, ``q``."""

    agency = slug_filter(Agency, "organisers", method="filter_agency")
    agency_id = id_filter(Agency, method="filter_agency")
    partner = slug_filter(PartnerCompany, "partners", method="filter_partner")
    partner_id = id_filter(PartnerCompany, method="filter_partner")
    mou = id_filter(Mou, "mou")
    hashtag = HashtagNameFilter(queryset=Hashtag.objects.all(), method="filter_hashtag", label=_("Hashtag (name)"))
    hashtag_id = id_filter(Hashtag, method="filter_hashtag")
    platform = django_filters.MultipleChoiceFilter(
        choices=Platform.choices, method="filter_platform", label=_("Platform")
    )
    active_on = django_filters.DateFilter(method="filter_active_on", label=_("Running on"))

    class Meta:
        model = Campaign
        fields = (
            "q",
            "agency",
            "agency_id",
            "partner",
            "partner_id",
            "mou",
            "hashtag",
            "hashtag_id",
            "platform",
            "active_on",
        )

    def filter_agency(self, queryset, name, agencies):
        links = Campaign.organisers.through.objects.filter(campaign=OuterRef("pk"), agency__in=agencies)
        return queryset.filter(Exists(links))

    def filter_partner(self, queryset, name, partners):
        links = Campaign.partners.through.objects.filter(campaign=OuterRef("pk"), partnercompany__in=partners)
        return queryset.filter(Exists(links))

    def filter_hashtag(self, queryset, name, hashtags):
        links = Campaign.hashtags.through.objects.filter(campaign=OuterRef("pk"), hashtag__in=hashtags)
        return queryset.filter(Exists(links))

    def filter_platform(self, queryset, name, platforms):
        return queryset.filter(platform_condition(platforms))

    def filter_active_on(self, queryset, name, day):
        return queryset.filter(active_on_condition(day))


class AssignmentFilterSet(django_filters.FilterSet):
    """``/api/v1/assignments/``: ``campaign``, ``channel``, ``partner`` (managing the channel), ``status``."""

    campaign = slug_filter(Campaign, "campaign")
    campaign_id = id_filter(Campaign, "campaign")
    channel = id_filter(Channel, "channel")
    channel_id = id_filter(Channel, "channel")
    partner = slug_filter(PartnerCompany, "partner", method="filter_partner")
    partner_id = id_filter(PartnerCompany, method="filter_partner")
    status = django_filters.MultipleChoiceFilter(choices=AssignmentStatus.choices)
    role = django_filters.MultipleChoiceFilter(choices=AssignmentRole.choices)

    class Meta:
        model = Assignment
        fields = ("campaign", "campaign_id", "channel", "channel_id", "partner", "partner_id", "status", "role")

    def filter_partner(self, queryset, name, partners):
        """Assignments of channels the partner managed during the assignment (or else campaign) period."""
        # Unknown dates count as open, so an undated assignment matches any management of its channel.
        # Partial dates count from their first possible day to their last.
        starts = Coalesce(OuterRef("starts_on"), OuterRef("campaign__starts_on"), Value(datetime.date.min))
        ends = Coalesce(LastDay("ends_on", ref=OuterRef), OuterRef("campaign__ends_on_last"), Value(datetime.date.max))
        managed = scoped_subquery(
            self,
            RosterMembership.objects.filter(
                Q(ends_on_last__isnull=True) | Q(ends_on_last__gte=starts),
                starts_on__lte=ends,
                channel=OuterRef("channel"),
                partner__in=partners,
            ),
        )
        return queryset.filter(Exists(managed))


class CampaignReportFilterSet(django_filters.FilterSet):
    """``/api/v1/campaign-reports/``: ``campaign``, ``hashtag``, ``platform``."""

    campaign = slug_filter(Campaign, "campaign")
    campaign_id = id_filter(Campaign, "campaign")
    hashtag = HashtagNameFilter(queryset=Hashtag.objects.all(), field_name="hashtag", distinct=False)
    hashtag_id = id_filter(Hashtag, "hashtag")
    platform = django_filters.MultipleChoiceFilter(
        choices=Platform.choices, method="filter_platform", label=_("Platform (combined reports included)")
    )

    class Meta:
        model = CampaignReport
        fields = ("campaign", "campaign_id", "hashtag", "hashtag_id", "platform")

    def filter_platform(self, queryset, name, platforms):
        return queryset.filter(platform_condition(platforms))


class StatedFactFilterSet(RegistryFilterSet):
    """``/api/v1/stated-facts/``: each subject by slug (where it has one) and id, ``measure``, dates, ``q``."""

    agency = slug_filter(Agency, "agency")
    agency_id = id_filter(Agency, "agency")
    partner = slug_filter(PartnerCompany, "partner")
    partner_id = id_filter(PartnerCompany, "partner")
    kol = slug_filter(Kol, "kol")
    kol_id = id_filter(Kol, "kol")
    channel = id_filter(Channel, "channel")
    channel_id = id_filter(Channel, "channel")
    mou = id_filter(Mou, "mou")
    mou_id = id_filter(Mou, "mou")
    campaign = slug_filter(Campaign, "campaign")
    campaign_id = id_filter(Campaign, "campaign")
    measure = django_filters.CharFilter(field_name="measure", lookup_expr="icontains", label=_("Measure contains"))
    stated_after = django_filters.DateFilter(field_name="stated_on", lookup_expr="gte")
    stated_before = django_filters.DateFilter(field_name="stated_on", lookup_expr="lte")

    class Meta:
        model = StatedFact
        fields = (
            "q",
            "agency",
            "agency_id",
            "partner",
            "partner_id",
            "kol",
            "kol_id",
            "channel",
            "channel_id",
            "mou",
            "mou_id",
            "campaign",
            "campaign_id",
            "measure",
            "stated_after",
            "stated_before",
        )
