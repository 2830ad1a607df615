"""URL configuration: the admin and the REST API."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from kolregistry.health import healthz, readyz

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
    # Health checks: no authentication, no throttling, not in the API schema.
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("kolregistry.api.urls")),
    *static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT),
]

# Under /api/, a URL no route matches gets a JSON 404 like any other API error.
handler404 = "kolregistry.api.errors.page_not_found"
