"""The one place that decides which rows a request may see (filled in by issue 4).

Both the API viewsets and the admin call ``scope_queryset``. ``request`` is a
Django or DRF request; a DRF request also carries ``request.auth`` (the token).
"""


def scope_queryset(request, queryset):
    """Return the part of ``queryset`` that ``request``'s user (and token) may see."""
    return queryset
