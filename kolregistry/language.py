"""The language of each response: Django's choice, except that API clients asking for none get English."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header

from kolregistry.http import is_api_request

# LANGUAGE_CODE (Vietnamese) is for the ministry's staff in the admin; API clients are programs, whose
# developers and logs are better served by English unless they ask otherwise.
API_DEFAULT_LANGUAGE = "en"


def is_supported(code):
    try:
        translation.get_supported_language_variant(code)
    except LookupError:
        return False
    return True


def asks_for_a_language_we_have(request):
    """True when the language cookie or ``Accept-Language`` names one of LANGUAGES (``*`` names none)."""
    asked = [request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) or ""]
    # Django's own parser (q-values, its length cap): the header is read as LocaleMiddleware reads it.
    asked += [code for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", ""))]
    return any(code not in {"", "*"} and is_supported(code) for code in asked)


class RegistryLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware; under /api/, English instead of LANGUAGE_CODE when nothing else is asked for."""

    def process_request(self, request):
        if is_api_request(request) and not asks_for_a_language_we_have(request):
            translation.activate(API_DEFAULT_LANGUAGE)
            request.LANGUAGE_CODE = translation.get_language()
            return
        super().process_request(request)
