"""Spreadsheet resource for campaign result reports (see kolregistry/sheets.py)."""

from django.utils.translation import gettext_lazy as _
from import_export import fields

from kolregistry.sheets import ListWidget, ScopedForeignKeyWidget, SheetResource, export_only_sheet, register_sheet

from .filtersets import (
    AssignmentFilterSet,
    CampaignFilterSet,
    CampaignReportFilterSet,
    HashtagFilterSet,
    StatedFactFilterSet,
)
from .models import REPORT_FIGURE_FIELDS, Assignment, Campaign, CampaignReport, Hashtag, StatedFact

# Export only (named as in the API).
HashtagSheet = export_only_sheet("hashtags", Hashtag, HashtagFilterSet)
CampaignSheet = export_only_sheet("campaigns", Campaign, CampaignFilterSet)
AssignmentSheet = export_only_sheet("assignments", Assignment, AssignmentFilterSet)
StatedFactSheet = export_only_sheet("stated-facts", StatedFact, StatedFactFilterSet)


@register_sheet("reports")
class CampaignReportResource(SheetResource):
    """Reach figures of a campaign (by slug); matched by id or campaign + date + hashtag + source URL."""

    campaign = fields.Field("campaign", _("campaign (slug)"), widget=ScopedForeignKeyWidget(Campaign, "slug"))
    hashtag = fields.Field("hashtag", _("hashtag"), widget=ScopedForeignKeyWidget(Hashtag, "name", "iexact"))
    platforms = fields.Field("platforms", _("platforms"), widget=ListWidget())

    natural_keys = (("campaign", "reported_on", "hashtag", "source_url"),)
    filterset_class = CampaignReportFilterSet

    class Meta(SheetResource.Meta):
        model = CampaignReport
        fields = (
            "id",
            "campaign",
            "hashtag",
            "platforms",
            "reported_on",
            "reported_on_approximate",
            "reported_on_as_stated",
            "period_starts_on",
            "period_ends_on",
            *REPORT_FIGURE_FIELDS,
            "approximate",
            "source_url",
            "source_note",
            "notes",
        )
        export_order = fields
