"""Spreadsheet resources: KOLs, channels, roster memberships and channel metrics (see kolregistry/sheets.py)."""

from django.utils.translation import gettext_lazy as _
from import_export import fields

from kolregistry.sheets import ScopedForeignKeyWidget, SheetResource, TextWidget, export_only_sheet, register_sheet

from .filtersets import (
    AgencyFilterSet,
    ChannelFilterSet,
    ChannelMetricFilterSet,
    KolFilterSet,
    MouFilterSet,
    MouPersonFilterSet,
    PartnerCompanyFilterSet,
    PersonFilterSet,
    RosterMembershipFilterSet,
)
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
    normalise_handle,
    normalise_url,
)

# Export only (named as in the API): these lists are edited in the admin, one record at a time.
AgencySheet = export_only_sheet("agencies", Agency, AgencyFilterSet)
PartnerCompanySheet = export_only_sheet("partners", PartnerCompany, PartnerCompanyFilterSet)
MouSheet = export_only_sheet("mous", Mou, MouFilterSet)
PersonSheet = export_only_sheet("people", Person, PersonFilterSet)
MouPersonSheet = export_only_sheet("mou-people", MouPerson, MouPersonFilterSet)


@register_sheet("kols")
class KolResource(SheetResource):
    """KOLs, matched by id or slug."""

    natural_keys = (("slug",),)
    filterset_class = KolFilterSet

    class Meta(SheetResource.Meta):
        model = Kol
        fields = ("id", "slug", "name", "name_en", "kind", "nationality", "source_url", "notes")


@register_sheet("channels")
class ChannelResource(SheetResource):
    """Channels, matched by id, platform + handle, or platform + URL; owned by a KOL or an agency (by slug)."""

    handle = fields.Field("handle", "handle", widget=TextWidget(normalise_handle))
    url = fields.Field("url", "url", widget=TextWidget(normalise_url))
    kol = fields.Field("kol", _("KOL (slug)"), widget=ScopedForeignKeyWidget(Kol, "slug"))
    agency = fields.Field("agency", _("owning agency (slug)"), widget=ScopedForeignKeyWidget(Agency, "slug"))

    natural_keys = (("platform", "handle"), ("platform", "url"))
    filterset_class = ChannelFilterSet

    class Meta(SheetResource.Meta):
        model = Channel
        fields = (
            "id",
            "platform",
            "handle",
            "url",
            "display_name",
            "language",
            "launched_on",
            "kol",
            "agency",
            "source_url",
            "notes",
        )
        export_order = fields


class ChannelWidget(ScopedForeignKeyWidget):
    """A channel by platform + handle (the row's other two columns) or, for one without a handle, by id."""

    def __init__(self, **kwargs):
        super().__init__(Channel, "pk", **kwargs)

    def clean(self, value, row=None, **kwargs):
        platform = str(row.get(self.platform_column) or "").strip()
        handle = normalise_handle(str(row.get(self.handle_column) or ""))
        if not handle:
            return super().clean(value, row, **kwargs)
        return self.lookup_once(f"{platform} @{handle}", platform=platform, handle=handle)


class ChannelReferenceResource(SheetResource):
    """Rows that belong to a channel, named by platform + handle (or id when it has no handle)."""

    channel = fields.Field("channel", _("channel (id)"), widget=ChannelWidget())
    channel_platform = fields.Field("channel__platform", _("channel platform"), readonly=True)
    channel_handle = fields.Field("channel__handle", _("channel handle"), readonly=True)

    required_columns = ("channel_platform",)

    def __init__(self, request=None, **kwargs):
        super().__init__(request, **kwargs)
        widget = self.fields["channel"].widget
        widget.platform_column = self.column("channel_platform")
        widget.handle_column = self.column("channel_handle")

    def implied_columns(self):
        return ("channel", "channel_handle")


@register_sheet("memberships")
class RosterMembershipResource(ChannelReferenceResource):
    """Who managed which channel, and when; matched by id or channel + partner + start."""

    partner = fields.Field(
        "partner", _("partner company (slug)"), widget=ScopedForeignKeyWidget(PartnerCompany, "slug")
    )

    natural_keys = (("channel", "partner", "starts_on"),)
    filterset_class = RosterMembershipFilterSet

    class Meta(SheetResource.Meta):
        model = RosterMembership
        fields = (
            "id",
            "channel",
            "channel_platform",
            "channel_handle",
            "partner",
            "starts_on",
            "ends_on",
            "source_url",
            "notes",
        )
        export_order = fields


@register_sheet("metrics")
class ChannelMetricResource(ChannelReferenceResource):
    """Dated audience snapshots; matched by id or channel + date + subject + source URL."""

    natural_keys = (("channel", "measured_on", "subject", "source_url"),)
    filterset_class = ChannelMetricFilterSet

    class Meta(SheetResource.Meta):
        model = ChannelMetric
        fields = (
            "id",
            "channel",
            "channel_platform",
            "channel_handle",
            "measured_on",
            "measured_on_approximate",
            "measured_on_as_stated",
            "subject",
            "followers",
            "likes",
            "views",
            "comments",
            "approximate",
            "source_url",
            "source_note",
        )
        export_order = fields
