"""The API's pagination: keyset (cursor) pages.

DRF imports DEFAULT_PAGINATION_CLASS while defining GenericAPIView, so neither this module nor the
package ``__init__`` (which runs first) may import DRF's generic views or viewsets.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as DrfValidationError
from rest_framework.pagination import CursorPagination


class RegistryPagination(CursorPagination):
    """Keyset pagination: a deep page costs what the first one does.

    ``?limit=`` sets the page size (default 50; larger values are capped at 500, since the ``next``
    link reaches the rest); anything but a whole number from 1 up is a 400. The response is
    ``{"next", "previous", "results"}``; a count would cost a full scan, so there is none.
    The ordering comes from the view and always ends with a unique field.
    """

    page_size = 50
    page_size_query_param = "limit"
    max_page_size = 500
    ordering = ("-id",)

    def get_page_size(self, request):
        # Empty counts as absent, as it does for the filters.
        value = request.query_params.get(self.page_size_query_param) or ""
        if not value:
            return self.page_size
        if not (value.isascii() and value.isdigit()) or not value.strip("0"):
            raise DrfValidationError({self.page_size_query_param: [_("Give a whole number of at least 1.")]})
        # Compared as text first: int() refuses strings of thousands of digits.
        if len(value.lstrip("0")) > len(str(self.max_page_size)):
            return self.max_page_size
        return min(int(value), self.max_page_size)

    def get_paginated_response_schema(self, schema):
        # Every page has all three keys; next and previous are null at either end.
        link = {"type": ["string", "null"], "format": "uri"}
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {**link, "description": "The next page, or null on the last one."},
                "previous": {**link, "description": "The previous page, or null on the first one."},
                "results": schema,
            },
        }

    def get_ordering(self, request, queryset, view):
        return view.get_ordering() if hasattr(view, "get_ordering") else self.ordering

    def paginate_queryset(self, queryset, request, view=None):
        if self.cursor_query_param not in request.query_params:
            return super().paginate_queryset(queryset, request, view)
        try:
            return super().paginate_queryset(queryset, request, view)
        except (ValueError, TypeError, DjangoValidationError) as error:
            # A well-formed cursor whose position does not fit the ordering field was tampered with.
            raise NotFound(self.invalid_cursor_message) from error
