"""The API's AutoSchema: every operation's 4xx responses and the brief form of ``?brief=1``.

It is DRF's DEFAULT_SCHEMA_CLASS, which DRF and ``extend_schema()`` import lazily. It imports DRF's
generic views, which the package ``__init__`` and ``schema`` must not (see ``__init__``).
"""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import OpenApiParameter
from rest_framework.permissions import AllowAny

from kolregistry.access import hideable_fields

from .fields import BriefSerializer, brief_serializer_for
from .schema import BRIEF_PARAMETER

# Error bodies. DRF answers every error that is not about fields with {"detail": "..."}.
ERROR_SCHEMA = {
    "type": "object",
    "description": 'An error that is not about particular fields: `{"detail": "message"}`.',
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
VALIDATION_ERROR_REF = {"$ref": "#/components/schemas/ValidationError"}
VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": (
        'Invalid input: `{"field": ["message", ...]}`. Errors not tied to one field are under '
        "`non_field_errors`; errors inside a list or a nested object are keyed by its index or field."
    ),
    "additionalProperties": {
        "anyOf": [
            {"type": "array", "items": {"anyOf": [{"type": "string"}, VALIDATION_ERROR_REF]}},
            VALIDATION_ERROR_REF,
        ]
    },
    "example": {"ends_on": ["The end date must not be before the start date."]},
}
ERROR_DESCRIPTIONS = {
    "400": 'Invalid input: `{"field": ["message"]}`, or `{"detail": "message"}` for a body that is not valid JSON.',
    "401": "No valid token or session.",
    "403": "The token or user may not do this (e.g. a read-only token writing, a partner user creating an agency).",
    "404": "No such object within the caller's scope (or an invalid page cursor).",
    "409": "The change conflicts with existing data, or other records still depend on the object.",
    "412": "`If-Match` names a version older than the current one; nothing was changed.",
    "413": "The request body is too large.",
    "415": "The body is not JSON: every write sends `Content-Type: application/json`.",
    "429": "Too many requests, or too many failed logins: retry after `Retry-After` seconds.",
}
# drf-spectacular's alternative for a blank string where the field has a format (URLField).
BLANK_STRING = {"type": "string", "maxLength": 0}
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CSV_MEDIA_TYPE = "text/csv"
VERSIONED_WRITES = frozenset({"PUT", "PATCH", "DELETE"})
IF_MATCH_PARAMETER = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    description=(
        "The `ETag` of the version the change is based on: if the record has changed since, nothing is "
        "changed and the answer is 412. Without it the change is made whatever the version."
    ),
)
ETAG_HEADER = {
    "schema": {"type": "string"},
    "description": "The record's current version, to send back as `If-Match` with a change.",
}
# drf-spectacular's "any value or null" (a nullable JSON value) under OpenAPI 3.1.
ANY_OR_NULL = {"oneOf": [{}, {"type": "null"}]}
OMITTED_FOR_PARTNERS = "Left out of responses to partner users (an internal field)."
CSV_SCHEMA = {"type": "string", "description": "`?format=csv`: the whole list as CSV, one header row first."}


