"""What the dashboard pages show, read through the one scoping function (``scope_queryset``).

Every function takes the request: a partner user gets only the rows ``kolregistry.access`` grants
their company, whatever page asks. Each list is bounded (STYLE.md, habit 13).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, F, Max, Prefetch, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import REPORT_FIGURE_FIELDS, Assignment, Campaign, CampaignReport
from kolregistry.access import partner_condition, scope_queryset, scope_related
from partners.choices import MouAlertThreshold, MouStatus, Platform
from partners.models import Channel, Kol, Mou, PartnerCompany, RosterMembership
from partners.services import missing_facts

# The dashboard's horizons for MOUs coming to an end; the last is "the next 6 months".
EXPIRY_HORIZONS = (30, 90, 180)
SIX_MONTHS = EXPIRY_HORIZONS[-1]
LATEST_REPORTS = 8
CHANNELS_PER_PLATFORM = 3
CAMPAIGNS_SHOWN = 10
MISSING_SHOWN = 10
# The dashboard's MOU tables show this many rows; the MOU list has the rest.
MOUS_SHOWN = 20
# A partner's roster, an MOU's named channels, a campaign's reports: more than this links to the full list.
ROWS_SHOWN = 50


def period_text(obj):
    """ "2024 - 2027" (with an en dash), "start unknown - no end date": a period as stated."""
    start = obj.starts_on.display() if obj.starts_on else _("start unknown")
    end = obj.ends_on.display() if obj.ends_on else _("no end date")
    return f"{start} \u2013 {end}"


@dataclass
class MouRow:
    """An MOU as the dashboard lists it."""

    mou: Mou
    status: str
    period: str
    days_left: int | None
    missing: list = field(default_factory=list)


def mou_row(mou, today):
    until = mou.in_force_until
    status = MouStatus(mou.status_code) if hasattr(mou, "status_code") else MouStatus(mou.status_on(today))
    return MouRow(
        mou=mou,
        status=status.label,
        period=period_text(mou),
        days_left=(until - today).days if until and status != MouStatus.TERMINATED else None,
        missing=missing_facts(mou),
    )


def mous(request):
    return scope_queryset(request, Mou.objects.all()).with_status().select_related("partner", "agency")


def mou_status_counts(request):
    """``[(status, count)]`` for every status, in the choices' order, from one query."""
    counts = dict(mous(request).order_by().values_list("status_code").annotate(total=Count("pk")))
    return [(status, counts.get(status.value, 0)) for status in MouStatus]


def expiry_counts(request, today):
    """``[(days, count)]``: MOUs in force today whose end falls within each horizon, from one query."""
    in_force = scope_queryset(request, Mou.objects.active_on(today))
    counts = in_force.aggregate(
        **{
            f"within_{days}": Count("pk", filter=Q(ends_on_last__lte=today + datetime.timedelta(days=days)))
            for days in EXPIRY_HORIZONS
        }
    )
    return [(days, counts[f"within_{days}"]) for days in EXPIRY_HORIZONS]


def alert_counts(request, today):
    """``[(alert state, count)]`` of the MOUs in each alert state today, from one query.

    The states ``manage.py mou_alerts`` e-mails about, from the same conditions (``MouQuerySet.alert_conditions``).
    """
    conditions = Mou.objects.alert_conditions(today)
    counts = scope_queryset(request, Mou.objects.with_status(today)).aggregate(
        **{threshold.value: Count("pk", filter=condition) for threshold, condition in conditions.items()}
    )
    return [(threshold, counts[threshold.value]) for threshold in MouAlertThreshold]


def renewal_chain(request, mou):
    """The MOUs ``mou`` renews, itself and its renewals, oldest to newest: those ``request`` may see."""
    return list(scope_queryset(request, Mou.objects.renewal_chain(mou)))


def expiring_mous(request, today, days=SIX_MONTHS):
    """``(rows, total)``: MOUs in force today that end within ``days`` days, the soonest ``MOUS_SHOWN`` first."""
    expiring = mous(request).filter(pk__in=Mou.objects.expiring_within(days, today).values("pk"))
    return first_rows(expiring.order_by("ends_on_last", "pk"), today)


