"""Spreadsheet import and export (django-import-export): the base every registry sheet builds on.

A sheet's headers are the fields' verbose names in the user's language; on import the English labels and
the field names are accepted too. Rows are matched by id or a natural key within the user's scope, never
duplicated; a reference or a row the user may not see reads exactly as one that does not exist. Each row
is checked by the model's own ``full_clean()``, and the whole file is written in one transaction.
"""

import unicodedata
from contextlib import contextmanager, nullcontext
from copy import copy
from types import SimpleNamespace

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, FieldError, ObjectDoesNotExist, ValidationError
from django.db import DatabaseError, connections, models, router, transaction
from django.db.models.functions import Coalesce
from django.db.models.sql import Query
from django.db.models.sql.constants import SINGLE
from django.http import HttpResponseRedirect
from django.utils.text import capfirst, format_lazy
from django.utils.translation import get_language, override
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets
from import_export.admin import ExportMixin, ImportExportMixin
from import_export.formats import base_formats
from import_export.forms import ExportForm
from import_export.results import Error, RowResult
from simple_history.models import HistoricalRecords

from kolregistry.access import Access, internal_fields, scope_queryset, scope_related
from kolregistry.dates import ISO_PATTERN, LOCAL_PATTERN, PartialDate, PartialDateField
from kolregistry.figures import figure
from kolregistry.text import FORMULA_START, fold, spreadsheet_safe

# Sheet name (as commands take it) -> resource class; each app registers its own.
SHEETS = {}


def register_sheet(name):
    def register(resource_class):
        SHEETS[name] = resource_class
        return resource_class

    return register


class SheetError(Exception):
    """A file that cannot be imported at all (wrong headers, empty, undecodable): nothing is written."""


def system_request(user=None):
    """A stand-in request for a command: the given user's scope, or everything when no user is named."""
    request = SimpleNamespace(user=user, auth=None)
    if user is None:
        request._kolreg_access = ((None, None), Access(everything=True, administrator=True))
    return request


def decode_text(data):
    """UTF-8 (with or without BOM), else Windows-1258, as Vietnamese Excel saves CSV; composed (NFC)."""
    if isinstance(data, str):
        return unicodedata.normalize("NFC", data.removeprefix("\ufeff"))
    for encoding in ("utf-8-sig", "cp1258"):
        try:
            return unicodedata.normalize("NFC", data.decode(encoding))
        except UnicodeDecodeError:
            continue
    raise SheetError(_("The file is neither UTF-8 nor Windows-1258 text; save it as CSV UTF-8 or XLSX."))


class SheetCSV(base_formats.CSV):
    """CSV read as bytes and decoded by ``decode_text``; written as UTF-8 with a BOM, which Excel needs."""

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        return super().create_dataset(decode_text(in_stream), **kwargs)

    def export_data(self, dataset, **kwargs):
        return "\ufeff" + super().export_data(dataset, **kwargs)


SHEET_FORMATS = [SheetCSV, base_formats.XLSX]


def format_for(filename):
    """The format of a file by its extension, or None."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return {"csv": SheetCSV, "xlsx": base_formats.XLSX}.get(extension)


class PartialDateWidget(widgets.Widget):
    """Reads 2024, 05/2024, 17/05/2024 and ISO (2024-05, 2024-05-17) or a spreadsheet date; writes ISO."""

    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            return None
        if hasattr(value, "date") and callable(value.date):
            value = value.date()
        if hasattr(value, "isoformat") and not isinstance(value, PartialDate):
            return PartialDate(value)
        try:
            return PartialDate.parse(value, (ISO_PATTERN, LOCAL_PATTERN))
        except ValueError:
            raise ValueError(_("Enter a date as 2024, 05/2024, 17/05/2024 or 2024-05-17.")) from None

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


class TextWidget(widgets.CharWidget):
    """Text with an optional normalisation (handles, URLs); empty cells read as ""."""

    def __init__(self, normalise=None, **kwargs):
        self.normalise = normalise
        super().__init__(allow_blank=True, **kwargs)

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        return self.normalise(text) if self.normalise else text

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class ChoiceWidget(widgets.Widget):
    """A choice written as its code, read as the code or its label in English or the user's language."""

    def __init__(self, choices, **kwargs):
        self.choices = choices
        self.by_language = {}
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        return self.codes().get(loose_key(text), text)  # an unknown text: full_clean() names the valid choices

    def codes(self):
        """Each choice's code, label and English label as loose keys -> the code (per language, computed once)."""
        language = get_language()
        if language not in self.by_language:
            codes = {}
            for code, label in reversed(self.choices):  # reversed: where two choices share a key, the first wins
                with override("en"):
                    english = str(label)
                codes.update(dict.fromkeys((loose_key(code), loose_key(label), loose_key(english)), code))
            self.by_language[language] = codes
        return self.by_language[language]

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class ListWidget(widgets.Widget):
    """A JSON list of codes as "facebook, tiktok"."""

    def clean(self, value, row=None, **kwargs):
        return [part.strip() for part in str(value or "").split(",") if part.strip()]

    def render(self, value, obj=None, **kwargs):
        return ", ".join(value or [])


