"""FilterSet building blocks shared by the apps' filtersets: scoped subqueries, search, slug and id filters."""

import copy
import datetime
from functools import cache

import django_filters
from django import forms
from django.template import loader
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.html import format_html_join
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError as DrfValidationError
from rest_framework.filters import BaseFilterBackend

from kolregistry.access import scope_queryset
from kolregistry.search import search


def scoped_subquery(filterset, queryset):
    """A filter's subquery sees only the caller's rows, so filtering cannot reveal other partners' data.

    A FilterSet used from code, without a request, is not scoped.
    """
    return queryset if filterset.request is None else scope_queryset(filterset.request, queryset)


class ScopedChoicesMixin:
    """A filter by related rows accepts only the caller's rows.

    Another partner's id or slug then gets exactly the answer a made-up one gets (a 400 naming the
    value), so a filter can neither reveal which rows exist nor select by them. A FilterSet used
    from code, without a request, is not scoped.
    """

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if request is None else scope_queryset(request, queryset)


class RelatedObjectsField(django_filters.fields.ModelMultipleChoiceField):
    """Cleans an absent value to ``[]``, so that filter methods are skipped rather than given ``none()``.

    Empty values count as absent, as they do for the other filters (and as an empty text box submits them).
    """

    def clean(self, value):
        value = [item for item in value or () if item != ""]
        return super().clean(value) if value else []


@extend_schema_field(OpenApiTypes.STR)
class SlugFilter(ScopedChoicesMixin, django_filters.ModelMultipleChoiceFilter):
    """Related objects by slug (or another text key), repeatable."""

    field_class = RelatedObjectsField


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(ScopedChoicesMixin, django_filters.ModelMultipleChoiceFilter):
    """Related objects by id, repeatable."""

    field_class = RelatedObjectsField


@extend_schema_field(OpenApiTypes.INT)
class SingleIdFilter(ScopedChoicesMixin, django_filters.ModelChoiceFilter):
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


class RepeatedTextInput(forms.TextInput):
    """A repeatable filter's value(s) as text boxes: one per value given, at least one."""

    def value_from_datadict(self, data, files, name):
        return forms.SelectMultiple().value_from_datadict(data, files, name)

    def render(self, name, value, attrs=None, renderer=None):
        values = list(value or ()) or [""]
        # Only the first box carries the id its label points to.
        render = super().render
        boxes = [render(name, item, attrs if index == 0 else None, renderer) for index, item in enumerate(values)]
        return format_html_join("", "{}", ((box,) for box in boxes))


@cache
def filter_widgets(filterset_class):
    """Each filter's widget, which knows the query parameters it reads (``min_followers``, ``followers_min``…).

    Built on copies: a declared filter must not keep a form field, whose choices are scoped per request.
    """
    return {name: copy.deepcopy(filter_).field.widget for name, filter_ in filterset_class.base_filters.items()}


def is_given(widget, data, name):
    if isinstance(widget, forms.SelectMultiple):
        # A form's empty <select multiple> sends nothing, so Django never calls it omitted; a query's is.
        return name in data
    return not widget.value_omitted_from_data(data, {}, name)


def given_filters(filterset_class, data):
    """The declared filters of ``filterset_class`` whose parameters ``data`` holds, empty ones included."""
    return {
        name: filterset_class.base_filters[name]
        for name, widget in filter_widgets(filterset_class).items()
        if is_given(widget, data, name)
    }


class RegistryFilterBackend(DjangoFilterBackend):
    """django-filter's backend, whose form in the browsable API asks for related rows' ids or slugs as text.

    A ``<select>`` would list every row of the related table: at a million rows, seconds of work and
    megabytes of HTML per page. Only the form's widgets change: the API reads and checks the same values.
    """

    def get_filterset(self, request, queryset, view):
        """The filterset with only the filters the query names: an absent filter filters nothing, and copying
        every declared filter and building its form field is most of a small request's filtering."""
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None:
            return None
        kwargs = self.get_filterset_kwargs(request, queryset, view)
        filterset = filterset_class.__new__(filterset_class)
        filterset.base_filters = given_filters(filterset_class, kwargs["data"])
        filterset.__init__(**kwargs)
        return filterset

    def to_html(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)  # the form shows every filter
        if filterset is None:
            return None
        for field in filterset.form.fields.values():
            if isinstance(field, forms.ModelMultipleChoiceField):
                field.widget = RepeatedTextInput()
            elif isinstance(field, forms.ModelChoiceField):
                field.widget = forms.TextInput()
        return loader.get_template(self.template).render({"filter": filterset}, request)


@extend_schema_field(OpenApiTypes.INT)
class IntegerFilter(django_filters.NumberFilter):
    """A whole-number filter: ``1.5`` is a 400, not silently rounded."""

    field_class = forms.IntegerField


class RegistryFilterSet(django_filters.FilterSet):
    """Base of the registry's filtersets: every filter is declared explicitly."""

    q = django_filters.CharFilter(method="filter_q", label=_("Search (ignores case and accents)"))

    def filter_q(self, queryset, name, value):
        return search(queryset, value)


TIMESTAMP_HELP = _("Give an ISO 8601 date and time, such as 2026-11-26T08:00:00+07:00.")


def parse_timestamp(value):
    """An aware datetime from ISO 8601 text (a date alone is its midnight, local time).

    None for anything else, a well-formed but impossible moment included (2026-02-30, year 0).
    """
    try:
        moment = parse_datetime(value)
        if moment is None:
            day = parse_date(value)
            moment = day and datetime.datetime.combine(day, datetime.time())
        if moment is None:
            return None
        moment = moment if timezone.is_aware(moment) else timezone.make_aware(moment)
        return moment.astimezone(datetime.UTC)  # OverflowError at the ends of the calendar
    except (ValueError, OverflowError):
        return None


class UpdatedSinceFilter(BaseFilterBackend):
    """``?updated_since=<ISO timestamp>`` on every list: the rows whose ``updated_at`` is that moment or later."""

    parameter = "updated_since"

    def filter_queryset(self, request, queryset, view):
        value = request.query_params.get(self.parameter) or ""
        if not value:
            return queryset
        moment = parse_timestamp(value)
        if moment is None:
            raise DrfValidationError({self.parameter: [TIMESTAMP_HELP]})
        return queryset.filter(updated_at__gte=moment)

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.parameter,
                "required": False,
                "in": "query",
                "description": "Only rows changed at or after this moment (ISO 8601, e.g. 2026-11-26T08:00:00+07:00).",
                "schema": {"type": "string", "format": "date-time"},
            }
        ]
