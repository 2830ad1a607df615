"""Pieces every registry API endpoint shares: serializer base, brief nested objects, error handling,
the base viewset and FilterSet building blocks (NetBox-shaped, without its framework weight).

Pagination lives in kolregistry.pagination (see there why).
"""

import copy
from functools import cache

import django_filters
from django import forms
from django.apps import apps
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import CheckConstraint, ProtectedError, RestrictedError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension, OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_basic_type, build_bearer_security_scheme_object
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import APIException
from rest_framework.exceptions import ValidationError as DrfValidationError
from rest_framework.reverse import reverse
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from accounts.api.history import HistoryMixin
from accounts.scoping import INTERNAL_FIELD_NAMES, hides_internal_fields, scope_queryset
from kolregistry.text import fold

TRUE_VALUES = {"1", "true", "yes", "on"}


def detail_view_name(model):
    """Routers register each model under its model name: ``channel-detail``, ``partnercompany-detail``."""
    return f"{model._meta.model_name}-detail"


@cache
def has_slug(model):
    """Whether brief objects of ``model`` carry a slug (a field, or a property such as Hashtag's)."""
    return any(field.name == "slug" for field in model._meta.concrete_fields) or isinstance(
        getattr(model, "slug", None), property
    )


def brief_representation(obj, request):
    data = {
        "id": obj.pk,
        "url": reverse(detail_view_name(type(obj)), kwargs={"pk": obj.pk}, request=request),
        "display": str(obj),
    }
    if has_slug(type(obj)):
        data["slug"] = obj.slug
    return data


class BriefSerializer(serializers.Serializer):
    """The brief form of any registry object: ``{id, url, display[, slug]}``."""

    id = serializers.IntegerField(read_only=True)
    url = serializers.URLField(read_only=True)
    display = serializers.CharField(read_only=True)

    def to_representation(self, instance):
        return brief_representation(instance, self.context.get("request"))


@cache
def brief_serializer_for(model):
    """A named BriefSerializer subclass per model, so the schema gets one component each."""
    attrs = {"__doc__": f"Brief {model._meta.verbose_name}.", "__module__": __name__}
    if has_slug(model):
        attrs["slug"] = serializers.SlugField(read_only=True)
    return type(f"Brief{model.__name__}Serializer", (BriefSerializer,), attrs)


class BriefRelatedField(serializers.RelatedField):
    """A foreign key: read as the brief nested object, written as the primary key.

    Writes also accept the brief object itself (``{"id": 3, ...}``), so a GET body can be PUT back.
    """

    default_error_messages = {
        "does_not_exist": _("There is no {model} with id {value}."),
        "incorrect_type": _("Give the id (a whole number) of the {model}."),
    }

    def __init__(self, model=None, **kwargs):
        super().__init__(**kwargs)
        # Read-only fields have no queryset, yet the schema needs the model.
        self.model = model or self.queryset.model

    def to_representation(self, value):
        return brief_representation(value, self.context.get("request"))

    def to_internal_value(self, data):
        if isinstance(data, dict):
            data = data.get("id")
        model_name = self.model._meta.verbose_name
        if isinstance(data, bool) or not isinstance(data, int | str) or not str(data).isdigit():
            self.fail("incorrect_type", model=model_name)
        try:
            return self.get_queryset().get(pk=int(data))
        except self.get_queryset().model.DoesNotExist:
            self.fail("does_not_exist", model=model_name, value=data)

    def use_pk_only_optimization(self):
        return False

    def get_choices(self, cutoff=None):
        # The browsable API would otherwise render a <select> of every row of the table.
        return {}


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


def django_errors_to_drf(error):
    """``{"field": ["message"]}``; errors not tied to a field go under ``non_field_errors``."""
    if hasattr(error, "error_dict"):
        return {
            (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): messages
            for field, messages in error.message_dict.items()
        }
    return {api_settings.NON_FIELD_ERRORS_KEY: error.messages}


