"""Issue 8 as a person meets it in the admin: a stale form is refused, a partner's history hides internal notes."""

import pytest
from django.contrib.auth.models import Group

from accounts.models import PartnerAccount
from accounts.roles import MINISTRY_STAFF, PARTNER_USERS, ensure_roles
from partners.models import Mou
from tests.factories import MouFactory, PartnerCompanyFactory, UserFactory

from .conftest import screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "test-password-123"


def user_in(group, **extra):
    ensure_roles()  # a transactional test starts from an emptied database, without the migration's groups
    user = UserFactory(is_staff=True, **extra)
    user.groups.add(Group.objects.get(name=group))
    return user


def test_a_form_opened_before_someone_elses_save_is_refused_and_says_who(page, live_server):
    clerk = user_in(MINISTRY_STAFF, username="clerk")
    mou = MouFactory(title="SChannel KOL communication MOU")
    sign_in(page, live_server, "clerk", PASSWORD)
    page.goto(f"{live_server.url}/admin/partners/mou/{mou.pk}/change/")

    mou.title = "Renamed by a colleague"
    mou.save()  # while the clerk's form is open
    page.fill("#id_title", "The clerk's title")
    page.click("input[name=_save]")
    page.wait_for_load_state()
    screenshot(page, "admin-stale-form-refused")

    error = page.locator(".errornote, .errorlist").first
    assert "Vui lòng sửa lỗi bên dưới." in page.content()
    assert "sau khi bạn mở biểu mẫu này" in page.content()
    assert error.is_visible()
    assert Mou.objects.get(pk=mou.pk).title == "Renamed by a colleague"  # the clerk's save wrote nothing
    assert not mou.history.filter(history_user=clerk).exists()


def test_a_partner_reads_its_mou_history_without_the_ministrys_notes(page, live_server):
    schannel = PartnerCompanyFactory(short_name="SChannel", slug="schannel")
    partner_user = user_in(PARTNER_USERS, username="schannel.user")
    PartnerAccount.objects.create(user=partner_user, partner=schannel)
    mou = MouFactory(partner=schannel, notes="")
    mou.notes = "Internal: renegotiate the fee in 2026"
    mou.save()

    sign_in(page, live_server, "schannel.user", PASSWORD)
    page.goto(f"{live_server.url}/admin/partners/mou/{mou.pk}/history/")
    screenshot(page, "admin-partner-mou-history")

    assert page.locator("#change-history").is_visible()
    assert "renegotiate" not in page.content()
