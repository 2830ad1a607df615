"""/api/v1/: the resource routes, authentication, the OpenAPI schema and Swagger UI."""

from importlib import import_module

from django.conf import settings
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import APIRootView

# The apps' URL modules come from settings.API_URLCONFS, by name, so the core imports no app.
# Each defines a ``router``; URLconfs load on the first request, once the apps are ready.
ROUTERS = tuple(import_module(urlconf).router for urlconf in settings.API_URLCONFS)


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
    *(path("", include(urlconf)) for urlconf in settings.API_URLCONFS),
]
