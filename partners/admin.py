"""Admin for agencies, partner companies, KOLs, channels, roster memberships, MOUs and the people who sign them."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Prefetch
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kolregistry.access import ministry_users, scope_queryset
from kolregistry.admin import (
    TIMESTAMPS,
    ActiveTodayFilter,
    AutocompleteFilter,
    BoundedInline,
    ChoiceListFilter,
    LanguageFilter,
    LargeTableMixin,
    NationalityFilter,
    RegistryAdmin,
    RegistryFormsMixin,
    row_count,
)
from kolregistry.dates import stated_date
from kolregistry.names import country_name
from kolregistry.sheets import SheetAdminMixin, SheetExportMixin

from .choices import MouAlertThreshold, MouStatus, Platform
from .models import (
    Agency,
    Channel,
    ChannelMetric,
    Kol,
    Mou,
    MouPerson,
    PartnerCompany,
    Person,
    RosterMembership,
)
from .resources import (
    AgencySheet,
    ChannelMetricResource,
    ChannelResource,
    KolResource,
    MouPersonSheet,
    MouSheet,
    PartnerCompanySheet,
    PersonSheet,
    RosterMembershipResource,
)
from .services import renew_mou

# List filters that know about rosters, MOUs and platforms; the campaigns admin uses them too.


class ManagedByPartnerFilter(AutocompleteFilter):
    """Channels on a partner's roster today, through an active roster membership; the partner picked in a box.

    Listed as ``("memberships__partner", ManagedByPartnerFilter)`` (the path to a channel's partners, whose
    autocomplete offers them); ``channel_path`` is the lookup from the listed model to the channel's id.
    """

    title = _("managed by partner (today)")
    parameter_name = "managed_by"
    channel_path = "pk"

    def queryset(self, request, queryset):
        if self.chosen is None:
            return queryset
        channel_ids = RosterMembership.objects.active_on(timezone.localdate()).filter(partner=self.chosen)
        return queryset.filter(**{f"{self.channel_path}__in": channel_ids.values("channel_id")})


class ChannelManagedByPartnerFilter(ManagedByPartnerFilter):
    """For rows that point at a channel (metrics, assignments): ``("channel__memberships__partner", ...)``."""

    channel_path = "channel"


class MouStatusFilter(ChoiceListFilter):
    """The derived MOU status (draft, active, expired, terminated); ``mou_path`` leads to the MOU."""

    title = _("MOU status")
    parameter_name = "mou_status"
    mou_path = "pk"

    def lookups(self, request, model_admin):
        return MouStatus.choices

    def queryset(self, request, queryset):
        value = self.checked_value()
        if value is None:
            return queryset
        return queryset.filter(**{f"{self.mou_path}__in": Mou.objects.with_status_in([value]).values("pk")})


class CampaignMouStatusFilter(MouStatusFilter):
    """For campaigns: the status of the MOU the campaign runs under."""

    mou_path = "mou"


class ExpiringWithinFilter(ChoiceListFilter):
    """Active MOUs whose end date falls within the chosen number of days."""

    title = _("time left")
    parameter_name = "expiring_within"

    def lookups(self, request, model_admin):
        return [
            ("30", _("within 30 days")),
            ("90", _("within 90 days")),
            ("180", _("within 180 days")),
        ]

    def queryset(self, request, queryset):
        value = self.checked_value()
        if value is None:
            return queryset
        return queryset.filter(pk__in=Mou.objects.expiring_within(int(value)).values("pk"))


class MouAlertFilter(ChoiceListFilter):
    """MOUs in an alert state today: the states ``manage.py mou_alerts`` e-mails about (``MouQuerySet.alerting``)."""

    title = _("alert")
    parameter_name = "alert"

    def lookups(self, request, model_admin):
        return MouAlertThreshold.choices

    def queryset(self, request, queryset):
        value = self.checked_value()
        if value is None:
            return queryset
        return queryset.filter(pk__in=Mou.objects.alerting(value).values("pk"))


class PlatformsFilter(ChoiceListFilter):
    """For a JSON list of platforms (campaigns)."""

    title = _("platform")
    parameter_name = "platform"

    def lookups(self, request, model_admin):
        return Platform.choices

    def queryset(self, request, queryset):
        value = self.checked_value()
        if value is None:
            return queryset
        # JSON containment is PostgreSQL-only; the quoted value matches one list item on every backend.
        return queryset.filter(platforms__icontains=f'"{value}"')


# Memberships still running first, then the most recently ended.
CURRENT_FIRST = (F("ends_on").desc(nulls_first=True), F("starts_on").desc(nulls_last=True), "-pk")


class ChannelInline(RegistryFormsMixin, BoundedInline):
    """Channels under their owner (a KOL or an agency); the other owner field stays empty."""

    model = Channel
    fields = ("platform", "display_name", "handle", "url", "language", "launched_on", "followers")
    readonly_fields = ("followers",)
    rows_read_only = True
    row_ordering = ("-created_at", "-pk")
    empty_text = _("No channels recorded yet.")


class PartnerRosterInline(RegistryFormsMixin, BoundedInline):
    """The channels a partner company manages, past and present."""

    model = RosterMembership
    fields = ("channel", "starts_on", "ends_on", "source_url", "notes")
    autocomplete_fields = ("channel",)
    rows_read_only = True
    row_ordering = CURRENT_FIRST
    empty_text = _("No channels on this company's roster yet.")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("channel")


class ChannelRosterInline(RegistryFormsMixin, BoundedInline):
    """The partner companies that managed a channel, past and present."""

    model = RosterMembership
    fields = ("partner", "starts_on", "ends_on", "source_url", "notes")
    autocomplete_fields = ("partner",)
    rows_read_only = True
    row_ordering = CURRENT_FIRST
    empty_text = _("No partner company has managed this channel yet.")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("partner")


class ChannelMetricInline(RegistryFormsMixin, BoundedInline):
    """Dated audience snapshots of a channel.

    The figures and their source fit one row at 1366 px; how the date was stated and what the figure
    is about are on the snapshot's own page.
    """

    model = ChannelMetric
    fields = ("measured_on", "followers", "likes", "views", "comments", "approximate", "source_url", "source_note")
    rows_read_only = True
    row_ordering = (F("measured_on").desc(nulls_last=True), "-pk")
    empty_text = _("No metric snapshots recorded yet.")


class MouPeopleInline(RegistryFormsMixin, BoundedInline):
    """The people of an MOU: who signed it, who are its contacts, who was present, for which side."""

    model = MouPerson
    fields = ("person", "role", "side", "source_url", "notes")
    autocomplete_fields = ("person",)
    empty_text = _("No signatories or contact persons recorded yet.")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person")


class PersonMousInline(RegistryFormsMixin, BoundedInline):
    """The MOUs a person signed, is a contact for or was present at."""

    model = MouPerson
    fields = ("mou", "role", "side", "source_url", "notes")
    autocomplete_fields = ("mou",)
    empty_text = _("Not named in any MOU yet.")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("mou")


@admin.register(Agency)
class AgencyAdmin(SheetExportMixin, RegistryAdmin):
    """Agencies and their tree (ministry, department, center)."""

    resource_classes = (AgencySheet,)

    # The province and website are on the change page: the list fits 1366 px.
    list_display = ("name", "name_vi", "acronym", "kind", "parent")
    list_filter = ("kind", "province")
    list_select_related = ("parent",)
    search_fields = ("search_text",)
    autocomplete_fields = ("parent",)
    prepopulated_fields = {"slug": ("name",)}
    inlines = (ChannelInline,)


@admin.register(PartnerCompany)
class PartnerCompanyAdmin(SheetExportMixin, RegistryAdmin):
    """Partner companies with their roster of channels."""

    resource_classes = (PartnerCompanySheet,)

    list_display = ("short_name", "legal_name", "kind", "tax_code", "roster_today")
    list_filter = ("kind",)
    search_fields = ("search_text",)
    prepopulated_fields = {"slug": ("short_name",)}
    inlines = (PartnerRosterInline,)

    def get_queryset(self, request):
        active = RosterMembership.objects.active_on(timezone.localdate())
        return super().get_queryset(request).annotate(roster_size=row_count(active, "partner"))

    # Not sortable: sorting would count every partner's roster (0.4 s at 60,000 memberships), not the page's.
    @admin.display(description=_("channels managed today"))
    def roster_today(self, obj):
        return obj.roster_size


@admin.register(Kol)
class KolAdmin(LargeTableMixin, SheetAdminMixin, RegistryAdmin):
    """KOLs with their channels; search also matches their channels' names and handles."""

    resource_classes = (KolResource,)

    list_display = ("name", "name_en", "kind", "nationality_name", "channel_count")
    list_filter = ("kind", NationalityFilter)
    ordering = ("name", "id")  # the index the API orders by
    search_fields = ("search_text",)
    prepopulated_fields = {"slug": ("name",)}
    inlines = (ChannelInline,)

    def get_queryset(self, request):
        # A partner counts only the channels it may see: the others' number is out of its scope too.
        visible = scope_queryset(request, Channel.objects.all())
        return super().get_queryset(request).annotate(channel_total=row_count(visible, "kol"))

    @admin.display(description=_("nationality"), ordering="nationality")
    def nationality_name(self, obj):
        return country_name(obj.nationality) if obj.nationality else None

    # Not sortable: sorting would count the channels of all KOLs, not just the page's.
    @admin.display(description=_("channels"))
    def channel_count(self, obj):
        return obj.channel_total


