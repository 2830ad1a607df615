"""Dates as precise as their source: known to the day, the month or only the year.

A partial date is stored in two columns: ``<name>`` holds its first possible day (so ordering and
B-tree indexes work on a real date) and ``<name>_precision`` says how much of it is known. "05/2024"
is ``2024-05-01`` + ``month``; "2024" is ``2024-01-01`` + ``year``. Where a rule needs the last
possible day (the end of a period), the model adds ``<name>_last``, a stored column the database
computes from the two, so it can be indexed too.

On an instance, ``obj.<name>`` reads as a ``PartialDate`` (``.lower``, ``.upper``, ``.precision``).
Assigning a ``PartialDate`` sets both columns; assigning a plain ``date`` sets the day and leaves the
precision as it is (that is how rows load). ``values()`` and SQL see the first day.

The API reads and writes ISO 8601 reduced precision: ``"2024"``, ``"2024-05"``, ``"2024-05-17"``.
The admin accepts those and ``05/2024`` / ``17/05/2024``, and shows a date as stated.
"""

import calendar
import contextlib
import datetime
import re
from dataclasses import dataclass

from django import forms
from django.db import models
from django.db.models import Func, Q, Value
from django.db.models.lookups import Exact
from django.db.models.query_utils import DeferredAttribute
from django.utils import formats
from django.utils.translation import gettext_lazy as _


class DatePrecision(models.TextChoices):
    DAY = "day", _("day")
    MONTH = "month", _("month")
    YEAR = "year", _("year")


ISO_PATTERN = re.compile(r"^(?P<year>[0-9]{4})(?:-(?P<month>[0-9]{2})(?:-(?P<day>[0-9]{2}))?)?$")
# What people type in the admin, besides ISO: 17/05/2024, 5/2024.
LOCAL_PATTERN = re.compile(r"^(?:(?:(?P<day>[0-9]{1,2})/)?(?P<month>[0-9]{1,2})/)?(?P<year>[0-9]{4})$")
ISO_SCHEMA_PATTERN = ISO_PATTERN.pattern.replace("?P<year>", "").replace("?P<month>", "").replace("?P<day>", "")


@dataclass(frozen=True)
class PartialDate:
    """A date known to a precision; ``lower`` is its first possible day, ``upper`` its last.

    A day-precise one equals the plain ``date``; it is never ordered against one (use the bounds).
    """

    lower: datetime.date
    precision: str = DatePrecision.DAY

    def __eq__(self, other):
        if isinstance(other, PartialDate):
            return (self.lower, self.precision) == (other.lower, other.precision)
        if isinstance(other, datetime.date) and not isinstance(other, datetime.datetime):
            return self.precision == DatePrecision.DAY and self.lower == other
        return NotImplemented

    def __hash__(self):
        return hash(self.lower)

    @classmethod
    def parse(cls, text, patterns=(ISO_PATTERN,)):
        """``"2024"`` -> year, ``"2024-05"`` -> month, ``"2024-05-17"`` -> day; ``ValueError`` otherwise."""
        text = str(text).strip()
        for pattern in patterns:
            match = pattern.match(text)
            if match:
                break
        else:
            raise ValueError(text)
        year, month, day = (int(part) if part else None for part in match.group("year", "month", "day"))
        if 0 in (month, day):
            raise ValueError(text)  # "2024-00" is no month, not "the year 2024"
        precision = DatePrecision.DAY if day else DatePrecision.MONTH if month else DatePrecision.YEAR
        return cls(datetime.date(year, month or 1, day or 1), precision)

    @property
    def upper(self):
        if self.precision == DatePrecision.YEAR:
            return self.lower.replace(month=12, day=31)
        if self.precision == DatePrecision.MONTH:
            return self.lower.replace(day=calendar.monthrange(self.lower.year, self.lower.month)[1])
        return self.lower

    def isoformat(self):
        length = {DatePrecision.YEAR: 4, DatePrecision.MONTH: 7}.get(self.precision, 10)
        return self.lower.isoformat()[:length]

    def __str__(self):
        return self.display()

    def numeric(self):
        """17/05/2024, 05/2024 or 2024: what the admin's input accepts back, in any language."""
        pattern = {DatePrecision.YEAR: "%Y", DatePrecision.MONTH: "%m/%Y"}.get(self.precision, "%d/%m/%Y")
        return self.lower.strftime(pattern)

    def display(self):
        """As stated, in the active language: 17/05/2024, 05/2024, 2024."""
        if self.precision == DatePrecision.YEAR:
            return str(self.lower.year)
        if self.precision == DatePrecision.MONTH:
            return formats.date_format(self.lower, "YEAR_MONTH_FORMAT")
        return formats.date_format(self.lower, "SHORT_DATE_FORMAT")


