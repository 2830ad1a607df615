"""``?format=csv`` on every list: the whole filtered, scoped list, streamed row by row.

Rows are read with ``.iterator(chunk_size=...)`` (prefetches run once per chunk) and serialized one chunk
at a time, so memory stays flat whatever the list's length. The file opens in Excel: UTF-8 with a BOM,
one column per API field (a related object as ``field.id`` and ``field.display``), and cells that a
spreadsheet would run as a formula start with ``'``.
"""

import csv
import json
from itertools import islice

from django.http import StreamingHttpResponse
from django.utils import timezone
from rest_framework.relations import ManyRelatedField
from rest_framework.renderers import BaseRenderer

from kolregistry.text import spreadsheet_safe

from .fields import BriefRelatedField

CHUNK_SIZE = 500
BOM = "\ufeff"
BRIEF_KEYS = ("id", "display")


class CsvRenderer(BaseRenderer):
    """Selects CSV for ``?format=csv``; the rows are written by ``csv_response``, not by ``render``."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        raise NotImplementedError("CSV lists are streamed by kolregistry.api.export.csv_response")


def columns(serializer):
    """``[(header, field name, key in a related object or None)]`` of ``serializer``'s fields."""
    result = []
    for name, field in serializer.fields.items():
        related = field.child_relation if isinstance(field, ManyRelatedField) else field
        if isinstance(related, BriefRelatedField):
            result.extend((f"{name}.{key}", name, key) for key in BRIEF_KEYS)
        else:
            result.append((name, name, None))
    return result


def cell(value, key=None):
    """One value as spreadsheet text: related objects by ``key``, lists joined with "; ", objects as JSON."""
    if key is not None:
        if isinstance(value, list):
            return "; ".join(str(item[key]) for item in value)
        value = None if value is None else value[key]
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    return spreadsheet_safe(value) if isinstance(value, str) else str(value)


class Echo:
    """A file whose ``write`` returns the line, for ``csv.writer`` to feed a streaming response."""

    def write(self, value):
        return value


def csv_rows(view, queryset):
    serializer = view.get_serializer(many=True).child
    header = columns(serializer)
    writer = csv.writer(Echo())
    yield BOM + writer.writerow([title for title, _name, _key in header])
    rows = queryset.iterator(chunk_size=CHUNK_SIZE)
    while chunk := list(islice(rows, CHUNK_SIZE)):
        for data in view.get_serializer(chunk, many=True).data:
            yield writer.writerow([cell(data[name], key) for _title, name, key in header])


def csv_response(view, queryset):
    """The streamed CSV of ``queryset``, ordered as the JSON list is."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(
        csv_rows(view, queryset.order_by(*view.get_ordering())), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{view.basename}-{stamp}.csv"'
    return response
