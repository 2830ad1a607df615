"""A clerk filters the roster by a partner typed into the sidebar's search box, in Vietnamese."""

import pytest

from accounts.roles import MINISTRY_STAFF
from tests.factories import ChannelFactory, PartnerCompanyFactory, RosterMembershipFactory
from tests.helpers import role_user

from .conftest import screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "test-password-123"


def test_a_clerk_picks_a_partner_in_the_filter_box_and_sees_its_roster(page, live_server):
    role_user(MINISTRY_STAFF, username="clerk")
    vitamin = PartnerCompanyFactory(short_name="Vitamin Media")
    RosterMembershipFactory(partner=vitamin, channel=ChannelFactory(display_name="Kênh của Vitamin"))
    RosterMembershipFactory(
        partner=PartnerCompanyFactory(short_name="SChannel"), channel=ChannelFactory(display_name="Kênh SChannel")
    )
    sign_in(page, live_server, "clerk", PASSWORD)
    page.goto(f"{live_server.url}/admin/partners/rostermembership/")

    page.click("#changelist-filter .autocomplete-filter .select2-selection")
    page.fill(".select2-search__field", "vitam")
    page.click(".select2-results__option:has-text('Vitamin Media')")
    page.wait_for_url(f"**partner__id__exact={vitamin.pk}")
    screenshot(page, "admin-roster-filtered-by-partner")

    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 1
    assert "Kênh của Vitamin" in rows.first.inner_text()
    assert "Vitamin Media" in page.locator("#changelist-filter .select2-selection__rendered").inner_text()
    assert page.locator("#changelist-filter a:has-text('Tất cả')").first.is_visible()  # clears the filter
