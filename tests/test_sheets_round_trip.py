"""Exporting every sheet of the demo data and importing the file unchanged writes nothing (commands and admin)."""

import io

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

import campaigns.resources  # noqa: F401 -- registers the sheet
import partners.resources  # noqa: F401 -- registers the sheets
from kolregistry.sheets import SHEETS, importable_sheets


def history_rows():
    return sum(model.objects.count() for model in apps.get_models() if model.__name__.startswith("Historical"))


@pytest.mark.parametrize("resource", importable_sheets())
def test_export_then_import_unchanged_reports_every_row_unchanged(demo_data_for_module, tmp_path, resource):
    model = SHEETS[resource]._meta.model
    rows = model.objects.count()
    assert rows, f"the demo data has no {resource}"
    before = history_rows()
    for name in ("sheet.csv", "sheet.xlsx"):
        path = tmp_path / name
        call_command("export_sheet", resource, "--output", str(path), stderr=io.StringIO())
        out = io.StringIO()
        call_command("import_sheet", resource, str(path), stdout=out)
        assert f"0 new, 0 update, {rows} unchanged, 0 error. Written." in out.getvalue()
    assert history_rows() == before
    assert model.objects.count() == rows


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize("resource", importable_sheets())
def test_an_admin_export_uploaded_again_is_all_unchanged(demo_data_for_module, admin_client, resource, file_format):
    opts = SHEETS[resource]._meta.model._meta
    name = f"admin:{opts.app_label}_{opts.model_name}"
    choice = {"csv": "0", "xlsx": "1"}[file_format]
    exported = admin_client.post(reverse(f"{name}_export"), {"format": choice, "resource": "0"}).content
    before = history_rows()

    sheet = SimpleUploadedFile(f"sheet.{file_format}", exported)
    preview = admin_client.post(reverse(f"{name}_import"), {"format": choice, "import_file": sheet})

    kinds = [row.import_type for row in preview.context["result"].rows]
    assert kinds == ["skip"] * opts.model.objects.count()
    assert "confirm_form" not in preview.context  # nothing to confirm
    assert "Every row is unchanged: there is nothing to import." in preview.content.decode()
    assert history_rows() == before
