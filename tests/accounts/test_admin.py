"""Admin for API tokens and users' partner links."""

import pytest

from accounts.models import ApiToken, PartnerAccount

pytestmark = pytest.mark.urls("tests.accounts.api_stub")


@pytest.fixture
def admin(client, superuser):
    client.force_login(superuser)
    return client


def test_creating_a_token_shows_its_key_once(admin, world, staff):
    response = admin.post(
        "/admin/accounts/apitoken/add/",
        {"name": "BI dashboard", "owner": staff.pk, "read_only": "on", "partner": world.vitamin.pk},
        follow=True,
    )
    assert response.status_code == 200
    token = ApiToken.objects.get(name="BI dashboard")
    (message,) = [str(m) for m in response.context["messages"] if "shown only now" in str(m)]
    key = message.rsplit(" ", 1)[-1]
    assert ApiToken.objects.get_by_key(key) == token
    assert (token.owner, token.read_only, token.partner) == (staff, True, world.vitamin)
    change_page = admin.get(f"/admin/accounts/apitoken/{token.pk}/change/").content.decode()
    assert key not in change_page
    assert token.prefix in change_page


def test_token_admin_refuses_a_partner_users_token_for_another_company(admin, world, schannel_user):
    response = admin.post(
        "/admin/accounts/apitoken/add/", {"name": "x", "owner": schannel_user.pk, "partner": world.vitamin.pk}
    )
    assert response.status_code == 200
    assert "own company" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoke_action(admin, staff):
    tokens = [ApiToken.objects.issue(owner=staff, name=f"t{n}")[0] for n in range(2)]
    response = admin.post(
        "/admin/accounts/apitoken/",
        {"action": "revoke", "_selected_action": [tokens[0].pk]},
        follow=True,
    )
    assert response.status_code == 200
    tokens[0].refresh_from_db()
    tokens[1].refresh_from_db()
    assert tokens[0].is_revoked
    assert not tokens[1].is_revoked
    assert tokens[0].history.latest().history_user.is_superuser


def test_user_admin_links_a_user_to_a_partner(admin, world, staff):
    page = admin.get(f"/admin/auth/user/{staff.pk}/change/")
    assert page.status_code == 200
    assert "partner_account-TOTAL_FORMS" in page.content.decode()


def test_user_list_shows_the_partner(admin, schannel_user):
    response = admin.get("/admin/auth/user/")
    assert "SChannel" in response.content.decode()
    assert PartnerAccount.objects.get(user=schannel_user).partner.short_name == "SChannel"
