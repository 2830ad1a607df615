"""The role groups and the demo users' roles."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from accounts.models import PartnerAccount
from accounts.roles import MINISTRY_ADMINISTRATORS, MINISTRY_STAFF, PARTNER_USERS, ensure_roles
from demo.users import assign_demo_roles
from tests.factories import MouFactory, PartnerCompanyFactory, UserFactory


def codenames(group_name):
    return set(Group.objects.get(name=group_name).permissions.values_list("codename", flat=True))


@pytest.fixture(params=["migrated", "rebuilt"])
def roles(request, db, capsys):
    """The roles as the migrations left them, or as ``ensure_roles`` builds them from nothing: the same."""
    if request.param == "rebuilt":
        Group.objects.filter(name__in=[MINISTRY_ADMINISTRATORS, MINISTRY_STAFF, PARTNER_USERS]).delete()
        Permission.objects.filter(codename__in=["view_mou", "delete_historicalmou", "add_campaignreport"]).delete()
        ensure_roles()
        assert capsys.readouterr().out == ""  # it runs in migrations and the demo loader: not a word


@pytest.mark.django_db
def test_migration_created_the_three_groups():
    assert set(Group.objects.values_list("name", flat=True)) >= {MINISTRY_ADMINISTRATORS, MINISTRY_STAFF, PARTNER_USERS}


def test_administrators_have_every_registry_and_accounts_permission(roles):
    perms = codenames(MINISTRY_ADMINISTRATORS)
    assert {"delete_mou", "delete_agency", "add_apitoken", "change_partneraccount", "view_historicalmou"} <= perms


def test_staff_view_add_change_but_do_not_delete_mous(roles):
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


def test_partner_users_view_and_submit_figures_only(roles):
    perms = codenames(PARTNER_USERS)
    assert {p for p in perms if not p.startswith("view_")} == {"add_channelmetric", "add_campaignreport"}
    assert {"view_mou", "view_channelmetric", "view_campaign", "view_person"} <= perms


@pytest.mark.parametrize("role", [MINISTRY_STAFF, PARTNER_USERS])
def test_only_administrators_hold_permissions_on_the_history_tables(roles, role):
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
def test_ensure_roles_in_a_migration_creates_the_permissions_of_that_states_models_only():
    """As a migration calls it: MOU alerts (partners 0008) do not exist yet where accounts 0003 runs."""
    state = MigrationLoader(connection).project_state(("accounts", "0003_roles_for_people"))
    Permission.objects.filter(content_type__model__in=["moualert", "person"]).delete()
    ensure_roles(state.apps)
    assert "view_person" in codenames(PARTNER_USERS)
    assert not Permission.objects.filter(content_type__model="moualert").exists()


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


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("groups", "partner", "fields", "may"),
    [
        ([MINISTRY_STAFF], False, {}, True),
        ([MINISTRY_ADMINISTRATORS, MINISTRY_STAFF], False, {}, True),
        ([], False, {"is_superuser": True}, True),
        ([], True, {"is_superuser": True}, True),
        ([], False, {"is_superuser": True, "is_staff": False}, False),
        ([MINISTRY_STAFF], False, {"is_active": False}, False),
        ([MINISTRY_STAFF], False, {"is_staff": False}, False),
        ([MINISTRY_STAFF], True, {}, False),
        ([PARTNER_USERS], False, {}, False),
        ([], False, {}, False),
    ],
    ids=[
        "staff",
        "administrator",
        "superuser",
        "superuser-with-partner",
        "superuser-not-staff",
        "inactive",
        "not-staff",
        "staff-with-partner",
        "partner-role",
        "no-role",
    ],
)
def test_who_may_be_responsible_for_an_mou(groups, partner, fields, may):
    """An active staff member with ministry-wide access: a ministry role and no partner, or a superuser."""
    user = UserFactory(**{"is_staff": True, **fields})
    user.groups.add(*Group.objects.filter(name__in=groups))
    if partner:
        PartnerAccount.objects.create(user=user, partner=PartnerCompanyFactory())
    mou = MouFactory(responsible=None)
    mou.responsible = user
    if may:
        mou.full_clean()
    else:
        with pytest.raises(ValidationError) as refused:
            mou.full_clean()
        assert refused.value.message_dict == {
            "responsible": ["Only an active ministry staff member can be responsible for an MOU."]
        }