class ScopedForeignKeyWidget(widgets.ForeignKeyWidget):
    """A reference by a natural key (slug, name, id) looked up only among the rows the user may see.

    A row out of scope gets the message of one that does not exist.
    """

    request = None

    def __init__(self, model, field="pk", lookup="exact", **kwargs):
        self.lookup = lookup
        self.found = {}  # per resource instance (its fields are copies): a file names the same KOL many times
        super().__init__(model, field=field, **kwargs)

    def clean(self, value, row=None, **kwargs):
        value = "" if value is None else str(value).strip()
        if not value:
            return None
        return self.lookup_once(value, **{f"{self.field}__{self.lookup}": value})

    def lookup_once(self, value, **lookup):
        key = tuple(sorted(lookup.items()))
        if key not in self.found:
            queryset = scope_queryset(self.request, self.model._default_manager.all())
            try:
                self.found[key] = queryset.get(**lookup)
            except (ObjectDoesNotExist, ValueError, ValidationError):
                raise ValueError(not_found(self.model, value)) from None
        return self.found[key]

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(getattr(value, self.field))


def not_found(model, value):
    return _("No %(model)s “%(value)s” found.") % {"model": model._meta.verbose_name, "value": value}


def loose_key(text):
    return " ".join(fold(str(text or "")).casefold().split())


class SheetErrorResult(Error):
    """A file's error: its message is for the user, and a traceback of ours would only confuse them."""

    @property
    def traceback(self):
        return "" if isinstance(self.error, SheetError) else super().traceback


