"""Abstract bases shared by every model in the registry."""

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _

from kolregistry.access import INTERNAL_FIELD_NAMES
from kolregistry.search import build_search_text, connect_signals, search_fields


def inferable_fields(model):
    """``{name: field}`` of the fields whose value a record of ``model`` may mark as inferred.

    Every field a person edits, many-to-many links included; not the inferences themselves, nor the
    internal notes: those are the ministry's own words, and partners, who may read inferences, may not
    read them.
    """
    return {
        field.name: field
        for field in [*model._meta.fields, *model._meta.many_to_many]
        if field.editable
        and not field.primary_key
        and not field.auto_created
        and not isinstance(field, InferencesField)
        and field.name not in INTERNAL_FIELD_NAMES
    }


def field_label(model, name):
    """The capitalised verbose name of ``model``'s field ``name`` (the name itself if it has none)."""
    try:
        return capfirst(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


class InferencesField(models.JSONField):
    """Field name -> reason: which of the record's values are our inference rather than stated by its source.

    The value is checked against the record's own fields, so the check lives on the field (Django's
    ``clean_fields()`` runs it, keyed on this field, whatever the model's ``clean()`` does).
    Forms edit it as text, one "field: reason" per line (``kolregistry.forms.InferencesFormField``).
    """

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        if not isinstance(value, dict):
            raise ValidationError(_("Give the inferences as field names, each with its reason."), code="invalid")
        model = type(model_instance) if model_instance is not None else self.model
        fields = inferable_fields(model)
        errors = []
        for name, reason in value.items():
            if name not in fields:
                errors.append(
                    ValidationError(
                        _("“%(name)s” is not a field of this record that can be inferred. Choose from: %(choices)s."),
                        code="unknown_field",
                        params={"name": name, "choices": ", ".join(fields)},
                    )
                )
            elif not isinstance(reason, str) or not reason.strip():
                errors.append(
                    ValidationError(
                        _("Give the reason why the value of “%(name)s” is an inference."),
                        code="no_reason",
                        params={"name": name},
                    )
                )
        if errors:
            raise ValidationError(errors)

    def formfield(self, **kwargs):
        from kolregistry.forms import InferencesFormField

        help_text = format_lazy(
            _("One per line, as “field: reason”, naming the field as below or by its label. Fields: {fields}."),
            fields=", ".join(inferable_fields(self.model)),
        )
        return InferencesFormField(
            model=self.model,
            **{"label": capfirst(self.verbose_name), "help_text": help_text, "required": False, **kwargs},
        )


class NewestFirstIndex(models.Index):
    """An index on ``date DESC NULLS LAST, id DESC``: a list's newest rows first, the undated ones last.

    SQLite refuses NULLS LAST in an index, and needs none: it sorts NULLs below every date already.
    """

    def __init__(self, date, *, name):
        super().__init__(models.F(date).desc(nulls_last=True), models.F("id").desc(), name=name)
        self.date = date

    def deconstruct(self):
        path, _args, kwargs = super().deconstruct()
        return path, (self.date,), {"name": kwargs["name"]}

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor == "sqlite":
            return models.Index(fields=[f"-{self.date}", "-id"], name=self.name).create_sql(
                model, schema_editor, using, **kwargs
            )
        return super().create_sql(model, schema_editor, using, **kwargs)


class TimeStampedModel(models.Model):
    """Adds created/updated timestamps."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class SourcedModel(TimeStampedModel):
    """A fact that may cite the public source it was taken from, and says which of its values are inferred."""

    source_url = models.URLField(_("source URL"), max_length=500, blank=True)
    inferences = InferencesField(
        _("inferences"),
        default=dict,
        blank=True,
        help_text=_("The values that are our inference rather than stated by the source, each with the reason."),
    )

    class Meta:
        abstract = True

    def inference_items(self):
        """``[(field label, reason), ...]`` in the model's field order, for people to read."""
        order = {name: position for position, name in enumerate(inferable_fields(type(self)))}
        names = sorted(self.inferences or {}, key=lambda name: (order.get(name, len(order)), name))
        return [(field_label(type(self), name), self.inferences[name]) for name in names]


class SearchableModel(SourcedModel):
    """Keeps ``search_text``, a folded copy of the names people search by, its related rows' included.

    Accent-insensitive search filters on this column with a plain ``LIKE``, which PostgreSQL serves from
    a pg_trgm GIN index (see the migrations). What it holds, and when it is rebuilt: kolregistry.search.
    """

    search_text = models.TextField(editable=False, blank=True, default="")

    # Names of the fields folded into search_text.
    search_source_fields = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None:
            self.search_text = self.build_search_text()
        elif set(update_fields) & search_fields(type(self)):
            self.search_text = self.build_search_text()
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def build_search_text(self):
        return build_search_text(self)


connect_signals()
