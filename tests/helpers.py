"""Small helpers shared by the API tests."""


def results(response):
    """The rows of a successful list response."""
    assert response.status_code == 200, response.content
    return response.json()["results"]