class SheetResource(resources.ModelResource):
    """The registry's resource: localised headers with aliases, scoped matching, history with the user."""

    # False for a sheet made by ``export_only_sheet``: import_sheet and the admin refuse to import it.
    importable = True
    filterset_class = None

    # Tuples of field names that identify a row when it has no id, tried in order; a tuple is used when
    # none of its values is None and the first is not empty.
    natural_keys = ()
    # Columns that must be in the file (besides those of required model fields).
    required_columns = ()

    class Meta:
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def __init__(self, request=None, html_diff=True, max_rows=None, **kwargs):
        super().__init__(**kwargs)
        self.dry_run = False
        self.request = request if request is not None else system_request()
        self.max_rows = max_rows
        if not html_diff:  # a command prints no diff: rendering one per row would be wasted
            self._meta = copy(self._meta)
            self._meta.skip_html_diff = True
        model = self._meta.model
        for name in internal_fields(self.request, model):
            self.fields.pop(name, None)
        self.aliases = {}
        for name, field in self.fields.items():
            if isinstance(field.widget, ScopedForeignKeyWidget):
                field.widget.request = self.request
            label = self.label(name, field)
            with override("en"):
                english = str(label)
            field.column_name = str(label)
            for alias in (name, english, field.column_name):
                self.aliases[loose_key(alias)] = field.column_name

    def label(self, name, field):
        if field.column_name != name:  # declared with a (lazy) label
            return capfirst(field.column_name)
        try:
            return capfirst(self._meta.model._meta.get_field(field.attribute).verbose_name)
        except FieldDoesNotExist:
            return name

    @classmethod
    def field_from_django_field(cls, field_name, django_field, readonly):
        field = super().field_from_django_field(field_name, django_field, readonly)
        if isinstance(django_field, models.CharField | models.TextField):
            field.widget = ChoiceWidget(django_field.choices) if django_field.choices else TextWidget()
        if isinstance(django_field, PartialDateField):
            field.widget = PartialDateWidget()
        return field

    # Headers -------------------------------------------------------------------------------------------

    def get_export_order(self):
        return tuple(name for name in super().get_export_order() if name in self.fields)

    def get_import_order(self):
        return tuple(name for name in super().get_import_order() if name in self.fields)

    @classmethod
    def get_error_result_class(cls):
        return SheetErrorResult

    def column(self, name):
        return self.fields[name].column_name

    def required(self):
        names = set(self.required_columns)
        for name, field in self.fields.items():
            if name in self.implied_columns():
                continue
            try:
                model_field = self._meta.model._meta.get_field(field.attribute or "")
            except FieldDoesNotExist:
                continue
            if not (model_field.blank or model_field.primary_key or model_field.has_default() or field.readonly):
                names.add(name)
        return [self.column(name) for name in self.get_export_order() if name in names]

    def check_headers(self, headers):
        """The file's headers as this resource's column names; ``SheetError`` naming every wrong or missing one."""
        headers = [str(header or "").strip() for header in headers or []]
        if not any(headers):
            raise SheetError(_("The file is empty."))
        mapped, unknown = [], []
        for header in headers:
            column = self.aliases.get(loose_key(header))
            (mapped if column else unknown).append(column or header)
        problems = []
        if unknown:
            problems.append(_("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)})
        duplicated = sorted({column for column in mapped if mapped.count(column) > 1})
        if duplicated:
            problems.append(_("Repeated columns: %(columns)s.") % {"columns": ", ".join(duplicated)})
        missing = [column for column in self.required() if column not in mapped]
        if missing:
            problems.append(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
        if problems:
            expected = ", ".join(self.column(name) for name in self.get_export_order())
            problems.append(_("The columns are: %(columns)s.") % {"columns": expected})
            raise SheetError(" ".join(str(problem) for problem in problems))
        return mapped

    def before_import(self, dataset, **kwargs):
        try:
            dataset.headers = self.check_headers(dataset.headers)
            self.check_size(dataset)
        except SheetError:
            dataset.wipe()  # no row is looked at
            raise
        for name in self.implied_columns():
            if self.column(name) not in dataset.headers:
                dataset.append_col([""] * len(dataset), header=self.column(name))

    def check_size(self, dataset):
        if self.max_rows and len(dataset) > self.max_rows:
            raise SheetError(
                _(
                    "The file has %(rows)s rows; the admin imports at most %(max)s at a time. Split the file, "
                    "or import it with manage.py import_sheet, which has no limit."
                )
                % {"rows": figure(len(dataset)), "max": figure(self.max_rows)}
            )

    def implied_columns(self):
        """Columns that may be left out because others stand in for them (a channel's id for its handle)."""
        return ()

    def before_import_row(self, row, **kwargs):
        for column, value in row.items():
            if isinstance(value, str) and value[:1] == "'" and value[1:2] in FORMULA_START:
                row[column] = value[1:]

    # Matching ------------------------------------------------------------------------------------------

    def get_queryset(self):
        return scope_queryset(self.request, self._meta.model._default_manager.all())

    def get_instance(self, instance_loader, row):
        queryset = self.get_queryset()
        given = row.get(self.column("id"))
        if given not in (None, ""):
            try:
                return queryset.get(pk=int(str(given).strip().removesuffix(".0")))
            except (ValueError, ObjectDoesNotExist):
                raise ValidationError({"id": not_found(self._meta.model, given)}) from None
        for key in self.natural_keys:
            try:
                values = [self.fields[name].clean(row) for name in key]
            except (ValueError, KeyError):
                return None  # the row's own errors are reported by import_instance
            if values[0] in (None, "") or any(value is None for value in values):
                continue
            lookup = {self.fields[name].attribute: value for name, value in zip(key, values, strict=True)}
            match = queryset.filter(*key_conditions(self._meta.model, lookup), **lookup).first()
            if match is not None:
                return match
        return None

    # Writing -------------------------------------------------------------------------------------------

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """``full_clean()`` as the library calls it, with the model's check constraints in one query, not one each."""
        errors = dict(import_validation_errors or {})
        try:
            instance.full_clean(exclude=errors.keys(), validate_unique=validate_unique, validate_constraints=False)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        try:  # as full_clean() does: only the fields that passed
            validate_constraints(instance, exclude={name for name in errors if name != NON_FIELD_ERRORS})
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def before_save_instance(self, instance, row, **kwargs):
        if self.dry_run:
            instance.skip_history_when_saving = True  # rolled back anyway: the history row would be wasted work
        user = getattr(self.request, "user", None)
        if user is not None:
            opts = instance._meta
            action = "add" if instance._state.adding else "change"
            if not user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}"):
                message = (
                    _("You may not add records here.") if action == "add" else _("You may not change this record.")
                )
                raise ValidationError({NON_FIELD_ERRORS: message})

    def import_data(self, dataset, *args, **kwargs):
        self.dry_run = kwargs.get("dry_run", args[0] if args else False)
        with history_user(getattr(self.request, "user", None)):
            return super().import_data(dataset, *args, **kwargs)

    # Export --------------------------------------------------------------------------------------------

    def export(self, queryset=None, **kwargs):
        # The related rows every column names, loaded once (not per row) and masked to the user's scope.
        queryset = self.get_queryset() if queryset is None else queryset
        joined, prefetched = self.relations()
        queryset = queryset.select_related(None).prefetch_related(None).prefetch_related(*prefetched)
        if joined:  # select_related() with no names would join every relation
            queryset = queryset.select_related(*joined)
        queryset = scope_related(self.request, queryset)
        return super().export(queryset=queryset, **kwargs)

    def relations(self):
        """``(select_related paths, prefetch_related names)`` of the exported columns."""
        joined, prefetched = set(), set()
        for field in self.fields.values():
            model, path = self._meta.model, []
            for part in (field.attribute or "").split("__"):
                try:
                    model_field = model._meta.get_field(part)
                except FieldDoesNotExist:
                    break
                if model_field.many_to_many and not path:
                    prefetched.add(part)
                if not (model_field.many_to_one or model_field.one_to_one):
                    break
                path.append(part)
                joined.add("__".join(path))
                model = model_field.related_model
        return sorted(joined), sorted(prefetched)

    def export_field(self, field, instance, **kwargs):
        value = super().export_field(field, instance, **kwargs)
        # Behind a quote, which the import removes again.
        return spreadsheet_safe(value) if isinstance(value, str) else value


class ReadableWidget(widgets.ForeignKeyWidget):
    """A related row written by its natural key (slug, username, name) or else as its name; export only."""

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else readable(value, self.field)


class ReadableListWidget(widgets.ManyToManyWidget):
    """Related rows as "a, b": each by its natural key or name; export only."""

    def render(self, value, obj=None, **kwargs):
        return ", ".join(readable(row, self.field) for row in value.all()) if value is not None else ""


def readable(row, field):
    return str(getattr(row, field)) if field else str(row)


def natural_field(model):
    """The field that names a row of ``model`` for a person, or None when only its name (``str``) does."""
    for name in ("slug", "username", "name"):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if field.unique:
            return name
    return None


# Never in a sheet: derived, machine-only or secret.
UNEXPORTED = {"search_text", "inferences", "password", "user_permissions", "created_at", "updated_at"}


def export_only_sheet(name, model, filterset_class=None):
    """Register an export-only sheet of every readable field of ``model``, related rows by natural key.

    Used for the admins' lists that have no import: they export as the importable sheets do (headers,
    scope, internal fields, formulas), and ``export_sheet NAME`` writes the same file.
    """
    names, declared = [], {}
    for model_field in model._meta.get_fields():
        if not (model_field.concrete or (model_field.many_to_many and not model_field.auto_created)):
            continue
        if model_field.name in UNEXPORTED or isinstance(model_field, models.GeneratedField):
            continue
        if model_field.name.endswith("_precision"):  # part of its PartialDateField
            continue
        names.append(model_field.name)
        if model_field.is_relation:
            related = model_field.related_model
            key = natural_field(related)
            label = capfirst(model_field.verbose_name)
            if key:
                # "(slug)" as the importable sheets write it; "slug"'s verbose name has parentheses of its own
                key_label = "slug" if key == "slug" else related._meta.get_field(key).verbose_name
                label = format_lazy("{} ({})", label, key_label)
            widget = (ReadableListWidget if model_field.many_to_many else ReadableWidget)(related, key or "pk")
            widget.field = key
            declared[model_field.name] = fields.Field(model_field.name, label, widget=widget)
        elif isinstance(model_field, models.JSONField):
            declared[model_field.name] = fields.Field(model_field.name, model_field.name, widget=ListWidget())
    names.sort(key=lambda name: name in ("source_url", "notes"))  # the record's own columns first
    meta = type("Meta", (SheetResource.Meta,), {"model": model, "fields": tuple(names), "export_order": tuple(names)})
    attrs = {"Meta": meta, "importable": False, "filterset_class": filterset_class, "__module__": model.__module__}
    return register_sheet(name)(type(f"{model.__name__}Sheet", (SheetResource,), {**attrs, **declared}))


def importable_sheets():
    return sorted(name for name, sheet in SHEETS.items() if sheet.importable)


def validate_constraints(instance, exclude):
    """``Model.validate_constraints()``, with the row's conditions evaluated together in one query.

    Django runs one query per check constraint, and one per conditional unique constraint even when its
    condition does not hold (which, when the condition is what keeps the lookup on an index, scans the
    table), each query rebuilding every field of the row as an expression: most of an import's time.
    Here the check constraints and those conditions are one query; a unique lookup runs only when its
    condition may hold, and runs as Django runs it. The errors are Django's, in Django's order.
    """
    using = router.db_for_write(type(instance), instance=instance)
    batched = connections[using].features.supports_comparing_boolean_expr
    constraints = [
        (model_class, constraint) for model_class, group in instance.get_constraints() for constraint in group
    ]
    conditions = {
        index: constraint.condition
        for index, (model_class, constraint) in enumerate(constraints)
        if batched
        and model_class is type(instance)
        and (type(constraint) is models.CheckConstraint or isinstance(constraint, models.UniqueConstraint))
        and constraint.condition is not None
    }
    holds = evaluate(instance, conditions, exclude, using)
    errors = {}
    for index, (model_class, constraint) in enumerate(constraints):  # in Django's order, so the messages are too
        try:
            if type(constraint) is models.CheckConstraint and index in holds:
                if not holds[index]:
                    raise ValidationError(
                        constraint.get_violation_error_message(), code=constraint.violation_error_code
                    )
            elif holds.get(index) is not False:  # a unique constraint whose condition cannot hold is met
                constraint.validate(
                    model_class, instance, exclude=narrowed(model_class, constraint, exclude), using=using
                )
        except ValidationError as error:
            if getattr(error, "code", None) == "unique" and len(constraint.fields) == 1:
                errors.setdefault(constraint.fields[0], []).append(error)
            else:
                errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def narrowed(model, constraint, exclude):
    """For a conditional unique constraint on fields: ``exclude`` plus every field it does not name.

    Its condition is checked against the row's fields as expressions; those it does not read are only cost.
    """
    if not (isinstance(constraint, models.UniqueConstraint) and constraint.condition and constraint.fields):
        return exclude
    if constraint.expressions or constraint.include:
        return exclude
    return only_reading(model, {*constraint.fields, *constraint.condition.referenced_base_fields}, exclude)


def only_reading(model, used, exclude):
    """``exclude`` plus every field of ``model`` not in ``used`` (unchanged if ``used`` names a generated field)."""
    fields = {field.name: field for field in model._meta.local_concrete_fields}
    if any(name not in fields or fields[name].generated for name in used):
        return exclude
    return {*exclude, *({"pk", *fields} - used)}


def evaluate(instance, conditions, exclude, using):
    """``{index: whether the condition holds}`` for ``{index: Q}``, in one query, as ``Q.check()`` judges each.

    A condition naming an excluded field is left out, as Django skips its constraint; so are all of them
    when the database refuses the query (Django lets the save judge the row then).
    """
    if not conditions:
        return {}
    used = set().union(*(models.Q(condition).referenced_base_fields for condition in conditions.values()))
    exclude = only_reading(type(instance), used, exclude)
    query = Query(None)
    against = instance._get_field_expression_map(meta=instance._meta, exclude=exclude)
    for name, value in against.items():
        query.add_annotation(value if hasattr(value, "resolve_expression") else models.Value(value), name, select=False)
    evaluated = []
    for index, condition in conditions.items():
        try:
            expression = Coalesce(models.Q(condition), True, output_field=models.BooleanField())
            query.add_annotation(expression, f"_condition_{index}")
        except FieldError:
            continue
        evaluated.append(index)
    if not evaluated:
        return {}
    atomic = transaction.atomic(using=using) if connections[using].in_atomic_block else nullcontext()
    try:
        with atomic:
            row = query.get_compiler(using=using).execute_sql(SINGLE)
    except DatabaseError:
        return {}
    return {index: bool(value) for index, value in zip(evaluated, row, strict=True)}


def key_conditions(model, lookup):
    """The condition of the partial unique index on exactly ``lookup``'s fields, which lets the database use it.

    The rows a natural key names meet it anyway (a handle that is not empty); without it SQLite scans the table.
    """
    return [
        constraint.condition
        for constraint in model._meta.constraints
        if isinstance(constraint, models.UniqueConstraint)
        and constraint.condition is not None
        and set(constraint.fields) == set(lookup)
    ]


@contextmanager
def history_user(user):
    """Every history row written inside names ``user`` (a command has no request for simple-history to read)."""
    context = HistoricalRecords.context
    previous = getattr(context, "request", None)
    if previous is None and user is not None:
        context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        if previous is None and user is not None:
            del context.request


def row_summary(resource, result):
    """``[(row number, kind, {column: [messages]})]`` for every data row, in file order."""
    columns = {field.attribute or name: field.column_name for name, field in resource.fields.items()}
    columns[NON_FIELD_ERRORS] = str(_("row"))
    summary = []
    for number, row in enumerate(result.rows, 1):
        messages = {}
        if row.validation_error is not None:
            for name, errors in row.validation_error.message_dict.items():
                messages.setdefault(columns.get(name, name), []).extend(errors)
        for error in row.errors:
            messages.setdefault(str(_("row")), []).append(str(error.error))
        summary.append((number, row.import_type, messages))
    return summary


class SheetExportMixin(ExportMixin):
    """An export button on a changelist: CSV and XLSX, the list's filters and search, the user's scope.

    ``resource_classes`` names the sheet (an importable one, or one of ``export_only_sheet``).
    """

    formats = SHEET_FORMATS
    # The whole list, every column the user may see: the library's column picker needs an inline script,
    # which the Content-Security-Policy blocks.
    export_form_class = ExportForm

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {"request": request}

    def has_export_permission(self, request):
        return self.has_view_permission(request)


CHANGES = (RowResult.IMPORT_TYPE_NEW, RowResult.IMPORT_TYPE_UPDATE, RowResult.IMPORT_TYPE_DELETE)


class SheetAdminMixin(SheetExportMixin, ImportExportMixin):
    """Import and export buttons on a changelist (see ``SheetExportMixin`` for the export).

    Import needs the permission to add or change the model (partners: metrics and reports); each row is
    checked again against the action it takes.
    """

    # The registry's own changelist template stays the base (the "deleted" link).
    import_export_change_list_template = "admin/import_export/change_list_import_export.html"

    def has_import_permission(self, request):
        return self.has_add_permission(request) or self.has_change_permission(request)

    def get_import_resource_kwargs(self, request, **kwargs):
        # A request must answer within the server's timeout: a long file goes through import_sheet.
        return {**super().get_import_resource_kwargs(request, **kwargs), "max_rows": settings.SHEET_ADMIN_MAX_ROWS}

    def import_action(self, request, *args, **kwargs):
        response = super().import_action(request, *args, **kwargs)
        context = getattr(response, "context_data", None) or {}
        result = context.get("result")
        if context.get("confirm_form") and result is not None and not any(result.totals[kind] for kind in CHANGES):
            del context["confirm_form"]  # confirming would write nothing
            messages.info(request, _("Every row is unchanged: there is nothing to import."))
        return response

    def get_import_data_kwargs(self, **kwargs):
        # A file that changed between the preview and the confirmation writes nothing if any row fails.
        return {**super().get_import_data_kwargs(**kwargs), "rollback_on_validation_errors": True}

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            # The data changed since the preview (someone else's edit): the transaction was rolled back.
            messages.error(request, _("Nothing was imported: some rows no longer pass. Import the file again."))
            return HttpResponseRedirect(request.get_full_path().replace("process_import/", "import/"))
        return super().process_result(result, request)

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, SheetError):
            form.add_error("import_file", str(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)
