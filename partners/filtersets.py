"""FilterSets for the partners API: one per model, every filter declared explicitly.

Every foreign key filters by slug (``partner=schannel``) and by id (``partner_id=3``); models without
a slug (channels, MOUs) filter by id only. Invalid values fail the form, which the API turns into a 400.
"""

import django_filters
from django.apps import apps
from django.db.models import Exists, OuterRef, Q
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from kolregistry.api.filters import (
    IdFilter,
    IntegerFilter,
    RegistryFilterSet,
    SlugFilter,
    id_filter,
    scoped_subquery,
    slug_filter,
)

from .choices import AgencyKind, KolKind, MouPersonRole, MouSide, MouStatus, PartnerKind, Platform
from .models import (
    FOLLOWERS_RANK,
    Agency,
    Channel,
    ChannelMetric,
    Kol,
    Mou,
    MouPerson,
    PartnerCompany,
    Person,
    RosterMembership,
    active_on_condition,
    agency_subtree,
)


def overlapping(starts_on, ends_on, prefix=""):
    """Q for rows whose period may overlap the given partial dates' (None = open or unknown)."""
    condition = Q()
    if ends_on:
        condition &= Q(**{f"{prefix}starts_on__lte": ends_on.upper})
    if starts_on:
        condition &= Q(**{f"{prefix}ends_on_last__isnull": True}) | Q(**{f"{prefix}ends_on_last__gte": starts_on.lower})
    return condition


def campaign_queryset(request):
    # Resolved at request time: partners must not import the campaigns app, which depends on it.
    return apps.get_model("campaigns", "Campaign").objects.all()


class AgencyFilterSet(RegistryFilterSet):
    """``/api/v1/agencies/``: ``q``, ``kind``, ``parent`` / ``parent_id``."""

    kind = django_filters.MultipleChoiceFilter(choices=AgencyKind.choices, distinct=False)
    parent = slug_filter(Agency, "parent")
    parent_id = id_filter(Agency, "parent")

    class Meta:
        model = Agency
        fields = ("q", "kind", "parent", "parent_id")


class PartnerCompanyFilterSet(RegistryFilterSet):
    """``/api/v1/partners/``: ``q``, ``kind``."""

    kind = django_filters.MultipleChoiceFilter(choices=PartnerKind.choices, distinct=False)

    class Meta:
        model = PartnerCompany
        fields = ("q", "kind")


class KolFilterSet(RegistryFilterSet):
    """``/api/v1/kols/``: ``q`` (both spellings), ``kind``, ``nationality``, ``mou`` (the KOLs it names)."""

    kind = django_filters.MultipleChoiceFilter(choices=KolKind.choices, distinct=False)
    nationality = django_filters.CharFilter(field_name="nationality")
    mou = id_filter(Mou, "mous", single=True)

    class Meta:
        model = Kol
        fields = ("q", "kind", "nationality", "mou")


class FollowersFilter(IntegerFilter):
    """A bound on the latest follower count, written on ``FOLLOWERS_RANK``, the expression the follower order's
    index holds: the range becomes that index scan's bounds, not a filter on every row above it."""

    def filter(self, queryset, value):
        if value is None:
            return queryset
        if self.lookup_expr == "gte":  # never negative, so the uncounted channels' -1 stays out
            return queryset.filter(GreaterThanOrEqual(FOLLOWERS_RANK, value))
        return queryset.filter(GreaterThanOrEqual(FOLLOWERS_RANK, 0), LessThanOrEqual(FOLLOWERS_RANK, value))


