"""The stack's own cost: an API view with the registry's middleware, token authentication, permission check,
throttling, content negotiation and JSON renderer, which answers an empty page without a query of its own.

No endpoint can answer in less time than this view: it is what B adds to C before B reads or writes a row.
"""

from rest_framework.response import Response
from rest_framework.views import APIView

from kolregistry.api.renderers import RegistryJSONRenderer
from kolregistry.api.viewsets import handled_keeping_rollback
from partners.models import Channel


class EmptyPage(APIView):
    """``/benchmark/stack/``: an empty channel page, with the model permission a channel list checks."""

    queryset = Channel.objects.none()
    renderer_classes = [RegistryJSONRenderer]

    def get(self, request):
        return Response({"next": None, "previous": None, "results": []})

    def handle_exception(self, exc):
        # A read, as the registry's are: a refusal (a 429) leaves its caller's transaction alone.
        return handled_keeping_rollback(super().handle_exception, exc)
