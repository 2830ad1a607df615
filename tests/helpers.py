"""Small helpers shared by the tests."""

from urllib.parse import urlencode

from django.http import QueryDict


def results(response):
    """The rows of a successful list response."""
    assert response.status_code == 200, response.content
    return response.json()["results"]


def listed(response):
    """The objects a changelist shows on its page."""
    return list(response.context["cl"].result_list)


def assert_changelist_shows(client, assert_max_queries, url, rows, max_queries):
    """The changelist at ``url`` lists ``rows`` objects in at most ``max_queries`` queries."""
    with assert_max_queries(max_queries):
        response = client.get(url)
    assert response.status_code == 200
    assert len(listed(response)) == response.context["cl"].result_count == rows


def pks(filterset_class, data, model):
    """The pks the filterset selects for ``data``, given as a query string would give it."""
    filterset = filterset_class(QueryDict(urlencode(data, doseq=True)), queryset=model.objects.all())
    assert filterset.is_valid(), filterset.errors
    return set(filterset.qs.values_list("pk", flat=True))
