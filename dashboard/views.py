"""The staff dashboard, the partner home, the MOU overview and the campaign results page.

Each is an admin view (``RegistryAdminSite.get_urls`` wraps them in ``admin_view``) and reads its rows
through ``selectors``, which scope every query to what the request may see.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from kolregistry.access import access_for

from . import charts, selectors


def require(request, *permissions):
    if not all(request.user.has_perm(permission) for permission in permissions):
        raise PermissionDenied


def render(request, site, template, title, **context):
    return TemplateResponse(request, template, {**site.each_context(request), "title": title, **context})


def with_app_list(request, site):
    """The stock list of models, shown at the foot of the landing pages: every record stays one click away."""
    return {"app_list": site.get_app_list(request)}


def staff_dashboard(request, site):
    """The ministry's overview: MOU status and expiry, missing facts, latest reports, largest channels, reach."""
    require(request, "partners.view_mou", "campaigns.view_campaign")
    today = selectors.today()
    campaigns = selectors.campaigns_with_results(request)
    missing, missing_total = selectors.mous_missing_facts(request, today)
    expiring, expiring_total = selectors.expiring_mous(request, today)
    open_ended, open_ended_total = selectors.open_ended_mous(request, today)
    mou_list = reverse("admin:partners_mou_changelist")
    series_campaign, series = selectors.first_campaign_series(request, campaigns)
    return render(
        request,
        site,
        "dashboard/staff.html",
        _("Dashboard"),
        today=today,
        six_months=selectors.SIX_MONTHS,
        status_counts=selectors.mou_status_counts(request),
        expiry_counts=selectors.expiry_counts(request, today),
        alert_counts=selectors.alert_counts(request, today),
        expiring=expiring,
        expiring_total=expiring_total,
        expiring_url=f"{mou_list}?expiring_within={selectors.SIX_MONTHS}",
        next_expiring=selectors.next_expiring_mou(request, today),
        open_ended=open_ended,
        open_ended_total=open_ended_total,
        open_ended_url=f"{mou_list}?ends_on__isnull=True",
        missing=missing,
        missing_total=missing_total,
        latest_reports=selectors.latest_reports(request),
        largest_channels=selectors.largest_channels(request),
        campaigns=campaigns,
        reach_chart=charts.reach_bars(campaigns, _("Largest reported views per campaign (logarithmic scale)")),
        series_campaign=series_campaign,
        series_chart=charts.series_lines(series, _("Reported views over time")),
        **with_app_list(request, site),
    )


def partner_home(request, site, pk, landing=False):
    """A partner company's page: roster, MOUs, names in them, campaigns and assignments, and what to submit.

    Partner users land here after signing in (``landing``); ministry staff can open any partner's.
    """
    require(request, "partners.view_partnercompany")
    partner = selectors.partner(request, pk)
    if partner is None:
        raise Http404
    today = selectors.today()
    roster, roster_total = selectors.partner_roster(request, partner, today)
    access = access_for(request)
    return render(
        request,
        site,
        "dashboard/partner.html",
        str(partner),
        partner=partner,
        landing=landing,
        own=access.partner_id == partner.pk,
        roster=roster,
        roster_total=roster_total,
        mous=selectors.partner_mous(request, partner, today),
        campaigns=selectors.partner_campaigns(request, partner),
        can_add_metric=request.user.has_perm("partners.add_channelmetric"),
        can_add_report=request.user.has_perm("campaigns.add_campaignreport"),
        **with_app_list(request, site),
    )


def mou_overview(request, site, pk):
    """One MOU at a glance: parties, period, status, days left, and the KOLs and channels it names."""
    require(request, "partners.view_mou")
    mou = selectors.mou_with_names(request, pk)
    if mou is None:
        raise Http404
    rows = selectors.named_rows(mou)
    return render(
        request,
        site,
        "dashboard/mou.html",
        str(mou),
        mou=mou,
        row=selectors.mou_row(mou, selectors.today()),
        named=rows[: selectors.ROWS_SHOWN],
        named_total=len(rows),
        chain=selectors.renewal_chain(request, mou),
        can_add_metric=request.user.has_perm("partners.add_channelmetric"),
    )


def campaign_results(request, site, pk):
    """How a campaign performed, by platform: every reported figure with its date and source, never merged."""
    require(request, "campaigns.view_campaign", "campaigns.view_campaignreport")
    campaign = selectors.campaign(request, pk)
    if campaign is None:
        raise Http404
    reports = selectors.campaign_reports(request, campaign)
    series = selectors.dated_view_series(reports)
    return render(
        request,
        site,
        "dashboard/campaign.html",
        str(campaign),
        campaign=campaign,
        results=selectors.results_by_platform(reports),
        report_total=len(reports),
        chart=charts.series_lines(series, _("Reported views over time")),
        can_add_report=request.user.has_perm("campaigns.add_campaignreport"),
    )
