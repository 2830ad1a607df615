"""``export_sheet RESOURCE [--format csv|xlsx] [--filter key=value ...] [--output FILE]``."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict

from kolregistry.sheets import SHEETS, SheetCSV, format_for

from .sheets import add_sheet_arguments, sheet_request


class Command(BaseCommand):
    help = "Export a sheet, filtered as the API filters its list, in the user's scope."

    def add_arguments(self, parser):
        add_sheet_arguments(parser)
        parser.add_argument("--format", choices=("csv", "xlsx"), help="Default: by the output's extension, else CSV.")
        parser.add_argument("--filter", action="append", default=[], metavar="KEY=VALUE", help="An API list filter.")
        parser.add_argument("--output", help="The file to write (default: standard output, CSV only).")

    def handle(self, resource, format, filter, output, user, **options):
        file_format = format_for(f".{format}") if format else (format_for(output) if output else None) or SheetCSV
        if output is None and file_format is not SheetCSV:
            raise CommandError("XLSX goes to a file: give --output.")
        sheet = SHEETS[resource](request=sheet_request(user))
        queryset = self.filtered(sheet, filter)
        data = file_format().export_data(sheet.export(queryset))
        if output is None:
            sys.stdout.write(data)
            return
        Path(output).write_bytes(data.encode() if isinstance(data, str) else data)
        self.stderr.write(f"{queryset.count()} rows written to {output}.")

    def filtered(self, sheet, pairs):
        params = QueryDict(mutable=True)
        for pair in pairs:
            key, sep, value = pair.partition("=")
            if not sep or not key:
                raise CommandError(f"Write a filter as key=value, not {pair!r}.")
            params.appendlist(key, value)
        queryset = sheet.get_queryset()
        if sheet.filterset_class is None:
            if pairs:
                raise CommandError("This sheet takes no filters.")
            return queryset
        filterset = sheet.filterset_class(params, queryset=queryset, request=sheet.request)
        unknown = sorted(set(params) - set(filterset.filters))
        if unknown:
            choices = ", ".join(sorted(filterset.filters))
            raise CommandError(f"Unknown filter {', '.join(unknown)}; choose from: {choices}.")
        if not filterset.is_valid():
            errors = "; ".join(f"{key}: {' '.join(messages)}" for key, messages in filterset.errors.items())
            raise CommandError(f"Invalid filter: {errors}")
        return filterset.qs
