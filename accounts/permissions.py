"""The default permission on every registry endpoint: roles, read-only tokens, partner writes."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from campaigns.models import Campaign, CampaignReport, Hashtag
from kolregistry.access import access_for, in_scope
from partners.models import Channel, ChannelMetric

from .access import load_permissions, request_token

# The model permission each method needs, as DjangoModelPermissions, plus view for reads.
PERMS_MAP = {
    "GET": "view",
    "HEAD": "view",
    "OPTIONS": "view",
    "POST": "add",
    "PUT": "change",
    "PATCH": "change",
    "DELETE": "delete",
}

# What partner users may create, and the in-scope targets each submission must name.
PARTNER_CREATABLE = {
    ChannelMetric: {"channel": Channel},
    CampaignReport: {"campaign": Campaign, "hashtag": Hashtag},
}
# The target that must be present in a partner's submission.
PARTNER_REQUIRED_TARGET = {ChannelMetric: "channel", CampaignReport: "campaign"}


def view_model(view):
    queryset = getattr(view, "queryset", None)
    if queryset is None and hasattr(view, "get_queryset"):
        queryset = view.get_queryset()
    return queryset.model if queryset is not None else None


def submitted_pk(value):
    """The primary key a request names for a related object: ``3``, ``"3"`` or ``{"id": 3}``; else None."""
    if isinstance(value, dict):
        value = value.get("id")
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value)
    return None


class RegistryPermission(BasePermission):
    """Who may call which method.

    - anonymous: 401; a read-only token on an unsafe method: 403;
    - superusers and Ministry administrators: everything;
    - Ministry staff: by Django model permission (view perms for reads);
    - partner users and partner-scoped tokens: reads, and creating channel metrics and
      campaign reports that name their own channels and campaigns; every other write is 403.

    Which rows exist for the caller is ``scope_queryset``'s job: out of scope is a 404.
    """

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        token = request_token(request)
        if token and token.read_only and request.method not in SAFE_METHODS:
            self.message = _("This token is read-only.")
            return False
        access = access_for(request)
        if access.administrator:
            return True
        model = view_model(view)
        if access.everything:
            if model is None:
                return True
            action = PERMS_MAP.get(request.method)
            if request.method not in SAFE_METHODS:
                # An action can write through another method than its permission's (removing a file changes the row).
                action = getattr(view, "write_permission", None) or action
            return self.has_model_permission(request.user, model, action)
        if access.partner_scoped:
            if request.method in SAFE_METHODS:
                return True
            return self.partner_may_create(request, view, model)
        self.message = _("Your account has no role in the registry.")
        return False

    @staticmethod
    def has_model_permission(user, model, action):
        if action is None:
            return False
        load_permissions(user)
        return user.has_perm(f"{model._meta.app_label}.{action}_{model._meta.model_name}")

    def partner_may_create(self, request, view, model):
        if model not in PARTNER_CREATABLE or getattr(view, "action", None) != "create":
            self.message = _("Partner users may only submit channel metrics and campaign reports.")
            return False
        if not hasattr(request.data, "get"):
            return True  # Not an object: the serializer answers with a 400.
        required = PARTNER_REQUIRED_TARGET[model]
        for field, target_model in PARTNER_CREATABLE[model].items():
            for name in (field, f"{field}_id"):
                value = request.data.get(name)
                if value in (None, ""):
                    continue
                pk = submitted_pk(value)
                if pk is None or not in_scope(request, target_model, pk):
                    self.message = _("You may only submit figures for your own channels and campaigns.")
                    return False
                if field == required:
                    required = None
        if required is not None:
            self.message = _("Name one of your own %(target)ss by id in '%(field)s'.") % {
                "target": PARTNER_CREATABLE[model][required]._meta.verbose_name,
                "field": required,
            }
            return False
        return True
