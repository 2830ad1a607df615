"""Renewing an MOU (service, API, admin), its renewal chain, and the MOU's responsible staff member."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.roles import MINISTRY_STAFF, PARTNER_USERS
from partners.choices import MouPersonRole, MouSide, MouStatus
from partners.models import Mou
from partners.services import renew_mou
from tests.factories import (
    AgencyFactory,
    ChannelFactory,
    KolFactory,
    MouFactory,
    MouPersonFactory,
    PartnerCompanyFactory,
    PersonFactory,
)
from tests.helpers import partner_client, role_user

pytestmark = pytest.mark.django_db

SCHANNEL_TITLE = "SChannel KOL communication MOU 2024\u20132027"


@pytest.fixture
def staff():
    return role_user(MINISTRY_STAFF, email="staff@example.test")


@pytest.fixture
def schannel_mou(staff):
    """The demo's SChannel MOU (signed 05/2024, 2024-2027), with a named KOL and channel and three people."""
    schannel = PartnerCompanyFactory(short_name="SChannel", slug="schannel")
    mou = MouFactory(
        title=SCHANNEL_TITLE,
        agency=AgencyFactory(name="Center for Press and International Cooperation"),
        partner=schannel,
        signed_on=datetime.date(2024, 5, 1),
        starts_on=datetime.date(2024, 1, 1),
        ends_on=datetime.date(2027, 12, 31),
        reference="01/2024/MOU-TTBC",
        scope="Content on vietnam.vn and on the channels of KOLs managed by Schannel Network.",
        notes="internal",
        notice_period_days=120,
        responsible=staff,
    )
    mou.kols.set([KolFactory(name="Quang Linh Vlogs")])
    mou.channels.set([ChannelFactory()])
    MouPersonFactory(mou=mou, role=MouPersonRole.SIGNATORY)
    contact = MouPersonFactory(mou=mou, role=MouPersonRole.CONTACT)
    official = PersonFactory(partner=None, agency=mou.agency)
    MouPersonFactory(mou=mou, person=official, role=MouPersonRole.CONTACT, side=MouSide.AGENCY)
    mou.contact = contact
    return mou


def test_renewal_creates_a_draft_successor_with_the_same_parties_names_and_contacts(schannel_mou, staff):
    draft = renew_mou(schannel_mou, staff)

    assert draft.renews == schannel_mou
    assert draft.title == f"{SCHANNEL_TITLE} (renewal)"
    assert (draft.agency, draft.partner, draft.scope) == (schannel_mou.agency, schannel_mou.partner, schannel_mou.scope)
    assert (draft.notice_period_days, draft.responsible) == (120, staff)
    assert set(draft.kols.all()) == set(schannel_mou.kols.all())
    assert set(draft.channels.all()) == set(schannel_mou.channels.all())
    # Contact persons carry over; who signed and was present is a fact of the original's signing.
    assert sorted((link.person_id, link.role, link.side) for link in draft.people_links.all()) == sorted(
        (link.person_id, link.role, link.side) for link in schannel_mou.people_links.filter(role=MouPersonRole.CONTACT)
    )
    assert draft.people_links.count() == 2
    # The new period, signing, reference and document are the user's to fill in: a valid draft.
    assert (draft.signed, draft.signed_on, draft.starts_on, draft.ends_on) == (False, None, None, None)
    assert (draft.reference, draft.notes, bool(draft.document)) == ("", "", False)
    assert draft.status == MouStatus.DRAFT
    assert {record.history_user for record in draft.history.all()} == {staff}


def test_an_mou_already_renewed_or_a_draft_cannot_be_renewed(schannel_mou, staff):
    draft = renew_mou(schannel_mou, staff)

    with pytest.raises(ValidationError, match=re.escape(f"already renewed by “{draft.title}” (id {draft.pk})")):
        renew_mou(schannel_mou, staff)
    with pytest.raises(ValidationError, match="A draft MOU cannot be renewed"):
        renew_mou(draft, staff)
    assert Mou.objects.count() == 2


def test_the_api_renews_with_201_and_refuses_a_second_renewal_with_400(schannel_mou, api):
    url = f"/api/v1/mous/{schannel_mou.pk}/renew/"

    response = api.post(url)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft"
    assert body["renews"]["id"] == schannel_mou.pk
    assert body["starts_on"] is None and body["ends_on"] is None
    assert {kol["id"] for kol in body["kols"]} == set(schannel_mou.kols.values_list("pk", flat=True))

    again = api.post(url)
    assert again.status_code == 400
    assert "already renewed by" in again.json()["non_field_errors"][0]


def test_the_renew_operation_is_in_the_api_schema(api):
    schema = api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operation = schema["paths"]["/api/v1/mous/{id}/renew/"]["post"]
    created = operation["responses"]["201"]["content"]["application/json"]["schema"]
    assert created == {"$ref": "#/components/schemas/Mou"}
    assert {"400", "403", "404"} <= set(operation["responses"])
    assert "requestBody" not in operation


