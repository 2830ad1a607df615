"""OpenAPI: drf-spectacular extensions (registered when this module is imported) and shared parameters.

The AutoSchema is in ``autoschema`` (it imports DRF's generic views, which this module must not).
"""

from drf_spectacular.extensions import OpenApiAuthenticationExtension, OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_basic_type, build_bearer_security_scheme_object, build_mock_request
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from .fields import BriefRelatedField, brief_serializer_for


class ApiTokenAuthenticationSchema(OpenApiAuthenticationExtension):
    """OpenAPI: ``Authorization: Token <key>``."""

    target_class = "accounts.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(header_name="Authorization", token_prefix="Token")


class BriefRelatedFieldSchema(OpenApiSerializerFieldExtension):
    """OpenAPI: the brief object in responses, an integer id in requests."""

    target_class = BriefRelatedField

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":
            return build_basic_type(OpenApiTypes.INT)
        return auto_schema.resolve_serializer(brief_serializer_for(self.target.model), direction).ref


BRIEF_PARAMETER = OpenApiParameter(
    "brief", bool, description="Return only the brief form {id, url, display, slug} of each object."
)
FORMAT_PARAMETER = OpenApiParameter(
    "format",
    str,
    enum=["json", "csv"],
    description=(
        "`csv`: the whole filtered list (not one page) as a streamed CSV file, UTF-8 with a BOM, one column per "
        "field (a related object as `field.id` and `field.display`)."
    ),
)


def build_schema_request(method, path, view, original_request, **kwargs):
    """drf-spectacular's stand-in request for one operation, marked as the schema's (GET_MOCK_REQUEST).

    Serializers then document every field whoever asks, so that every consumer gets the same schema.
    """
    request = build_mock_request(method, path, view, original_request, **kwargs)
    request.documents_the_api = True
    return request


def documents_the_api(request):
    """Whether ``request`` stands in for an operation while the schema is being generated."""
    return getattr(request, "documents_the_api", False)
