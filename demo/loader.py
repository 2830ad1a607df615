"""A small generic loader: records of model label, natural key and field values, created or updated idempotently.

A data file is YAML: a mapping with a list of ``records`` (and an optional file-level ``source``)::

    - model: partners.agency           # app_label.model_name
      key: {slug: qmg}                 # the lookup that finds the row; plain field names in it are also values
      fields: {name: Quang Ninh Provincial Media Center, parent: quang-ninh-provincial-party-committee}
      source:
        url: ...                       # url or description: the article; states: the fact in our words
        states: ...                    # (both for review only, never stored)
        inferred:                      # field -> reason, for each value the article does not state:
          parent: ...                  # stored as the record's ``inferences`` (an empty mapping when absent)

A foreign-key or many-to-many value is a reference: a mapping is a lookup on the related model (whose values may
be references in turn); a scalar is matched on the key the data's own records of that model use, e.g. a slug.
A row is saved only when a value actually changes, so loading the same data twice writes nothing the second time.
Any problem (unknown model, field or reference, invalid value) raises ``DataError`` naming the file and record:
nothing is skipped silently. The loader knows no model: it finds them with ``apps.get_model``.
"""

from contextlib import contextmanager
from pathlib import Path

import yaml
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ValidationError

FILE_KEYS = {"records", "source"}
RECORD_KEYS = {"model", "key", "fields", "source"}
YamlLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DataError(ValueError):
    """A data file is malformed, or a record cannot be loaded; the message names the file and record."""


def read(path):
    """``(source, [(where, record), ...])`` of one data file; ``where`` names the file and record in errors."""
    path = Path(path)
    try:
        document = yaml.load(path.read_text(encoding="utf-8"), Loader=YamlLoader)
    except yaml.YAMLError as error:
        raise DataError(f"{path.name}: invalid YAML: {error}") from error
    if not isinstance(document, dict) or set(document) - FILE_KEYS or not isinstance(document.get("records"), list):
        raise DataError(f"{path.name}: expected a mapping of {sorted(FILE_KEYS)} with a list of records")
    records = []
    for number, record in enumerate(document["records"], start=1):
        where = f"{path.name}, record {number}"
        if not isinstance(record, dict) or set(record) - RECORD_KEYS or not {"model", "key"} <= set(record):
            raise DataError(f"{where}: a record has a model, a key and optionally fields and source: {record!r}")
        if not isinstance(record["key"], dict) or not record["key"] or not isinstance(record.get("fields", {}), dict):
            raise DataError(f"{where}: key must be a non-empty mapping and fields a mapping")
        records.append((f"{where} ({record['model']} {record['key']})", record))
    return document.get("source") or {}, records


@contextmanager
def naming(where):
    """Re-raise any loading error as a ``DataError`` that names the file and record."""
    try:
        yield
    except (ValidationError, LookupError, ValueError, TypeError) as error:
        raise DataError(f"{where}: {error}") from error


class Loader:
    """Loads data files in order and records which rows it created or changed."""

    def __init__(self):
        self.created = set()  # (model, pk)
        self.updated = set()
        self.natural_keys = {}  # model -> the single lookup its records are keyed on, for scalar references
        self.found = {}

    def load(self, paths):
        records = [item for path in paths for item in read(path)[1]]
        for where, record in records:
            with naming(where):
                model = apps.get_model(record["model"])
                if len(record["key"]) == 1:
                    self.natural_keys.setdefault(model, next(iter(record["key"])))
        for where, record in records:
            with naming(where):
                self.load_record(record)
        return self

    def load_record(self, record):
        model = apps.get_model(record["model"])
        lookup = self.lookup(model, record["key"])
        stated = {name: value for name, value in record["key"].items() if "__" not in name}
        stated.update(record.get("fields") or {})
        if "inferences" in stated:
            raise DataError("give inferences under source.inferred, as field: reason")
        inferred = (record.get("source") or {}).get("inferred", {})
        if not isinstance(inferred, dict):
            raise DataError(f"source.inferred must map field names to reasons, got {inferred!r}")
        if any(field.name == "inferences" for field in model._meta.fields):
            # Always written, so an inference taken out of the data is taken off the row too.
            stated["inferences"] = inferred
        elif inferred:
            raise DataError(f"{model._meta.label} cannot store inferences")
        values, many = {}, {}
        for name, value in stated.items():
            field = self.field(model, name)
            (many if field.many_to_many else values)[field] = self.resolve(field, value)

        obj = model._default_manager.filter(**lookup).order_by("pk").first()
        if obj is None:
            obj = model(**{field.name: value for field, value in values.items()})
            obj.full_clean()
            obj.save()
            self.created.add((model, obj.pk))
        else:
            before = {field: getattr(obj, field.attname) for field in values}
            for field, value in values.items():
                setattr(obj, field.name, value)
            obj.full_clean()
            if any(getattr(obj, field.attname) != old for field, old in before.items()):
                obj.save()
                self.mark_updated(obj)
        for field, targets in many.items():
            manager = getattr(obj, field.name)
            if set(manager.values_list("pk", flat=True)) != {target.pk for target in targets}:
                manager.set(targets)
                self.mark_updated(obj)
        return obj

    def field(self, model, name):
        """The loadable field ``name`` of ``model``: a concrete, editable field or a many-to-many."""
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            raise DataError(f"{model._meta.label} has no field {name!r}") from None
        if field.auto_created or not getattr(field, "editable", False) or not (field.concrete or field.many_to_many):
            raise DataError(f"{model._meta.label}.{name} is not a field the loader can set")
        return field

    def lookup(self, model, mapping):
        """A queryset lookup from ``mapping``; a relation given by its own name is resolved as a reference."""
        lookup = {}
        for name, value in mapping.items():
            base = name.split("__", 1)[0]
            try:
                field = model._meta.get_field(base)
            except FieldDoesNotExist:
                raise DataError(f"{model._meta.label} has no field {base!r}") from None
            lookup[name] = self.resolve(field, value) if name == base else value
        return lookup

    def resolve(self, field, value):
        """The value to assign to ``field``: references become rows, other values pass through."""
        if not field.is_relation:
            return value
        if field.many_to_many:
            if not isinstance(value, list):
                raise DataError(f"{field.name}: expected a list of references, got {value!r}")
            return [self.find(field.related_model, item) for item in value]
        return None if value is None else self.find(field.related_model, value)

    def find(self, model, reference):
        """The one row of ``model`` that ``reference`` (a lookup mapping or a natural key) names."""
        cache_key = (model, repr(reference))
        if cache_key not in self.found:
            if isinstance(reference, dict):
                lookup = self.lookup(model, reference)
            elif model in self.natural_keys:
                lookup = {self.natural_keys[model]: reference}
            else:
                raise DataError(f"no natural key is known for {model._meta.label}: give {reference!r} as a mapping")
            matches = list(model._default_manager.filter(**lookup)[:2])
            if len(matches) != 1:
                found = "no" if not matches else "more than one"
                raise DataError(f"{found} {model._meta.label} matches the reference {reference!r}")
            self.found[cache_key] = matches[0]
        return self.found[cache_key]

    def mark_updated(self, obj):
        if (type(obj), obj.pk) not in self.created:
            self.updated.add((type(obj), obj.pk))

    def counts(self, model):
        """(rows in the database, rows created, rows updated) for ``model``."""
        created = sum(1 for m, _pk in self.created if m is model)
        updated = sum(1 for m, _pk in self.updated if m is model)
        return model._default_manager.count(), created, updated
