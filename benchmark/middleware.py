"""Counts the SQL queries of each request for the benchmark's admin crawl (benchmark/settings.py)."""

from django.db import connection

QUERY_COUNT_HEADER = "X-Benchmark-Queries"


class QueryCountMiddleware:
    """Puts the number of SQL queries the request ran in the ``X-Benchmark-Queries`` response header.

    Outermost, so that the session, the user and every other middleware's queries are counted too.
    Works with DEBUG off, unlike ``connection.queries``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        queries = 0

        def count(execute, sql, params, many, context):
            nonlocal queries
            queries += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            response = self.get_response(request)
        response[QUERY_COUNT_HEADER] = str(queries)
        return response
