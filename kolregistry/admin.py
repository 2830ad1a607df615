"""Admin building blocks shared by the registry apps: the base class, accent-insensitive search, list filters."""

from dataclasses import replace

from django import forms
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import flatten_fieldsets, lookup_spawns_duplicates, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
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
)
from kolregistry.concurrency import last_change_text, lock_row, version_of
from kolregistry.models import InferencesField, field_label, inferable_fields
from kolregistry.names import country_name, language_name
from kolregistry.text import fold

# Set here because every app's admin module imports this one before the first request.
admin.site.site_header = _("KOL partnership registry")
admin.site.site_title = _("KOL partnership registry")
admin.site.index_title = _("Registry administration")

TIMESTAMPS = ("created_at", "updated_at")

# The hidden change-form field that carries the version of the record the form was rendered from.
VERSION_FIELD = "registry_version"

# The stored inferences (edited as "field: reason" lines) and their readable list, shown in a section of their own.
INFERENCE_FIELDS = ("inferences", "inference_list")


class AccentInsensitiveSearchMixin:
    """Search that ignores case and Vietnamese accents on every database backend.

    Each whitespace-separated term, folded with ``kolregistry.text.fold``, must match
    at least one of ``search_lookups`` (``"quach beem"`` finds "Quách Beem"). The
    lookups target the folded ``search_text`` columns, which PostgreSQL serves from
    trigram indexes. The autocomplete views call ``get_search_results`` too.
    """

    search_lookups = ("search_text__contains",)

    def get_search_results(self, request, queryset, search_term):
        terms = [folded for folded in (fold(term) for term in search_term.split()) if folded]
        if not terms:
            return queryset, False
        conditions = [Q.create([(lookup, term) for lookup in self.search_lookups], connector=Q.OR) for term in terms]
        if not any(lookup_spawns_duplicates(self.opts, lookup) for lookup in self.search_lookups):
            return queryset.filter(*conditions), False
        # Matching through a to-many relation would repeat rows; match in a subquery instead.
        matches = self.model._default_manager.all()
        for condition in conditions:
            matches = matches.filter(condition)
        return queryset.filter(pk__in=matches.values("pk")), False


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

    def get_queryset(self, request):
        return scope_queryset(request, super().get_queryset(request))

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
        fields = super().get_fields(request, obj)
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


class RegistryAdmin(RegistryFormsMixin, AccentInsensitiveSearchMixin, SimpleHistoryAdmin):
    """Base of every registry admin: history, accent-insensitive search, and the rows the user may see.

    Relation filters use ``RelatedOnlyFieldListFilter`` so they offer only values found in those rows.
    """

    readonly_fields = TIMESTAMPS
    list_per_page = 50
    change_list_template = "admin/registry/change_list.html"

    def get_readonly_fields(self, request, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        return (*readonly, "inference_list") if has_inferences(self.model) else readonly

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
        return super().get_object(request, object_id, from_field)

    def is_versioned(self, request, obj):
        return obj is not None and self.has_change_permission(request, obj)

    def get_fieldsets(self, request, obj=None):
        sections = self.get_sections(request, obj)
        moved = {*INFERENCE_FIELDS, *flatten_fieldsets(sections)}
        fieldsets = [*without_fields(super().get_fieldsets(request, obj), moved), *sections]
        if not self.is_versioned(request, obj) or VERSION_FIELD in flatten_fieldsets(fieldsets):
            return fieldsets
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": [*options["fields"], VERSION_FIELD]}), *rest]

    def get_form(self, request, obj=None, **kwargs):
        if "fields" not in kwargs:
            kwargs["fields"] = flatten_fieldsets(self.get_fieldsets(request, obj))
        if kwargs["fields"]:
            # Declared below on the form, not a model field the form factory could find.
            kwargs["fields"] = [name for name in kwargs["fields"] if name != VERSION_FIELD]
        marks = inferred_help_texts(self.model, getattr(obj, "inferences", None) or {})
        if marks:
            # Meta.help_texts marks read-only fields; marked_form() marks the fields a form declares itself.
            kwargs.setdefault("help_texts", marks)
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