def test_partners_may_not_renew_through_the_api_or_the_admin(schannel_mou, client):
    partner_client(client, schannel_mou.partner)

    assert client.post(f"/api/v1/mous/{schannel_mou.pk}/renew/").status_code == 403
    assert client.post(reverse("admin:partners_mou_renew", args=[schannel_mou.pk])).status_code == 403
    action_form = client.get(reverse("admin:partners_mou_changelist")).context["action_form"]
    assert action_form is None or "renew" not in dict(action_form.fields["action"].choices)
    assert Mou.objects.count() == 1


def test_staff_without_the_right_to_add_mous_may_not_renew(schannel_mou, client):
    user = role_user(MINISTRY_STAFF)
    user.groups.first().permissions.remove(*user.groups.first().permissions.filter(codename="add_mou"))
    client.force_login(user)

    assert client.post(f"/api/v1/mous/{schannel_mou.pk}/renew/").status_code == 403
    assert Mou.objects.count() == 1


def test_the_admin_action_renews_one_mou_and_opens_its_draft(schannel_mou, client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("admin:partners_mou_changelist"), {"action": "renew", "_selected_action": [schannel_mou.pk]}
    )

    draft = Mou.objects.get(renews=schannel_mou)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:partners_mou_change", args=[draft.pk])
    assert {record.history_user for record in draft.history.all()} == {staff}


def test_the_admin_action_on_several_mous_renews_each_and_reports_the_refused(schannel_mou, client, staff):
    other = MouFactory()
    renew_mou(other, staff)
    client.force_login(staff)
    response = client.post(
        reverse("admin:partners_mou_changelist"),
        {"action": "renew", "_selected_action": [schannel_mou.pk, other.pk]},
        follow=True,
    )

    messages = [str(message) for message in response.context["messages"]]
    assert Mou.objects.filter(renews=schannel_mou).count() == 1
    assert Mou.objects.filter(renews=other).count() == 1
    assert any("already renewed by" in message for message in messages)
    assert any("Created 1 draft renewal" in message for message in messages)


def test_the_change_page_button_renews_and_shows_the_chain(schannel_mou, client, staff):
    client.force_login(staff)
    page = client.get(reverse("admin:partners_mou_change", args=[schannel_mou.pk]))
    assert 'id="renew-mou"' in page.content.decode()

    response = client.post(reverse("admin:partners_mou_renew", args=[schannel_mou.pk]), follow=True)
    draft = Mou.objects.get(renews=schannel_mou)
    assert response.redirect_chain[-1][0] == reverse("admin:partners_mou_change", args=[draft.pk])
    html = response.content.decode()
    chain = html[html.index('class="renewal-chain"') :]
    original = chain.index(reverse("admin:partners_mou_change", args=[schannel_mou.pk]))
    assert original < chain.index("(this MOU)")
    assert client.get(reverse("admin:partners_mou_renew", args=[schannel_mou.pk])).status_code == 405
    # Neither the renewed MOU nor its draft offers the button again.
    assert 'id="renew-mou"' not in html
    assert 'id="renew-mou"' not in client.get(reverse("admin:partners_mou_change", args=[schannel_mou.pk])).text


def test_the_chain_lists_oldest_to_newest_and_a_partner_sees_only_its_own(schannel_mou, staff, client):
    middle = renew_mou(schannel_mou, staff)
    middle.signed = True
    middle.save()
    newest = renew_mou(middle, staff)
    newest.partner = PartnerCompanyFactory(short_name="Vitamin")  # moved to another partner: not SChannel's to see
    newest.save()

    assert list(Mou.objects.renewal_chain(middle)) == [schannel_mou, middle, newest]
    assert list(Mou.objects.renewal_chain(newest)) == [schannel_mou, middle, newest]

    partner_client(client, schannel_mou.partner)
    page = client.get(reverse("admin:partners_mou_change", args=[middle.pk]))
    assert list(page.context["original"].visible_renewal_chain) == [schannel_mou, middle]
    overview = client.get(reverse("admin:dashboard_mou", args=[middle.pk]))
    assert overview.context["chain"] == [schannel_mou, middle]
    assert "Vitamin" not in overview.content.decode()


def test_the_responsible_must_be_ministry_staff_in_the_api_and_the_admin(schannel_mou, api, client, staff):
    partner_user = role_user(PARTNER_USERS, schannel_mou.partner)
    url = f"/api/v1/mous/{schannel_mou.pk}/"

    refused = api.patch(url, {"responsible": partner_user.pk})
    assert refused.status_code == 400
    assert refused.json()["responsible"] == ["Only an active ministry staff member can be responsible for an MOU."]
    accepted = api.patch(url, {"responsible": staff.pk, "notice_period_days": 60})
    assert accepted.status_code == 200, accepted.content
    assert (accepted.json()["responsible"], accepted.json()["notice_period_days"]) == (staff.pk, 60)
    assert api.patch(url, {"notice_period_days": 0}).status_code == 400

    client.force_login(staff)
    form = client.get(reverse("admin:partners_mou_change", args=[schannel_mou.pk])).context["adminform"].form
    choices = set(form.fields["responsible"].queryset)
    assert staff in choices
    assert partner_user not in choices


def test_a_partner_does_not_see_who_is_responsible(schannel_mou, client):
    partner_client(client, schannel_mou.partner)
    body = client.get(f"/api/v1/mous/{schannel_mou.pk}/").json()
    assert "responsible" not in body
    assert body["notice_period_days"] == 120
