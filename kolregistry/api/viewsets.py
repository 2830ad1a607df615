"""The base of every registry viewset: ``?brief=``, ``?ordering=``, ``?updated_since=``, ``?format=csv``,
access scoping and ``/history/``."""

from django.db import connection, transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError as DrfValidationError
from rest_framework.permissions import SAFE_METHODS
from rest_framework.serializers import ListSerializer

from kolregistry.access import scope_queryset, scope_related
from kolregistry.db import direct_prefetch

from .concurrency import OptimisticConcurrencyMixin
from .export import CsvRenderer, csv_response
from .fields import brief_serializer_for, joined_briefly
from .filters import RegistryFilterBackend, UpdatedSinceFilter
from .history import HistoryMixin
from .renderers import RegistryJSONRenderer
from .schema import BRIEF_PARAMETER, FORMAT_PARAMETER
from .serializers import RegistrySerializer

TRUE_VALUES = {"1", "true", "yes", "on"}
FALSE_VALUES = {"0", "false", "no", "off"}


def handled_keeping_rollback(handle_exception, exc):
    """``handle_exception(exc)`` for a read, leaving the surrounding transaction as it was.

    DRF's handler marks the innermost transaction for rollback, but a read opened none: inside a caller's
    transaction (a test's, say) that one must not be doomed by a 404 or a 429.
    """
    if not connection.in_atomic_block:
        return handle_exception(exc)
    rollback = transaction.get_rollback()
    response = handle_exception(exc)
    transaction.set_rollback(rollback)
    return response


class RegistryViewSet(OptimisticConcurrencyMixin, HistoryMixin, viewsets.ModelViewSet):
    """Base of every registry viewset.

    Subclasses set ``queryset`` (with the select/prefetch its serializer needs), ``serializer_class``,
    ``filterset_class``, a default ``ordering`` ending in a unique field and the ``ordering_choices``
    clients may ask for with ``?ordering=``.
    """

    ordering = ("-id",)
    ordering_choices = {}
    # The model permission ("change", …) every write needs, when not its method's; an @action may set it.
    write_permission = None
    filter_backends = [RegistryFilterBackend, UpdatedSinceFilter]

    @classmethod
    def as_view(cls, actions=None, **initkwargs):
        # ATOMIC_REQUESTS would wrap each read in BEGIN and COMMIT; dispatch() makes the writes atomic instead.
        return transaction.non_atomic_requests(super().as_view(actions, **initkwargs))

    def dispatch(self, request, *args, **kwargs):
        if request.method in SAFE_METHODS:
            return super().dispatch(request, *args, **kwargs)
        # The whole write, authentication to response, in one transaction, as ATOMIC_REQUESTS did: DRF's
        # exception handler marks it for rollback, and OptimisticConcurrencyMixin's row locks hold to its end.
        with transaction.atomic():
            return super().dispatch(request, *args, **kwargs)

    def get_renderers(self):
        renderers = super().get_renderers()
        if self.action == "list":
            renderers.append(CsvRenderer())
        return renderers

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        if isinstance(request.accepted_renderer, CsvRenderer):
            # Filtered here, before streaming starts, so that a bad filter is still a 400.
            return csv_response(self, queryset)
        return self.page_response(queryset)

    def page_response(self, queryset, serializer_class=None):
        """The page of ``queryset`` the request asks for, each row as ``serializer_class`` (default: the view's) has it.

        Where the serializer can (``RegistrySerializer.row_plan``), the rows are read as ``.values()`` dicts rather
        than model instances, with the same result.
        """
        serializer_class = serializer_class or self.get_serializer_class()
        context = self.get_serializer_context()
        serializer = serializer_class(context=context)
        plan = None
        if isinstance(serializer, RegistrySerializer):
            lookups = (direct_prefetch(queryset.model, lookup) for lookup in queryset._prefetch_related_lookups)
            plan = serializer.row_plan(dict(direct for direct in lookups if direct is not None))
        if plan is None:
            page = self.paginate_queryset(queryset)
            # The serializer above, whose fields are built already, serializes each row.
            return self.get_paginated_response(ListSerializer(page, child=serializer, context=context).data)
        # The cursor reads each row's position from the ordering's first field.
        columns = sorted({*plan.columns, *(name.lstrip("-") for name in self.get_ordering())})  # the same SQL each time
        rows = self.paginate_queryset(queryset.prefetch_related(None).values(*columns))
        return self.get_paginated_response(plan.render(rows))

    def handle_exception(self, exc):
        if isinstance(getattr(self.request, "accepted_renderer", None), CsvRenderer):
            # Errors are JSON whatever the format asked for.
            self.request.accepted_renderer = RegistryJSONRenderer()
            self.request.accepted_media_type = "application/json"
        if self.request.method not in SAFE_METHODS:
            return super().handle_exception(exc)
        return handled_keeping_rollback(super().handle_exception, exc)

    @property
    def brief(self):
        return self.request.method == "GET" and self.request.query_params.get("brief", "").lower() in TRUE_VALUES

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # Empty counts as absent, as it does for the filters.
        brief = request.query_params.get("brief") or ""
        if brief and brief.lower() not in TRUE_VALUES | FALSE_VALUES:
            # A typo must not silently return the full form.
            raise DrfValidationError({"brief": [_("Give true or false (or 1 or 0).")]})

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.brief:
            queryset = queryset.prefetch_related(None)
        queryset = self.scoped(queryset)
        # A detail or a write may read more of a related row (validation does); a list shows it brief.
        return joined_briefly(queryset) if self.action == "list" else queryset

    def scoped(self, queryset):
        """The caller's rows of ``queryset``, with only the caller's related rows joined or prefetched.

        The single place access scoping is enforced (kolregistry.access); custom actions use it too.
        """
        return scope_related(self.request, scope_queryset(self.request, queryset))

    def get_serializer_class(self):
        if self.brief:
            return brief_serializer_for(self.queryset.model)
        return super().get_serializer_class()

    def get_ordering(self):
        requested = self.request.query_params.get("ordering")
        if not requested:
            return self.ordering
        if requested not in self.ordering_choices:
            choices = ", ".join(self.ordering_choices) or "-"
            raise DrfValidationError({"ordering": [_("Order by one of: %(choices)s.") % {"choices": choices}]})
        return self.ordering_choices[requested]

    @classmethod
    def list_parameters(cls):
        parameters = [BRIEF_PARAMETER, FORMAT_PARAMETER]
        if cls.ordering_choices:
            parameters.append(OpenApiParameter("ordering", str, enum=list(cls.ordering_choices)))
        return parameters

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("queryset") is not None:
            extend_schema_view(list=extend_schema(parameters=cls.list_parameters()))(cls)
