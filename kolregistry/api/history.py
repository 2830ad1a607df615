"""``/api/v1/<resource>/{id}/history/``: an object's django-simple-history records."""

import datetime
import uuid
from decimal import Decimal
from functools import partial

from django.db.models.fields.files import FieldFile
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response
from simple_history.utils import get_m2m_reverse_field_name

from kolregistry.access import hides_internal_fields, internal_fields, visible_ids
from kolregistry.dates import PartialDate

# Bookkeeping columns that change on every save and say nothing to a reader.
UNTOLD_FIELDS = frozenset({"id", "search_text", "created_at", "updated_at"})


class HistoryUserSerializer(serializers.Serializer):
    """Who made a change."""

    id = serializers.IntegerField()
    username = serializers.CharField()
    display = serializers.CharField()


class HistoryChangeSerializer(serializers.Serializer):
    """One field's value before and after; many-to-many fields list the related ids."""

    field = serializers.CharField()
    old = serializers.JSONField(allow_null=True)
    new = serializers.JSONField(allow_null=True)


class HistoryRecordSerializer(serializers.Serializer):
    """One create (+), change (~) or delete (-) of an object."""

    history_id = serializers.IntegerField()
    history_date = serializers.DateTimeField()
    history_type = serializers.ChoiceField(choices=[("+", "created"), ("~", "changed"), ("-", "deleted")])
    history_user = HistoryUserSerializer(allow_null=True)
    change_reason = serializers.CharField(allow_null=True)
    changes = HistoryChangeSerializer(many=True)


def json_value(value):
    if isinstance(value, datetime.date | datetime.time | PartialDate):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or None
    return value


def m2m_values(history_model, m2m_fields, history_ids):
    """``{history_id: {field name: sorted related ids}}``, one query per many-to-many field."""
    values = {history_id: {field.name: [] for field in m2m_fields} for history_id in history_ids}
    for field in m2m_fields:
        through = getattr(history_model, field.name).model
        related = f"{get_m2m_reverse_field_name(field)}_id"
        rows = through.objects.filter(history_id__in=history_ids).order_by(related).values_list("history_id", related)
        for history_id, related_id in rows:
            values[history_id][field.name].append(related_id)
    return values


def told_fields(history_model, hidden_fields=frozenset()):
    """``(fields, many-to-many fields)`` of ``history_model`` that a reader is told about."""
    hidden = UNTOLD_FIELDS | hidden_fields
    fields = [f for f in history_model.tracked_fields if f.editable and f.name not in hidden]
    m2m_fields = [f for f in history_model._history_m2m_fields if f.name not in hidden]
    return fields, m2m_fields


def record_values(history_model, records, hidden_fields=frozenset()):
    """Per record, ``{field name: JSON value}`` of the told fields: one query per many-to-many field."""
    fields, m2m_fields = told_fields(history_model, hidden_fields)
    ids = [record.history_id for record in records]
    related = m2m_values(history_model, m2m_fields, ids) if m2m_fields and ids else {}
    rows = []
    for record in records:
        values = {field.name: json_value(getattr(record, field.attname)) for field in fields}
        values.update(related.get(record.history_id, {}))
        rows.append(values)
    return rows


def changed_names(previous, values):
    """The names of the fields that differ: on a first record, those that have a value."""
    if previous is None:
        return [name for name, new in values.items() if new not in (None, "", [])]
    return [name for name, new in values.items() if previous[name] != new]


def history_entries(history_queryset, hidden_fields=frozenset(), visible_ids=None):
    """The records of one object, newest first, each with its changes against the record before it.

    ``visible_ids(model, ids)``, when given, returns the related ids the caller may see: other ids are
    masked (a foreign key reads as null, a many-to-many list leaves them out), so a partner's history
    names no other partner's rows. Runs one query for the records and their users, plus one per
    many-to-many field, plus one per related model when masking.
    """
    model = history_queryset.model
    fields, m2m_fields = told_fields(model, hidden_fields)
    records = list(history_queryset.select_related("history_user").order_by("history_date", "history_id"))
    rows = record_values(model, records, hidden_fields)
    if visible_ids is not None:
        mask_out_of_scope(rows, [f for f in fields if f.is_relation] + m2m_fields, visible_ids)
    entries, previous = [], None
    for record, values in zip(records, rows, strict=True):
        changes = [(name, previous and previous[name], values[name]) for name in changed_names(previous, values)]
        user = record.history_user
        entries.append(
            {
                "history_id": record.history_id,
                "history_date": record.history_date,
                "history_type": record.history_type,
                "history_user": user
                and {"id": user.pk, "username": user.get_username(), "display": user.get_full_name() or str(user)},
                "change_reason": record.history_change_reason,
                "changes": [{"field": name, "old": old, "new": new} for name, old, new in changes],
            }
        )
        previous = values
    entries.reverse()
    return entries


def mask_out_of_scope(rows, relation_fields, visible_ids):
    """Replace, in place, related ids that ``visible_ids`` does not return: one lookup per field."""
    for field in relation_fields:
        ids = set()
        for values in rows:
            value = values[field.name]
            ids.update(value if isinstance(value, list) else [value] if value is not None else [])
        allowed = visible_ids(field.related_model, ids) if ids else set()
        for values in rows:
            value = values[field.name]
            if isinstance(value, list):
                values[field.name] = [pk for pk in value if pk in allowed]
            elif value not in allowed:
                values[field.name] = None


class HistoryMixin:
    """Mixed into every registry viewset; adds the ``history`` action.

    The object is fetched with ``get_object()``, so an id outside the caller's scope
    is a 404. Partner users do not see changes to the fields internal on the object as it is now.
    """

    @extend_schema(responses=HistoryRecordSerializer(many=True), summary="Change history of the object")
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def history(self, request, *args, **kwargs):
        obj = self.get_object()
        if hides_internal_fields(request):
            hidden = internal_fields(request, type(obj), obj)
            entries = history_entries(obj.history.all(), hidden, partial(visible_ids, request))
        else:
            entries = history_entries(obj.history.all())
        return Response(HistoryRecordSerializer(entries, many=True).data)
