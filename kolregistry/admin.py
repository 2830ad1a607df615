"""Admin building blocks shared by the registry apps: the base class, accent-insensitive search, list filters."""

from collections import Counter
from dataclasses import replace
from urllib.parse import urlsplit

from django import forms
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import (
    NestedObjects,
    display_for_field,
    display_for_value,
    flatten_fieldsets,
    label_for_field,
    lookup_field,
    quote,
    unquote,
)
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import models, router
from django.db.models import Case, Count, OuterRef, Prefetch, Subquery, Value, When, prefetch_related_objects
from django.db.models.expressions import OrderBy
from django.db.models.functions import Coalesce
from django.forms.models import BaseInlineFormSet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper
from simple_history.utils import get_m2m_reverse_field_name

from kolregistry.access import (
    access_for,
    hides_internal_fields,
    internal_fields,
    related_in_scope,
    scope_queryset,
    scope_related,
)
from kolregistry.concurrency import last_change_text, lock_row, version_of
from kolregistry.figures import figure
from kolregistry.models import InferencesField, field_label, inferable_fields
from kolregistry.names import country_name, language_name
from kolregistry.search import search

TIMESTAMPS = ("created_at", "updated_at")

# The hidden change-form field that carries the version of the record the form was rendered from.
VERSION_FIELD = "registry_version"

# The stored inferences (edited as "field: reason" lines) and their readable list, shown in a section of their own.
INFERENCE_FIELDS = ("inferences", "inference_list")

# A figure, JSON or URL field shown read-only (a viewer's page, a list column) is shown through an admin
# attribute of this name + suffix, which formats it for people; Django's own display prints 253000000,
# ["facebook", "tiktok"] and whole URLs.
SHOWN_SUFFIX = "_shown"

# A read-only inline table lists at most this many rows and links to the filtered list of all of them.
INLINE_ROWS_SHOWN = 20

READONLY_INLINE_TEMPLATE = "admin/registry/edit_inline/readonly_table.html"
TABULAR_INLINE_TEMPLATE = "admin/registry/edit_inline/tabular.html"


def short_url(url):
    """A link whose text is the host and the start of the path, so a long URL cannot widen a page."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return Truncator(url).chars(40)
    text = Truncator(f"{parts.hostname.removeprefix('www.')}{parts.path.rstrip('/')}").chars(40)
    return format_html('<a href="{}" rel="noopener noreferrer" title="{}">{}</a>', url, url, text)


def readable_fields(model):
    """``{name: field}`` of ``model``'s fields that Django's admin would show raw: figures, JSON, URLs.

    The inferences have their own readable list (``inference_list``); choices and keys show as labels already.
    """
    shown = (models.IntegerField, models.DecimalField, models.FloatField, models.JSONField, models.URLField)
    return {
        field.name: field
        for field in model._meta.fields
        if isinstance(field, shown)
        and not isinstance(field, InferencesField)
        and not (field.is_relation or field.primary_key or field.choices)
    }


def readable_value(obj, field):
    """``obj``'s value of ``field`` for people (figures marked ≈ on an approximate record); None when empty."""
    value = field.value_from_object(obj)
    if value in field.empty_values:
        return None
    if isinstance(field, models.URLField):
        return short_url(value)
    if isinstance(field, models.JSONField):
        display = getattr(obj, f"get_{field.name}_display", None)
        if display is not None:
            return display()
        if isinstance(value, dict):
            return "; ".join(f"{key}: {item}" for key, item in value.items())
        return ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    number = figure(value, getattr(field, "decimal_places", None))
    # The record's "approximate" flag qualifies its figures; the list shows it on them, not in a column.
    return format_html('<span class="figure">{}{}</span>', "≈ " if getattr(obj, "approximate", False) else "", number)


def is_figure(field):
    return isinstance(field, (models.IntegerField, models.DecimalField, models.FloatField))


def shown_name(name):
    return f"{name}{SHOWN_SUFFIX}"


def shown_column(field, empty):
    """The admin attribute that shows ``field`` read-only (``empty`` when it has no value); it sorts by the field."""

    def column(obj):
        value = readable_value(obj, field)
        return empty if value is None else value

    column.__name__ = shown_name(field.name)
    return admin.display(description=field.verbose_name, ordering=field.name)(column)


def substituted(fields, names):
    """``fields`` (possibly with tuples of fields on one line) with each of ``names`` shown readably."""
    kept = []
    for field in fields:
        if isinstance(field, (list, tuple)):
            kept.append(tuple(shown_name(name) if name in names else name for name in field))
        else:
            kept.append(shown_name(field) if field in names else field)
    return kept


def substituted_fieldsets(fieldsets, names):
    return [(title, {**options, "fields": substituted(options["fields"], names)}) for title, options in fieldsets]


def original_name(name):
    return name.removesuffix(SHOWN_SUFFIX) if isinstance(name, str) else name


def descending(part):
    """Whether the ordering ``part`` ("-name", F("name").desc(), …) sorts downwards."""
    if isinstance(part, str):
        return part.startswith("-")
    return isinstance(part, OrderBy) and part.descending