def next_expiring_mou(request, today, after_days=SIX_MONTHS):
    """The first MOU in force to end after the horizon: what to say when none ends within it."""
    later = mous(request).filter(
        pk__in=Mou.objects.active_on(today).values("pk"), ends_on_last__gt=today + datetime.timedelta(days=after_days)
    )
    mou = later.order_by("ends_on_last", "pk").first()
    return mou_row(mou, today) if mou else None


def open_ended_mous(request, today):
    """``(rows, total)``: MOUs with no end date recorded (terminated ones are over whatever their end)."""
    rows = mous(request).filter(ends_on__isnull=True).exclude(status_code=MouStatus.TERMINATED)
    return first_rows(rows.order_by("partner__short_name", "title", "pk"), today)


def first_rows(queryset, today):
    """``(rows, total)``: the first ``MOUS_SHOWN`` MOUs of ``queryset`` as table rows, and how many it holds."""
    rows = [mou_row(mou, today) for mou in queryset[:MOUS_SHOWN]]
    return rows, len(rows) if len(rows) < MOUS_SHOWN else queryset.count()


def mous_missing_facts(request, today):
    """``(rows, total)``: MOUs still relevant (not terminated) whose dates or signed document are missing."""
    rows = (
        mous(request)
        .exclude(status_code=MouStatus.TERMINATED)
        .filter(Q(signed_on__isnull=True) | Q(starts_on__isnull=True) | Q(ends_on__isnull=True) | Q(document=""))
        .order_by("partner__short_name", "title")
    )
    return [mou_row(mou, today) for mou in rows[:MISSING_SHOWN]], rows.count()


def latest_reports(request):
    """The result reports entered last."""
    reports = scope_queryset(request, CampaignReport.objects.all()).select_related("campaign", "hashtag")
    return list(reports.order_by("-created_at", "-pk")[:LATEST_REPORTS])


def largest_channels(request):
    """``[(platform label, [channels])]``: the channels with the most followers (latest count) on each platform.

    One query, whose subqueries each read one row at the top of the index on (platform, followers):
    ranking every channel at once reads all 100,000 of them.
    """
    ranked = scope_queryset(request, Channel.objects.filter(followers__isnull=False)).order_by("-followers", "pk")
    tops = [
        Subquery(ranked.filter(platform=platform).values("pk")[rank : rank + 1])
        for platform in Platform
        for rank in range(CHANNELS_PER_PLATFORM)
    ]
    grouped = {platform: [] for platform in Platform}
    for channel in Channel.objects.filter(pk__in=tops).select_related("kol", "agency").order_by("-followers", "pk"):
        grouped[channel.platform].append(channel)
    return [(platform.label, channels) for platform, channels in grouped.items() if channels]


def campaigns_with_results(request, limit=CAMPAIGNS_SHOWN):
    """Campaigns that have result reports, the largest reported reach first."""
    return list(
        scope_queryset(request, Campaign.objects.all())
        .annotate(report_total=Count("reports"), top_views=Max("reports__views"))
        .filter(report_total__gt=0)
        .order_by(F("top_views").desc(nulls_last=True), "name")[:limit]
    )


def dated_view_series(reports):
    """``{series label: [(date, views)]}`` for reports with a date and a view count, per hashtag and platforms.

    Only a series of two or more points is a trend; the others are left out.
    """
    series = {}
    for report in reports:
        if report.reported_on is None or report.views is None:
            continue
        label = " · ".join(str(part) for part in (report.hashtag or "", report.get_platforms_display()) if part)
        series.setdefault(label or str(_("Platform not stated")), []).append((report.reported_on.lower, report.views))
    return {label: sorted(points) for label, points in series.items() if len(points) > 1}


@dataclass
class PlatformResults:
    """One platform's (or one combination's) reports, and the figure columns any of them has."""

    label: str
    reports: list
    figures: list
    has_hashtag: bool


def results_by_platform(reports):
    """Reports grouped by the platforms their figures cover; a combined report is one group, never split."""
    groups = {}
    for report in reports:
        groups.setdefault(tuple(report.platforms), []).append(report)
    results = []
    for _platforms, rows in sorted(groups.items(), key=lambda item: (not item[0], item[0])):
        label = rows[0].get_platforms_display() or str(_("Platform not stated"))
        figures = [
            (name, CampaignReport._meta.get_field(name).verbose_name)
            for name in REPORT_FIGURE_FIELDS
            if any(getattr(report, name) is not None for report in rows)
        ]
        has_hashtag = any(report.hashtag_id for report in rows)
        results.append(PlatformResults(label=label, reports=rows, figures=figures, has_hashtag=has_hashtag))
    return results


