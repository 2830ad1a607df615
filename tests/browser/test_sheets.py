"""Issue 11 at 1366x768: the Import and Export buttons sit in a changelist's object tools, and a preview renders."""

import pytest

from .conftest import assert_in_viewport, screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_import_and_export_buttons_and_the_import_preview(page, live_server, demo, tmp_path):
    sign_in(page, live_server, "ministry.demo")
    page.goto(f"{live_server.url}/admin/partners/kol/?q=beem")
    for link in ("a.import_link", "a.export_link"):
        assert_in_viewport(page, page.locator(f".object-tools {link}"))
    screenshot(page, "sheets-kol-changelist")
    page.click(".object-tools a.export_link")
    page.wait_for_load_state()
    assert "q=beem" in page.url  # the export keeps the list's search
    screenshot(page, "sheets-kol-export")
    page.go_back()

    sheet = tmp_path / "kols.csv"
    sheet.write_text("Slug,Tên,Loại\nquach-beem,Quách Beem,person\nkhoa-pug,Khoa Pug,person\n", encoding="utf-8")
    page.click(".object-tools a.import_link")
    page.set_input_files("input[name=import_file]", str(sheet))
    page.select_option("select[name=format]", "0")
    page.click("input[type=submit]")
    page.wait_for_load_state()
    screenshot(page, "sheets-kol-import-preview")
    assert page.locator("input[name=confirm]").count() == 1
    assert (
        page.locator("table.import-preview tr.new").count() + page.locator("table.import-preview tr.update").count()
        == 2
    )