def mask_out_of_scope(request, obj, relations=()):
    """Make ``obj``'s related rows that ``request`` may not see read as absent on a read-only page.

    A nullable foreign key to one reads as None and each many-to-many (and reverse relation named in
    ``relations``) lists only rows in scope, as in the API. A required foreign key is left alone: the
    record is visible through it, so its row is in scope.
    """
    if access_for(request).everything:
        return obj
    for field in obj._meta.concrete_fields:
        if field.many_to_one and field.null and getattr(obj, field.attname) is not None:
            related = getattr(obj, field.name)
            if not related_in_scope(request, related):
                field.set_cached_value(obj, None)
    lookups = [*(field.name for field in obj._meta.many_to_many), *relations]
    cache = getattr(obj, "_prefetched_objects_cache", {})
    for name in lookups:
        cache.pop(name, None)  # the admin's queryset may have prefetched them unscoped
    prefetch_related_objects(
        [obj],
        *(
            Prefetch(name, queryset=scope_queryset(request, obj._meta.get_field(name).related_model._default_manager))
            for name in lookups
        ),
    )
    return obj


class RegistryChangeList(ChangeList):
    """The changelist whose joined and prefetched related rows pass through ``scope_related``.

    A list column naming a related row out of the user's scope then shows it as empty, as the API does.
    A page deep in a big list costs what the first one does (``page_rows``).
    """

    def get_ordering(self, request, queryset):
        ordering = super().get_ordering(request, queryset)
        # Django ends an ordering that is not total with "-pk"; following the column's own direction
        # instead lets one index on (column, id) serve both directions of a column header.
        if len(ordering) > 1 and ordering[-1] == "-pk" and not descending(ordering[-2]):
            ordering[-1] = "pk"
        return ordering

    def get_results(self, request):
        super().get_results(request)
        page = self.result_list.query
        if page.is_sliced:
            self.result_list = self.page_rows(request, page.low_mark, page.high_mark)

    def page_rows(self, request, start, stop):
        """The rows ``start:stop`` of the list, read as a "deferred join": their keys first, then the rows.

        Django's page is ``OFFSET start``: PostgreSQL reads and drops every row before it, 900,000 at
        90% of the channel metrics (5 s). The keys alone come from the ordering's index (an index-only
        scan), and the page's rows are then fetched by key, with the list's joins and prefetches.
        """
        keys = list(self.queryset.prefetch_related(None).values_list("pk", flat=True)[start:stop])
        rows = scope_related(request, self.apply_select_related(self.root_queryset))
        if not keys:
            return rows.none()
        position = Case(*(When(pk=key, then=Value(index)) for index, key in enumerate(keys)))
        return rows.filter(pk__in=keys).order_by(position)

    def apply_select_related(self, qs):
        qs = super().apply_select_related(qs)
        if qs.query.select_related is True:
            # scope_related() needs the relations by name; these are the ones Django would join.
            names = []
            for name in self.list_display:
                try:
                    field = self.lookup_opts.get_field(name)
                except FieldDoesNotExist:
                    continue
                if field.many_to_one and name != field.attname:
                    names.append(name)
            qs = qs.select_related(None).select_related(*names)
        return qs

    def get_queryset(self, request, exclude_parameters=None):
        return scope_related(request, super().get_queryset(request, exclude_parameters))


class HeldAutocompleteSelect(AutocompleteSelect):
    """An autocomplete whose selected row, when it is already loaded (``held``), renders without a query.

    Django's asks the database for the selected option of each form: 20 queries for 20 rows.
    """

    held = None

    def optgroups(self, name, value, attr=None):
        held = self.held
        selected = {str(item) for item in value if item not in (None, "")}
        # A many-to-many relation points at the primary key, as Django's own widget assumes.
        to_field_name = getattr(self.field.remote_field, "field_name", held and held._meta.pk.name)
        if held is None or selected != {str(held.pk)} or to_field_name != held._meta.pk.name:
            return super().optgroups(name, value, attr)
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        label = self.choices.field.label_from_instance(held)
        options.append(self.create_option(name, held.pk, label, True, len(options)))
        return [(None, options, 0)]


class BoundedInlineFormSet(BaseInlineFormSet):
    """An inline's formset over at most ``max_rows`` of the parent's rows (none when ``read_only``).

    A POST is matched only against the rows it names, so rows that were not shown are never loaded,
    changed or deleted, and a parent with 19,000 rows costs what one with 20 does.
    """

    max_rows = INLINE_ROWS_SHOWN
    row_ordering = None
    read_only = False

    def get_queryset(self):
        if not hasattr(self, "_queryset"):
            queryset = super().get_queryset()
            if self.row_ordering:
                queryset = queryset.order_by(*self.row_ordering)
            if self.read_only:
                queryset = queryset.none()
            elif self.is_bound:
                queryset = queryset.filter(pk__in=self.posted_pks())
            else:
                queryset = queryset[: self.max_rows]
            self._queryset = queryset
        return self._queryset

    def add_fields(self, form, index):
        super().add_fields(form, index)
        instance = form.instance
        if instance.pk is None:
            return
        if getattr(instance, self.fk.attname) == self.instance.pk:
            self.fk.set_cached_value(instance, self.instance)  # the row's name often names its parent
        for name, field in form.fields.items():
            widget = getattr(field.widget, "widget", field.widget)
            model_field = instance._meta.get_field(name) if isinstance(widget, HeldAutocompleteSelect) else None
            if model_field is not None and model_field.is_cached(instance):
                widget.held = model_field.get_cached_value(instance)

    def posted_pks(self):
        pk = self.model._meta.pk
        pks = []
        for index in range(self.initial_form_count()):
            try:
                pks.append(pk.to_python(self.data.get(f"{self.add_prefix(index)}-{pk.name}")))
            except ValidationError:
                continue
        return [value for value in pks if value is not None]