def first_campaign_series(request, campaigns):
    """``(campaign, series)`` for the first of ``campaigns`` with a dated series of views, from one query."""
    reports = scope_queryset(
        request,
        CampaignReport.objects.filter(
            campaign__in=[campaign.pk for campaign in campaigns], reported_on__isnull=False, views__isnull=False
        ),
    ).select_related("hashtag")
    by_campaign = {}
    for report in reports:
        by_campaign.setdefault(report.campaign_id, []).append(report)
    for campaign in campaigns:
        series = dated_view_series(by_campaign.get(campaign.pk, []))
        if series:
            return campaign, series
    return None, None


def campaign(request, pk):
    """The campaign with its MOU, organisers, partners and hashtags, each only if ``request`` may see it."""
    campaigns = scope_queryset(request, Campaign.objects.filter(pk=pk))
    return scope_related(
        request, campaigns.select_related("mou").prefetch_related("organisers", "partners", "hashtags")
    ).first()


def campaign_reports(request, campaign):
    reports = scope_queryset(request, CampaignReport.objects.filter(campaign=campaign)).select_related("hashtag")
    return list(reports.order_by(F("reported_on").asc(nulls_last=True), "pk"))


def named_in_mous():
    """The prefetches of the KOLs and channels MOUs name, the most followed channel first.

    ``scope_related`` narrows them to what the request may see.
    """
    channels = Channel.objects.select_related("kol", "agency").order_by(
        F("followers").desc(nulls_last=True), "display_name"
    )
    return Prefetch("channels", queryset=channels), "kols"


def mou_with_names(request, pk):
    """The MOU with the KOLs and channels it names and its campaigns, each read through the request's scope."""
    return scope_related(request, mous(request).filter(pk=pk).prefetch_related(*named_in_mous(), "campaigns")).first()


@dataclass
class NamedRow:
    """A KOL named in an MOU, with one of its channels named there (or None when the MOU names none)."""

    kol: Kol | None
    channel: Channel | None


def named_rows(mou):
    """One row per named channel, then one per named KOL none of whose channels the MOU names."""
    rows = [NamedRow(kol=channel.kol, channel=channel) for channel in mou.channels.all()]
    with_channel = {channel.kol_id for channel in mou.channels.all()}
    rows += [NamedRow(kol=kol, channel=None) for kol in mou.kols.all() if kol.pk not in with_channel]
    return rows


def partner(request, pk):
    return scope_queryset(request, PartnerCompany.objects.all()).filter(pk=pk).first()


def partner_view(request, queryset, partner_id):
    """What ``partner_id`` sees of ``queryset`` (what its users see), within what ``request`` may see."""
    return scope_queryset(request, queryset.filter(partner_condition(queryset.model, partner_id)))


def partner_roster(request, partner, today):
    """``(memberships, total)``: the channels on the partner's roster today, the most followed first."""
    memberships = (
        scope_queryset(request, RosterMembership.objects.active_on(today).filter(partner=partner))
        .select_related("channel__kol", "channel__agency")
        .order_by(F("channel__followers").desc(nulls_last=True), "channel__display_name")
    )
    return list(memberships[:ROWS_SHOWN]), memberships.count()


def partner_mous(request, partner, today):
    own = mous(request).filter(partner=partner).prefetch_related(*named_in_mous())
    own = scope_related(request, own.order_by(F("ends_on_last").asc(nulls_last=True), "title"))
    return [(mou_row(mou, today), named_rows(mou)) for mou in own]


def partner_campaigns(request, partner):
    """The partner's campaigns (those its users see), with their figures and the partner's assignments."""
    assignments = partner_view(request, Assignment.objects.select_related("channel"), partner.pk)
    return list(
        partner_view(request, Campaign.objects.all(), partner.pk)
        .annotate(report_total=Count("reports"), top_views=Max("reports__views"), top_videos=Max("reports__videos"))
        .prefetch_related(Prefetch("assignments", queryset=assignments, to_attr="partner_assignments"))
        .order_by(F("starts_on").desc(nulls_last=True), "name")[:ROWS_SHOWN]
    )


def today():
    return timezone.localdate()