class RegistrySerializer(serializers.ModelSerializer):
    """Base of every registry serializer: ``id``, ``url``, ``display``, and ``full_clean()`` on write.

    DRF 3 does not call ``Model.full_clean()``; this does, on an unsaved copy of the instance with
    the incoming values applied, so the API enforces exactly what the admin does.
    """

    url = serializers.SerializerMethodField()
    display = serializers.CharField(source="__str__", read_only=True)

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj):
        return reverse(detail_view_name(type(obj)), kwargs={"pk": obj.pk}, request=self.context.get("request"))

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and hides_internal_fields(request):
            for name in INTERNAL_FIELD_NAMES:
                fields.pop(name, None)
        return fields

    def get_validators(self):
        # Uniqueness and constraints are checked by full_clean() in validate(), with the model's messages.
        return []

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        many_to_many = {field.name for field in model._meta.many_to_many}
        values = {name: value for name, value in attrs.items() if name not in many_to_many}
        instance = copy.copy(self.instance) if self.instance is not None else model()
        for name, value in values.items():
            setattr(instance, name, value)
        writable = {field.source for field in self.fields.values() if not field.read_only}
        exclude = [field.name for field in model._meta.concrete_fields if field.name not in writable]
        try:
            instance.full_clean(exclude=exclude, validate_unique=True)
        except DjangoValidationError as error:
            raise serializers.ValidationError(django_errors_to_drf(error)) from error
        # clean() may normalise values (handles, hashtag names); keep what it settled on.
        return {**attrs, **{name: getattr(instance, name) for name in values}}


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("This change conflicts with existing data.")
    default_code = "conflict"


def violated_constraint(error):
    """The model constraint an IntegrityError names, if any (the longest name that matches)."""
    text = str(error)
    matches = [
        constraint for model in apps.get_models() for constraint in model._meta.constraints if constraint.name in text
    ]
    return max(matches, key=lambda constraint: len(constraint.name), default=None)


def integrity_error_to_api(error):
    constraint = violated_constraint(error)
    if constraint is None:
        return Conflict(_("The database rejected this change because it conflicts with existing data."))
    message = constraint.get_violation_error_message()
    if isinstance(constraint, CheckConstraint):
        return DrfValidationError({api_settings.NON_FIELD_ERRORS_KEY: [message]})
    return Conflict(message)


def protected_error_to_api(error):
    blocking = list(error.protected_objects if isinstance(error, ProtectedError) else error.restricted_objects)
    examples = ", ".join(str(obj) for obj in blocking[:3])
    return Conflict(
        _("It cannot be deleted while %(count)s other records refer to it, e.g. %(examples)s.")
        % {"count": len(blocking), "examples": examples}
    )


def exception_handler(exc, context):
    """DRF's handler, plus database and model errors turned into 400/409 JSON instead of a 500.

    DRF's handler marks the request's transaction (ATOMIC_REQUESTS) for rollback.
    """
    if isinstance(exc, DjangoValidationError):
        exc = DrfValidationError(django_errors_to_drf(exc))
    elif isinstance(exc, ProtectedError | RestrictedError):
        exc = protected_error_to_api(exc)
    elif isinstance(exc, IntegrityError):
        exc = integrity_error_to_api(exc)
    return drf_exception_handler(exc, context)


BRIEF_PARAMETER = OpenApiParameter(
    "brief", bool, description="Return only the brief form {id, url, display, slug} of each object."
)


class RegistryViewSet(HistoryMixin, viewsets.ModelViewSet):
    """Base of every registry viewset.

    Subclasses set ``queryset`` (with the select/prefetch its serializer needs), ``serializer_class``,
    ``filterset_class``, a default ``ordering`` ending in a unique field and the ``ordering_choices``
    clients may ask for with ``?ordering=``.
    """

    ordering = ("-id",)
    ordering_choices = {}

    @property
    def brief(self):
        return self.request.method == "GET" and self.request.query_params.get("brief", "").lower() in TRUE_VALUES

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.brief:
            queryset = queryset.prefetch_related(None)
        # The single place access scoping is enforced (accounts.scoping).
        return scope_queryset(self.request, queryset)

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
        parameters = [BRIEF_PARAMETER]
        if cls.ordering_choices:
            parameters.append(OpenApiParameter("ordering", str, enum=list(cls.ordering_choices)))
        return parameters

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("queryset") is not None:
            extend_schema_view(list=extend_schema(parameters=cls.list_parameters()))(cls)