class BoundedInline(admin.TabularInline):
    """Base of every registry inline: it shows at most ``max_rows`` rows, whatever the parent has.

    ``row_ordering`` picks which (the most recent, the current ones first); the rest are behind a link to
    the list filtered to the parent, with their count. With ``rows_read_only`` editors too get the compact
    table, with an edit link per row and an "Add" link to the add form prefilled with the parent: for
    relations where editing in bulk makes no sense.
    """

    formset = BoundedInlineFormSet
    max_rows = INLINE_ROWS_SHOWN
    row_ordering = None
    rows_read_only = False
    extra = 0
    show_change_link = True

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request) and "widget" not in kwargs:
            kwargs["widget"] = HeldAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        if self.rows_read_only and obj is not None:
            # The add page keeps its editable table: the new record has no rows to show or link to yet.
            kwargs = {**kwargs, "max_num": 0, "can_delete": False}
        formset = super().get_formset(request, obj, **kwargs)
        formset.max_rows, formset.row_ordering = self.max_rows, self.row_ordering
        formset.read_only = self.rows_read_only
        return formset


def shown_rows(formset):
    """The rows an inline shows and how many the parent has: one query each, a count only when rows are left out."""
    limit = getattr(formset, "max_rows", None)
    if getattr(formset, "read_only", False):
        queryset = formset.queryset
        rows = list((queryset.order_by(*formset.row_ordering) if formset.row_ordering else queryset)[:limit])
    else:
        rows = list(formset.get_queryset())
    if limit and len(rows) >= limit:
        return rows, formset.queryset.order_by().count()
    return rows, len(rows)


def admin_url(model, view, *args):
    opts = model._meta
    try:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)
    except NoReverseMatch:
        return None


def inline_links(request, inline, formset, parent, shown, total):
    """The links under a bounded inline: every row in the list filtered to the parent, and adding one."""
    opts = inline.model._meta
    fk = formset.fk.name
    all_url = admin_url(inline.model, "changelist") if total > shown else None
    add_url = None
    if getattr(inline, "rows_read_only", False) and inline.has_add_permission(request, parent):
        add_url = admin_url(inline.model, "add")
    return {
        "all_url": f"{all_url}?{fk}__id__exact={parent.pk}" if all_url else None,
        "all_text": _("All %(count)s %(items)s →") % {"count": figure(total), "items": opts.verbose_name_plural},
        "add_url": f"{add_url}?{fk}={parent.pk}" if add_url else None,
        "add_text": _("Add %(name)s") % {"name": opts.verbose_name},  # Django's own, already translated
        "total": total,
    }


def readonly_table(request, inline, formset, parent):
    """A compact table of an inline's rows: formatted values, related rows only if in scope.

    Viewers get it for every inline, editors for the inlines with ``rows_read_only``; their rows link to
    their change page.
    """
    names = [name for name in flatten_fieldsets(inline.get_fieldsets(request, parent)) if name != "id"]
    hidden = inline.hidden_fields(request, parent) if hides_internal_fields(request) else ()
    names = [
        name
        for name in dict.fromkeys(original_name(name) for name in (inline.table_fields or names))
        if name not in hidden
    ]
    model = inline.model
    every_row, rows_total = shown_rows(formset)  # already scoped
    objects = every_row[:INLINE_ROWS_SHOWN]
    readable = readable_fields(model)
    may_view = inline.has_view_permission(request, parent)
    editable = inline.has_change_permission(request, parent)
    rows = []
    for obj in objects:
        cells = [readonly_cell(request, inline, obj, name, readable) for name in names]
        rows.append({"cells": cells, "url": admin_url(model, "change", obj.pk) if may_view else None})
    return {
        **inline_links(request, inline, formset, parent, len(objects), rows_total),
        "editable": editable,
        "headers": [
            {"name": name, "label": label_for_field(name, model, inline), "figure": is_figure(readable.get(name))}
            for name in names
        ],
        "rows": rows,
        "empty_text": inline.get_empty_text(),
    }


def readonly_cell(request, inline, obj, name, readable):
    empty = inline.get_empty_value_display()
    if name in readable:
        value = readable_value(obj, readable[name])
        return empty if value is None else value
    try:
        field, attr, value = lookup_field(name, obj, inline)
    except (AttributeError, ValueError, ObjectDoesNotExist):
        return empty
    if field is None:
        return display_for_value(value, empty, getattr(attr, "boolean", False))
    if field.is_relation:
        if value is None or not related_in_scope(request, value):
            return empty
        return str(value)
    if isinstance(field, models.TextField) and value:
        return Truncator(value).words(12)
    return display_for_field(value, field, empty)


def https_url_formfield(field, **kwargs):
    """Form field for ``field``; URLs typed without a scheme get https:// (Django 6's default)."""
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


