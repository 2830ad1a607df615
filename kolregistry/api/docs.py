"""The API documentation pages, Swagger UI and ReDoc, served entirely by the registry.

The registry runs where there is no internet, and its Content-Security-Policy allows scripts only from
itself: both UIs come from drf-spectacular-sidecar (settings.SPECTACULAR_SETTINGS), and neither page has an
inline script or makes a request to another host.
"""

from functools import cache

from csp.decorators import csp_update
from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView

REDOC_BUNDLE = "drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js"
# ReDoc's side menu always shows Redocly's logo from their CDN: an external request, and one the CSP refuses
# (a console error). The bundle is served with an empty image in its place; the link beside it stays.
REDOCLY_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
EMPTY_IMAGE = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E"


@cache
def redoc_bundle_source():
    path = finders.find(REDOC_BUNDLE)
    if path is None:
        raise Http404("ReDoc is not installed (drf-spectacular-sidecar).")
    with open(path, encoding="utf-8") as bundle:
        return bundle.read().replace(REDOCLY_LOGO, EMPTY_IMAGE)


@require_safe
@cache_control(public=True, max_age=24 * 60 * 60)
def redoc_bundle(request):
    """ReDoc's standalone bundle from drf-spectacular-sidecar, without its one request to another host."""
    return HttpResponse(redoc_bundle_source(), content_type="application/javascript; charset=utf-8")


# The split view serves Swagger UI's start-up script as a file of its own (?script): no inline script.
swagger_view = SpectacularSwaggerSplitView.as_view(url_name="api-schema")
# ReDoc's search index runs in a web worker that its bundle creates from a blob: URL. Its code is part of a
# script this server sent, so allowing blob: workers on this page alone lets no new code in.
redoc_view = csp_update({"worker-src": ["'self'", "blob:"]})(
    SpectacularRedocView.as_view(url_name="api-schema", template_name="api/redoc.html")
)
