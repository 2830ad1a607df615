"""Django validation, database and delete-protection errors turned into 400/409 API responses."""

from collections import Counter

from django.apps import apps
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import CheckConstraint, ProtectedError, RestrictedError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views import defaults
from rest_framework import status
from rest_framework.exceptions import APIException, NotFound, ParseError
from rest_framework.exceptions import ValidationError as DrfValidationError
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from kolregistry.http import is_api_request


def django_errors_to_drf(error):
    """``{"field": ["message"]}``; errors not tied to a field go under ``non_field_errors``."""
    if hasattr(error, "error_dict"):
        return {
            (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): messages
            for field, messages in error.message_dict.items()
        }
    return {api_settings.NON_FIELD_ERRORS_KEY: error.messages}


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("This change conflicts with existing data.")
    default_code = "conflict"


def violated_constraint(error):
    """The model constraint an IntegrityError names, if any (the longest name that matches)."""
    text = str(error)
    matches = [
        constraint for model in apps.get_models() for constraint in model._meta.constraints if constraint.name in text
    ]
    return max(matches, key=lambda constraint: len(constraint.name), default=None)


def integrity_error_to_api(error):
    constraint = violated_constraint(error)
    if constraint is None:
        return Conflict(_("The database rejected this change because it conflicts with existing data."))
    message = constraint.get_violation_error_message()
    if isinstance(constraint, CheckConstraint):
        return DrfValidationError({api_settings.NON_FIELD_ERRORS_KEY: [message]})
    return Conflict(message)


def describe_dependents(objects):
    """``"3 channel metrics, 1 assignment"``: how many records of each kind, most numerous first."""
    counts = Counter(type(obj)._meta for obj in objects)
    return ", ".join(
        f"{count} {meta.verbose_name if count == 1 else meta.verbose_name_plural}"
        for meta, count in sorted(counts.items(), key=lambda item: (-item[1], item[0].label))
    )


def protected_error_to_api(error):
    """A 409 naming what the record still has: the caller must delete those facts first."""
    blocking = sorted(
        error.protected_objects if isinstance(error, ProtectedError) else error.restricted_objects,
        key=lambda obj: (obj._meta.label, obj.pk),
    )
    examples = ", ".join(str(obj) for obj in blocking[:3]) + (", …" if len(blocking) > 3 else "")
    message = ngettext(
        "It cannot be deleted while %(dependents)s refers to it (%(examples)s).",
        "It cannot be deleted while %(dependents)s refer to it (%(examples)s).",
        len(blocking),
    )
    return Conflict(message % {"dependents": describe_dependents(blocking), "examples": examples})


class PayloadTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "payload_too_large"

    def __init__(self):
        super().__init__(
            _("The request body is larger than %(limit)s bytes.") % {"limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE}
        )


def exception_handler(exc, context):
    """DRF's handler, plus database and model errors turned into 400/409 JSON instead of a 500.

    DRF's handler marks the request's transaction (ATOMIC_REQUESTS) for rollback.
    """
    if isinstance(exc, DjangoValidationError):
        exc = DrfValidationError(django_errors_to_drf(exc))
    elif isinstance(exc, ProtectedError | RestrictedError):
        exc = protected_error_to_api(exc)
    elif isinstance(exc, IntegrityError):
        exc = integrity_error_to_api(exc)
    # Django answers these (DATA_UPLOAD_MAX_*) with an HTML 400 page; an API client gets JSON.
    elif isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge()
    elif isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        exc = ParseError(_("The request has too many fields or files."))
    # get_object_or_404's message names the model class, in English whatever the language: DRF's own instead.
    elif isinstance(exc, Http404):
        exc = NotFound()
    return drf_exception_handler(exc, context)


def page_not_found(request, exception):
    """Django's ``handler404``: JSON under ``/api/``, where no route matched at all.

    An id that the routers' ``[^/.]+`` does not match (``/api/v1/channels/1.5/``) never reaches a
    view, so without this an API client would get Django's HTML page instead of ``{"detail": ...}``.
    """
    if is_api_request(request):
        return JsonResponse({"detail": str(NotFound.default_detail)}, status=status.HTTP_404_NOT_FOUND)
    return defaults.page_not_found(request, exception)
