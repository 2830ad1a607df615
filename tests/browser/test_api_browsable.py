"""The browsable API's Filters dialog asks for related rows as text, in Vietnamese, and applying it filters."""

import pytest
from playwright.sync_api import expect

from partners.models import Channel, PartnerCompany

from .conftest import SCREENSHOTS, sign_in
from .test_crawl import PageParser, data_values, foreign_words

pytestmark = pytest.mark.django_db(transaction=True)


def test_filters_dialog_takes_a_typed_partner_id(page, live_server, demo):
    partner = PartnerCompany.objects.filter(memberships__isnull=False).distinct().first()
    roster = set(Channel.objects.filter(memberships__partner=partner).values_list("pk", flat=True))
    sign_in(page, live_server, "ministry.demo")
    page.goto(f"{live_server.url}/api/v1/channels/")

    page.locator('button[data-target="#filtersModal"]').click()
    dialog = page.locator("#filtersModal")
    box = dialog.locator('input[type="text"][name="partner_id"]')
    box.wait_for()
    # Bootstrap slides the dialog in: the screenshot waits for it to stop.
    expect(dialog.locator(".modal-dialog")).to_have_css("transform", "matrix(1, 0, 0, 1, 0, 0)")
    assert dialog.locator("select[name=partner_id], select[name=kol_id], select[name=mou]").count() == 0
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "api-browsable-filters.png"))  # the viewport: the page runs long
    parser = PageParser()
    parser.feed(dialog.inner_html())
    assert foreign_words(parser.text, "vi", data_values("vi")) == set()

    box.fill(str(partner.pk))
    dialog.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert f"partner_id={partner.pk}" in page.url
    assert "HTTP 200 OK" in page.locator(".response-info").inner_text()
    rows = page.context.request.get(page.url, headers={"Accept": "application/json"}).json()["results"]
    assert rows and {row["id"] for row in rows} <= roster