class PartialDateFormField(forms.CharField):
    """Accepts 2024, 2024-05, 2024-05-17, 05/2024 or 17/05/2024."""

    default_error_messages = {"invalid": _("Enter a date as 2024, 05/2024 or 17/05/2024.")}

    def prepare_value(self, value):
        return value.numeric() if isinstance(value, PartialDate) else value

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return PartialDate.parse(value, (ISO_PATTERN, LOCAL_PATTERN))
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None

    def has_changed(self, initial, data):
        try:
            return self.to_python(data) != initial
        except forms.ValidationError:
            return True


def iso_partial_date(value):
    """The ``PartialDate`` an ISO reduced-precision string names; None for anything else (2024-02-30 included)."""
    if isinstance(value, str) and ISO_PATTERN.match(value.strip()):
        with contextlib.suppress(ValueError):
            return PartialDate.parse(value)
    return None


class PartialDateDescriptor(DeferredAttribute):
    """Reads the two columns as one ``PartialDate``; writing one sets both."""

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        lower = super().__get__(instance, cls)
        if lower is None:
            return None
        return PartialDate(lower, getattr(instance, f"{self.field.attname}_precision"))

    def __set__(self, instance, value):
        value = iso_partial_date(value) or value  # anything else is left for full_clean() to refuse
        if isinstance(value, PartialDate):
            instance.__dict__[f"{self.field.attname}_precision"] = value.precision
            value = value.lower
        instance.__dict__[self.field.attname] = value


class PartialDateField(models.DateField):
    """The first possible day of a partial date; its precision is the model's ``<name>_precision`` field.

    Declare the ``DatePrecisionField`` just before it: a row loads its fields in order, and the plain
    date that loads second must not reset the precision.
    """

    description = _("Date (to the day, month or year)")
    descriptor_class = PartialDateDescriptor

    def to_python(self, value):
        if isinstance(value, PartialDate):
            return value
        # Anything else (2024-02-30 too) gets the DateField's own message.
        return iso_partial_date(value) or super().to_python(value)

    def get_prep_value(self, value):
        return super().get_prep_value(value.lower if isinstance(value, PartialDate) else value)

    def value_to_string(self, obj):
        # Serialized data keeps the first day here and the precision in its own field.
        value = self.value_from_object(obj)
        return "" if value is None else value.lower.isoformat()

    def formfield(self, **kwargs):
        return models.Field.formfield(self, **{"form_class": PartialDateFormField, **kwargs})


