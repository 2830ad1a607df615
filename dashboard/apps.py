from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    """The staff dashboard, the partner home and the overview pages that answer the users' questions."""

    default = True
    name = "dashboard"
    verbose_name = _("Dashboard")


class RegistryAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the registry's site as ``admin.site``: its index is the dashboard."""

    default = False
    default_site = "dashboard.sites.RegistryAdminSite"
