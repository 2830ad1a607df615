"""Optimistic concurrency for the API: ``ETag`` on detail responses, ``If-Match`` on writes."""

from django.utils.http import parse_etags
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException

from kolregistry.concurrency import lock_row, version_of

WRITE_METHODS = frozenset({"PUT", "PATCH", "DELETE"})
ETAG_ACTIONS = frozenset({"retrieve", "update", "partial_update"})


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _("This record has changed since you read it. Fetch it again and repeat your change.")
    default_code = "precondition_failed"


def etag_of(obj):
    """A strong entity tag for the current version of ``obj``."""
    return f'"{version_of(obj)}"'


def if_match_holds(request, obj):
    """True without ``If-Match``, for ``If-Match: *``, or when one of its tags is the current one.

    ``If-Match`` compares strongly, so a weak tag (``W/"…"``) never matches (RFC 9110, 13.1.1).
    """
    header = request.headers.get("If-Match")
    if header is None:
        return True
    tags = parse_etags(header)
    return tags == ["*"] or etag_of(obj) in tags


class OptimisticConcurrencyMixin:
    """Mixed into the base viewset.

    A write locks its row (``SELECT … FOR UPDATE`` in the write's transaction, RegistryViewSet.dispatch)
    before reading it, so it sees the latest version, a stale ``If-Match`` gets 412, and two writes
    that present the same version cannot both succeed.
    """

    def get_object(self):
        writing = self.request.method in WRITE_METHODS
        if writing:
            lookup = self.lookup_url_kwarg or self.lookup_field
            lock_row(self.queryset.model, **{self.lookup_field: self.kwargs[lookup]})
        obj = super().get_object()
        if writing and not if_match_holds(self.request, obj):
            raise PreconditionFailed
        self.versioned_object = obj
        return obj

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        obj = getattr(self, "versioned_object", None)
        if (
            obj is not None
            and getattr(self, "action", None) in ETAG_ACTIONS
            and status.is_success(response.status_code)
        ):
            # After an update, obj is the saved instance, so this is the new version.
            response["ETag"] = etag_of(obj)
        return response
