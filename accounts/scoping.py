"""The one place that decides which rows a user may see (filled in by issue 4).

Both the API viewsets and the admin call ``scope_queryset``.
"""


def scope_queryset(user, queryset):
    """Return the part of ``queryset`` that ``user`` may see."""
    return queryset
