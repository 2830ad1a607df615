"""Health checks for load balancers and orchestrators, and a 503 instead of a 500 while the database is down.

``/healthz`` says the process answers; it touches neither the database nor the cache, so a database
outage does not get every app server restarted. ``/readyz`` says whether this process can serve
requests: the database and the cache both answer.
"""

import logging
import uuid

from django.core.cache import cache
from django.db import InterfaceError, OperationalError, connections, transaction
from django.http import JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from kolregistry.http import error_response

logger = logging.getLogger(__name__)

# How long a client should wait before retrying while the database is unavailable.
RETRY_AFTER_SECONDS = 30


@never_cache
@require_safe
@transaction.non_atomic_requests  # ATOMIC_REQUESTS would open a database connection before the view runs.
def healthz(request):
    """The process is alive."""
    return JsonResponse({"status": "ok"})


def database_answers():
    for connection in connections.all(initialized_only=False):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")


def cache_answers():
    key = f"kolregistry:readyz:{uuid.uuid4().hex}"
    cache.set(key, "ok", timeout=10)
    answered = cache.get(key) == "ok"
    cache.delete(key)
    if not answered:
        raise RuntimeError("the cache did not return the value just stored")


READINESS_CHECKS = {"database": database_answers, "cache": cache_answers}


@never_cache
@require_safe
@transaction.non_atomic_requests
def readyz(request):
    """200 when the database and the cache answer; otherwise 503 naming what failed (details go to the log only)."""
    checks = {}
    for name, check in READINESS_CHECKS.items():
        try:
            check()
        except Exception:  # Any failure means "not ready"; the probe itself must never be a 500.
            logger.exception("Readiness check %r failed", name)
            checks[name] = "unavailable"
        else:
            checks[name] = "ok"
    ready = all(state == "ok" for state in checks.values())
    response = JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503
    )
    if not ready:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    """A lost database connection is a 503 with ``Retry-After``: JSON under /api/, a plain page elsewhere.

    Without it Django answers an HTML 500, which API clients cannot tell from a bug.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error("Database unavailable on %s %s: %s", request.method, request.path, exception)
        message = _("The service is temporarily unavailable. Please try again later.")
        response = error_response(request, message, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
