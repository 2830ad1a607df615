"""The pieces every registry API endpoint shares, NetBox-shaped without its framework weight; one module per concern.

- ``fields``: brief objects ``{id, url, display[, slug]}`` and ``BriefRelatedField``;
- ``serializers``: ``RegistrySerializer``, which runs the model's ``full_clean()``;
- ``errors``: Django and database errors as 400/409 responses (DRF's ``EXCEPTION_HANDLER``);
- ``schema``: the drf-spectacular extensions and shared OpenAPI parameters;
- ``viewsets``: ``RegistryViewSet``; ``history``: its ``/history/`` action;
- ``filters``: FilterSet building blocks and the filter backend; ``pagination``: ``RegistryPagination``;
- ``parsers``: the JSON parser (and the multipart one of file uploads), refusing too-deep JSON and NUL characters;
- ``renderers``: the browsable API, with no form that lists a whole table;
- ``urls``: ``/api/v1/``.

Import each name from its module. This file imports nothing else on purpose: DRF imports
DEFAULT_PAGINATION_CLASS (``kolregistry.api.pagination``, which runs this file first) while defining
GenericAPIView, so importing DRF's views here would be a circular import.
"""

from . import schema  # noqa: F401 -- registers the drf-spectacular extensions
