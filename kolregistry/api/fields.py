"""Brief nested objects ``{id, url, display[, slug]}``, the foreign key field that reads as one, partial dates
and inferences."""

import datetime
from functools import cache

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.relations import MANY_RELATION_KWARGS, ManyRelatedField
from rest_framework.reverse import reverse

from kolregistry.access import related_in_scope, scope_queryset
from kolregistry.dates import ISO_SCHEMA_PATTERN, PartialDate
from kolregistry.db import direct_prefetch


def detail_view_name(model):
    """Routers register each model under its model name: ``channel-detail``, ``partnercompany-detail``."""
    return f"{model._meta.model_name}-detail"


def has_slug_column(model):
    return any(field.name == "slug" for field in model._meta.concrete_fields)


@cache
def has_slug(model):
    """Whether brief objects of ``model`` carry a slug (a field, or a property such as Hashtag's)."""
    return has_slug_column(model) or isinstance(getattr(model, "slug", None), property)


# A primary key no real row has, reversed in its place to find the rest of a detail URL.
URL_PK_PLACEHOLDER = 9876543210123


def api_url(model, pk, request):
    """The API address of ``model``'s row ``pk``, as ``reverse()`` gives it.

    ``reverse()`` is slow for a page of hundreds of rows with several links each, so it runs once per
    request and model, on a placeholder primary key, and each row fills its own in.
    """
    name = detail_view_name(model)
    if request is None or pk is None:
        return reverse(name, kwargs={"pk": pk}, request=request)
    templates = vars(request).setdefault("_kolreg_url_templates", {})
    if name not in templates:
        parts = reverse(name, kwargs={"pk": URL_PK_PLACEHOLDER}, request=request).split(str(URL_PK_PLACEHOLDER))
        templates[name] = parts if len(parts) == 2 else None
    if templates[name] is None:
        return reverse(name, kwargs={"pk": pk}, request=request)
    head, tail = templates[name]
    return f"{head}{pk}{tail}"


def joined_briefly(queryset):
    """``queryset`` without the columns of its joined and prefetched rows that their brief forms do not show.

    A list shows each related row as ``{id, url, display, slug}``; ``display`` is ``str()``, which reads the
    model's ``brief_fields``. Compiling the other columns of the joined rows was most of compiling an MOU page's
    query, and converting those of the prefetched ones (each row's inferences decoded from JSON, say) a tenth of a
    500-row campaign page's Python. A model without ``brief_fields``, and a row that joins further rows, keep
    every column.
    """
    relations = queryset.query.select_related
    if isinstance(relations, dict):
        leaves = tuple(sorted(name for name, further in relations.items() if not further))
        queryset = queryset.defer(*unshown_columns(queryset.model, leaves))
    lookups = queryset._prefetch_related_lookups
    brief_lookups = [prefetched_briefly(queryset.model, lookup) for lookup in lookups]
    # Prefetch objects compare equal by their path alone.
    if all(brief is lookup for brief, lookup in zip(brief_lookups, lookups, strict=True)):
        return queryset
    return queryset.prefetch_related(None).prefetch_related(*brief_lookups)


def brief_field_names(model):
    """The fields a brief form of ``model`` reads (its primary key, ``brief_fields`` and any slug), or None when
    the model declares no ``brief_fields``."""
    shown = getattr(model, "brief_fields", None)
    if shown is None:
        return None
    return {model._meta.pk.name, *shown, *(["slug"] if has_slug_column(model) else [])}


@cache
def unshown_columns(model, relations):
    """``["relation__column", …]``: the columns of ``model``'s joined ``relations`` that a brief form does not show."""
    unshown = []
    for name in relations:
        related = model._meta.get_field(name).related_model
        shown = brief_field_names(related)
        if shown is not None:
            unshown += [f"{name}__{field.name}" for field in related._meta.concrete_fields if field.name not in shown]
    return tuple(unshown)


def prefetched_briefly(model, lookup):
    """``lookup``, a ``prefetch_related`` lookup of ``model``, loading only what its rows' brief form shows.

    Left as it is when it reaches further than one relation, names its own attribute, joins rows of its own, or
    leads to a model without ``brief_fields``.
    """
    direct = direct_prefetch(model, lookup)
    if direct is None:
        return lookup
    name, related = direct
    field = model._meta.get_field(name)
    shown = brief_field_names(field.related_model)
    if shown is None or related.query.select_related:
        return lookup
    if field.one_to_many:  # a reverse foreign key: the rows are matched to their parent by it
        shown = {*shown, field.field.name}
    return Prefetch(name, queryset=related.only(*shown))