class RegistryAutoSchema(AutoSchema):
    """The default AutoSchema, plus what it cannot infer.

    - Every operation lists the 4xx responses it can return, each with its JSON body
      (``ValidationError`` for 400, ``Error`` otherwise).
    - Where ``?brief=`` applies (registry list and detail), a 200 item is the full object
      or its brief form, and the detail route documents ``?brief=`` too.
    """

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if self.brief_model() is not None and self.view.action == "retrieve":
            parameters = [*parameters, BRIEF_PARAMETER]
        if self.changes_a_version():
            parameters = [*parameters, IF_MATCH_PARAMETER]
        return parameters

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        responses = operation["responses"]
        for code in self.error_status_codes(operation):
            responses.setdefault(code, self.error_response(code))
        versioned = self.changes_a_version() or (self.is_registry_view() and self.view.action == "retrieve")
        if versioned and "200" in responses:
            responses["200"]["headers"] = {"ETag": ETAG_HEADER}
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def is_registry_view(self):
        """Whether this is a registry viewset: brief forms, conflicts, versions."""
        # Imported late: extend_schema() loads this module while viewsets are being defined.
        from .viewsets import RegistryViewSet

        return isinstance(self.view, RegistryViewSet)

    def changes_a_version(self):
        """Whether this operation changes one record, and so takes ``If-Match`` (``concurrency``)."""
        return self.is_registry_view() and "{" in self.path and self.method in VERSIONED_WRITES

    def brief_model(self):
        """The model whose brief form ``?brief=1`` returns here, or None."""
        if self.is_registry_view() and self.view.action in ("list", "retrieve"):
            return self.view.queryset.model
        return None

    def _get_response_for_code(self, serializer, status_code, media_types=None, direction="response"):
        response = super()._get_response_for_code(serializer, status_code, media_types, direction)
        if CSV_MEDIA_TYPE in response.get("content", {}):
            response["content"][CSV_MEDIA_TYPE] = {"schema": CSV_SCHEMA}
        model = self.brief_model()
        if model is None or status_code != "200":
            return response
        # anyOf, not oneOf: an object need only match one form. The brief form allows no other
        # property, so a full object cannot pass as brief, and misses the full form's required fields.
        full = self.resolve_serializer(self._get_serializer(), direction).ref
        item = {"anyOf": [full, self.resolve_serializer(brief_serializer_for(model), direction).ref]}
        for media_type in response.get("content", {}).values():
            schema = media_type["schema"]
            if schema == CSV_SCHEMA:
                continue
            if schema == full:
                media_type["schema"] = item
            else:
                # A list: the paginated component, shared by nothing else, holds the items.
                page = self.registry[(schema["$ref"].rsplit("/", 1)[-1], ResolvedComponent.SCHEMA)].schema
                page["properties"]["results"]["items"] = item
        return response

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if schema == ANY_OR_NULL:
            # "Any value, or null" as drf-spectacular writes it: null matches both branches, which
            # oneOf forbids. Any value already includes null.
            return {}
        return schema

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        if direction == "response" and schema.get("properties"):
            # A response carries every field of its serializer (DRF sends null, never leaves one
            # out), except the internal ones, which partner users do not get.
            model = getattr(getattr(serializer, "Meta", None), "model", None)
            omitted = hideable_fields(model) if model is not None else frozenset()
            schema["required"] = sorted(set(schema["properties"]) - omitted)
            for name in omitted & set(schema["properties"]):
                schema["properties"][name]["description"] = " ".join(
                    filter(None, [schema["properties"][name].get("description"), OMITTED_FOR_PARTNERS])
                )
        return schema

    def _insert_field_validators(self, field, schema):
        super()._insert_field_validators(field, schema)
        if schema.get("oneOf", [None])[-1] == BLANK_STRING:
            # A blank URL or e-mail: "" also matches the formatted string whenever "format" is not
            # asserted (it is only an annotation by default), so "exactly one" would reject it.
            schema["anyOf"] = schema.pop("oneOf")

    def _postprocess_serializer_schema(self, schema, serializer, direction):
        schema = super()._postprocess_serializer_schema(schema, serializer, direction)
        if isinstance(serializer, BriefSerializer):
            # A brief object has exactly these properties (see _get_response_for_code).
            schema["additionalProperties"] = False
        return schema

    def error_status_codes(self, operation):
        """The 4xx codes this operation can answer with."""
        codes = set()
        permissions = self.view.get_permissions()
        if not all(isinstance(permission, AllowAny) for permission in permissions):
            codes |= {"401", "403"} if self.view.get_authenticators() else {"403"}
        if self.view.get_throttles() or self.view.get_authenticators() == []:
            # Unauthenticated views are logins, which django-axes locks out with 429 too.
            codes.add("429")
        if "requestBody" in operation or any(p["in"] == "query" for p in operation.get("parameters", ())):
            codes.add("400")
        if "requestBody" in operation:
            codes |= {"413", "415"}
        detail = "{" in self.path
        if detail or any(p["name"] == "cursor" for p in operation.get("parameters", ())):
            codes.add("404")
        if self.method in WRITE_METHODS and self.is_registry_view():
            codes.add("409")
            if self.method == "POST":
                codes.add("400")  # the model's rules may refuse a creation even without a body (a renewal)
            if detail and self.method != "POST":
                codes.add("412")
        return codes

    def error_response(self, code):
        self.registry.register_on_missing(
            ResolvedComponent("Error", ResolvedComponent.SCHEMA, object="Error", schema=ERROR_SCHEMA)
        )
        if code == "400":
            self.registry.register_on_missing(
                ResolvedComponent(
                    "ValidationError",
                    ResolvedComponent.SCHEMA,
                    object="ValidationError",
                    schema=VALIDATION_ERROR_SCHEMA,
                )
            )
            schema = {"anyOf": [VALIDATION_ERROR_REF, {"$ref": "#/components/schemas/Error"}]}
        else:
            schema = {"$ref": "#/components/schemas/Error"}
        return {
            "description": ERROR_DESCRIPTIONS[code],
            "content": {
                media_type: {"schema": schema}
                for media_type in self.map_renderers("media_type")
                if media_type != CSV_MEDIA_TYPE  # errors are JSON whatever the format
            },
        }
