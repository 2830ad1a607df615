"""``/api/v1/changes/``: what was created, updated and deleted, in order, read from the history tables.

The resources are the API's own (the routers' registries, passed in by ``urls``), so the core names no app.
Entries are ordered by ``(history_date, resource, source, history_id)``; the opaque cursor encodes that
position, so a consumer resumes exactly after the last entry it applied.

What a partner is told (``ChangeFeedView`` documents it for consumers):

- every change of a row that is in its scope now, as the row's ``/history/`` shows it;
- a row that left its view (deleted, or moved to another partner) as ``deleted``, only when the partner
  saw it before: the row's own partner field, read from the history record at the deletion or move
  (a deleted membership's ``partner_id``), named this partner;
- a row seen through another (a channel through its memberships and MOUs, ``PartnerScope.via``) gets an
  ``updated`` entry when such a row of this partner is created, changed or deleted, or ``deleted`` when
  that took it out of the partner's view. Rows scoped through a parent (metrics through their channel)
  go with the parent: a consumer drops them with it.

Actions are stated against the present: ``created`` / ``updated`` mean "fetch it now", ``deleted`` means
"it is not in your view now". Replaying the feed from any cursor therefore ends at the present state.
"""

import base64
import binascii
import datetime
import heapq
import json
from dataclasses import dataclass
from functools import cache, cached_property

from django.db.models import BooleanField, ExpressionWrapper, OuterRef, Q, Subquery
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError as DrfValidationError
from rest_framework.response import Response
from rest_framework.views import APIView
from simple_history.utils import get_m2m_reverse_field_name

from kolregistry.access import access_for, declared_scope, internal_fields, scope_queryset, visible_ids

from .filters import TIMESTAMP_HELP, parse_timestamp
from .history import changed_names, m2m_values, record_values
from .pagination import RegistryPagination

ACTIONS = {"+": "created", "~": "updated", "-": "deleted"}


@dataclass(frozen=True, order=True)
class Position:
    """Where an entry sits in the feed; ``source`` is "" for a row's own history, else the history's label."""

    date: datetime.datetime
    resource: str = ""
    source: str = ""
    history_id: int = 0

    def encode(self):
        raw = json.dumps([self.date.isoformat(), self.resource, self.source, self.history_id]).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, text):
        """The position a cursor names, or None when ``text`` is not one."""
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
            date, resource, source, history_id = json.loads(raw)
            position = cls(datetime.datetime.fromisoformat(date), resource, source, history_id)
        except (binascii.Error, ValueError, TypeError, UnicodeDecodeError):
            return None
        if not (isinstance(resource, str) and isinstance(source, str) and type(history_id) is int):
            return None
        return position if position.date.tzinfo else None

    def after_q(self, resource, source):
        """The history records of ``(resource, source)`` that come after this position."""
        key, own = (resource, source), (self.resource, self.source)
        if key > own:
            return Q(history_date__gte=self.date)
        if key < own:
            return Q(history_date__gt=self.date)
        return Q(history_date__gt=self.date) | Q(history_date=self.date, history_id__gt=self.history_id)


@cache
def api_names(serializer_class):
    """``{model field name: API field name}`` of the fields ``serializer_class`` shows."""
    names = {}
    for name, field in serializer_class().fields.items():
        if field.source != "*":
            names.setdefault(field.source.split(".")[0], name)
    return names


def direct_condition(model, history_model, partner_id):
    """A ``Q`` on ``history_model``'s records that names ``partner_id`` in the model's own partner field.

    None when the model is scoped only through other rows (``via``).
    """
    scope = declared_scope(model)
    if scope is None or not scope.partner:
        return None
    if scope.partner == "pk":
        return Q(id=partner_id)
    field = model._meta.get_field(scope.partner)
    if field.many_to_one:
        return Q(**{field.attname: partner_id})
    tracked = {f.name for f in history_model._history_m2m_fields}
    if field.many_to_many and field.name in tracked:
        through = getattr(history_model, field.name).model
        partners = through.objects.filter(**{f"{get_m2m_reverse_field_name(field)}_id": partner_id})
        return Q(history_id__in=partners.values("history_id"))
    return None


