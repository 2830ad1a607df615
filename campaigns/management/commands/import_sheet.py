"""``import_sheet RESOURCE FILE [--dry-run] [--user USERNAME]``: import a CSV or XLSX file, all rows or none."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from import_export.results import RowResult

from kolregistry.sheets import SHEETS, SheetError, format_for, importable_sheets, row_summary

from .sheets import add_sheet_arguments, sheet_request

KINDS = {
    RowResult.IMPORT_TYPE_NEW: "new",
    RowResult.IMPORT_TYPE_UPDATE: "update",
    RowResult.IMPORT_TYPE_SKIP: "unchanged",
    RowResult.IMPORT_TYPE_INVALID: "error",
    RowResult.IMPORT_TYPE_ERROR: "error",
}


class Command(BaseCommand):
    help = "Import a sheet (CSV or XLSX, by extension); a row per line of output. Nothing is written if a row fails."

    def add_arguments(self, parser):
        add_sheet_arguments(parser)
        parser.add_argument("file", help="A .csv or .xlsx file.")
        parser.add_argument("--dry-run", action="store_true", help="Check every row and write nothing.")

    def handle(self, resource, file, dry_run, user, **options):
        if not SHEETS[resource].importable:
            importable = ", ".join(importable_sheets())
            raise CommandError(f"{resource} is export only; the sheets to import are: {importable}.")
        path = Path(file)
        file_format = format_for(path.name)
        if file_format is None:
            raise CommandError(f"{path.name}: use a .csv or .xlsx file.")
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}.") from None
        sheet = SHEETS[resource](request=sheet_request(user), html_diff=False)
        try:
            if not data.strip():
                raise SheetError("The file is empty.")
            dataset = file_format().create_dataset(data)
        except SheetError as error:
            raise CommandError(str(error)) from None
        except Exception as error:  # tablib and openpyxl raise many kinds on a broken file
            raise CommandError(f"{path.name} cannot be read as {file_format.__name__}: {error}") from None
        result = sheet.import_data(dataset, dry_run=dry_run, rollback_on_validation_errors=True)
        for error in result.base_errors:
            raise CommandError(str(error.error))
        totals = dict.fromkeys(("new", "update", "unchanged", "error"), 0)
        for number, import_type, messages in row_summary(sheet, result):
            kind = KINDS.get(import_type, import_type)
            totals[kind] += 1
            details = "; ".join(f"{column}: {' '.join(texts)}" for column, texts in messages.items())
            self.stdout.write(f"row {number}: {kind}" + (f" — {details}" if details else ""))
        summary = ", ".join(f"{count} {kind}" for kind, count in totals.items())
        if totals["error"]:
            raise CommandError(f"{summary}. Nothing was written.")
        written = "Dry run: nothing was written." if dry_run else "Written."
        self.stdout.write(f"{summary}. {written}")
