"""The API's pagination: keyset (cursor) pages.

DRF imports DEFAULT_PAGINATION_CLASS while defining GenericAPIView, so neither this module nor the
package ``__init__`` (which runs first) may import DRF's generic views or viewsets.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination


class RegistryPagination(CursorPagination):
    """Keyset pagination: a deep page costs what the first one does.

    ``?limit=`` sets the page size (default 50, capped at 500). The response is
    ``{"next", "previous", "results"}``; a count would cost a full scan, so there is none.
    The ordering comes from the view and always ends with a unique field.
    """

    page_size = 50
    page_size_query_param = "limit"
    max_page_size = 500
    ordering = ("-id",)

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