def flag(condition):
    return ExpressionWrapper(condition, output_field=BooleanField())


def previous_record(history_model):
    """A subquery: the history_id of the record before each one of the same row."""
    earlier = Q(history_date__lt=OuterRef("history_date")) | Q(
        history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id")
    )
    return Subquery(
        history_model.objects.filter(earlier, id=OuterRef("id"))
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )


@dataclass(frozen=True)
class Resource:
    """An API resource the feed reports on: its name, model and the serializer naming its fields."""

    name: str
    model: type
    serializer_class: type

    @cached_property
    def history_model(self):
        return self.model.history.model

    def via_sources(self):
        """``(field, related model)`` for each ``via`` relation whose rows carry their own partner and history."""
        scope = declared_scope(self.model)
        for name in scope.via if scope else ():
            if "__" in name:
                continue
            field = self.model._meta.get_field(name)
            related = field.related_model
            if not hasattr(related, "history") or not (declared_scope(related) and declared_scope(related).partner):
                continue
            tracked = {f.name for f in related.history.model._history_m2m_fields}
            if field.one_to_many or (field.many_to_many and not field.concrete and field.field.name in tracked):
                yield field, related


def resources_from(routers):
    """``{name: Resource}`` of the routers' viewsets whose model keeps history, in name order."""
    found = {}
    for router in routers:
        for prefix, viewset, _basename in router.registry:
            model = viewset.queryset.model
            if hasattr(model, "history"):
                found[prefix] = Resource(prefix, model, viewset.serializer_class)
    return dict(sorted(found.items()))