class DatePrecisionField(models.CharField):
    """How much of the neighbouring partial date is known."""

    def __init__(self, *args, **kwargs):
        kwargs.update(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY, editable=False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        for key in ("max_length", "choices", "default", "editable"):
            kwargs.pop(key, None)
        return name, path, args, kwargs


class DatePart(Func):
    """The day or month number of a date, on PostgreSQL and SQLite alike (plain SQL, usable in constraints)."""

    output_field = models.IntegerField()

    def __init__(self, part, expression):
        self.part = part
        super().__init__(expression)

    def as_sql(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, template=f"EXTRACT({self.part.upper()} FROM %(expressions)s)")

    def as_sqlite(self, compiler, connection, **extra):
        code = {"day": "%%%%d", "month": "%%%%m"}[self.part]  # "%%%%" is "%" after two formattings
        return super().as_sql(compiler, connection, template=f"CAST(strftime('{code}', %(expressions)s) AS INTEGER)")


class LastDay(Func):
    """The last possible day of a partial date, computed by the database (for a generated column)."""

    output_field = models.DateField()

    def __init__(self, name, ref=models.F):
        # ``ref=OuterRef`` reads the partial date of a subquery's outer row.
        super().__init__(ref(name), ref(f"{name}_precision"))

    def as_sql(self, compiler, connection, **extra):
        template = (
            "(CASE %(precision)s WHEN 'year' THEN (%(lower)s + INTERVAL '1 year' - INTERVAL '1 day')::date"
            " WHEN 'month' THEN (%(lower)s + INTERVAL '1 month' - INTERVAL '1 day')::date ELSE %(lower)s END)"
        )
        return self._as_sql(compiler, connection, template)

    def as_sqlite(self, compiler, connection, **extra):
        template = (
            "(CASE %(precision)s WHEN 'year' THEN date(%(lower)s, '+1 year', '-1 day')"
            " WHEN 'month' THEN date(%(lower)s, '+1 month', '-1 day') ELSE %(lower)s END)"
        )
        return self._as_sql(compiler, connection, template)

    def _as_sql(self, compiler, connection, template):
        (lower, lower_params), (precision, precision_params) = (
            compiler.compile(expression) for expression in self.get_source_expressions()
        )
        return template % {"lower": lower, "precision": precision}, [*precision_params, *lower_params * 3]


class DaysBefore(Func):
    """The date ``days`` days before ``date``, both expressions (e.g. an end date and a notice period column)."""

    output_field = models.DateField()

    def as_sql(self, compiler, connection, **extra):
        return self._as_sql(compiler, "(%(date)s - CAST(%(days)s AS integer))")

    def as_sqlite(self, compiler, connection, **extra):
        return self._as_sql(compiler, "date(%(date)s, '-' || %(days)s || ' days')")

    def _as_sql(self, compiler, template):
        (date, date_params), (days, days_params) = (
            compiler.compile(expression) for expression in self.get_source_expressions()
        )
        return template % {"date": date, "days": days}, [*date_params, *days_params]


def last_day_field(name, verbose_name):
    """A stored column with the last possible day of the partial date ``name``, for indexed period rules."""
    return models.GeneratedField(
        expression=LastDay(name), output_field=models.DateField(), db_persist=True, verbose_name=verbose_name
    )


def precision_is_aligned(name):
    """DB condition: a month-precise date is stored as the 1st, a year-precise one as 1 January."""
    precision = f"{name}_precision"
    day, month = DatePart("day", name), DatePart("month", name)
    return (
        Q(**{f"{name}__isnull": True})
        | Q(**{precision: DatePrecision.DAY})
        | Q(Exact(day, Value(1)), **{precision: DatePrecision.MONTH})
        | Q(Exact(day, Value(1)), Exact(month, Value(1)), **{precision: DatePrecision.YEAR})
    )


def aligned_constraints(prefix, *names):
    """One named constraint per partial date field of a model."""
    return [
        models.CheckConstraint(
            condition=precision_is_aligned(name),
            name=f"{prefix}_{name}_precision_aligned",
            violation_error_message=_("A date known to the month or year is stored as its first day."),
        )
        for name in names
    ]


def stated_date(obj, name):
    """A date for people: as precise as known, marked "≈" when approximate, with the source's wording."""
    value = getattr(obj, name)
    as_stated = getattr(obj, f"{name}_as_stated", "")
    if value is None:
        return f"“{as_stated}”" if as_stated else str(_("date unknown"))
    text = f"≈ {value.display()}" if getattr(obj, f"{name}_approximate", False) else value.display()
    return f"{text} (“{as_stated}”)" if as_stated else text
