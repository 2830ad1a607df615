"""The stack's own cost: an API view with the registry's middleware, token authentication, permission check,
throttling, content negotiation and JSON renderer, which answers an empty page without a query of its own.

No endpoint can answer in less time than this view: it is what B adds to C before B reads or writes a row.
"""

from django.db import connection, transaction
from rest_framework.response import Response
from rest_framework.views import APIView

from kolregistry.api.renderers import RegistryJSONRenderer
from partners.models import Channel


class EmptyPage(APIView):
    """``/benchmark/stack/``: an empty channel page, with the model permission a channel list checks."""

    queryset = Channel.objects.none()
    renderer_classes = [RegistryJSONRenderer]

    def get(self, request):
        return Response({"next": None, "previous": None, "results": []})

    def handle_exception(self, exc):
        # DRF's handler dooms the transaction around the request; this view writes nothing, and a refusal (a 429)
        # must not doom its caller's transaction (a test's), as RegistryViewSet's reads do not.
        if not connection.in_atomic_block:
            return super().handle_exception(exc)
        rollback = transaction.get_rollback()
        response = super().handle_exception(exc)
        transaction.set_rollback(rollback)
        return response
