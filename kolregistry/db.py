"""Database pieces that exist only on PostgreSQL, or are spelled differently on SQLite.

The suite also runs on SQLite, so PostgreSQL-only DDL must be skipped there;
the model's ``clean()`` enforces the same rule on every backend.
"""

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, RangeBoundary, RangeOperators
from django.db import migrations
from django.db.models import Aggregate, Func, Prefetch, TextField


def direct_prefetch(model, lookup):
    """``(relation, queryset of its rows)`` for a ``prefetch_related`` lookup of ``model`` that fills one relation's
    own cache; None for a lookup reaching further, or keeping its rows in an attribute of its own (``to_attr``)."""
    name = lookup.prefetch_through if isinstance(lookup, Prefetch) else lookup
    if "__" in name or getattr(lookup, "to_attr", None):
        return None
    related = lookup.queryset if isinstance(lookup, Prefetch) else None
    if related is None:
        related = model._meta.get_field(name).related_model._default_manager.all()
    return name, related


def is_postgresql(schema_editor):
    return schema_editor.connection.vendor == "postgresql"


class DateRange(Func):
    """``daterange(start, end, '[]')``; a NULL end is an open end."""

    function = "DATERANGE"
    output_field = DateRangeField()

    def __init__(self, start, end):
        super().__init__(start, end, RangeBoundary(inclusive_lower=True, inclusive_upper=True))


class CommaList(Aggregate):
    """The group's texts joined by commas, in no given order: PostgreSQL's STRING_AGG, SQLite's GROUP_CONCAT.

    NULL for no rows. For texts that hold no comma, such as identifiers.
    """

    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s, ',')"
    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="GROUP_CONCAT", **extra_context)


class PeriodExclusionConstraint(ExclusionConstraint):
    """Forbids two rows with the same ``key`` fields and overlapping periods.

    PostgreSQL enforces it in the database. Elsewhere no DDL is emitted, and in
    model validation it stays silent because ``clean()`` reports the overlap
    with an error keyed by field on every backend.
    """

    def __init__(self, *, name, key_fields=(), start="starts_on", end="ends_on", **kwargs):
        expressions = kwargs.pop("expressions", None) or [
            *((field, RangeOperators.EQUAL) for field in key_fields),
            (DateRange(start, end), RangeOperators.OVERLAPS),
        ]
        super().__init__(name=name, expressions=expressions, **kwargs)

    def constraint_sql(self, model, schema_editor):
        return super().constraint_sql(model, schema_editor) if is_postgresql(schema_editor) else None

    def create_sql(self, model, schema_editor):
        return super().create_sql(model, schema_editor) if is_postgresql(schema_editor) else None

    def remove_sql(self, model, schema_editor):
        return super().remove_sql(model, schema_editor) if is_postgresql(schema_editor) else None

    def validate(self, model, instance, exclude=None, using=None):
        return None


class PostgresOnlySQL(migrations.RunSQL):
    """RunSQL that is a no-op on other backends (e.g. pg_trgm indexes)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if is_postgresql(schema_editor):
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if is_postgresql(schema_editor):
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def trigram_index_sql(table, name):
    """Forward and reverse SQL for a pg_trgm GIN index on ``table.search_text``."""
    return (
        f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin ("search_text" gin_trgm_ops);',
        f'DROP INDEX IF EXISTS "{name}";',
    )
