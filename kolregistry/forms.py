"""Form fields shared by the registry's forms."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kolregistry.models import inferable_fields


class InferencesFormField(forms.CharField):
    """A record's inferences edited as text: one "field: reason" per line.

    The field is named as stored (``kind``) or by its label (``Kind``, ``Loại``); the record's own
    validation then checks the names and reasons, so forms, the API and the loader share one rule.
    """

    widget = forms.Textarea(attrs={"rows": 3, "cols": 80})

    def __init__(self, *, model, **kwargs):
        self.model = model
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, dict):
            return "\n".join(f"{name}: {reason}" for name, reason in value.items())
        return value

    def to_python(self, value):
        text = super().to_python(value)
        fields = inferable_fields(self.model)
        by_label = {str(field.verbose_name).casefold(): name for name, field in fields.items()}
        inferences = {}
        for line in text.splitlines():
            if not line.strip():
                continue
            name, colon, reason = (part.strip() for part in line.partition(":"))
            if not colon or not name:
                raise ValidationError(
                    _("Write one inference per line, as “field: reason”, e.g. “kind: our classification”."),
                    code="invalid",
                )
            name = name if name in fields else by_label.get(name.casefold(), name)
            if name in inferences:
                raise ValidationError(_("“%(name)s” is given twice."), code="duplicate", params={"name": name})
            inferences[name] = reason
        return inferences

    def has_changed(self, initial, data):
        try:
            return self.to_python(data) != (initial or {})
        except ValidationError:
            return True
