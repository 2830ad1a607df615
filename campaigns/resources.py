"""Spreadsheet resource for campaign result reports (see kolregistry/sheets.py)."""

from django.utils.translation import gettext_lazy as _
from import_export import fields

from kolregistry.sheets import ListWidget, ScopedForeignKeyWidget, SheetResource, register_sheet

from .filtersets import CampaignReportFilterSet
from .models import Campaign, CampaignReport, Hashtag


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
            "videos",
            "template_uses",
            "views",
            "likes",
            "comments",
            "shares",
            "positive_share_pct",
            "profile_frame_changes",
            "story_template_uses",
            "approximate",
            "source_url",
            "source_note",
            "notes",
        )
        export_order = fields
