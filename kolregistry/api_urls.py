"""/api/v1/: the resource routers, authentication, the OpenAPI schema and Swagger UI."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import APIRootView

from campaigns.api.urls import router as campaigns_router
from partners.api.urls import router as partners_router

ROUTERS = (partners_router, campaigns_router)


class RegistryRootView(APIRootView):
    """The registry API: one link per resource."""


root_view = RegistryRootView.as_view(
    api_root_dict={prefix: f"{basename}-list" for router in ROUTERS for prefix, _viewset, basename in router.registry}
)

urlpatterns = [
    path("", root_view, name="api-root"),
    path("auth/", include("accounts.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("partners.api.urls")),
    path("", include("campaigns.api.urls")),
]