def has_inferences(model):
    return any(isinstance(field, InferencesField) for field in model._meta.fields)


def inferred_help_texts(model, inferences):
    """``{field name: help text}`` that marks each inferred field of a change form with the reason."""
    fields = inferable_fields(model)
    return {
        name: format_html(
            '<strong class="inferred">{}</strong> {}{}',
            _("Inferred, not stated by the source:"),
            reason,
            format_html("<br>{}", fields[name].help_text) if fields[name].help_text else "",
        )
        for name, reason in inferences.items()
        if name in fields
    }


def inference_list_html(obj):
    """The record's inferences as a list people read, "Kind — reason", never as JSON."""
    items = obj.inference_items() if obj is not None and hasattr(obj, "inference_items") else []
    if not items:
        return _("None: every value is as the source states it, or empty when unknown.")
    return format_html('<ul class="inferences">{}</ul>', format_html_join("", "<li>{} — {}</li>", items))


def without_fields(fieldsets, names):
    """``fieldsets`` without the fields ``names`` (also on lines of several fields)."""
    kept = []
    for title, options in fieldsets:
        fields = []
        for field in options["fields"]:
            if isinstance(field, (list, tuple)):
                field = tuple(name for name in field if name not in names)
                if field:
                    fields.append(field)
            elif field not in names:
                fields.append(field)
        kept.append((title, {**options, "fields": fields}))
    return kept


class RegistryHistoryContextHelper(HistoricalRecordContextHelper):
    """The history's "Changes" column, with inferences as "Kind — reason" rather than raw JSON."""

    def prepare_delta_change_value(self, change, value):
        if change.field == "inferences":
            items = (value or {}).items() if isinstance(value, dict) else ()
            return "; ".join(f"{field_label(self.model, name)} — {reason}" for name, reason in items) or "—"
        if isinstance(value, DeletedObject) and value.pk is None:
            # django-simple-history reads an empty foreign key as a deleted object "(pk=None)".
            return "—"
        return super().prepare_delta_change_value(change, value)


def without_internal(fields, hidden):
    """``fields`` (possibly with tuples of fields on one line) minus the ``hidden`` ones."""
    kept = []
    for field in fields:
        if isinstance(field, (list, tuple)):
            field = tuple(name for name in field if name not in hidden)
            if field:
                kept.append(field)
        elif field not in hidden:
            kept.append(field)
    return kept


class RegistryFormsMixin:
    """Shared by registry admins and inlines.

    - Rows (an admin's list and objects, an inline's rows) and the choices for foreign keys and
      many-to-many fields come through ``scope_queryset``, so a partner user can neither see nor submit
      another company's rows: a ministry official's page lists only the partner's own MOUs.
    - Internal fields (``kolregistry.access.internal_fields``) are hidden from partner users.
    - URLs typed without a scheme get https:// (Django 6's default).
    """

    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    # For an inline: the fields of a viewer's compact table (default: the inline's fields), and what its
    # empty table says instead.
    table_fields = None
    empty_text = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # One readable column per figure, JSON or URL field: ``views_shown`` shows ``views``.
        self.readable = readable_fields(self.model)
        for name, field in self.readable.items():
            setattr(self, shown_name(name), shown_column(field, self.get_empty_value_display()))

    def get_empty_text(self):
        if self.empty_text:
            return self.empty_text
        return _("No %(items)s recorded yet.") % {"items": self.model._meta.verbose_name_plural}

    def get_queryset(self, request):
        return scope_queryset(request, super().get_queryset(request))

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        return tuple(shown_name(name) if name in self.readable else name for name in readonly)

    def readonly_readable(self, request, obj=None):
        """The readable fields this user sees read-only on ``obj``'s page even when they may edit it."""
        readonly = {original_name(name) for name in self.get_readonly_fields(request, obj)}
        return readonly & set(self.readable)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return self._scoped(request, super().formfield_for_foreignkey(db_field, request, **kwargs))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return self._scoped(request, super().formfield_for_manytomany(db_field, request, **kwargs))

    @staticmethod
    def _scoped(request, formfield):
        if formfield is not None and getattr(formfield, "queryset", None) is not None:
            formfield.queryset = scope_queryset(request, formfield.queryset)
        return formfield

    def hidden_fields(self, request, obj=None):
        """The fields of this admin's model that ``request`` may not see on ``obj``.

        An inline gets its parent as ``obj``, not one of its rows: its row-dependent fields stay hidden.
        """
        return internal_fields(request, self.model, obj if isinstance(obj, self.model) else None)

    def get_exclude(self, request, obj=None):
        exclude = list(super().get_exclude(request, obj) or ())
        if hides_internal_fields(request):
            exclude.extend(self.hidden_fields(request, obj))
        return exclude

    def get_fields(self, request, obj=None):
        fields = substituted(super().get_fields(request, obj), self.readonly_readable(request, obj))
        fields = list(dict.fromkeys(fields))  # Django's default adds the read-only ones after the form's
        return without_internal(fields, self.hidden_fields(request, obj)) if hides_internal_fields(request) else fields

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not hides_internal_fields(request):
            return fieldsets
        hidden = self.hidden_fields(request, obj)
        return [(name, {**opts, "fields": without_internal(opts["fields"], hidden)}) for name, opts in fieldsets]


