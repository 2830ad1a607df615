"""The role groups and the demo users' roles."""

import pytest
from django.contrib.auth.models import Group

from accounts.models import PartnerAccount
from accounts.roles import MINISTRY_ADMINISTRATORS, MINISTRY_STAFF, PARTNER_USERS, ensure_roles
from demo.users import assign_demo_roles
from tests.factories import PartnerCompanyFactory, UserFactory


def codenames(group_name):
    return set(Group.objects.get(name=group_name).permissions.values_list("codename", flat=True))


@pytest.mark.django_db
def test_migration_created_the_three_groups():
    assert set(Group.objects.values_list("name", flat=True)) >= {MINISTRY_ADMINISTRATORS, MINISTRY_STAFF, PARTNER_USERS}


@pytest.mark.django_db
def test_administrators_have_every_registry_and_accounts_permission():
    perms = codenames(MINISTRY_ADMINISTRATORS)
    assert {"delete_mou", "delete_agency", "add_apitoken", "change_partneraccount", "view_historicalmou"} <= perms


@pytest.mark.django_db
def test_staff_view_add_change_but_do_not_delete_mous():
    perms = codenames(MINISTRY_STAFF)
    assert {"view_mou", "add_mou", "change_mou", "view_campaign", "change_channel"} <= perms
    assert "delete_mou" not in perms
    assert {p for p in perms if p.startswith("delete_")} == {
        "delete_channelmetric",
        "delete_campaignreport",
        "delete_statedfact",
        "delete_assignment",
        "delete_mouperson",
    }
    assert not {p for p in perms if p.endswith(("apitoken", "partneraccount"))}


@pytest.mark.django_db
def test_partner_users_view_and_submit_figures_only():
    perms = codenames(PARTNER_USERS)
    assert {p for p in perms if not p.startswith("view_")} == {"add_channelmetric", "add_campaignreport"}
    assert "view_mou" in perms


@pytest.mark.django_db
@pytest.mark.parametrize("role", [MINISTRY_STAFF, PARTNER_USERS])
def test_only_administrators_hold_permissions_on_the_history_tables(role):
    """Staff and partners read history through its object; the history tables' own rights are the administrators'."""
    assert not {p for p in codenames(role) if "historical" in p}


@pytest.mark.django_db
def test_ensure_roles_is_idempotent_and_repairs_drift():
    staff = Group.objects.get(name=MINISTRY_STAFF)
    before = codenames(MINISTRY_STAFF)
    staff.permissions.clear()
    Group.objects.get(name=PARTNER_USERS).delete()
    ensure_roles()
    ensure_roles()
    assert codenames(MINISTRY_STAFF) == before
    assert Group.objects.filter(name=PARTNER_USERS).count() == 1


@pytest.mark.django_db
def test_assign_demo_roles():
    schannel = PartnerCompanyFactory(slug="schannel")
    vitamin = PartnerCompanyFactory(slug="vitamin")
    users = {name: UserFactory(username=name) for name in ("ministry.demo", "schannel.demo", "vitamin.demo")}
    assign_demo_roles(users)
    assign_demo_roles(users)  # the demo loader runs again and again
    ministry = users["ministry.demo"]
    ministry.refresh_from_db()
    assert list(ministry.groups.values_list("name", flat=True)) == [MINISTRY_STAFF]
    assert ministry.is_staff
    assert not PartnerAccount.objects.filter(user=ministry).exists()
    assert PartnerAccount.objects.get(user=users["schannel.demo"]).partner == schannel
    assert PartnerAccount.objects.get(user=users["vitamin.demo"]).partner == vitamin
    assert list(users["vitamin.demo"].groups.values_list("name", flat=True)) == [PARTNER_USERS]
