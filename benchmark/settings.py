"""Settings of the server the benchmark starts (benchmark/server.py): the registry's own, as deployed, plus a
response header with each request's query count."""

from kolregistry.settings import *  # noqa: F403
from kolregistry.settings import ALLOWED_HOSTS, MIDDLEWARE

# Timings as in production: queries are not kept in memory, templates are cached.
DEBUG = False
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "127.0.0.1"]
MIDDLEWARE = ["benchmark.middleware.QueryCountMiddleware", *MIDDLEWARE]
ROOT_URLCONF = "benchmark.urls"
