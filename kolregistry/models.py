"""Abstract bases shared by every model in the registry."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kolregistry.text import search_document


class TimeStampedModel(models.Model):
    """Adds created/updated timestamps."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class SourcedModel(TimeStampedModel):
    """A fact that may cite the public source it was taken from."""

    source_url = models.URLField(_("source URL"), max_length=500, blank=True)

    class Meta:
        abstract = True


class SearchableModel(SourcedModel):
    """Keeps ``search_text``, a folded copy of the names people search by.

    Accent-insensitive search filters on this column with a plain ``icontains``,
    which PostgreSQL serves from a pg_trgm GIN index (see the migrations).
    """

    search_text = models.TextField(editable=False, blank=True, default="")

    # Names of the fields folded into search_text.
    search_source_fields = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.search_text = self.build_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def build_search_text(self):
        return search_document(*(str(getattr(self, name) or "") for name in self.search_source_fields))
