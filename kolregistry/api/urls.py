"""/api/v1/: the resource routes, authentication, the OpenAPI schema and its docs (Swagger UI, ReDoc)."""

from importlib import import_module

from django.conf import settings
from django.urls import include, path
from django.utils import translation
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import APIRootView

from .changes import ChangeFeedView, resources_from
from .docs import redoc_bundle, redoc_view, swagger_view

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
            response = self._get_schema_response(request)
        response["Content-Language"] = "en"
        return response


class RegistryRootView(APIRootView):
    """The registry API: one link per resource."""


root_view = RegistryRootView.as_view(
    api_root_dict={
        **{prefix: f"{basename}-list" for router in ROUTERS for prefix, _viewset, basename in router.registry},
        "changes": "api-changes",
    }
)

urlpatterns = [
    path("", root_view, name="api-root"),
    path("auth/", include("accounts.api.urls")),
    path("schema/", RegistrySchemaView.as_view(), name="api-schema"),
    # The change feed of the routers' resources (kolregistry/api/changes.py).
    path("changes/", ChangeFeedView.as_view(resources=resources_from(ROUTERS)), name="api-changes"),
    # The docs: Swagger UI and ReDoc, served by the registry itself (kolregistry/api/docs.py).
    path("docs/", swagger_view, name="api-docs"),
    path("redoc/", redoc_view, name="api-redoc"),
    path("redoc/redoc.standalone.js", redoc_bundle, name="api-redoc-bundle"),
    *(path("", include(urlconf)) for urlconf in settings.API_URLCONFS),
]
