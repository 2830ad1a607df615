"""Django validation, database and delete-protection errors turned into 400/409 API responses."""

from django.apps import apps
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import CheckConstraint, ProtectedError, RestrictedError
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.exceptions import ValidationError as DrfValidationError
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler


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


def protected_error_to_api(error):
    blocking = list(error.protected_objects if isinstance(error, ProtectedError) else error.restricted_objects)
    examples = ", ".join(str(obj) for obj in blocking[:3])
    return Conflict(
        _("It cannot be deleted while %(count)s other records refer to it, e.g. %(examples)s.")
        % {"count": len(blocking), "examples": examples}
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
    return drf_exception_handler(exc, context)
