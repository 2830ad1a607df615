"""Request rate limits: per API token (or session user) and per anonymous IP.

Rates come from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` (scopes ``user``,
``user_burst`` and ``anon``; a scope without a rate is not limited), read on
every request so overridden settings apply at once. Counters live in the
default cache: per process with locmem, so a deployment with several workers
should point ``CACHES`` at a shared cache such as Redis.
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from .access import request_token


class SettingsRateThrottle(SimpleRateThrottle):
    """Reads its rate from the current settings rather than those at import time."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class TokenRateThrottle(SettingsRateThrottle):
    """Authenticated requests: one budget per API token, or per user for session logins."""

    scope = "user"

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        token = request_token(request)
        ident = f"token-{token.pk}" if token else f"user-{request.user.pk}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


class TokenBurstRateThrottle(TokenRateThrottle):
    """The same budgets over a minute: caps how fast a runaway client spends its hourly budget."""

    scope = "user_burst"


class AnonymousRateThrottle(SettingsRateThrottle):
    """Unauthenticated requests (e.g. the token endpoint): one budget per client IP."""

    scope = "anon"

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