def marked_form(form_class, help_texts):
    """``form_class`` whose fields named in ``help_texts`` show those help texts (the inferred values' reasons)."""

    class MarkedForm(form_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            for name, help_text in help_texts.items():
                if name in self.fields:
                    self.fields[name].help_text = help_text

    return MarkedForm


def versioned_form(form_class):
    """``form_class`` refusing to save over a version of the record newer than the one it was opened with."""

    class VersionedForm(form_class):
        registry_version = forms.CharField(
            widget=forms.HiddenInput, required=False, label=_("version of the record the form was opened with")
        )

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields[VERSION_FIELD].initial = version_of(self.instance)

        def clean(self):
            cleaned_data = super().clean()
            opened = cleaned_data.get(VERSION_FIELD)
            # A form posted without the field (a script, not the browser) is not checked.
            if opened and opened != version_of(self.instance):
                raise ValidationError(
                    _(
                        "%(user)s changed this record at %(time)s, after you opened this form. Nothing was saved: "
                        "reload the page to see their changes, then make yours again."
                    ),
                    code="stale",
                    params=last_change_text(self.instance),
                )
            return cleaned_data

    return VersionedForm


class AutocompleteFilter(admin.FieldListFilter):
    """A filter by one related row picked in a search box, not from a link per row: for relations that grow.

    Use it as ``("partner", AutocompleteFilter)``. The box is the admin's own autocomplete (select2 as
    Django ships it, served from here) asking the admin's autocomplete view, which offers only the rows
    the user may see. The chosen row stays in the box and "All" clears it. An id that is malformed,
    unknown or out of the user's scope is refused like any bad filter (Django's "?e=1"): the answer is the
    same for all three, so it reveals nothing. ``parameter_name`` replaces Django's
    ``<path>__id__exact`` parameter, for a subclass whose ``queryset`` means more than the relation.
    """

    template = "admin/registry/autocomplete_filter.html"
    parameter_name = None

    def __init__(self, field, request, params, model, model_admin, field_path):
        self.related_model = field.related_model
        self.lookup_kwarg = self.parameter_name or f"{field_path}__{self.related_model._meta.pk.name}__exact"
        declared_title = self.title
        super().__init__(field, request, params, model, model_admin, field_path)
        self.title = declared_title or self.title
        self.admin_site = model_admin.admin_site
        self.choosable = scope_queryset(request, self.related_model._default_manager.all())
        self.chosen = self.chosen_row()

    def chosen_row(self):
        values = self.used_parameters.get(self.lookup_kwarg)
        if not values:
            return None
        try:
            chosen = self.choosable.filter(pk=values[-1]).first() if len(values) == 1 else None
        except (TypeError, ValueError, ValidationError) as error:
            raise IncorrectLookupParameters(error) from error
        if chosen is None:
            raise IncorrectLookupParameters(f"Unknown {self.lookup_kwarg}")
        return chosen

    def has_output(self):
        return True

    def expected_parameters(self):
        return [self.lookup_kwarg]

    def queryset(self, request, queryset):
        if self.chosen is None:
            return queryset
        return queryset.filter(**{f"{self.field_path}__pk": self.chosen.pk})

    def choices(self, changelist):
        clear_url = changelist.get_query_string(remove=[self.lookup_kwarg])
        box = HeldAutocompleteSelect(self.field, self.admin_site, attrs={"data-width": "100%"})
        box.choices = forms.ModelChoiceField(queryset=self.choosable, required=False).choices
        box.held = self.chosen  # loaded when the parameter was checked
        attrs = {
            "id": f"filter_{self.lookup_kwarg}",
            "aria-label": self.title,
            "data-filter-param": self.lookup_kwarg,
            "data-filter-url": changelist.get_query_string(remove=[self.lookup_kwarg, "p"]),
        }
        yield {
            "selected": self.chosen is None,
            "query_string": clear_url,
            "display": _("All"),
            "box": box.render(self.lookup_kwarg, self.chosen.pk if self.chosen else None, attrs),
        }


AUTOCOMPLETE_FILTER_SCRIPT = "registry/autocomplete_filter.js"


class AutocompleteFilterMediaMixin:
    """For an admin filtering with ``AutocompleteFilter``: its pages load select2 and the filter's script."""

    @property
    def media(self):
        media = super().media
        specs = self.list_filter
        if any(isinstance(spec, (list, tuple)) and issubclass(spec[1], AutocompleteFilter) for spec in specs):
            # Named after what it needs, so that the merged media load it last.
            script = forms.Media(js=["admin/js/jquery.init.js", "admin/js/autocomplete.js", AUTOCOMPLETE_FILTER_SCRIPT])
            media += AutocompleteSelect(None, self.admin_site).media + script
        return media


class LargeTableMixin:
    """For an admin over a table of tens of thousands of rows or more: no count of the whole table next to the
    filtered one, and no facet counts ("Show counts" runs a count over the table per filter choice: ~1 s on a
    million metric snapshots)."""

    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER


class RegistryAdmin(RegistryFormsMixin, AutocompleteFilterMediaMixin, SimpleHistoryAdmin):
    """Base of every registry admin: history, accent-insensitive search, and the rows the user may see.

    The search box runs ``kolregistry.search.search``, the API's ``?q=``, over the model's ``search_paths``
    (the autocomplete views call it too); ``search_fields`` only has to be set for the box to show.
    Relations that grow are filtered with ``AutocompleteFilter``. A delete confirmation lists at most
    ``DELETED_OBJECTS_SHOWN`` rows per model, after the count of each.
    """

    readonly_fields = TIMESTAMPS
    list_per_page = 50
    change_list_template = "admin/registry/change_list.html"
    # Reverse relations that the change page lists (in a read-only field): masked to the viewer's scope.
    scoped_relations = ()

    def get_readonly_fields(self, request, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        if has_inferences(self.model):
            readonly = (*readonly, "inference_list")
        if not self.is_editable(request, obj):
            # Pages that show a record without Django's "view only" handling (simple-history's) need them named.
            readonly = (*readonly, *(shown_name(name) for name in self.readable if shown_name(name) not in readonly))
        return readonly

    def is_editable(self, request, obj=None):
        return self.has_change_permission(request, obj) if obj is not None else self.has_add_permission(request)

    def get_list_display(self, request):
        return substituted(super().get_list_display(request), set(self.readable))

    def get_search_results(self, request, queryset, search_term):
        return search(queryset, search_term), False

    def get_deleted_objects(self, objs, request):
        return bounded_deleted_objects(objs, request, self.admin_site)

    def get_changelist(self, request, **kwargs):
        return RegistryChangeList

    def get_inline_formsets(self, request, formsets, inline_instances, obj=None):
        """Viewers get each inline as a compact read-only table, and editors those with ``rows_read_only``.

        Editors' other tables say when they are empty and, when bounded, link to the rows not shown.
        """
        inline_admin_formsets = super().get_inline_formsets(request, formsets, inline_instances, obj)
        editable = self.is_editable(request, obj)
        for inline_admin_formset in inline_admin_formsets:
            inline = inline_admin_formset.opts
            formset = inline_admin_formset.formset
            if not isinstance(inline, RegistryFormsMixin):
                continue
            if obj is not None and (not editable or getattr(inline, "rows_read_only", False)):
                inline.template = READONLY_INLINE_TEMPLATE
                inline_admin_formset.readonly_table = readonly_table(request, inline, formset, obj)
            elif isinstance(inline, admin.TabularInline):
                inline.template = TABULAR_INLINE_TEMPLATE
                if obj is not None and isinstance(inline, BoundedInline):
                    rows, total = shown_rows(formset)
                    inline_admin_formset.bounded = inline_links(request, inline, formset, obj, len(rows), total)
        return inline_admin_formsets

    def get_sections(self, request, obj=None):
        """Fieldsets shown after the model's own, as ``(title, options)``; their fields leave the other fieldsets.

        The inferences: their readable list, and for those who may edit the record the text to edit. Only
        editors get the text: a read-only page would show the stored JSON.
        """
        if not has_inferences(self.model):
            return []
        fields = ["inference_list"] if obj is not None else []
        editable = self.has_change_permission(request, obj) if obj is not None else self.has_add_permission(request)
        if editable:
            fields.append("inferences")
        description = self.model._meta.get_field("inferences").help_text
        return [(_("Inferences"), {"fields": fields, "description": description})] if fields else []

    @admin.display(description=_("inferred values"))
    def inference_list(self, obj):
        return inference_list_html(obj)

    def get_historical_record_context_helper(self, request, historical_record):
        return RegistryHistoryContextHelper(self.model, historical_record)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "show_deleted_link": access_for(request).everything}
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        opts = self.model._meta
        deleted = path(
            "deleted/",
            self.admin_site.admin_view(self.deleted_view),
            name=f"{opts.app_label}_{opts.model_name}_deleted",
        )
        return [deleted, *super().get_urls()]

    def history_object_is_live(self, request, object_id):
        """True for a visible object, False for a deleted one its history may show; 404 otherwise.

        simple-history falls back to the last historical copy for any id it cannot find, which would
        show out-of-scope objects; only ministry-wide users may see deleted ones.
        """
        pk = unquote(object_id)
        try:
            self.model._meta.pk.to_python(pk)
        except ValidationError:
            raise Http404 from None
        if self.get_queryset(request).filter(pk=pk).exists():
            return True
        if self.model._default_manager.filter(pk=pk).exists() or not access_for(request).everything:
            raise Http404
        return False

    def history_view(self, request, object_id, extra_context=None):
        self.history_object_is_live(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """simple-history's "Changes" column, without the internal fields for those who may not see them.

        Which fields are internal is decided on the object as it is now, as in the API's history.
        """
        hides = hides_internal_fields(request)
        excluded = ()
        if hides and historical_records:
            pk = getattr(historical_records[0], self.model._meta.pk.attname)
            excluded = self.hidden_fields(request, self.get_queryset(request).filter(pk=pk).first())
        previous = None
        for current in historical_records:
            if previous is not None:
                delta = previous.diff_against(
                    current, excluded_fields=excluded, foreign_keys_are_objs=foreign_keys_are_objs
                )
                if hides:
                    delta = self.delta_in_scope(request, delta)
                helper = self.get_historical_record_context_helper(request, previous)
                previous.history_delta_changes = helper.context_for_delta_changes(delta)
            previous = current

    @staticmethod
    def delta_in_scope(request, delta):
        """The delta with related rows out of the caller's scope masked, so history names no other partner's rows."""

        def visible(value):
            if isinstance(value, DeletedObject):
                return None
            return value if not isinstance(value, models.Model) or related_in_scope(request, value) else None

        def masked(value):
            if isinstance(value, list):  # many-to-many: rows of the through table
                return [row for row in value if all(visible(item) is not None for item in row.values())]
            return visible(value)

        changes = [replace(change, old=masked(change.old), new=masked(change.new)) for change in delta.changes]
        changes = [change for change in changes if change.old != change.new]
        return replace(delta, changes=changes, changed_fields=[change.field for change in changes])

    def get_object(self, request, object_id, from_field=None):
        if request.method == "POST":
            # Lock before reading: the stale-form check and the save cannot interleave with another write.
            lock_row(self.model, **{from_field or "pk": object_id})
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and not self.is_editable(request, obj):
            # Only on a page that cannot save: an editor's form must keep every link it did not touch.
            mask_out_of_scope(request, obj, self.scoped_relations)
        return obj

    def is_versioned(self, request, obj):
        return obj is not None and self.has_change_permission(request, obj)

    def get_fieldsets(self, request, obj=None):
        sections = self.get_sections(request, obj)
        moved = {*INFERENCE_FIELDS, *flatten_fieldsets(sections)}
        fieldsets = [*without_fields(super().get_fieldsets(request, obj), moved), *sections]
        # What is shown read-only is shown readably: everything on a viewer's page.
        readable = set(self.readable) if not self.is_editable(request, obj) else self.readonly_readable(request, obj)
        fieldsets = substituted_fieldsets(fieldsets, readable)
        if not self.is_versioned(request, obj) or VERSION_FIELD in flatten_fieldsets(fieldsets):
            return fieldsets
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": [*options["fields"], VERSION_FIELD]}), *rest]

    def get_form(self, request, obj=None, **kwargs):
        if "fields" not in kwargs:
            kwargs["fields"] = flatten_fieldsets(self.get_fieldsets(request, obj))
        if kwargs["fields"]:
            # The version is declared below on the form and the readable columns are shown, not edited:
            # neither is a model field the form factory could find.
            kwargs["fields"] = [
                name for name in kwargs["fields"] if name != VERSION_FIELD and not name.endswith(SHOWN_SUFFIX)
            ]
        marks = inferred_help_texts(self.model, getattr(obj, "inferences", None) or {})
        # Meta.help_texts marks read-only fields (a readable column shows its field's help text and mark);
        # marked_form() marks the fields a form declares itself.
        help_texts = {
            **{shown_name(name): field.help_text for name, field in self.readable.items() if field.help_text},
            **marks,
            **{shown_name(name): text for name, text in marks.items() if name in self.readable},
        }
        if help_texts:
            kwargs.setdefault("help_texts", help_texts)
        form = super().get_form(request, obj, **kwargs)
        if marks:
            form = marked_form(form, marks)
        if self.is_versioned(request, obj):
            form = versioned_form(form)
        history_m2m = getattr(request, "history_m2m_initial", None)
        if not history_m2m:
            return form

        class FormAtVersion(form):
            def __init__(self, *args, **form_kwargs):
                form_kwargs["initial"] = {**history_m2m, **(form_kwargs.get("initial") or {})}
                super().__init__(*args, **form_kwargs)

        return FormAtVersion

    def history_m2m_values(self, version_id):
        """Many-to-many ids as they were at ``version_id``: a deleted object's own rows are gone."""
        record = get_object_or_404(self.model.history, history_id=version_id)
        values = {}
        for field in record._history_m2m_fields:
            related_name = get_m2m_reverse_field_name(field)
            values[field.name] = list(getattr(record, field.name).values_list(f"{related_name}_id", flat=True))
        return values

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        live = self.history_object_is_live(request, object_id)
        request.history_m2m_initial = self.history_m2m_values(version_id)
        # simple-history saves a POSTed revert without checking rights; restoring a deleted object adds it back.
        if request.method == "POST" and not (
            self.has_change_permission(request) and (live or self.has_add_permission(request))
        ):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def deleted_view(self, request):
        """Deleted objects of this model, each linking to its history, where it can be restored."""
        if not (access_for(request).everything and self.has_view_permission(request)):
            raise PermissionDenied
        history = self.model.history.model
        live_ids = self.model._default_manager.values("pk")
        deletions = (
            history.objects.filter(history_type="-")
            .exclude(id__in=live_ids)
            .select_related("history_user")
            .order_by("-history_date")
        )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Deleted %(name)s") % {"name": self.model._meta.verbose_name_plural},
            "opts": self.model._meta,
            "deletions": deletions[:200],
        }
        return TemplateResponse(request, "admin/registry/deleted_objects.html", context)


class ChoiceListFilter(admin.SimpleListFilter):
    """A SimpleListFilter that refuses values outside its lookups instead of ignoring them."""

    def checked_value(self):
        value = self.value()
        # "Show counts" calls queryset() with each lookup's own key, which may be an int (a partner's id).
        if value is not None and str(value) not in {str(key) for key, _label in self.lookup_choices}:
            raise IncorrectLookupParameters(f"Unknown {self.parameter_name}: {value}")
        return value


class ActiveTodayFilter(ChoiceListFilter):
    """Rows whose period contains today; the model's queryset must offer ``active_on(day)``."""

    title = _("active today")
    parameter_name = "active_today"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        value = self.checked_value()
        if value is None:
            return queryset
        active = queryset.model._default_manager.active_on(timezone.localdate()).values("pk")
        return queryset.filter(pk__in=active) if value == "yes" else queryset.exclude(pk__in=active)


class CodeListFilter(ChoiceListFilter):
    """A filter on a field holding codes (``field_name``), whose choices read as names (``name``), not codes.

    Offers the codes found in the rows the user may see, and "Not recorded" for the empty value.
    """

    field_name = None
    empty = "-"

    @staticmethod
    def name(code):
        return code

    def lookups(self, request, model_admin):
        codes = model_admin.get_queryset(request).order_by().values_list(self.field_name, flat=True).distinct()
        named = sorted(((code, self.name(code)) for code in codes if code), key=lambda choice: choice[1])
        return [*named, (self.empty, _("Not recorded"))] if "" in codes else named

    def queryset(self, request, queryset):
        value = self.checked_value()
        if value is None:
            return queryset
        return queryset.filter(**{self.field_name: "" if value == self.empty else value})


class LanguageFilter(CodeListFilter):
    title = _("language")
    parameter_name = field_name = "language"
    name = staticmethod(language_name)


class NationalityFilter(CodeListFilter):
    title = _("nationality")
    parameter_name = field_name = "nationality"
    name = staticmethod(country_name)


def row_count(related, link):
    """The number of ``related`` rows whose ``link`` is the listed row, as an annotation.

    A correlated subquery rather than ``Count`` over a join: PostgreSQL computes it after the LIMIT, for
    the page's rows only (by the index on ``link``), where a join would count the whole table first.
    """
    counted = related.filter(**{link: OuterRef("pk")}).order_by().values(link).annotate(total=Count("pk"))
    return Coalesce(Subquery(counted.values("total")), 0)


# A delete confirmation lists at most this many rows of each model; the summary above counts them all.
DELETED_OBJECTS_SHOWN = 10


def bounded_deleted_objects(objs, request, admin_site):
    """Django's ``get_deleted_objects``, listing at most ``DELETED_OBJECTS_SHOWN`` rows of each model.

    The rows past that, to delete or protected, are neither named nor linked (which costs a query or more
    each), only counted: "… and 19,409 more roster memberships". Rights are still checked on every row.
    """
    objs = list(objs)
    if not objs:
        return [], {}, set(), []
    collector = NestedObjects(using=router.db_for_write(objs[0]._meta.model), origin=objs)
    collector.collect(objs)
    perms_needed = set()
    shown = Counter()

    def format_callback(obj):
        model_admin = admin_site.get_model_admin(obj.__class__) if admin_site.is_registered(obj.__class__) else None
        if model_admin is not None and not model_admin.has_delete_permission(request, obj):
            perms_needed.add(obj._meta.verbose_name)
        shown[obj._meta.label] += 1
        return deleted_object_link(obj, admin_site) if shown[obj._meta.label] <= DELETED_OBJECTS_SHOWN else None

    to_delete = without_hidden(collector.nested(format_callback))
    to_delete += filter(None, (more_objects(model, len(rows)) for model, rows in collector.model_objs.items()))
    protected_by_model = {}
    for obj in sorted(collector.protected, key=lambda obj: (obj._meta.label, obj.pk)):
        protected_by_model.setdefault(obj.__class__, []).append(obj)
    protected = []
    for model, rows in protected_by_model.items():
        protected += [deleted_object_link(obj, admin_site) for obj in rows[:DELETED_OBJECTS_SHOWN]]
        protected += filter(None, [more_objects(model, len(rows))])
    model_count = {model._meta.verbose_name_plural: len(rows) for model, rows in collector.model_objs.items()}
    return to_delete, model_count, perms_needed, protected


def deleted_object_link(obj, admin_site):
    """ "Roster membership: <a href=…>…</a>", as Django's delete confirmation names a row."""
    opts = obj._meta
    url = admin_url(obj.__class__, "change", quote(obj.pk)) if admin_site.is_registered(obj.__class__) else None
    if url is None:
        return f"{capfirst(opts.verbose_name)}: {obj}"
    return format_html('{}: <a href="{}">{}</a>', capfirst(opts.verbose_name), url, obj)


def more_objects(model, total):
    """ "… and 20 more roster memberships" for the rows of ``model`` past those named; None when all are named."""
    more = total - DELETED_OBJECTS_SHOWN
    if more <= 0:
        return None
    items = model._meta.verbose_name if more == 1 else model._meta.verbose_name_plural
    return ngettext("… and %(count)s more %(items)s", "… and %(count)s more %(items)s", more) % {
        "count": figure(more),
        "items": items,
    }


def without_hidden(nested):
    """A nested list of ``bounded_deleted_objects`` without the rows it did not name (None) and their children."""
    kept = []
    hidden = False
    for item in nested:
        if isinstance(item, list):
            children = [] if hidden else without_hidden(item)
            if children:
                kept.append(children)
        else:
            hidden = item is None
            if not hidden:
                kept.append(item)
    return kept
