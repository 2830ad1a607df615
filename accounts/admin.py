"""Admin for API tokens and for users' links to partner companies."""

from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from kolregistry.admin import AutocompleteFilter, AutocompleteFilterMediaMixin
from kolregistry.sheets import SheetExportMixin

from .models import ApiToken, PartnerAccount
from .resources import PartnerAccountSheet, UserSheet


class PartnerAccountInline(admin.StackedInline):
    """The partner company a user works for (empty for ministry users)."""

    model = PartnerAccount
    fields = ("partner",)
    autocomplete_fields = ("partner",)
    can_delete = True
    extra = 0
    max_num = 1


class LoginForm(AdminAuthenticationForm):
    """The admin login, refusing a username longer than any user's before it authenticates.

    Django's form only sets ``maxlength`` on the widget; a longer name reached ``authenticate()``,
    whose failure django-axes could not store (a 500 on PostgreSQL).
    """

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].validators.append(MaxLengthValidator(self.fields["username"].max_length))


admin.site.login_form = LoginForm

User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class RegistryUserAdmin(SheetExportMixin, UserAdmin):
    """Django's user admin, plus the partner-company link; the list exports without passwords."""

    resource_classes = (UserSheet,)

    inlines = [*UserAdmin.inlines, PartnerAccountInline]
    list_display = (*UserAdmin.list_display, "partner_company")
    list_select_related = ("partner_account__partner",)

    @admin.display(description=_("partner company"), ordering="partner_account__partner__short_name")
    def partner_company(self, user):
        account = getattr(user, "partner_account", None)
        return account.partner if account else "—"


@admin.register(PartnerAccount)
class PartnerAccountAdmin(SheetExportMixin, AutocompleteFilterMediaMixin, SimpleHistoryAdmin):
    """Which users work for which partner company."""

    resource_classes = (PartnerAccountSheet,)

    list_display = ("user", "partner", "created_at")
    list_filter = (("partner", AutocompleteFilter),)
    search_fields = ("user__username", "user__email", "partner__short_name")
    autocomplete_fields = ("user", "partner")
    list_select_related = ("user", "partner")


@admin.register(ApiToken)
class ApiTokenAdmin(AutocompleteFilterMediaMixin, SimpleHistoryAdmin):
    """API tokens: the key is shown once, in a message, when the token is created."""

    list_display = ("name", "owner", "prefix", "read_only", "partner", "expires_at", "last_used_at", "revoked_at")
    list_filter = ("read_only", ("partner", AutocompleteFilter), ("revoked_at", admin.EmptyFieldListFilter))
    search_fields = ("name", "prefix", "owner__username")
    autocomplete_fields = ("owner", "partner")
    list_select_related = ("owner", "partner")
    fields = ("name", "owner", "read_only", "partner", "expires_at", "prefix", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "last_used_at", "revoked_at")
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None):
        # A token's holder and rights are fixed once the key is out: issue a new one instead.
        if obj is not None:
            return (*self.readonly_fields, "owner", "read_only", "partner")
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        key = obj.set_new_key()
        super().save_model(request, obj, form, change)
        messages.warning(
            request,
            _("The key of token “%(name)s” is shown only now; copy it: %(key)s") % {"name": obj.name, "key": key},
        )

    @admin.action(description=_("Revoke the selected tokens"), permissions=["change"])
    def revoke(self, request, queryset):
        revoked = 0
        for token in queryset.filter(revoked_at__isnull=True):
            token.revoke()  # One by one, so that each revocation is in the history.
            revoked += 1
        self.message_user(
            request,
            _("%(count)d token(s) revoked at %(time)s.")
            % {
                "count": revoked,
                "time": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
            },
        )
