"""The API's request parsers: JSON bodies, and the multipart body of an MOU's document upload.

Two kinds of body would otherwise end in a 500: JSON nested so deep that decoding it (or walking it)
exhausts Python's recursion limit, and NUL characters, which PostgreSQL cannot store in text or
``jsonb``. Both are refused here, for every field at once, as 400s in the API's error shapes.
"""

import json

from django.utils.translation import gettext_lazy as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.exceptions import ValidationError as DrfValidationError
from rest_framework.settings import api_settings

from kolregistry.input_checks import NUL, NULL_CHARACTERS_MESSAGE

# The registry's bodies are at most three levels deep ({"organisers": [{"id": 3}]}).
MAX_JSON_DEPTH = 20


def too_deep():
    return ParseError(
        _("The JSON body is nested more than %(depth)s levels deep.") % {"depth": MAX_JSON_DEPTH},
        code="too_deep",
    )


def not_json(error):
    """DRF's message quotes Python's, in English whatever the language: ours gives the place in the request's."""
    if isinstance(error, json.JSONDecodeError):
        return ParseError(
            _("The request body is not valid JSON (line %(line)s, column %(column)s).")
            % {"line": error.lineno, "column": error.colno}
        )
    return ParseError(_("The request body is not valid JSON."))


def check_json(data):
    """Raise if ``data`` is nested deeper than MAX_JSON_DEPTH or holds a NUL in any key or string.

    Iterative, so that walking the value cannot itself hit the recursion limit. A NUL is reported
    under the top-level field it was found in.
    """
    stack = [(data, 0, api_settings.NON_FIELD_ERRORS_KEY)]
    while stack:
        value, depth, field = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise too_deep()
        if isinstance(value, dict):
            for key, item in value.items():
                name = key if depth == 0 else field
                if NUL in key:
                    raise DrfValidationError({name.replace(NUL, ""): [NULL_CHARACTERS_MESSAGE]})
                stack.append((item, depth + 1, name))
        elif isinstance(value, list):
            stack.extend((item, depth + 1, field) for item in value)
        elif isinstance(value, str) and NUL in value:
            raise DrfValidationError({field: [NULL_CHARACTERS_MESSAGE]})


def check_form(data, files=None):
    """Raise if a form field's name or value, or an uploaded file's name, holds a NUL."""
    for name, values in data.lists():
        if NUL in name or any(isinstance(value, str) and NUL in value for value in values):
            raise DrfValidationError({name.replace(NUL, ""): [NULL_CHARACTERS_MESSAGE]})
    for name, uploads in files.lists() if files is not None else ():
        if NUL in name or any(NUL in (upload.name or "") for upload in uploads):
            raise DrfValidationError({name.replace(NUL, ""): [NULL_CHARACTERS_MESSAGE]})


class RegistryJSONParser(parsers.JSONParser):
    """JSON at most MAX_JSON_DEPTH deep and without NUL characters; anything else is a 400."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise too_deep() from error
        except ParseError as error:
            raise not_json(error.__context__) from error
        check_json(data)
        return data


class RegistryMultiPartParser(parsers.MultiPartParser):
    """Multipart bodies without NUL characters in field names, values or file names.

    Only file uploads take it (``parser_classes`` of ``PUT /api/v1/mous/{id}/document/``); every other
    write is JSON.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        result = super().parse(stream, media_type, parser_context)
        check_form(result.data, result.files)
        return result
