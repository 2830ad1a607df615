"""The base of every registry serializer, which runs the model's ``full_clean()`` on write."""

import copy
from collections.abc import Mapping
from functools import cache
from operator import itemgetter

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import Field, SkipField
from rest_framework.relations import ManyRelatedField, PKOnlyObject
from rest_framework.utils import model_meta

from kolregistry.access import INTERNAL_FIELD_NAMES, hides_internal_fields, internal_fields
from kolregistry.dates import PartialDate, PartialDateField

from .errors import django_errors_to_drf
from .fields import (
    BriefRelatedField,
    InferencesField,
    PartialDateSerializerField,
    api_url,
    brief_field_names,
    brief_representation,
)
from .schema import documents_the_api

SEARCH_TEXT = "search_text"  # SearchableModel's
# Keys of a .values() row that no column can have: where a row keeps its instance and its to-many rows.
ROW_INSTANCE = ("instance",)

# Labels of the fields no model field names: the browsable API's forms and OPTIONS show them.
FIELD_LABELS = {
    "url": _("API address"),
    "display": _("name as displayed"),
    "status": _("status"),
    "combined": _("combined figures"),
    "slug": _("slug"),
}


def translated_label(model, name, field):
    """The label ``field`` should have: its model field's verbose name (translated), else ``FIELD_LABELS``."""
    if field.source in {"*", "__str__"}:  # computed from the whole object: ``url``, ``display``
        return capfirst(FIELD_LABELS.get(name, field.label))
    source = field.source or name
    try:
        model_field = model._meta.get_field(source)
    except FieldDoesNotExist:
        return capfirst(FIELD_LABELS.get(name, field.label))
    if model_field.auto_created and model_field.is_relation and not model_field.concrete:
        return capfirst(model_field.related_model._meta.verbose_name_plural)  # a reverse relation
    return capfirst(model_field.verbose_name)


@cache
def column_names(model):
    """The attributes of ``model`` that hold a plain (non-relation) column's value."""
    return frozenset(field.attname for field in model._meta.concrete_fields if not field.is_relation)


