"""Users' links to partner companies, and hashed API tokens."""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kolregistry.access import PartnerScope
from kolregistry.db import CommaList
from kolregistry.models import TimeStampedModel
from kolregistry.prepared import PreparedQuery

from .roles import MINISTRY_ADMINISTRATORS, MINISTRY_ROLES

TOKEN_PREFIX_LENGTH = 8
# last_used_at is written at most this often per token, so authenticating stays a read.
LAST_USED_RESOLUTION_SECONDS = 60


def hash_key(key):
    return hashlib.sha256(key.encode()).hexdigest()


class PartnerAccount(TimeStampedModel):
    """Links a user to the partner company they work for: the user sees only that company's data."""

    # Accounts and tokens are managed by administrators; partners see none.
    partner_scope = PartnerScope()

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="partner_account"
    )
    partner = models.ForeignKey(
        "partners.PartnerCompany",
        verbose_name=_("partner company"),
        on_delete=models.PROTECT,
        related_name="accounts",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["partner", "user"]
        verbose_name = _("partner account")
        verbose_name_plural = _("partner accounts")

    def __str__(self):
        return f"{self.user} @ {self.partner}"


ROLE_COLUMNS = ("owner_partner_id", "owner_in_ministry_role", "owner_ministry_administrator")


def role_annotations(user_id):
    """What access resolution needs to know of the user ``user_id`` (an expression), as the annotations
    ``ROLE_COLUMNS``: their partner company, whether they are in a ministry role, and among its administrators."""
    ministry_groups = Group.objects.filter(user=user_id)
    expressions = (
        Subquery(PartnerAccount.objects.filter(user=user_id).values("partner_id")[:1]),
        Exists(ministry_groups.filter(name__in=MINISTRY_ROLES)),
        Exists(ministry_groups.filter(name=MINISTRY_ADMINISTRATORS)),
    )
    return dict(zip(ROLE_COLUMNS, expressions, strict=True))


def permission_codes(user_id):
    """The permissions of the user ``user_id`` (an expression), their own and their groups', as one text:
    ``"app_label.codename"`` joined by commas, or NULL for none. ``permission_set()`` reads it."""
    permissions = Permission.objects.filter(Q(user=user_id) | Q(group__user=user_id)).order_by()
    code = Concat("content_type__app_label", Value("."), "codename")
    # Grouped by a constant: one row, whatever the number of permissions.
    return Subquery(permissions.values(all=Value(1)).values(codes=CommaList(code)))


def permission_set(codes):
    """``permission_codes()``'s text as the set ``User.has_perm`` looks in: ``{"partners.view_mou", …}``."""
    return set(codes.split(",")) if codes else set()


def owner_column(attname):
    """The name under which ``tokens_with_prefix`` gives the owner's column ``attname``."""
    return f"user_{attname}"


def tokens_with_prefix(prefix):
    """The tokens whose key starts with ``prefix``: every column, the owner's (``owner_column()``), and the
    owner's roles (``role_annotations``) and permissions, so that authenticating a request takes this one query."""
    user_columns = {owner_column(field.attname): F(f"owner__{field.attname}") for field in user_fields()}
    token_columns = [field.attname for field in ApiToken._meta.concrete_fields]
    return ApiToken.objects.filter(prefix=prefix).values(
        *token_columns,
        **user_columns,
        **role_annotations(OuterRef("owner_id")),
        owner_permissions=permission_codes(OuterRef("owner_id")),
    )


def user_fields():
    return get_user_model()._meta.concrete_fields


# Run on every API request with a token.
TOKEN_LOOKUP = PreparedQuery(tokens_with_prefix, marker="\0prefix")


class ApiTokenManager(models.Manager):
    def issue(self, *, owner, name, read_only=False, partner=None, expires_at=None):
        """Create a validated token and return ``(token, key)``; the key exists only in this return value."""
        token = self.model(owner=owner, name=name, read_only=read_only, partner=partner, expires_at=expires_at)
        key = token.set_new_key()
        token.full_clean()
        token.save()
        return token, key

    def get_by_key(self, key):
        """The token whose key is ``key`` (revoked and expired included), or None.

        Its owner comes with it, with the owner's permissions loaded and the owner's roles as the attributes
        ``role_annotations`` names: one query.
        """
        digest = hash_key(key)
        for row in TOKEN_LOOKUP(key[:TOKEN_PREFIX_LENGTH], using=self.db):
            if hmac.compare_digest(row["key_hash"], digest):
                return self.model.from_row(row, self.db)
        return None


class ApiToken(TimeStampedModel):
    """An API key for ``Authorization: Token <key>``, stored as a SHA-256 hash.

    It acts with its owner's rights, narrowed by ``read_only`` (safe methods only)
    and by ``partner`` (only that company's data, with partner-user rights).
    """

    # Accounts and tokens are managed by administrators; partners see none.
    partner_scope = PartnerScope()

    name = models.CharField(_("name"), max_length=100, help_text=_("What the token is for, e.g. the system using it."))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    read_only = models.BooleanField(_("read-only"), default=True, help_text=_("Refuse every write (403)."))
    partner = models.ForeignKey(
        "partners.PartnerCompany",
        verbose_name=_("partner scope"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="api_tokens",
        help_text=_("When set, the token sees only this company's data."),
    )
    prefix = models.CharField(_("key prefix"), max_length=TOKEN_PREFIX_LENGTH, db_index=True, editable=False)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True, help_text=_("Empty: never expires."))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)

    objects = ApiTokenManager()
    history = HistoricalRecords(excluded_fields=["last_used_at"])

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def from_row(cls, row, using):
        """The token of a ``tokens_with_prefix`` row, with its owner (permissions loaded) and the owner's roles."""
        names = [field.attname for field in cls._meta.concrete_fields]
        token = cls.from_db(using, names, [row[name] for name in names])
        names = [field.attname for field in user_fields()]
        owner = get_user_model().from_db(using, names, [row[owner_column(name)] for name in names])
        # Where Django's ModelBackend keeps a user's permissions once it has loaded them.
        owner._perm_cache = permission_set(row["owner_permissions"])
        cls.owner.field.set_cached_value(token, owner)
        for name in ROLE_COLUMNS:
            setattr(token, name, row[name])
        return token

    @property
    def is_revoked(self):
        return self.revoked_at is not None

    @property
    def is_expired(self):
        return self.expires_at is not None and self.expires_at <= timezone.now()

    def clean(self):
        if self.owner_id is None:
            return
        account = PartnerAccount.objects.filter(user_id=self.owner_id).first()
        if account and self.partner_id not in (None, account.partner_id):
            raise ValidationError({"partner": _("A partner user's token can only be scoped to their own company.")})
        if account and self.partner_id is None:
            self.partner_id = account.partner_id

    def set_new_key(self):
        """Give the token a fresh random key and return it; only its prefix and hash are kept."""
        key = secrets.token_urlsafe(32)
        self.prefix = key[:TOKEN_PREFIX_LENGTH]
        self.key_hash = hash_key(key)
        return key

    def revoke(self):
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at", "updated_at"])

    def touch(self):
        """Record use, at most once per LAST_USED_RESOLUTION_SECONDS, without a history row."""
        now = timezone.now()
        if self.last_used_at and (now - self.last_used_at).total_seconds() < LAST_USED_RESOLUTION_SECONDS:
            return
        self.last_used_at = now
        ApiToken.objects.filter(pk=self.pk).update(last_used_at=now)