class ChannelFilterSet(RegistryFilterSet):
    """``/api/v1/channels/``; ``ordering`` is handled by the view (it drives the keyset pagination)."""

    # Choices of a plain column never repeat a row; a DISTINCT would stop an ordered index scan at the page.
    platform = django_filters.MultipleChoiceFilter(choices=Platform.choices, distinct=False)
    partner = slug_filter(PartnerCompany, "partner", method="filter_managed_by")
    partner_id = id_filter(PartnerCompany, method="filter_managed_by")
    active_on = django_filters.DateFilter(
        method="filter_active_on",
        label=_("Under management on (with partner: that partner's roster on that date)"),
    )
    kol = slug_filter(Kol, "kol")
    kol_id = id_filter(Kol, "kol")
    agency = slug_filter(Agency, "agency")
    agency_id = id_filter(Agency, "agency")
    min_followers = FollowersFilter(field_name="followers", lookup_expr="gte", min_value=0)
    max_followers = FollowersFilter(field_name="followers", lookup_expr="lte", min_value=0)
    mou = id_filter(Mou, single=True, method="filter_mou")
    campaign = SlugFilter(
        queryset=campaign_queryset,
        to_field_name="slug",
        method="filter_campaign",
        label=_("Assigned to campaign (slug)"),
    )
    campaign_id = IdFilter(queryset=campaign_queryset, method="filter_campaign", label=_("Assigned to campaign (id)"))

    class Meta:
        model = Channel
        fields = (
            "q",
            "platform",
            "partner",
            "partner_id",
            "active_on",
            "kol",
            "kol_id",
            "agency",
            "agency_id",
            "min_followers",
            "max_followers",
            "mou",
            "campaign",
            "campaign_id",
        )

    def managed_channel_ids(self, **filters):
        # A plain IN (subquery) rather than a correlated EXISTS: SQLite would otherwise run the
        # subquery per channel through the partner index.
        # Scoped, so a partner cannot learn another partner's roster by filtering on it.
        memberships = scoped_subquery(self, RosterMembership.objects.filter(**filters))
        day = self.form.cleaned_data.get("active_on")
        if day:
            memberships = memberships.filter(active_on_condition(day))
        return memberships.values("channel_id")

    def filter_managed_by(self, queryset, name, partners):
        return queryset.filter(pk__in=self.managed_channel_ids(partner__in=partners))

    def filter_active_on(self, queryset, name, day):
        if self.form.cleaned_data.get("partner") or self.form.cleaned_data.get("partner_id"):
            return queryset  # the partner filter already limits its roster to this date
        return queryset.filter(pk__in=self.managed_channel_ids())

    def filter_mou(self, queryset, name, mou):
        named = Mou.channels.through.objects.filter(mou=mou, channel=OuterRef("pk"))
        managed = scoped_subquery(
            self,
            RosterMembership.objects.filter(
                overlapping(mou.starts_on, mou.ends_on), channel=OuterRef("pk"), partner_id=mou.partner_id
            ),
        )
        return queryset.filter(Exists(named) | Exists(managed))

    def filter_campaign(self, queryset, name, campaigns):
        assignments = apps.get_model("campaigns", "Assignment").objects
        return queryset.filter(Exists(assignments.filter(channel=OuterRef("pk"), campaign__in=campaigns)))


class RosterMembershipFilterSet(django_filters.FilterSet):
    """``/api/v1/memberships/``: ``channel`` (id), ``partner`` / ``partner_id``, ``active_on``."""

    channel = id_filter(Channel, "channel")
    channel_id = id_filter(Channel, "channel")
    partner = slug_filter(PartnerCompany, "partner")
    partner_id = id_filter(PartnerCompany, "partner")
    active_on = django_filters.DateFilter(method="filter_active_on", label=_("Active on"))

    class Meta:
        model = RosterMembership
        fields = ("channel", "channel_id", "partner", "partner_id", "active_on")

    def filter_active_on(self, queryset, name, day):
        return queryset.filter(active_on_condition(day))