# FilterSet building blocks shared by the apps' filtersets.


def scoped_subquery(filterset, queryset):
    """A filter's subquery sees only the caller's rows, so filtering cannot reveal other partners' data.

    A FilterSet used from code, without a request, is not scoped.
    """
    return queryset if filterset.request is None else scope_queryset(filterset.request, queryset)


def search_terms(value):
    """Folded whitespace-separated terms: ``"Quách  Beem"`` -> ``["quach", "beem"]``."""
    return fold(value).split()


def search(queryset, value, *search_text_paths):
    """Rows where every folded term occurs in one of the ``search_text`` columns.

    ``search_text__contains`` is a plain ``LIKE '%term%'`` that PostgreSQL serves from the pg_trgm GIN
    index. With related tables (``"kol"``; ``""`` is the row's own column) each term becomes a UNION of
    id sets, one per table, so every part can use its own index and no join duplicates rows.
    """
    model = queryset.model
    for term in search_terms(value):
        if not search_text_paths:
            queryset = queryset.filter(search_text__contains=term)
            continue
        parts = [
            model._default_manager.filter(
                **{f"{path}__search_text__contains" if path else "search_text__contains": term}
            )
            .order_by()
            .values("pk")
            for path in search_text_paths
        ]
        queryset = queryset.filter(pk__in=parts[0].union(*parts[1:]))
    return queryset


class RelatedObjectsField(django_filters.fields.ModelMultipleChoiceField):
    """Cleans an absent value to ``[]``, so that filter methods are skipped rather than given ``none()``."""

    def clean(self, value):
        return super().clean(value) if value else []


@extend_schema_field(OpenApiTypes.STR)
class SlugFilter(django_filters.ModelMultipleChoiceFilter):
    """Related objects by slug (or another text key), repeatable."""

    field_class = RelatedObjectsField


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.ModelMultipleChoiceFilter):
    """Related objects by id, repeatable."""

    field_class = RelatedObjectsField


@extend_schema_field(OpenApiTypes.INT)
class SingleIdFilter(django_filters.ModelChoiceFilter):
    """One related object by id."""


def slug_filter(model, field_name, **kwargs):
    """``?partner=schannel`` (repeatable); an unknown slug is a 400, not an empty list."""
    name = model._meta.verbose_name
    kwargs.setdefault("field_name", f"{field_name}__slug")
    kwargs.setdefault("queryset", model._default_manager.all())
    return SlugFilter(
        to_field_name="slug",
        distinct=False,
        label=format_lazy(_("{model} (slug)"), model=name),
        error_messages={"invalid_choice": format_lazy(_("There is no {model} with the slug “%(value)s”."), model=name)},
        **kwargs,
    )


def id_filter(model, field_name=None, *, single=False, **kwargs):
    """``?partner_id=3`` (repeatable unless ``single``); an unknown or non-numeric id is a 400."""
    name = model._meta.verbose_name
    if field_name:
        kwargs["field_name"] = field_name
    kwargs.setdefault("queryset", model._default_manager.all())
    return (SingleIdFilter if single else IdFilter)(
        distinct=False,
        label=format_lazy(_("{model} (id)"), model=name),
        error_messages={
            "invalid_choice": format_lazy(_("There is no {model} with the id %(value)s."), model=name),
            "invalid_pk_value": _("“%(pk)s” is not a valid id."),
        },
        **kwargs,
    )


class IntegerFilter(django_filters.NumberFilter):
    """A whole-number filter: ``1.5`` is a 400, not silently rounded."""

    field_class = forms.IntegerField


class RegistryFilterSet(django_filters.FilterSet):
    """Base of the registry's filtersets: every filter is declared explicitly."""

    q = django_filters.CharFilter(method="filter_q", label=_("Search (ignores case and accents)"))

    search_text_paths = ()

    def filter_q(self, queryset, name, value):
        return search(queryset, value, *self.search_text_paths)
