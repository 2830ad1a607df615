"""The project's URLs, plus the benchmark's implementation A under /benchmark/naive/ (benchmark.naive), bare
views over its floor under /benchmark/floor/ (benchmark.floor) and the stack's empty page (benchmark.stack)."""

from django.db import transaction
from django.urls import include, path

from kolregistry.urls import handler404
from kolregistry.urls import urlpatterns as project_urlpatterns

from . import floor, naive, stack

urlpatterns = [
    path("benchmark/naive/", include(naive.router.urls)),
    path("benchmark/floor/roster/", floor.roster_view),
    path("benchmark/floor/channels/", floor.channel_search_view),
    # Read-only, as the registry's reads are: no transaction.
    path("benchmark/stack/", transaction.non_atomic_requests(stack.EmptyPage.as_view())),
    *project_urlpatterns,
]

__all__ = ["handler404", "urlpatterns"]
