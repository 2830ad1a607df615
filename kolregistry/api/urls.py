"""/api/v1/: the resource routes, authentication, the OpenAPI schema and Swagger UI."""

from importlib import import_module

from csp.decorators import csp_update
from django.conf import settings
from django.urls import include, path
from django.utils import translation
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import APIRootView

# The apps' URL modules come from settings.API_URLCONFS, by name, so the core imports no app.
# Each defines a ``router``; URLconfs load on the first request, once the apps are ready.
ROUTERS = tuple(import_module(urlconf).router for urlconf in settings.API_URLCONFS)


class RegistrySchemaView(SpectacularAPIView):
    """The OpenAPI schema, in English whatever the request's language.

    Generated clients take their model and enum names from it, so two consumers must get the same schema.
    It does not document itself.
    """

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        # Not super().get(): its ?lang= would translate enum and component names again.
        with translation.override("en"):
            return self._get_schema_response(request)


class RegistryRootView(APIRootView):
    """The registry API: one link per resource."""


root_view = RegistryRootView.as_view(
    api_root_dict={prefix: f"{basename}-list" for router in ROUTERS for prefix, _viewset, basename in router.registry}
)

# Swagger UI comes from drf-spectacular's default CDN. The split view serves its start-up script as a
# separate file (?script), so the Content-Security-Policy needs no inline scripts, only that origin.
SWAGGER_UI_ORIGIN = "https://cdn.jsdelivr.net"
docs_view = csp_update(
    {"script-src": [SWAGGER_UI_ORIGIN], "style-src": [SWAGGER_UI_ORIGIN], "img-src": [SWAGGER_UI_ORIGIN]}
)(SpectacularSwaggerSplitView.as_view(url_name="api-schema"))

urlpatterns = [
    path("", root_view, name="api-root"),
    path("auth/", include("accounts.api.urls")),
    path("schema/", RegistrySchemaView.as_view(), name="api-schema"),
    path("docs/", docs_view, name="api-docs"),
    *(path("", include(urlconf)) for urlconf in settings.API_URLCONFS),
]