def prefetch_cache_name(model, name):
    """Where ``prefetch_related(name)`` keeps the rows of ``model``'s to-many relation ``name``, or None."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    if isinstance(field, models.ManyToManyField):
        return field.name
    if isinstance(field, models.ManyToOneRel):  # a reverse foreign key: a KOL's channels
        return field.cache_name
    return None  # another kind of relation takes DRF's path


def column_read_by(field, columns):
    """The column of ``columns`` (a model's ``column_names()``) that ``field`` shows as it is, or None.

    Readying the field for reading it row after row: a date-time field resolves the current time zone once here,
    rather than in ``enforce_timezone()`` on every row.
    """
    attrs = field.source_attrs
    if len(attrs) != 1 or attrs[0] not in columns or type(field).get_attribute is not Field.get_attribute:
        return None
    if isinstance(field, serializers.DateTimeField) and not hasattr(field, "timezone"):
        field.timezone = field.default_timezone()
    return attrs[0]


def representation(serializer, field, columns):
    """``instance -> value`` as DRF's ``Serializer.to_representation`` computes it for ``field``;
    ``columns`` are the model's ``column_names()``."""
    model = serializer.Meta.model
    if isinstance(field, serializers.SerializerMethodField):
        return getattr(serializer, field.method_name)
    represent, attrs = field.to_representation, field.source_attrs

    def generic(instance):
        attribute = field.get_attribute(instance)  # may raise SkipField
        if (attribute.pk if isinstance(attribute, PKOnlyObject) else attribute) is None:
            return None
        return represent(attribute)

    name = column_read_by(field, columns)
    if name is not None:

        def column(instance):
            value = getattr(instance, name)
            return None if value is None else represent(value)

        return column

    cache_name = len(attrs) == 1 and isinstance(field, ManyRelatedField) and prefetch_cache_name(model, attrs[0])
    if cache_name:

        def prefetched(instance):
            # DRF would build a related manager and clone its queryset for each row, to read the same rows.
            rows = getattr(instance, "_prefetched_objects_cache", {}).get(cache_name)
            return generic(instance) if rows is None else represent(rows)

        return prefetched

    return generic


@cache
def brief_columns(model):
    """The columns a brief instance of ``model`` needs for ``str()`` and its brief form (``brief_field_names``), or
    None when the model declares no ``brief_fields`` or one of them is not a plain column."""
    names = brief_field_names(model)
    if names is None or not names <= column_names(model):
        return None
    # In the fields' order, as Model.from_db takes them.
    return tuple(field.attname for field in model._meta.concrete_fields if field.attname in names)


def brief_instance(model, names, values):
    """An instance of ``model`` holding only the columns ``names``: enough for ``str()``, as a list's joined row."""
    return model.from_db(None, names, values)


@cache
def own_columns(model):
    """The columns of ``model``'s own row but the search text (only search reads it), in the fields' order, as
    ``Model.from_db`` takes them."""
    return tuple(field.attname for field in model._meta.concrete_fields if field.name != SEARCH_TEXT)


def row_instance(model, row):
    """The instance of ``model`` holding the own columns of ``row`` (a ``.values()`` dict), built once per row."""
    instance = row.get(ROW_INSTANCE)
    if instance is None:
        names = own_columns(model)
        instance = row[ROW_INSTANCE] = model.from_db(None, names, [row[name] for name in names])
    return instance


class ToManyRows:
    """The brief rows of one to-many relation of a page of ``.values()`` rows, read in one query.

    Each parent row gets, under ``key``, the list of its related rows as brief instances, in the order of
    ``queryset`` (the view's prefetch), as ``prefetch_related`` would have given them.
    """

    def __init__(self, key, queryset, parent_key, names):
        self.key, self.queryset, self.parent_key, self.names = key, queryset, parent_key, names

    def attach(self, rows, pk):
        model, names = self.queryset.model, self.names
        by_parent = {row[pk]: [] for row in rows}
        related = self.queryset.filter(**{f"{self.parent_key}__in": list(by_parent)})
        for parent, *values in related.values_list(self.parent_key, *names):
            by_parent[parent].append(brief_instance(model, names, values))
        for row in rows:
            row[self.key] = by_parent[row[pk]]


class RowPlan:
    """How a list's rows are rendered from ``.values(*columns)`` dicts rather than from model instances.

    Building a model instance (and the instances it joins and prefetches) per row, then reading each field
    through DRF's attribute lookup, was most of a large page's time. ``RegistrySerializer.row_plan`` builds one
    only when every field reads off the row to what ``to_representation`` gives from the instance.
    """

    def __init__(self, pk, columns, readers, relations):
        self.pk, self.columns, self.readers, self.relations = pk, columns, readers, relations

    def render(self, rows):
        rows = list(rows)
        if rows:
            for relation in self.relations:
                relation.attach(rows, self.pk)
        return [{name: read(row) for name, read in self.readers} for row in rows]


class RegistrySerializer(serializers.ModelSerializer):
    """Base of every registry serializer: ``id``, ``url``, ``display``, ``inferences``, and ``full_clean()`` on write.

    DRF 3 does not call ``Model.full_clean()``; this does, on an unsaved copy of the instance with
    the incoming values applied, so the API enforces exactly what the admin does.
    """

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        PartialDateField: PartialDateSerializerField,
    }

    url = serializers.SerializerMethodField()
    # str() of the whole object: source="__str__" would make DRF inspect the method's signature on every row.
    display = serializers.CharField(source="*", read_only=True)
    # Every record says which of its values are inferred; subclasses list it in their fields.
    inferences = InferencesField(required=False)

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj):
        return api_url(type(obj), obj.pk, self.context.get("request"))

    def get_fields(self):
        # DRF builds every field from the model on each instantiation; the fields depend only on the class,
        # so they are built once and copied, as DRF copies its declared fields.
        built = type(self).__dict__.get("_built_fields")
        if built is None:
            built = type(self)._built_fields = super().get_fields()
        fields = copy.deepcopy(built)  # a copy is made from the field's arguments: labels are set after it
        for name, field in fields.items():
            # DRF labels declared fields with their English name ("Channel url"); ours are translated.
            if not isinstance(field.label, Promise):
                field.label = translated_label(self.Meta.model, name, field)
        request = self.context.get("request")
        if request is not None and hides_internal_fields(request) and not documents_the_api(request):
            for name in INTERNAL_FIELD_NAMES:
                fields.pop(name, None)
        return fields

    def to_representation(self, instance):
        """Also leaves out the fields internal on this row (``PartnerScope.internal_unless_own``)."""
        plan, hides_internal = self.field_plan()
        data = {}
        for name, represent in plan:
            try:
                data[name] = represent(instance)
            except SkipField:
                continue
        if hides_internal:
            for name in internal_fields(self.context["request"], type(instance), instance):
                data.pop(name, None)
        return data

    def field_plan(self):
        """``([(name, function instance -> value)], whether the caller misses internal fields)``.

        Built once per serializer (a list's rows share it). The functions give what DRF's
        ``to_representation`` gives, field by field: a model column is read straight off the row,
        skipping DRF's generic attribute lookup, and a date-time field resolves the current time zone
        once rather than per row. Anything else takes DRF's own path.
        """
        plan = self.__dict__.get("_field_plan")
        if plan is None:
            columns = column_names(self.Meta.model)
            request = self.context.get("request")
            plan = self._field_plan = (
                [(field.field_name, representation(self, field, columns)) for field in self._readable_fields],
                request is not None and hides_internal_fields(request),
            )
        return plan

    def row_plan(self, related_querysets):
        """A ``RowPlan`` giving, from ``.values()`` rows, what ``to_representation`` gives from instances; or None.

        ``related_querysets`` are the view's prefetches, ``{relation: queryset}``: a to-many field reads its
        relation's brief rows from them. None when a field needs more than the row (a value computed from related
        rows, a relation not prefetched) or when the caller does not see everything (their related rows and
        internal fields are hidden row by row).
        """
        request = self.context.get("request")
        if request is None or hides_internal_fields(request):
            return None
        pk = self.Meta.model._meta.pk.attname
        columns, readers, relations = {pk}, [], []
        for field in self._readable_fields:
            read = self.row_reader(field, columns, request) or self.to_many_reader(
                field, columns, related_querysets, relations
            )
            if read is None:
                return None
            readers.append((field.field_name, read))
        return RowPlan(pk, columns, readers, relations)

    def row_reader(self, field, columns, request):
        """``row -> value`` for ``field``, adding the columns it reads to ``columns``; None if it needs more."""
        model = self.Meta.model
        pk = model._meta.pk.attname
        if isinstance(field, serializers.SerializerMethodField):
            if field.method_name != "get_url" or type(self).get_url is not RegistrySerializer.get_url:
                return None
            return lambda row: api_url(model, row[pk], request)
        if field.source == "*":
            names = brief_columns(model)
            if names is None or type(field) is not serializers.CharField:
                return None
            columns.update(names)
            return lambda row: str(brief_instance(model, names, [row[name] for name in names]))
        if isinstance(field, BriefRelatedField):
            return self.related_reader(field.source_attrs, columns, request)
        if isinstance(field, serializers.PrimaryKeyRelatedField) and field.pk_field is None:
            return self.key_reader(field.source_attrs, columns)
        name = column_read_by(field, column_names(model))
        model_field = None if name is None else model._meta.get_field(name)
        if name is None or isinstance(model_field, models.FileField):
            return self.instance_reader(field, columns)
        represent = field.to_representation
        columns.add(name)
        if isinstance(model_field, PartialDateField):
            precision = f"{name}_precision"
            columns.add(precision)
            return lambda row: None if row[name] is None else represent(PartialDate(row[name], row[precision]))
        return lambda row: None if row[name] is None else represent(row[name])

    def key_reader(self, source_attrs, columns):
        """A foreign key shown as the related row's id, read off the row's own key column."""
        try:
            [name] = source_attrs
            field = self.Meta.model._meta.get_field(name)
        except (ValueError, FieldDoesNotExist):
            return None
        if not field.many_to_one:
            return None
        columns.add(field.attname)
        return itemgetter(field.attname)

    def instance_reader(self, field, columns):
        """A value the model computes from its own columns (a property such as an MOU's status) or keeps in an
        object of its own (a file), read by DRF from an instance holding the row's own columns; None for any other
        field.

        The instance has every column of its own row and no related row: a property reading a relation would
        cost a query per row, which the query-count tests catch.
        """
        model = self.Meta.model
        attrs = field.source_attrs
        if len(attrs) != 1 or type(field).get_attribute is not Field.get_attribute:
            return None
        attribute = getattr(model, attrs[0], None)
        if not isinstance(attribute, property) and attrs[0] not in column_names(model):
            return None
        columns.update(own_columns(model))
        represent = representation(self, field, column_names(model))
        return lambda row: represent(row_instance(model, row))

    def to_many_reader(self, field, columns, related_querysets, relations):
        """The brief rows of a prefetched to-many relation (an MOU's KOLs, a campaign's hashtags) as ``field``
        shows them, from one query for the whole page (``ToManyRows``); None for any other field."""
        model = self.Meta.model
        try:
            [name] = field.source_attrs
            relation = model._meta.get_field(name)
        except (ValueError, FieldDoesNotExist):
            return None
        queryset = related_querysets.get(name)
        names = brief_columns(relation.related_model)
        if queryset is None or names is None:
            return None
        if relation.many_to_many and relation.concrete:
            parent_key = relation.related_query_name()  # filtered and read through the join table
        elif relation.one_to_many:
            parent_key = relation.field.attname  # a reverse foreign key: a KOL's channels
        else:
            return None
        key = ("to_many", name)
        relations.append(ToManyRows(key, queryset, parent_key, names))
        represent = field.to_representation
        return lambda row: represent(row[key])

    def related_reader(self, source_attrs, columns, request):
        """The brief form of a foreign key's row, from its columns joined into the page's row; None for a relation
        of another kind, or to a model without ``brief_fields``."""
        try:
            [name] = source_attrs
            field = self.Meta.model._meta.get_field(name)
        except (ValueError, FieldDoesNotExist):
            return None
        related = field.related_model
        names = brief_columns(related) if field.many_to_one else None
        if names is None:
            return None
        keys = [f"{name}__{column}" for column in names]
        columns.update(keys)
        pk_key = keys[names.index(related._meta.pk.attname)]

        def read(row):
            if row[pk_key] is None:
                return None
            return brief_representation(brief_instance(related, names, [row[key] for key in keys]), request)

        return read

    def to_internal_value(self, data):
        """Also refuses fields the serializer does not have, naming them: a typo must not be a silent no-op.

        Read-only fields (``id``, ``url``, ``display``, timestamps) are accepted and ignored, so a body
        read with GET can be PUT back, unless ``refused_read_only()`` refuses them.
        ``csrfmiddlewaretoken`` comes with the browsable API's forms.
        """
        refused = {}
        if isinstance(data, Mapping):
            refused = {
                name: [_("Unknown field.")]
                for name in data
                if name not in self.fields and name != "csrfmiddlewaretoken"
            }
            refused.update(self.refused_read_only(data))
        try:
            values = super().to_internal_value(data)
        except serializers.ValidationError as error:
            if refused and isinstance(error.detail, dict):
                raise serializers.ValidationError({**refused, **error.detail}) from error
            raise
        if refused:
            raise serializers.ValidationError(refused)
        return values

    def refused_read_only(self, data):
        """``{field: [message]}`` for read-only fields whose value in ``data`` must not be ignored silently."""
        return {}

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
        concrete = [field for field in model._meta.concrete_fields if not field.generated]
        exclude = [field.name for field in concrete if field.name not in writable]
        before = {field: getattr(instance, field.attname) for field in concrete if field.name in writable}
        try:
            instance.full_clean(exclude=exclude, validate_unique=True)
        except DjangoValidationError as error:
            raise serializers.ValidationError(django_errors_to_drf(error)) from error
        # clean() may normalise values (handles, hashtag names) or derive them (a signing date means
        # signed); keep what it settled on, so that it is saved too.
        derived = {field.name for field, old in before.items() if getattr(instance, field.attname) != old}
        return {**attrs, **{name: getattr(instance, name) for name in {*values, *derived}}}

    def update(self, instance, validated_data):
        """Write only the fields the request sent, so a concurrent change to other fields survives."""
        serializers.raise_errors_on_nested_writes("update", self, validated_data)
        relations = model_meta.get_field_info(instance).relations
        to_many = {
            name: value for name, value in validated_data.items() if name in relations and relations[name].to_many
        }
        for name, value in validated_data.items():
            if name not in to_many:
                setattr(instance, name, value)
        concrete = {field.name for field in instance._meta.concrete_fields}
        # updated_at moves on every write (it is the version behind the ETag), m2m-only writes included.
        update_fields = {name for name in validated_data if name in concrete} | ({"updated_at"} & concrete)
        # A partial date is two columns.
        update_fields |= {
            f"{name}_precision"
            for name in update_fields
            if isinstance(instance._meta.get_field(name), PartialDateField)
        }
        instance.save(update_fields=update_fields)
        for name, value in to_many.items():
            getattr(instance, name).set(value)
        return instance
