"""Record versions for optimistic concurrency: the API's ``ETag`` / ``If-Match`` and the admin's stale-form check.

A version is derived from the row's ``updated_at``, which every save moves on, so it costs no query
and no extra column.
"""

import hashlib
from contextlib import suppress

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def version_of(obj):
    """An opaque token that changes whenever ``obj`` is saved."""
    stamp = obj.updated_at.isoformat() if obj.updated_at else ""
    return hashlib.sha256(f"{obj._meta.label}:{obj.pk}:{stamp}".encode()).hexdigest()[:32]


def lock_row(model, **lookup):
    """Lock the row ``lookup`` selects until the transaction ends (a no-op on SQLite).

    Taken before the row is read for a write, so that a version check and the write that follows
    cannot interleave with another request's. A lookup value that is not valid for its field (``abc`` as
    an id) locks nothing: the caller's own lookup then answers 404.
    """
    with suppress(TypeError, ValueError, ValidationError):
        list(model._default_manager.select_for_update().filter(**lookup).values_list("pk", flat=True))


def last_change_text(obj):
    """Who saved ``obj`` last, and when, from its history: for messages about a conflicting change."""
    record = obj.history.select_related("history_user").order_by("-history_date", "-history_id").first()
    user = record and record.history_user
    when = timezone.localtime(record.history_date if record else obj.updated_at)
    return {
        "user": (user.get_full_name() or user.get_username()) if user else _("someone"),
        "time": when.strftime("%Y-%m-%d %H:%M:%S"),
    }
