"""The API docs work without internet: Swagger UI and ReDoc come from the registry and show its operations.

The ``page`` fixture fails a test on any request leaving the live server and on any console error (a
Content-Security-Policy refusal included), so these tests also prove the pages need no CDN and no inline script.
"""

import pytest

from .conftest import SCREENSHOTS, assert_in_viewport, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def screenshot_viewport(page, name):
    """What a reader sees at 1366x768 (both pages run to thousands of pixels, so not the full page)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def test_swagger_ui_shows_the_operations_offline(page, live_server, demo):
    sign_in(page, live_server, "ministry.demo")
    page.goto(f"{live_server.url}/api/v1/docs/")

    channels_list = page.locator("#operations-channels-channels_list")
    channels_list.locator('[data-path="/api/v1/channels/"]').wait_for()
    channels_list.locator(".opblock-summary").click()
    parameters = channels_list.locator(".parameters")
    parameters.wait_for()
    channels_list.scroll_into_view_if_needed()
    screenshot_viewport(page, "api-docs-swagger-ui")

    assert "active_on" in parameters.inner_text()
    assert_in_viewport(page, channels_list.locator(".opblock-summary"))

    # "Try it out" calls the registry with the reader's session: the demo's channels come back.
    channels_list.get_by_role("button", name="Try it out").click()
    channels_list.get_by_role("button", name="Execute").click()
    response = channels_list.locator(".live-responses-table .response").first
    response.wait_for()
    assert response.locator(".response-col_status").inner_text().strip() == "200"
    assert '"display":' in response.inner_text()  # at least one channel


def test_redoc_shows_the_operations_offline(page, live_server, demo):
    sign_in(page, live_server, "ministry.demo")
    page.goto(f"{live_server.url}/api/v1/redoc/")

    page.get_by_role("menuitem", name="channels", exact=True).click()
    page.get_by_role("menuitem", name="channels_list", exact=True).click()
    operation = page.locator('[id="tag/channels/operation/channels_list"]')
    heading = operation.get_by_role("heading", name="channels_list")
    heading.wait_for()
    screenshot_viewport(page, "api-docs-redoc")

    assert "/api/v1/channels/" in operation.inner_text()
    assert_in_viewport(page, heading)