class Feed:
    """One page of the feed for one request."""

    def __init__(self, request, resources, start, limit):
        self.request = request
        self.access = access_for(request)
        self.resources = resources
        self.start = start
        self.limit = limit

    @property
    def partner_id(self):
        return None if self.access.everything else self.access.partner_id

    def page(self):
        """``(entries, position of the last record read, whether more records follow)``."""
        streams = []
        for resource in self.resources:
            streams.append(self.own_records(resource))
            if self.partner_id is not None:
                streams.extend(self.via_records(resource, field, related) for field, related in resource.via_sources())
        merged = list(heapq.merge(*streams, key=lambda item: item[0]))
        more = len(merged) > self.limit
        merged = merged[: self.limit]
        entries = []
        for position, build in merged:
            entries.extend({**entry, "cursor": position.encode()} for entry in build())
        last = merged[-1][0] if merged else self.start
        return entries, last, more

    def records(self, history_model, resource, source, scope_filter=None):
        queryset = history_model.objects.filter(self.start.after_q(resource.name, source))
        if scope_filter is not None:
            queryset = queryset.filter(scope_filter)
        return queryset.order_by("history_date", "history_id")

    def own_records(self, resource):
        history_model = resource.history_model
        queryset = self.records(history_model, resource, "")
        direct = visible = None
        if self.partner_id is not None:
            live = scope_queryset(self.request, resource.model._default_manager.all()).values("pk")
            visible = Q(id__in=live)
            direct = direct_condition(resource.model, history_model, self.partner_id)
            ever_own = Q(pk__in=[]) if direct is None else Q(id__in=history_model.objects.filter(direct).values("id"))
            queryset = queryset.filter(visible | ever_own).annotate(
                visible=flag(visible), direct=flag(direct or Q(pk__in=[]))
            )
        records = list(queryset.annotate(previous_id=previous_record(history_model))[: self.limit + 1])
        previous = self.previous_records(history_model, records, direct)
        hidden = internal_fields(self.request, resource.model)
        values = dict(
            zip(
                [r.history_id for r in [*records, *previous.values()]],
                record_values(history_model, [*records, *previous.values()], hidden),
                strict=True,
            )
        )
        names = api_names(resource.serializer_class)

        def entry(record):
            before = previous.get(record.previous_id)
            if self.partner_id is not None and not record.visible:
                if not (record.direct or (before is not None and before.direct)):
                    return []
                return [self.entry(resource, record, "deleted")]
            action = ACTIONS[record.history_type]
            fields = []
            if action != "deleted":
                old = values[before.history_id] if before is not None else None
                fields = [names[name] for name in changed_names(old, values[record.history_id]) if name in names]
            return [self.entry(resource, record, action, fields)]

        return [(Position(r.history_date, resource.name, "", r.history_id), lambda r=r: entry(r)) for r in records]

    def previous_records(self, history_model, records, direct):
        """``{history_id: record}`` of the records before ``records``, in one query."""
        ids = {r.previous_id for r in records if r.previous_id is not None}
        if not ids:
            return {}
        queryset = history_model.objects.filter(history_id__in=ids)
        if self.partner_id is not None:
            queryset = queryset.annotate(direct=flag(direct or Q(pk__in=[])))
        return {r.history_id: r for r in queryset}

    def via_records(self, resource, field, related):
        """Entries for ``resource`` rows that this partner's ``related`` rows brought into or took out of view."""
        history_model = related.history.model
        source = history_model._meta.label_lower
        direct = direct_condition(related, history_model, self.partner_id)
        ever_own = Q(id__in=history_model.objects.filter(direct).values("id"))
        records = list(
            self.records(history_model, resource, source, ever_own).annotate(
                direct=flag(direct), previous_id=previous_record(history_model)
            )[: self.limit + 1]
        )
        previous = self.previous_records(history_model, records, direct)
        if field.one_to_many:
            attname = field.field.attname
            targets = {r.history_id: {getattr(r, attname)} for r in [*records, *previous.values()]}
        else:
            all_records = [*records, *previous.values()]
            linked = m2m_values(history_model, [field.field], [r.history_id for r in all_records])
            targets = {history_id: set(values[field.field.name]) for history_id, values in linked.items()}
        touched = {}
        for record in records:
            ids = set()
            for version in (record, previous.get(record.previous_id)):
                if version is not None and version.direct:
                    ids |= targets.get(version.history_id, set()) - {None}
            touched[record.history_id] = sorted(ids)
        in_view = visible_ids(self.request, resource.model, {pk for ids in touched.values() for pk in ids})

        def entries(record):
            return [
                self.entry(resource, record, "updated" if pk in in_view else "deleted", row_id=pk)
                for pk in touched[record.history_id]
            ]

        return [
            (Position(r.history_date, resource.name, source, r.history_id), lambda r=r: entries(r)) for r in records
        ]

    @staticmethod
    def entry(resource, record, action, fields=(), row_id=None):
        return {
            "resource": resource.name,
            "id": record.id if row_id is None else row_id,
            "time": record.history_date,
            "action": action,
            "fields": list(fields),
        }


class ChangeSerializer(serializers.Serializer):
    """One change of one row."""

    resource = serializers.CharField(help_text="The API resource: `channels`, `memberships`, …")
    id = serializers.IntegerField(help_text="The row's id in that resource.")
    time = serializers.DateTimeField()
    action = serializers.ChoiceField(
        choices=["created", "updated", "deleted"],
        help_text="`created` / `updated`: fetch the row now. `deleted`: the row is no longer in your view.",
    )
    fields = serializers.ListField(
        child=serializers.CharField(), help_text="The API fields that changed (empty on deletions)."
    )
    cursor = serializers.CharField(help_text="Pass as `since` to resume after this entry.")


class ChangePageSerializer(serializers.Serializer):
    """A page of the change feed."""

    next = serializers.URLField(allow_null=True, help_text="The next page, or null when this one reaches the present.")
    cursor = serializers.CharField(help_text="Where this page ends: pass as `since` to poll for later changes.")
    results = ChangeSerializer(many=True)


