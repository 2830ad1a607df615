"""The one place that decides which rows a request may see.

Both the API viewsets and the admin call ``scope_queryset``. ``request`` is a
Django or DRF request; a DRF request also carries ``request.auth`` (the token).

Who sees what:

- superusers, Ministry administrators and Ministry staff: everything;
- a partner user (a user with a ``PartnerAccount``, unless a superuser) and any
  token with a partner scope: only that company's data (see ``partner_scoped``);
- everyone else: nothing.

A partner keeps seeing the channels it has *ever* had on its roster (and their
KOLs, metrics and assignments): its past memberships, assignments and reports
refer to them. ``partner_channel_ids`` is the single place to change that.
"""

from dataclasses import dataclass

from django.db.models import Q

from campaigns.models import Assignment, Campaign, CampaignReport, Hashtag
from partners.models import Agency, Channel, ChannelMetric, Kol, Mou, PartnerCompany, RosterMembership

from .models import ApiToken, PartnerAccount
from .roles import MINISTRY_ADMINISTRATORS, MINISTRY_ROLES

# Field names hidden from partner users and partner-scoped tokens, on every model:
# the ministry's own annotations.
INTERNAL_FIELD_NAMES = frozenset({"notes"})


@dataclass(frozen=True)
class Access:
    """What one request may do: see everything, see one partner's data, or nothing."""

    everything: bool = False
    administrator: bool = False
    partner_id: int | None = None

    @property
    def partner_scoped(self):
        return self.partner_id is not None

    @property
    def nothing(self):
        return not self.everything and self.partner_id is None


NO_ACCESS = Access()


def request_token(request):
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, ApiToken) else None


def _resolve_access(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_active:
        return NO_ACCESS
    token = request_token(request)
    if user.is_superuser:
        user_partner_id, administrator, ministry = None, True, True
    else:
        user_partner_id = PartnerAccount.objects.filter(user=user).values_list("partner_id", flat=True).first()
        roles = set(user.groups.filter(name__in=MINISTRY_ROLES).values_list("name", flat=True))
        # A partner link always wins over a ministry group: the narrower right.
        ministry = bool(roles) and user_partner_id is None
        administrator = ministry and MINISTRY_ADMINISTRATORS in roles
    token_partner_id = token.partner_id if token else None
    if user_partner_id is not None:
        if token_partner_id not in (None, user_partner_id):
            return NO_ACCESS
        return Access(partner_id=user_partner_id)
    if token_partner_id is not None:
        return Access(partner_id=token_partner_id)
    if ministry:
        return Access(everything=True, administrator=administrator)
    return NO_ACCESS


def access_for(request):
    """The ``Access`` of ``request``, resolved once per request and caller."""
    user, token = getattr(request, "user", None), request_token(request)
    caller = (getattr(user, "pk", None), token.pk if token else None)
    # vars(), not getattr(): a DRF request would fall back to the wrapped Django request's cache.
    cached = vars(request).get("_kolreg_access")
    if cached is None or cached[0] != caller:
        cached = (caller, _resolve_access(request))
        request._kolreg_access = cached
    return cached[1]


def hides_internal_fields(request):
    return not access_for(request).everything


def partner_channel_ids(partner_id):
    """Subquery: channels ever on the partner's roster."""
    return RosterMembership.objects.filter(partner_id=partner_id).values("channel_id")


def partner_campaign_ids(partner_id):
    """Subquery: campaigns the partner takes part in, or where one of its channels has an assignment."""
    return Campaign.objects.filter(
        Q(pk__in=Campaign.partners.through.objects.filter(partnercompany_id=partner_id).values("campaign_id"))
        | Q(pk__in=Assignment.objects.filter(channel_id__in=partner_channel_ids(partner_id)).values("campaign_id"))
    ).values("pk")


def _partner_filters(partner_id):
    """``{model: Q}``: the rows of each registry model a partner may see, each as a duplicate-free condition."""
    channels = partner_channel_ids(partner_id)
    campaigns = partner_campaign_ids(partner_id)
    return {
        PartnerCompany: Q(pk=partner_id),
        RosterMembership: Q(partner_id=partner_id),
        Channel: Q(pk__in=channels),
        Kol: Q(pk__in=Channel.objects.filter(pk__in=channels, kol__isnull=False).values("kol_id")),
        ChannelMetric: Q(channel_id__in=channels),
        Mou: Q(partner_id=partner_id),
        Campaign: Q(pk__in=campaigns),
        Assignment: Q(channel_id__in=channels),
        CampaignReport: Q(campaign_id__in=campaigns),
        Hashtag: Q(pk__in=Campaign.hashtags.through.objects.filter(campaign_id__in=campaigns).values("hashtag_id"))
        | Q(
            pk__in=CampaignReport.objects.filter(campaign_id__in=campaigns, hashtag__isnull=False).values("hashtag_id")
        ),
        # The agencies it deals with: MOU counterparties, organisers of its campaigns, owners of its channels.
        Agency: Q(pk__in=Mou.objects.filter(partner_id=partner_id).values("agency_id"))
        | Q(pk__in=Campaign.organisers.through.objects.filter(campaign_id__in=campaigns).values("agency_id"))
        | Q(pk__in=Channel.objects.filter(pk__in=channels, agency__isnull=False).values("agency_id")),
    }


def scope_queryset(request, queryset):
    """Return the part of ``queryset`` that ``request``'s user (and token) may see."""
    access = access_for(request)
    if access.everything:
        return queryset.all()  # a fresh clone, never a caller's (possibly cached) queryset
    if access.nothing:
        return queryset.none()
    condition = _partner_filters(access.partner_id).get(queryset.model._meta.concrete_model)
    # A model nobody listed is not a partner's business.
    return queryset.filter(condition) if condition is not None else queryset.none()


def in_scope(request, model, pk):
    """Whether the ``model`` row ``pk`` is within ``request``'s scope (for the target of a write)."""
    return scope_queryset(request, model._default_manager.filter(pk=pk)).exists()
