"""Who is asking: resolves a request's ``kolregistry.access.Access`` from roles, partner accounts and tokens.

Named by ``settings.REGISTRY_ACCESS_RESOLVER``; the core's ``scope_queryset`` applies the result.

- superusers, Ministry administrators and Ministry staff: everything;
- a partner user (a user with a ``PartnerAccount``, unless a superuser) and any token with a partner
  scope: only that company's data, as each model's ``partner_scope`` declares;
- everyone else: nothing.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q

from kolregistry.access import NO_ACCESS, Access

from .models import ApiToken, PartnerAccount
from .roles import MINISTRY_ADMINISTRATORS, MINISTRY_ROLES


def request_token(request):
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, ApiToken) else None


def resolve_access(request):
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


def ministry_users():
    """Active staff users whom ``resolve_access`` gives ministry-wide access (named by REGISTRY_MINISTRY_USERS)."""
    users = get_user_model().objects.filter(is_active=True, is_staff=True)
    ministry = Q(is_superuser=True) | Q(groups__name__in=MINISTRY_ROLES, partner_account__isnull=True)
    return users.filter(pk__in=users.filter(ministry).values("pk"))