@admin.register(Channel)
class ChannelAdmin(LargeTableMixin, SheetAdminMixin, RegistryAdmin):
    """Channels with their owner, latest follower count, metrics and roster history."""

    resource_classes = (ChannelResource,)

    # The name falls back to the handle; handle and language are on the change page.
    list_display = ("name", "platform", "owner", "managed_by_today", "followers", "followers_on")
    list_filter = ("platform", ("memberships__partner", ManagedByPartnerFilter), LanguageFilter)
    list_select_related = ("kol", "agency")
    # By name, then id: the index the API orders by (no index serves the model's platform first).
    ordering = ("display_name", "id")
    search_fields = ("search_text",)
    autocomplete_fields = ("kol", "agency")
    readonly_fields = ("followers", "followers_on", *TIMESTAMPS)
    inlines = (ChannelMetricInline, ChannelRosterInline)

    def get_queryset(self, request):
        # A partner user sees its own management only: another company's name is out of its scope.
        active = scope_queryset(request, RosterMembership.objects.active_on(timezone.localdate())).select_related(
            "partner"
        )
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("memberships", queryset=active, to_attr="active_memberships"))
        )

    @admin.display(description=_("channel"), ordering="display_name")
    def name(self, obj):
        return obj.display_name or obj.handle or obj.url or "-"

    @admin.display(description=_("owner"))
    def owner(self, obj):
        return obj.owner

    @admin.display(description=_("managed by (today)"))
    def managed_by_today(self, obj):
        return ", ".join(str(membership.partner) for membership in obj.active_memberships) or "-"


