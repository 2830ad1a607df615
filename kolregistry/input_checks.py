"""Input refused with a 400 before it reaches the database: NUL characters in the query string.

PostgreSQL cannot store or compare text holding NUL (0x00): psycopg2 raises ``ValueError`` and the
request would end in a 500. Forms and serializer fields already refuse NUL in the values they
validate; this middleware covers every query parameter (API filters, admin search and list filters)
at once, so a new filter cannot forget it. Request bodies are checked by the API's parsers
(``kolregistry.api.parsers``).
"""

from django.core.validators import ProhibitNullCharactersValidator
from django.http import HttpResponseBadRequest, JsonResponse

from kolregistry.http import is_api_request

NUL = "\x00"
# Django's own message, so it is already translated.
NULL_CHARACTERS_MESSAGE = ProhibitNullCharactersValidator.message


def parameters_with_nul(query_dict):
    """The names of the parameters whose name or any value holds a NUL character."""
    return [name for name, values in query_dict.lists() if NUL in name or any(NUL in value for value in values)]


class RejectNullCharactersMiddleware:
    """A NUL in the query string is a 400 naming the parameter: ``{"q": ["message"]}`` under /api/."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        names = parameters_with_nul(request.GET)
        if not names:
            return self.get_response(request)
        # The name is echoed without its NUL, which some clients cannot display.
        errors = {name.replace(NUL, ""): [str(NULL_CHARACTERS_MESSAGE)] for name in names}
        if is_api_request(request):
            return JsonResponse(errors, status=400)
        return HttpResponseBadRequest(
            "\n".join(f"{name}: {messages[0]}" for name, messages in errors.items()),
            content_type="text/plain; charset=utf-8",
        )
