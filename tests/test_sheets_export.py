"""Every registry changelist exports its rows (CSV, XLSX), filtered, scoped, related rows by name."""

import csv
import io

import pytest
from django.contrib import admin
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django.urls import reverse

from accounts.roles import PARTNER_USERS
from kolregistry.access import scope_queryset
from kolregistry.sheets import SheetExportMixin
from partners.models import PartnerCompany
from tests.factories import AssignmentFactory, MouFactory, MouPersonFactory, PartnerCompanyFactory
from tests.helpers import role_user

pytestmark = pytest.mark.django_db

CSV = "0"
# Django's groups and the login-attempt logs are not registry data; API tokens hold secrets.
NOT_EXPORTED = {"auth.group", "axes.accessattempt", "axes.accesslog", "axes.accessfailurelog", "accounts.apitoken"}
EXPORTED = sorted(
    (model._meta.label_lower, model_admin)
    for model, model_admin in admin.site._registry.items()
    if model._meta.label_lower not in NOT_EXPORTED
)


def test_every_admin_is_exported_or_deliberately_not():
    exporting = {label for label, model_admin in EXPORTED if isinstance(model_admin, SheetExportMixin)}
    assert exporting == {label for label, _admin in EXPORTED}


def partner_user():
    return role_user(PARTNER_USERS, PartnerCompanyFactory())


def csv_rows(content):
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_related_rows_are_named_and_the_command_writes_the_same_sheet(admin_client, tmp_path):
    link = MouPersonFactory(person__slug="nguyen-van-a", mou__title="=MOU on KOLs")
    response = admin_client.post(reverse("admin:partners_mouperson_export"), {"format": CSV, "resource": "0"})
    rows = csv_rows(response.content)
    assert rows[0][:3] == ["ID", "MOU", "Person (slug)"]
    assert rows[1][1:3] == ["'=MOU on KOLs", "nguyen-van-a"]  # a formula is neutralised

    call_command("export_sheet", "mou-people", "--output", str(tmp_path / "people.csv"), stderr=io.StringIO())
    assert csv_rows((tmp_path / "people.csv").read_bytes()) == rows
    MouFactory()
    call_command(
        "export_sheet", "mous", f"--filter=partner={link.mou.partner.slug}", "--output", str(tmp_path / "m.csv")
    )
    assert [row[0] for row in csv_rows((tmp_path / "m.csv").read_bytes())[1:]] == [str(link.mou.pk)]
    with pytest.raises(CommandError, match=r"mou-people is export only; .* kols, memberships, metrics, reports"):
        call_command("import_sheet", "mou-people", str(tmp_path / "people.csv"))


def test_a_partner_exports_its_own_mous_and_people_without_internal_columns(client):
    own, other = PartnerCompanyFactory(), PartnerCompanyFactory()
    MouPersonFactory(mou=MouFactory(partner=own, title="Own MOU", notes="internal"), person__name="Own Person")
    MouPersonFactory(mou=MouFactory(partner=other, title="Other MOU"), person__name="Other Person")
    client.force_login(role_user(PARTNER_USERS, own))

    mous = csv_rows(client.post(reverse("admin:partners_mou_export"), {"format": CSV, "resource": "0"}).content)
    assert [row[mous[0].index("Title")] for row in mous[1:]] == ["Own MOU"]
    assert not {"Notes", "Responsible"} & set(mous[0])
    people = csv_rows(client.post(reverse("admin:partners_person_export"), {"format": CSV, "resource": "0"}).content)
    assert [row[people[0].index("Name")] for row in people[1:]] == ["Own Person"]
    assert not {"Notes", "Email", "Phone"} & set(people[0])


# Last in the module: the demo data stays loaded for the tests after the first that asks for it.
@pytest.mark.parametrize(("label", "model_admin"), EXPORTED, ids=[label for label, _admin in EXPORTED])
def test_the_export_button_writes_the_filtered_list(demo_data_for_module, admin_client, label, model_admin):
    model = model_admin.model
    if not model.objects.exists():  # the demo data has neither
        {"campaigns.assignment": AssignmentFactory, "accounts.partneraccount": partner_user}[label]()
    first = model.objects.order_by("pk").first()
    info = (model._meta.app_label, model._meta.model_name)
    name = f"admin:{info[0]}_{info[1]}"

    changelist = admin_client.get(reverse(f"{name}_changelist")).content.decode()
    assert reverse(f"{name}_export") in changelist
    importable = model_admin.get_export_resource_classes(None)[0].importable
    assert (f"/{info[0]}/{info[1]}/import/" in changelist) == importable

    url = reverse(f"{name}_export") + f"?id__exact={first.pk}"
    response = admin_client.post(url, {"format": CSV, "resource": "0"})
    assert response.status_code == 200
    rows = csv_rows(response.content)
    assert [row[0] for row in rows[1:]] == [str(first.pk)]
    assert "password" not in " ".join(rows[0]).lower()


@pytest.mark.parametrize(("label", "model_admin"), EXPORTED, ids=[label for label, _admin in EXPORTED])
def test_a_partner_exports_every_list_it_may_open(demo_data_for_module, client, label, model_admin):
    user = role_user(PARTNER_USERS, PartnerCompany.objects.get(slug="schannel"))
    client.force_login(user)
    info = (model_admin.model._meta.app_label, model_admin.model._meta.model_name)
    if client.get(reverse("admin:{}_{}_changelist".format(*info))).status_code != 200:
        pytest.skip("partners do not open this list")
    response = client.post(reverse("admin:{}_{}_export".format(*info)), {"format": CSV, "resource": "0"})
    assert response.status_code == 200
    request = RequestFactory().get("/")
    request.user = user
    visible = scope_queryset(request, model_admin.model.objects.all())
    assert sorted(int(row[0]) for row in csv_rows(response.content)[1:]) == sorted(visible.values_list("pk", flat=True))
