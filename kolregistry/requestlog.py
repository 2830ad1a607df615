"""One log line per request, and the JSON log format.

The request id itself comes from django-guid (``X-Request-ID``, see settings.DJANGO_GUID); this
module only writes it into the log, with what was asked, the answer and how long it took.
"""

import json
import logging
import time
from datetime import UTC, datetime

from django.utils.functional import SimpleLazyObject, empty
from django_guid import get_guid

logger = logging.getLogger("kolregistry.requests")

# Attributes every LogRecord has; anything else on a record was passed with ``extra=``.
STANDARD_RECORD_ATTRIBUTES = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


def resolved_user_id(request):
    """The user's id if the request has already worked out who it is, else None.

    Resolving it here would cost queries, and fail while the database is down.
    """
    user = getattr(request, "user", None)
    if user is None or (isinstance(user, SimpleLazyObject) and user._wrapped is empty):
        return None
    return user.pk


class RequestLogMiddleware:
    """Logs each request once, after the response: method, path, status, duration, user and request id.

    The query string is left out: searches may carry personal data.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        fields = {
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            "user_id": resolved_user_id(request),
            "request_id": get_guid(),
        }
        logger.info(
            "%(method)s %(path)s %(status)s %(duration_ms)sms user=%(user_id)s request_id=%(request_id)s",
            fields,
            extra=fields,
        )
        return response


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, the ``extra=`` fields and any traceback."""

    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update((key, value) for key, value in vars(record).items() if key not in STANDARD_RECORD_ATTRIBUTES)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)
