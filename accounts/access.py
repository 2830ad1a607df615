"""Who is asking: resolves a request's ``kolregistry.access.Access`` from roles, partner accounts and tokens.

Named by ``settings.REGISTRY_ACCESS_RESOLVER``; the core's ``scope_queryset`` applies the result.

- superusers, Ministry administrators and Ministry staff: everything;
- a partner user (a user with a ``PartnerAccount``, unless a superuser) and any token with a partner
  scope: only that company's data, as each model's ``partner_scope`` declares;
- everyone else: nothing.
"""

from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Q

from kolregistry.access import NO_ACCESS, Access
from kolregistry.prepared import PreparedQuery

from .models import ROLE_COLUMNS, ApiToken, permission_codes, permission_set, role_annotations
from .roles import MINISTRY_ROLES


def request_token(request):
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, ApiToken) else None


def user_roles(request, user):
    """``(partner id, in a ministry role, a ministry administrator)`` of ``user``: from this request's token
    lookup when it made one, else in one query."""
    token = request_token(request)
    if token is not None and token.owner_id == user.pk and hasattr(token, "owner_in_ministry_role"):
        source = token
    else:
        users = get_user_model().objects.filter(pk=user.pk)
        source = users.annotate(**role_annotations(OuterRef("pk"))).only("pk").get()
    return tuple(getattr(source, name) for name in ROLE_COLUMNS)


def user_permissions(user_id):
    users = get_user_model().objects.filter(pk=user_id)
    return users.values(codes=permission_codes(OuterRef("pk")))


# Run on every API request of a ministry staff member signed in with a session. The marker is no user's id.
USER_PERMISSIONS = PreparedQuery(user_permissions, marker=-1)


def load_permissions(user):
    """Load ``user``'s permissions, their own and their groups', in one query where Django's ModelBackend
    makes two; ``user.has_perm`` then answers from them, as it does from the backend's own cache. A token's
    owner has them already: the token lookup loaded them."""
    if user.is_active and not hasattr(user, "_perm_cache"):
        rows = USER_PERMISSIONS(user.pk, using=user._state.db)
        user._perm_cache = permission_set(rows[0]["codes"] if rows else None)


def resolve_access(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_active:
        return NO_ACCESS
    token = request_token(request)
    if user.is_superuser:
        user_partner_id, administrator, ministry = None, True, True
    else:
        user_partner_id, in_ministry_role, in_administrators = user_roles(request, user)
        # A partner link always wins over a ministry group: the narrower right.
        ministry = in_ministry_role and user_partner_id is None
        administrator = ministry and in_administrators
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