EXAMPLE_PAGE = {
    "next": "http://127.0.0.1:8000/api/v1/changes/?since=WyIyMDI2LTExLTI2VDA4OjAwOjAw…",
    "cursor": "WyIyMDI2LTExLTI2VDA4OjAwOjAwKzAwOjAwIiwgImNoYW5uZWxzIiwgIiIsIDQyXQ",
    "results": [
        {
            "resource": "channels",
            "id": 12,
            "time": "2026-11-26T08:00:00+07:00",
            "action": "updated",
            "fields": ["display_name", "followers"],
            "cursor": "WyIyMDI2LTExLTI2VDA4OjAwOjAwKzAwOjAwIiwgImNoYW5uZWxzIiwgIiIsIDQyXQ",
        },
        {
            "resource": "memberships",
            "id": 7,
            "time": "2026-11-26T08:05:00+07:00",
            "action": "deleted",
            "fields": [],
            "cursor": "WyIyMDI2LTExLTI2VDA4OjA1OjAwKzAwOjAwIiwgIm1lbWJlcnNoaXBzIiwgIiIsIDQzXQ",
        },
    ],
}


class ChangeFeedView(APIView):
    """Changes to the registry's rows, oldest first: for API consumers that keep a mirror.

    Read the feed from the start (or `since` a moment), apply each entry (`created` / `updated`: fetch
    `/api/v1/<resource>/<id>/`; `deleted`: drop the row), follow `next`, and later poll with `since` set to
    the last page's `cursor`. A partner sees the changes of rows in its scope; a row that left its view
    (deleted, or moved to another partner) reads as `deleted`, without saying where it went. A page may hold
    fewer entries than `limit` (records the caller may not see are skipped), so follow `next` until null.
    """

    resources = {}

    @extend_schema(
        summary="Change feed",
        parameters=[
            OpenApiParameter(
                "since",
                OpenApiTypes.STR,
                description="A `cursor` from an earlier page, or an ISO 8601 moment (changes at or after it).",
                examples=[
                    OpenApiExample("A moment", value="2026-11-26T08:00:00+07:00"),
                    OpenApiExample("A cursor", value=EXAMPLE_PAGE["cursor"]),
                ],
            ),
            OpenApiParameter(
                "resource",
                OpenApiTypes.STR,
                description="Comma-separated resources to report on (default: all), e.g. `channels,memberships`.",
                examples=[OpenApiExample("A partner's roster", value="channels,memberships")],
            ),
            OpenApiParameter("limit", OpenApiTypes.INT, description="Records read per page (default 50, at most 500)."),
        ],
        responses=ChangePageSerializer,
        examples=[OpenApiExample("A page", value=EXAMPLE_PAGE, response_only=True)],
    )
    def get(self, request):
        resources = self.selected_resources(request)
        start = self.start(request)
        limit = RegistryPagination().get_page_size(request)
        entries, last, more = Feed(request, resources, start, limit).page()
        cursor = last.encode()
        next_url = None
        if more:
            query = request.query_params.copy()
            query["since"] = cursor
            next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
        page = {"next": next_url, "cursor": cursor, "results": entries}
        return Response(ChangePageSerializer(page).data)

    def selected_resources(self, request):
        names = [name.strip() for name in (request.query_params.get("resource") or "").split(",") if name.strip()]
        unknown = [name for name in names if name not in self.resources]
        if unknown:
            message = _("Unknown resource “%(name)s”: give one or more of %(choices)s.") % {
                "name": unknown[0],
                "choices": ", ".join(self.resources),
            }
            raise DrfValidationError({"resource": [message]})
        selected = [self.resources[name] for name in names] if names else list(self.resources.values())
        access = access_for(request)
        if access.everything and not access.administrator:
            # Ministry staff are told about the models they may view.
            selected = [
                resource
                for resource in selected
                if request.user.has_perm(f"{resource.model._meta.app_label}.view_{resource.model._meta.model_name}")
            ]
        return list(dict.fromkeys(selected))

    @staticmethod
    def start(request):
        since = request.query_params.get("since") or ""
        if not since:
            return Position(datetime.datetime.min.replace(tzinfo=datetime.UTC))
        position = Position.decode(since)
        if position is not None:
            return position
        moment = parse_timestamp(since)
        if moment is None:
            message = _("Give a cursor from this feed, or a moment. %(help)s") % {"help": TIMESTAMP_HELP}
            raise DrfValidationError({"since": [message]})
        return Position(moment)
