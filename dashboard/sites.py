"""The registry's admin site: its index is the staff dashboard or, for a partner user, their company's home."""

from django.contrib import admin
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from kolregistry.access import access_for

from . import views


class RegistryAdminSite(admin.AdminSite):
    """``admin.site`` (set through ``RegistryAdminConfig.default_site``).

    The stock list of models stays one click away, at ``records/``, for everyone.
    """

    site_header = _("KOL partnership registry")
    site_title = _("KOL partnership registry")
    index_title = _("Registry administration")
    # Django's nav sidebar repeats the model list (at "All records") and takes ~300 px a page needs at 1366 px.
    enable_nav_sidebar = False

    def index(self, request, extra_context=None):
        access = access_for(request)
        if access.partner_scoped:
            return views.partner_home(request, self, access.partner_id, landing=True)
        if access.everything:
            return views.staff_dashboard(request, self)
        return super().index(request, extra_context)

    def records(self, request):
        """Every model the user may open: the admin's stock app list."""
        context = {**self.each_context(request), "title": _("All records"), "app_list": self.get_app_list(request)}
        return TemplateResponse(request, "dashboard/records.html", context)

    def get_urls(self):
        # Before the stock URLs: their catch-all would answer first.
        ours = [
            path("records/", self.admin_view(self.records), name="records"),
            path(
                "overview/partners/<int:pk>/",
                self.admin_view(lambda request, pk: views.partner_home(request, self, pk)),
                name="dashboard_partner",
            ),
            path(
                "overview/mous/<int:pk>/",
                self.admin_view(lambda request, pk: views.mou_overview(request, self, pk)),
                name="dashboard_mou",
            ),
            path(
                "overview/campaigns/<int:pk>/",
                self.admin_view(lambda request, pk: views.campaign_results(request, self, pk)),
                name="dashboard_campaign",
            ),
        ]
        return ours + super().get_urls()
