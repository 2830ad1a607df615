"""Request rate limits: per API token (or session user) and per anonymous IP.

Rates come from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` (scopes ``user``,
``user_burst`` and ``anon``; a scope without a rate is not limited), read on
every request so overridden settings apply at once.

Each budget is a sliding-window counter: two integers in the cache, the number
of requests admitted in the current fixed window of the rate's duration and in
the one before. The requests of the last ``duration`` seconds are estimated as
the previous window's count, weighted by the share of it still inside the
sliding window, plus the current window's count; a request is refused while
that estimate has reached the rate. Unlike DRF's list of one timestamp per
request, a budget costs the same two small entries whatever its size, and unlike
fixed windows, a client cannot spend a whole budget at the end of one window and
another at the start of the next.

Counters live in the default cache: per process with locmem, so a deployment
with several workers should point ``CACHES`` at a shared cache such as Redis.
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from .access import request_token


class SettingsRateThrottle(SimpleRateThrottle):
    """A sliding-window counter whose rate is read from the current settings rather than those at import time."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def window_key(self, window):
        """The cache key of this budget's counter for fixed window number ``window``."""
        return f"{self.key}:{window}"

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True

        self.now = self.timer()
        window = int(self.now // self.duration)
        self.elapsed = self.now - window * self.duration
        current_key, previous_key = self.window_key(window), self.window_key(window - 1)
        counts = self.cache.get_many([previous_key, current_key])
        self.previous, self.current = counts.get(previous_key, 0), counts.get(current_key, 0)
        if self.estimate(self.elapsed) >= self.num_requests:
            return self.throttle_failure()
        self.count(current_key)
        return True

    def estimate(self, elapsed):
        """Requests in the ``duration`` seconds up to ``elapsed`` seconds into the current window."""
        return self.previous * (1 - elapsed / self.duration) + self.current

    def count(self, key):
        """Adds the request to the current window's counter, kept long enough to serve as the next one's previous."""
        timeout = 2 * self.duration
        if self.cache.add(key, 1, timeout):
            return
        try:
            self.cache.incr(key)
        except ValueError:  # expired between add and incr
            self.cache.add(key, 1, timeout)

    def wait(self):
        """Seconds until the estimate falls below the rate (at least one)."""
        limit, duration = self.num_requests, self.duration
        # Integers first, so that round figures stay exact (Retry-After rounds up).
        if self.current >= limit:
            # Not in this window: in the next one, this window's count is the previous one and decays
            # below the limit after duration * (1 - limit / current) seconds. (A zero rate never admits anything;
            # it answers the rest of this window.)
            seconds = duration - self.elapsed + duration * (self.current - limit) / max(self.current, 1)
        else:
            # Once the previous window's weighted share is below what the current window leaves of the limit.
            seconds = duration * (self.previous - limit + self.current) / self.previous - self.elapsed
        return max(seconds, 1)


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