class MouFilterSet(RegistryFilterSet):
    """``/api/v1/mous/``: agency (with ``include_children``), partner, status, dates, ``q``."""

    agency = slug_filter(Agency, "agency", method="filter_agency")
    agency_id = id_filter(Agency, method="filter_agency")
    include_children = django_filters.BooleanFilter(
        method="filter_include_children", label=_("With agency: include its subordinate agencies")
    )
    partner = slug_filter(PartnerCompany, "partner")
    partner_id = id_filter(PartnerCompany, "partner")
    status = django_filters.MultipleChoiceFilter(choices=MouStatus.choices, method="filter_status", label=_("Status"))
    active_on = django_filters.DateFilter(method="filter_active_on", label=_("In force on"))
    expires_within = IntegerFilter(
        method="filter_expires_within", min_value=0, max_value=36500, label=_("In force and ending within (days)")
    )
    signed_after = django_filters.DateFilter(field_name="signed_on", lookup_expr="gte")
    signed_before = django_filters.DateFilter(field_name="signed_on", lookup_expr="lte")

    class Meta:
        model = Mou
        fields = (
            "q",
            "agency",
            "agency_id",
            "include_children",
            "partner",
            "partner_id",
            "status",
            "active_on",
            "expires_within",
            "signed_after",
            "signed_before",
        )

    def filter_agency(self, queryset, name, agencies):
        if self.form.cleaned_data.get("include_children"):
            return queryset.filter(agency__in=agency_subtree(agency.pk for agency in agencies))
        return queryset.filter(agency__in=agencies)

    def filter_include_children(self, queryset, name, value):
        return queryset  # read by filter_agency

    def filter_status(self, queryset, name, statuses):
        return queryset.with_status_in(statuses)

    def filter_active_on(self, queryset, name, day):
        return queryset.active_on(day)

    def filter_expires_within(self, queryset, name, days):
        return queryset.expiring_within(days)


class ChannelMetricFilterSet(django_filters.FilterSet):
    """``/api/v1/channel-metrics/``: ``channel`` / ``channel_id``, measurement dates."""

    channel = id_filter(Channel, "channel")
    channel_id = id_filter(Channel, "channel")
    measured_after = django_filters.DateFilter(field_name="measured_on", lookup_expr="gte")
    measured_before = django_filters.DateFilter(field_name="measured_on", lookup_expr="lte")

    class Meta:
        model = ChannelMetric
        fields = ("channel", "channel_id", "measured_after", "measured_before")


class PersonFilterSet(RegistryFilterSet):
    """``/api/v1/people/``: ``q`` (both spellings, position), ``agency``, ``partner``, ``mou``, ``role``.

    ``mou`` and ``role`` match one link together: ``?mou=3&role=signatory`` is who signed MOU 3.
    """

    agency = slug_filter(Agency, "agency")
    agency_id = id_filter(Agency, "agency")
    partner = slug_filter(PartnerCompany, "partner")
    partner_id = id_filter(PartnerCompany, "partner")
    mou = id_filter(Mou, method="filter_mou_links")
    mou_id = id_filter(Mou, method="filter_mou_links")
    role = django_filters.MultipleChoiceFilter(
        choices=MouPersonRole.choices, method="filter_mou_links", label=_("Role in an MOU")
    )

    LINK_FILTERS = ("mou", "mou_id", "role")

    class Meta:
        model = Person
        fields = ("q", "agency", "agency_id", "partner", "partner_id", "mou", "mou_id", "role")

    def filter_mou_links(self, queryset, name, value):
        data = self.form.cleaned_data
        given = [filter_name for filter_name in self.LINK_FILTERS if data.get(filter_name)]
        if name != given[0]:
            return queryset  # the first link filter given applies them all
        links = MouPerson.objects.filter(person=OuterRef("pk"))
        mous = [*data.get("mou", []), *data.get("mou_id", [])]
        if mous:
            links = links.filter(mou__in=mous)
        if data.get("role"):
            links = links.filter(role__in=data["role"])
        # Scoped, so a partner cannot learn of links on other partners' MOUs by filtering on them.
        return queryset.filter(Exists(scoped_subquery(self, links)))


class MouPersonFilterSet(django_filters.FilterSet):
    """``/api/v1/mou-people/``: ``mou`` (id), ``person`` / ``person_id``, ``role``, ``side``."""

    mou = id_filter(Mou, "mou")
    mou_id = id_filter(Mou, "mou")
    person = slug_filter(Person, "person")
    person_id = id_filter(Person, "person")
    role = django_filters.MultipleChoiceFilter(choices=MouPersonRole.choices, distinct=False)
    side = django_filters.MultipleChoiceFilter(choices=MouSide.choices, distinct=False)

    class Meta:
        model = MouPerson
        fields = ("mou", "mou_id", "person", "person_id", "role", "side")