@admin.register(ChannelMetric)
class ChannelMetricAdmin(LargeTableMixin, SheetAdminMixin, RegistryAdmin):
    """Dated audience snapshots; conflicting figures stand side by side."""

    resource_classes = (ChannelMetricResource,)

    # Approximate figures are marked "≈" in their cells rather than in a column of their own.
    list_display = ("channel", "measured", "subject", "followers", "likes", "views", "comments")
    list_filter = (
        "channel__platform",
        ("channel__memberships__partner", ChannelManagedByPartnerFilter),
        "approximate",
    )
    list_select_related = ("channel",)
    # Newest first, by an index: the model's ordering by channel sorts through the channel table.
    ordering = (F("measured_on").desc(nulls_last=True), "-id")
    search_fields = ("channel__search_text",)
    autocomplete_fields = ("channel",)

    @admin.display(description=_("measured on"), ordering="measured_on")
    def measured(self, obj):
        return stated_date(obj, "measured_on")


@admin.register(RosterMembership)
class RosterMembershipAdmin(LargeTableMixin, SheetAdminMixin, RegistryAdmin):
    """Who managed which channel, and when."""

    resource_classes = (RosterMembershipResource,)

    list_display = ("channel", "partner", "starts_on", "ends_on", "active_today")
    list_filter = (("partner", AutocompleteFilter), ActiveTodayFilter, "channel__platform")
    list_select_related = ("channel", "partner")
    # Newest first, by an index: the model's ordering by channel sorts through the channel table.
    ordering = ("-starts_on", "-id")
    search_fields = ("channel__search_text", "partner__search_text")
    autocomplete_fields = ("channel", "partner")
    date_hierarchy = "starts_on"

    @admin.display(description=_("active today"), boolean=True)
    def active_today(self, obj):
        return obj.is_active_on(timezone.localdate())