def brief_representation(obj, request):
    data = {
        "id": obj.pk,
        "url": api_url(type(obj), obj.pk, request),
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
        field = next((field for field in model._meta.concrete_fields if field.name == "slug"), None)
        # A slug computed from a name (Hashtag's) keeps the name's letters, accented ones included.
        attrs["slug"] = serializers.SlugField(read_only=True, allow_unicode=getattr(field, "allow_unicode", True))
    return type(f"Brief{model.__name__}Serializer", (BriefSerializer,), attrs)


class BriefManyRelatedField(ManyRelatedField):
    """A to-many relation of brief objects, leaving out the rows the caller may not see."""

    def to_representation(self, iterable):
        return [brief for brief in super().to_representation(iterable) if brief is not None]


class BriefRelatedField(serializers.RelatedField):
    """A foreign key: read as the brief nested object, written as the primary key.

    Writes also accept the brief object itself (``{"id": 3, ...}``), so a GET body can be PUT back.

    A related row out of the caller's scope (``kolregistry.access``) is never shown: a foreign key
    to one reads as ``null``, and a to-many list leaves it out, as if the row did not exist.
    """

    default_error_messages = {
        "does_not_exist": _("There is no {model} with id {value}."),
        "incorrect_type": _("Give the id (a whole number) of the {model}."),
    }

    def __init__(self, model=None, **kwargs):
        super().__init__(**kwargs)
        # Read-only fields have no queryset, yet the schema needs the model.
        self.model = model or self.queryset.model

    @classmethod
    def many_init(cls, *args, **kwargs):
        list_kwargs = {key: value for key, value in kwargs.items() if key in MANY_RELATION_KWARGS}
        return BriefManyRelatedField(child_relation=cls(*args, **kwargs), **list_kwargs)

    def to_representation(self, value):
        request = self.context.get("request")
        if request is not None and not related_in_scope(request, value):
            return None
        return brief_representation(value, request)

    def get_queryset(self):
        # A row out of the writer's scope is as unknown as one that does not exist.
        queryset, request = super().get_queryset(), self.context.get("request")
        return queryset if request is None else scope_queryset(request, queryset)

    def to_internal_value(self, data):
        if isinstance(data, dict):
            data = data.get("id")
        model_name = self.model._meta.verbose_name
        # isascii(): "²" is a digit to isdigit() but not to int().
        if (
            isinstance(data, bool)
            or not isinstance(data, int | str)
            or not (str(data).isascii() and str(data).isdigit())
        ):
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


@extend_schema_field(
    {
        "type": "string",
        "pattern": ISO_SCHEMA_PATTERN,
        "example": "2024-05",
        "description": "ISO 8601 to the precision the source gives: YYYY, YYYY-MM or YYYY-MM-DD.",
    }
)
class PartialDateSerializerField(serializers.Field):
    """A date to the day, month or year: ``"2024"``, ``"2024-05"``, ``"2024-05-17"``."""

    default_error_messages = {"invalid": _("Give a date as YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2024-05.")}

    def to_representation(self, value):
        return (value if isinstance(value, PartialDate) else PartialDate(value)).isoformat()

    def to_internal_value(self, data):
        if isinstance(data, datetime.date):
            return PartialDate(data)
        try:
            return PartialDate.parse(data if isinstance(data, str) else "")
        except ValueError:
            self.fail("invalid")


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": {"type": "string"},
        "example": {"kind": "Our classification: the source does not say."},
    }
)
class InferencesField(serializers.Field):
    """A record's inferences: ``{"field name": "reason"}`` for each value that the source does not state.

    Only the shape is checked here; the record's validation (``kolregistry.models.InferencesField``)
    checks the field names and the reasons, as it does for the admin and the demo loader.
    """

    default_error_messages = {
        "invalid": _("Give an object mapping field names to reasons, each reason a string."),
    }

    def to_representation(self, value):
        return dict(value or {})

    def to_internal_value(self, data):
        if not isinstance(data, dict) or not all(isinstance(reason, str) for reason in data.values()):
            self.fail("invalid")
        return dict(data)