@admin.register(Mou)
class MouAdmin(SheetExportMixin, RegistryAdmin):
    """MOUs with their derived status and alerts, signed PDF, renewal chain and the KOLs and channels they name."""

    resource_classes = (MouSheet,)

    # What one decides with; the reference number and signing date are on the change page.
    list_display = (
        "title",
        "partner",
        "agency_short",
        "starts_on",
        "ends_on",
        "status",
        "campaign_count",
        "has_document",
    )
    list_filter = (
        MouStatusFilter,
        ActiveTodayFilter,
        ExpiringWithinFilter,
        MouAlertFilter,
        ("partner", AutocompleteFilter),
        ("agency", AutocompleteFilter),
    )
    list_select_related = ("agency", "partner")
    ordering = Mou._meta.ordering
    search_fields = ("search_text",)
    autocomplete_fields = ("agency", "partner", "renews", "kols", "channels")
    readonly_fields = ("status", "alert_states", "renewal_chain", "campaign_list", *TIMESTAMPS)
    scoped_relations = ("campaigns",)
    inlines = (MouPeopleInline,)
    actions = ("renew",)
    fieldsets = (
        (None, {"fields": ("reference", "title", "agency", "partner", "renews", "renewal_chain")}),
        (
            _("Period and status"),
            {
                "fields": (
                    ("signed", "signed_on", "signed_on_as_stated"),
                    ("starts_on", "ends_on"),
                    "status",
                    ("terminated_on", "termination_reason"),
                    ("notice_period_days", "responsible"),
                    "alert_states",
                )
            },
        ),
        (_("Content"), {"fields": ("scope", "document", "kols", "channels", "campaign_list")}),
        (_("Record"), {"fields": ("source_url", "notes", *TIMESTAMPS)}),
    )

    def get_queryset(self, request):
        campaigns = Mou._meta.get_field("campaigns").related_model._default_manager.all()
        return super().get_queryset(request).with_status().annotate(campaign_total=row_count(campaigns, "mou"))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "responsible":
            kwargs["queryset"] = ministry_users().order_by("username")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_object(self, request, object_id, from_field=None):
        mou = super().get_object(request, object_id, from_field)
        if mou is not None:
            # The chain as this user may see it: a partner sees only the MOUs in its scope.
            mou.visible_renewal_chain = list(scope_queryset(request, Mou.objects.renewal_chain(mou)))
        return mou

    @admin.display(description=_("agency"), ordering="agency__name")
    def agency_short(self, obj):
        return obj.agency.acronym or obj.agency.name

    @admin.display(description=_("status"), ordering="status_code")
    def status(self, obj):
        return MouStatus(obj.status_code).label if hasattr(obj, "status_code") else obj.get_status_display()

    @admin.display(description=_("alerts today"))
    def alert_states(self, obj):
        if obj.pk is None:
            return "-"
        names = {threshold: f"alert_{threshold.value}" for threshold in MouAlertThreshold}
        states = Mou.objects.filter(pk=obj.pk).with_alert_states().values(*names.values()).first()
        if states is None:  # a deleted MOU's page in its history
            return "-"
        labels = [threshold.label for threshold, name in names.items() if states[name]]
        return "; ".join(str(label) for label in labels) or _("No alert")

    @admin.display(description=_("renewal chain"))
    def renewal_chain(self, obj):
        """Oldest to newest, each linked, this one marked; only the MOUs the user may see."""
        chain = getattr(obj, "visible_renewal_chain", None)
        if not chain or len(chain) < 2:
            return _("Neither renews nor is renewed by another MOU.")
        items = format_html_join(
            "",
            "<li>{}</li>",
            (
                (
                    format_html("<strong>{} ({})</strong>", mou_label(mou), _("this MOU"))
                    if mou.pk == obj.pk
                    else format_html('<a href="{}">{}</a>', change_url(mou), mou_label(mou)),
                )
                for mou in chain
            ),
        )
        return format_html('<ol class="renewal-chain">{}</ol>', items)

    # Not sortable: sorting would count the campaigns of all MOUs, not just the page's.
    @admin.display(description=_("campaigns"))
    def campaign_count(self, obj):
        return obj.campaign_total

    @admin.display(description=_("campaigns under this MOU"))
    def campaign_list(self, obj):
        if obj.pk is None:
            return "-"
        return ", ".join(str(campaign) for campaign in obj.campaigns.all()) or "-"

    @admin.display(description=_("signed PDF"), boolean=True)
    def has_document(self, obj):
        return bool(obj.document)

    @admin.action(description=_("Renew: create a draft successor"), permissions=["add"])
    def renew(self, request, queryset):
        """Renew each selected MOU; for one, open its new draft."""
        created = []
        for mou in queryset.order_by("pk"):
            try:
                created.append(renew_mou(mou, request.user))
            except ValidationError as error:
                self.message_user(request, f"{mou}: {' '.join(error.messages)}", messages.ERROR)
        if len(created) == 1 and queryset.count() == 1:
            return self.renewed_redirect(request, created[0])
        if created:
            names = ", ".join(str(mou) for mou in created)
            message = ngettext(
                "Created %(count)d draft renewal: %(names)s.",
                "Created %(count)d draft renewals: %(names)s.",
                len(created),
            ) % {"count": len(created), "names": names}
            self.message_user(request, message, messages.SUCCESS)
        return None

    def renewed_redirect(self, request, draft):
        self.message_user(
            request,
            _("Created the draft renewal “%(title)s”: fill in its signing, period and document.") % {"title": draft},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(change_url(draft))

    def renew_view(self, request, object_id):
        """The change page's "Renew" button (a POST): renew this MOU and open the draft."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_add_permission(request):
            raise PermissionDenied
        mou = self.get_object(request, unquote(object_id))
        if mou is None:
            raise Http404
        try:
            draft = renew_mou(mou, request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(change_url(mou))
        return self.renewed_redirect(request, draft)

    def get_urls(self):
        renew = path("<path:object_id>/renew/", self.admin_site.admin_view(self.renew_view), name="partners_mou_renew")
        return [renew, *super().get_urls()]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "can_renew": self.has_add_permission(request)}
        return super().change_view(request, object_id, form_url, extra_context)


def change_url(mou):
    return reverse("admin:partners_mou_change", args=[mou.pk])


def mou_label(mou):
    """An MOU in a list of several: its title and its period as stated, e.g. "… MOU (2024 - 2027)"."""
    start = mou.starts_on.display() if mou.starts_on else "…"
    end = mou.ends_on.display() if mou.ends_on else "…"
    return f"{mou.title} ({start} \u2013 {end})"


@admin.register(Person)
class PersonAdmin(SheetExportMixin, RegistryAdmin):
    """Signatories and contact persons, with the MOUs they are named in."""

    resource_classes = (PersonSheet,)

    list_display = ("name", "name_en", "position", "organisation")
    list_filter = (("agency", AutocompleteFilter), ("partner", AutocompleteFilter))
    list_select_related = ("agency", "partner")
    search_fields = ("search_text",)
    autocomplete_fields = ("agency", "partner")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (PersonMousInline,)

    @admin.display(description=_("organisation"))
    def organisation(self, obj):
        return obj.organisation


@admin.register(MouPerson)
class MouPersonAdmin(SheetExportMixin, RegistryAdmin):
    """Who signed which MOU, who are its contacts and who was present, for which side."""

    resource_classes = (MouPersonSheet,)

    list_display = ("person", "role", "side", "mou")
    list_filter = ("role", "side", ("mou__partner", AutocompleteFilter))
    list_select_related = ("person", "mou")
    search_fields = ("person__search_text", "mou__search_text")
    autocomplete_fields = ("mou", "person")
