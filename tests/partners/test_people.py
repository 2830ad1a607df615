"""People who sign MOUs and are their contacts: integrity, search, filters, the admin, scoping and contact details.

Each named constraint is tested twice, as in test_models.py: the database rejects a row written past
validation, and validation (``full_clean()``, the API, the admin) rejects it with a message keyed by field.
"""

import pytest
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.roles import MINISTRY_ADMINISTRATORS, PARTNER_USERS
from partners.choices import MouPersonRole, MouSide
from partners.models import Mou, MouPerson, Person
from tests.accounts.conftest import session_client, token_client, user_with_role
from tests.factories import AgencyFactory, MouFactory, MouPersonFactory, PartnerCompanyFactory, PersonFactory
from tests.helpers import listed, results

from .test_models import db_rejects, invalid

pytestmark = pytest.mark.django_db

ONE_ORGANISATION = "A person works for exactly one agency or one partner company."
PHONE_FORMAT = "A phone number has only digits, spaces, +, - and parentheses."
SAME_ROLE_TWICE = "This person already has this role in the MOU."


def official(agency=None, **fields):
    """Someone at an agency rather than a partner company."""
    return PersonFactory(partner=None, agency=agency or AgencyFactory(), **fields)


# Person: one organisation


def test_db_rejects_a_person_without_an_organisation():
    with db_rejects("person_exactly_one_organisation"):
        PersonFactory(partner=None)


def test_db_rejects_a_person_with_two_organisations():
    with db_rejects("person_exactly_one_organisation"):
        PersonFactory(agency=AgencyFactory())


def test_validation_asks_for_the_organisation():
    person = PersonFactory.build(partner=None)
    invalid(person, "agency", "Choose the agency or the partner company this person works for.")


def test_validation_refuses_two_organisations():
    person = PersonFactory.build(partner=PartnerCompanyFactory(), agency=AgencyFactory())
    invalid(person, "partner", "A person works for an agency or a partner company, not both.")


def test_an_official_or_an_employee_is_valid():
    official(slug="an-official").full_clean()
    PersonFactory(slug="an-employee").full_clean()


# Person: phone


@pytest.mark.parametrize("phone", ["+84 24 3943 6795", "(024) 3825-1234", "0912345678", ""])
def test_phone_numbers_as_people_write_them_are_accepted(phone):
    PersonFactory.build(partner=PartnerCompanyFactory(), phone=phone).full_clean()


@pytest.mark.parametrize("phone", ["0912 345 678 ext. 2", "+84.24.3943.6795", "call the office", "+-()"])
def test_validation_rejects_a_malformed_phone(phone):
    invalid(PersonFactory.build(partner=PartnerCompanyFactory(), phone=phone), "phone", PHONE_FORMAT)


@pytest.mark.parametrize("phone", ["0912 345 678 ext. 2", "+-()"])
def test_db_rejects_a_malformed_phone(phone):
    with db_rejects("person_phone_format"):
        PersonFactory(phone=phone)


# MOU people: one role once, the right side


def test_db_rejects_the_same_role_twice():
    link = MouPersonFactory()
    with db_rejects("mou_person_unique_role", unique=True):
        MouPersonFactory(mou=link.mou, person=link.person)


def test_validation_rejects_the_same_role_twice():
    link = MouPersonFactory()
    twin = MouPerson(mou=link.mou, person=link.person, role=link.role, side=link.side)
    invalid(twin, NON_FIELD_ERRORS, SAME_ROLE_TWICE)


def test_one_person_may_have_two_roles_in_an_mou():
    link = MouPersonFactory()
    MouPerson(mou=link.mou, person=link.person, role=MouPersonRole.CONTACT, side=MouSide.PARTNER).full_clean()


def test_the_partner_side_is_someone_of_the_mous_partner_company():
    mou = MouFactory()
    MouPerson(mou=mou, person=PersonFactory(partner=mou.partner), role="signatory", side="partner").full_clean()
    outsider = PersonFactory()
    invalid(
        MouPerson(mou=mou, person=outsider, role=MouPersonRole.SIGNATORY, side=MouSide.PARTNER),
        "side",
        f"{outsider} does not work for {mou.partner}, the partner company of this MOU.",
    )


def test_an_official_cannot_act_for_the_partner_side():
    mou, person = MouFactory(), official()
    link = MouPerson(mou=mou, person=person, role=MouPersonRole.CONTACT, side=MouSide.PARTNER)
    invalid(link, "side", f"{person} does not work for {mou.partner}, the partner company of this MOU.")


def test_the_agency_side_is_someone_at_an_agency():
    mou = MouFactory()
    employee = PersonFactory(partner=mou.partner)
    link = MouPerson(mou=mou, person=employee, role=MouPersonRole.SIGNATORY, side=MouSide.AGENCY)
    invalid(link, "side", f"{employee} does not work for an agency.")


def test_the_agency_side_may_be_an_official_of_another_agency_than_the_signing_one():
    """A ministry official may sign for one of its departments."""
    mou = MouFactory()
    MouPerson(mou=mou, person=official(), role=MouPersonRole.SIGNATORY, side=MouSide.AGENCY).full_clean()


def test_people_and_mous_named_together_are_protected_from_deletion(api):
    link = MouPersonFactory()
    person_response = api.delete(f"/api/v1/people/{link.person_id}/")
    mou_response = api.delete(f"/api/v1/mous/{link.mou_id}/")
    assert person_response.status_code == mou_response.status_code == 409
    assert "1 person in an MOU" in person_response.json()["detail"]
    assert Person.objects.filter(pk=link.person_id).exists()
    assert Mou.objects.filter(pk=link.mou_id).exists()


# Through the API


def person_payload(**values):
    return {"name": "Trần Hoàng", "slug": "tran-hoang", "agency": AgencyFactory().pk, **values}


def test_a_person_with_two_organisations_is_a_400(api):
    response = api.post("/api/v1/people/", person_payload(partner=PartnerCompanyFactory().pk))
    assert response.status_code == 400
    assert response.json()["partner"] == ["A person works for an agency or a partner company, not both."]
    assert not Person.objects.exists()


def test_a_person_without_an_organisation_is_a_400(api):
    response = api.post("/api/v1/people/", person_payload(agency=None))
    assert response.status_code == 400
    assert response.json()["agency"] == ["Choose the agency or the partner company this person works for."]


def test_the_organisation_check_the_database_rejects_is_a_400_not_a_500(api, monkeypatch):
    monkeypatch.setattr(Person, "clean", lambda self: None)
    monkeypatch.setattr(Person, "validate_constraints", lambda self, exclude=None: None)
    response = api.post("/api/v1/people/", person_payload(partner=PartnerCompanyFactory().pk))
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": [ONE_ORGANISATION]}
    assert not Person.objects.exists()


def test_a_malformed_phone_is_a_400(api):
    response = api.post("/api/v1/people/", person_payload(phone="0912 345 678 ext. 2"))
    assert response.status_code == 400
    assert response.json() == {"phone": [PHONE_FORMAT]}


def test_the_same_role_twice_is_a_400(api):
    link = MouPersonFactory()
    payload = {"mou": link.mou_id, "person": link.person_id, "role": link.role, "side": link.side}
    response = api.post("/api/v1/mou-people/", payload)
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": [SAME_ROLE_TWICE]}
    assert MouPerson.objects.count() == 1


def test_the_same_role_twice_the_database_rejects_is_a_409_not_a_500(api, monkeypatch):
    """As every uniqueness the database enforces (README, "Errors")."""
    monkeypatch.setattr(MouPerson, "validate_constraints", lambda self, exclude=None: None)
    link = MouPersonFactory()
    payload = {"mou": link.mou_id, "person": link.person_id, "role": link.role, "side": link.side}
    response = api.post("/api/v1/mou-people/", payload)
    assert response.status_code == 409
    if connection.vendor == "postgresql":  # SQLite's error names the columns, not the constraint
        assert response.json() == {"detail": SAME_ROLE_TWICE}
    assert MouPerson.objects.count() == 1


def test_a_signatory_of_another_company_is_a_400_on_side(api):
    mou, outsider = MouFactory(), PersonFactory()
    response = api.post(
        "/api/v1/mou-people/", {"mou": mou.pk, "person": outsider.pk, "role": "signatory", "side": "partner"}
    )
    assert response.status_code == 400
    assert response.json() == {
        "side": [f"{outsider} does not work for {mou.partner}, the partner company of this MOU."]
    }


def test_an_unknown_role_or_side_is_a_400(api):
    link = MouPersonFactory()
    response = api.patch(f"/api/v1/mou-people/{link.pk}/", {"role": "witness", "side": "both"})
    assert response.status_code == 400
    assert set(response.json()) == {"role", "side"}


# Accent-insensitive search


@pytest.fixture
def tran_hoang():
    return official(name="Trần Hoàng", name_en="", position="Director of the Copyright Office", slug="tran-hoang")


@pytest.fixture
def namesakes():
    """Each shares one of the two words with Trần Hoàng."""
    return [official(name="Trần Văn Nam", name_en=""), PersonFactory(name="Lê Hoàng", name_en="")]


def test_api_search_ignores_accents(api, tran_hoang, namesakes):
    assert [row["id"] for row in results(api.get("/api/v1/people/", {"q": "tran hoang"}))] == [tran_hoang.pk]


def test_api_search_matches_the_position(api, tran_hoang, namesakes):
    assert [row["id"] for row in results(api.get("/api/v1/people/", {"q": "copyright office"}))] == [tran_hoang.pk]


def test_admin_search_ignores_accents(admin_client, tran_hoang, namesakes):
    response = admin_client.get(reverse("admin:partners_person_changelist"), {"q": "tran hoang"})
    assert listed(response) == [tran_hoang]


def test_admin_autocomplete_of_an_mous_people_ignores_accents(admin_client, tran_hoang, namesakes):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "partners", "model_name": "mouperson", "field_name": "person", "term": "TRAN HOANG"},
    )
    assert [result["id"] for result in response.json()["results"]] == [str(tran_hoang.pk)]


# Filters


def ids(response):
    return {row["id"] for row in results(response)}


def test_people_filter_by_organisation_slug_and_id(api):
    employee, person = PersonFactory(), official()
    assert ids(api.get("/api/v1/people/", {"agency": person.agency.slug})) == {person.pk}
    assert ids(api.get("/api/v1/people/", {"agency_id": person.agency_id})) == {person.pk}
    assert ids(api.get("/api/v1/people/", {"partner": employee.partner.slug})) == {employee.pk}
    assert ids(api.get("/api/v1/people/", {"partner_id": employee.partner_id})) == {employee.pk}


@pytest.fixture
def two_mous():
    """``signer`` signed ``first`` and is a contact of ``second``, which ``other`` signed."""
    first = MouFactory()
    second = MouFactory(partner=first.partner)
    signer = MouPersonFactory(mou=first).person
    MouPersonFactory(mou=second, person=signer, role=MouPersonRole.CONTACT)
    other = MouPersonFactory(mou=second).person
    PersonFactory(partner=first.partner)  # in no MOU
    return first, second, signer, other


def test_people_filter_by_mou(api, two_mous):
    first, second, signer, other = two_mous
    assert ids(api.get("/api/v1/people/", {"mou": second.pk})) == {signer.pk, other.pk}
    assert ids(api.get("/api/v1/people/", {"mou_id": first.pk})) == {signer.pk}


def test_people_filter_by_role(api, two_mous):
    _first, _second, signer, other = two_mous
    assert ids(api.get("/api/v1/people/", {"role": "signatory"})) == {signer.pk, other.pk}
    assert ids(api.get("/api/v1/people/", {"role": "contact"})) == {signer.pk}
    assert ids(api.get("/api/v1/people/", {"role": "present"})) == set()


def test_mou_and_role_filters_match_one_link(api, two_mous):
    """The signatories of ``second``: not ``signer``, who signed another MOU and is only a contact of this one."""
    _first, second, _signer, other = two_mous
    for mou_filter in ("mou", "mou_id"):
        response = api.get("/api/v1/people/", {mou_filter: second.pk, "role": "signatory"})
        assert ids(response) == {other.pk}


def test_people_filters_refuse_unknown_values(api):
    response = api.get("/api/v1/people/", {"role": "witness", "mou": 999999, "agency": "nowhere"})
    assert response.status_code == 400
    assert set(response.json()) == {"role", "mou", "agency"}


def test_mou_people_filters(api, two_mous):
    first, second, signer, other = two_mous
    signer_links = set(MouPerson.objects.filter(person=signer).values_list("pk", flat=True))
    [other_link] = MouPerson.objects.filter(person=other).values_list("pk", flat=True)
    [contact_link] = MouPerson.objects.filter(role=MouPersonRole.CONTACT).values_list("pk", flat=True)
    assert ids(api.get("/api/v1/mou-people/", {"mou": first.pk})) == signer_links - {contact_link}
    assert ids(api.get("/api/v1/mou-people/", {"mou_id": second.pk})) == {contact_link, other_link}
    assert ids(api.get("/api/v1/mou-people/", {"person": signer.slug})) == signer_links
    assert ids(api.get("/api/v1/mou-people/", {"person_id": other.pk})) == {other_link}
    assert ids(api.get("/api/v1/mou-people/", {"role": "contact"})) == {contact_link}
    official_link = MouPersonFactory(mou=first, person=official(), side=MouSide.AGENCY)
    assert ids(api.get("/api/v1/mou-people/", {"side": "agency"})) == {official_link.pk}


# The admin


def test_mou_page_lists_its_people(admin_client, tran_hoang):
    link = MouPersonFactory(person=tran_hoang, side=MouSide.AGENCY)
    response = admin_client.get(reverse("admin:partners_mou_change", args=[link.mou_id]))
    assert response.status_code == 200
    [inline] = response.context["inline_admin_formsets"]
    assert list(inline.formset.queryset) == [link]
    assert "Trần Hoàng" in response.text


def mou_change_form(mou, **inline):
    data = {
        "title": mou.title,
        "agency": mou.agency_id,
        "partner": mou.partner_id,
        "signed": "on",
        "starts_on": mou.starts_on.isoformat(),
        "ends_on": mou.ends_on.isoformat(),
        "notice_period_days": mou.notice_period_days,
        "people_links-TOTAL_FORMS": "1",
        "people_links-INITIAL_FORMS": "0",
    }
    return data | {f"people_links-0-{name}": value for name, value in inline.items()}


def test_people_are_added_to_an_mou_in_its_form(admin_client, tran_hoang):
    mou = MouFactory()
    response = admin_client.post(
        reverse("admin:partners_mou_change", args=[mou.pk]),
        mou_change_form(mou, person=tran_hoang.pk, role="signatory", side="agency"),
    )
    assert response.status_code == 302
    link = mou.people_links.get()
    assert (link.person, link.role, link.side) == (tran_hoang, "signatory", "agency")


def test_the_mou_form_refuses_another_companys_signatory(admin_client):
    mou, outsider = MouFactory(), PersonFactory()
    response = admin_client.post(
        reverse("admin:partners_mou_change", args=[mou.pk]),
        mou_change_form(mou, person=outsider.pk, role="signatory", side="partner"),
    )
    assert response.status_code == 200
    [inline] = response.context["inline_admin_formsets"]
    assert inline.formset.errors[0]["side"] == [
        f"{outsider} does not work for {mou.partner}, the partner company of this MOU."
    ]
    assert not MouPerson.objects.exists()


def test_person_page_lists_the_mous_they_are_named_in(admin_client, tran_hoang):
    link = MouPersonFactory(person=tran_hoang, side=MouSide.AGENCY, mou=MouFactory(title="Copyright MOU"))
    response = admin_client.get(reverse("admin:partners_person_change", args=[tran_hoang.pk]))
    [inline] = response.context["inline_admin_formsets"]
    assert list(inline.formset.queryset) == [link]
    assert "Copyright MOU" in response.text


def test_person_changelist_shows_the_organisation(admin_client, tran_hoang):
    tran_hoang.agency.name = "Copyright Office"
    tran_hoang.agency.save()
    response = admin_client.get(reverse("admin:partners_person_changelist"))
    assert "Copyright Office" in response.text
    assert "Director of the Copyright Office" in response.text


def test_person_changelist_filters_by_agency(admin_client, tran_hoang, namesakes):
    response = admin_client.get(
        reverse("admin:partners_person_changelist"), {"agency__id__exact": tran_hoang.agency_id}
    )
    assert listed(response) == [tran_hoang]


# What a partner sees


@pytest.fixture
def people():
    """SChannel's and Vitamin's MOUs with the ministry and their people.

    ``minister`` signed both MOUs and was present at Vitamin's signing; ``bystander`` is at the same
    ministry but in no SChannel MOU;
    ``moved`` is Vitamin's now, but still named (past validation) as a contact of SChannel's MOU.
    """
    p = type("People", (), {})()
    p.schannel = PartnerCompanyFactory(slug="schannel")
    p.vitamin = PartnerCompanyFactory(slug="vitamin")
    ministry, province = AgencyFactory(), AgencyFactory()
    p.mou_s = MouFactory(partner=p.schannel, agency=ministry, title="SChannel MOU")
    p.mou_v = MouFactory(partner=p.vitamin, agency=ministry, title="Vitamin MOU")
    p.own = PersonFactory(partner=p.schannel, email="own@schannel.test", phone="+84 28 1111 2222")
    p.minister = official(ministry, email="minister@ministry.test", phone="+84 24 3943 6795")
    p.bystander = official(ministry, email="bystander@ministry.test")
    p.theirs = PersonFactory(partner=p.vitamin, email="theirs@vitamin.test")
    p.their_official = official(province, email="official@province.test")
    p.moved = PersonFactory(partner=p.vitamin, email="moved@vitamin.test")
    p.own_link = MouPersonFactory(mou=p.mou_s, person=p.own)
    p.minister_link_s = MouPersonFactory(mou=p.mou_s, person=p.minister, side=MouSide.AGENCY)
    p.minister_link_v = MouPersonFactory(mou=p.mou_v, person=p.minister, side=MouSide.AGENCY)
    MouPersonFactory(mou=p.mou_v, person=p.minister, role=MouPersonRole.PRESENT, side=MouSide.AGENCY)
    MouPersonFactory(mou=p.mou_v, person=p.theirs)
    MouPersonFactory(mou=p.mou_v, person=p.their_official, side=MouSide.AGENCY)
    MouPerson.objects.create(mou=p.mou_s, person=p.moved, role=MouPersonRole.CONTACT, side=MouSide.PARTNER)
    return p


@pytest.fixture(params=["partner_user", "partner_token"])
def schannel(request, people):
    if request.param == "partner_user":
        return session_client(user_with_role("schannel.user", PARTNER_USERS, partner=people.schannel))
    owner = user_with_role("token.owner", MINISTRY_ADMINISTRATORS)
    return token_client(owner, read_only=True, partner=people.schannel)[0]


def test_a_partner_sees_its_own_people_and_the_agency_people_of_its_mous(schannel, people):
    assert ids(schannel.get("/api/v1/people/")) == {people.own.pk, people.minister.pk}
    for hidden in (people.bystander, people.theirs, people.their_official, people.moved):
        assert schannel.get(f"/api/v1/people/{hidden.pk}/").status_code == 404


def test_a_partner_sees_the_people_links_of_its_own_mous_only(schannel, people):
    assert ids(schannel.get("/api/v1/mou-people/")) == {people.own_link.pk, people.minister_link_s.pk}
    assert schannel.get(f"/api/v1/mou-people/{people.minister_link_v.pk}/").status_code == 404


def test_a_partner_filtering_by_role_learns_nothing_of_other_mous(api, schannel, people):
    assert ids(api.get("/api/v1/people/", {"role": "present"})) == {people.minister.pk}
    assert ids(schannel.get("/api/v1/people/", {"role": "present"})) == set()  # only at Vitamin's signing
    assert ids(schannel.get("/api/v1/people/", {"role": "signatory"})) == {people.own.pk, people.minister.pk}


def test_contact_details_show_only_on_the_partners_own_people(schannel, people):
    rows = {row["id"]: row for row in results(schannel.get("/api/v1/people/"))}
    assert (rows[people.own.pk]["email"], rows[people.own.pk]["phone"]) == ("own@schannel.test", "+84 28 1111 2222")
    assert not {"email", "phone", "notes"} & set(rows[people.minister.pk])
    assert rows[people.minister.pk]["name"] == people.minister.name
    detail = schannel.get(f"/api/v1/people/{people.minister.pk}/").json()
    assert not {"email", "phone"} & set(detail)
    assert schannel.get(f"/api/v1/people/{people.own.pk}/").json()["email"] == "own@schannel.test"


def test_the_ministry_sees_every_contact_detail(api, people):
    detail = api.get(f"/api/v1/people/{people.minister.pk}/").json()
    assert (detail["email"], detail["phone"]) == ("minister@ministry.test", "+84 24 3943 6795")


def changed_fields(history):
    return {change["field"] for entry in history for change in entry["changes"]}


def test_history_shows_contact_details_only_on_the_partners_own_people(api, schannel, people):
    for person in (people.minister, people.own):
        api.patch(f"/api/v1/people/{person.pk}/", {"email": f"new.{person.email}", "phone": "+84 24 0000 0000"})

    ministry_view = api.get(f"/api/v1/people/{people.minister.pk}/history/").json()
    partner_view = schannel.get(f"/api/v1/people/{people.minister.pk}/history/").json()
    own_view = schannel.get(f"/api/v1/people/{people.own.pk}/history/").json()

    assert {"email", "phone"} <= changed_fields(ministry_view)
    assert len(partner_view) == len(ministry_view)
    assert not {"email", "phone"} & changed_fields(partner_view)
    assert "minister@ministry.test" not in str(partner_view)
    assert {"email", "phone"} <= changed_fields(own_view)


@pytest.fixture
def schannel_admin(people):
    user = user_with_role("schannel.clerk", PARTNER_USERS, partner=people.schannel, is_staff=True)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def ministry_admin():
    client = Client()
    client.force_login(user_with_role("ministry.admin", MINISTRY_ADMINISTRATORS, is_staff=True))
    return client


def test_a_partner_admin_lists_its_own_people_and_the_agency_people_of_its_mous(schannel_admin, people):
    response = schannel_admin.get(reverse("admin:partners_person_changelist"))
    assert set(listed(response)) == {people.own, people.minister}
    assert schannel_admin.get(reverse("admin:partners_person_change", args=[people.theirs.pk])).status_code in (
        302,
        404,
    )


def test_the_admin_hides_contact_details_from_another_company(schannel_admin, ministry_admin, people):
    url = reverse("admin:partners_person_change", args=[people.minister.pk])
    response = schannel_admin.get(url)
    assert response.status_code == 200
    assert people.minister.name in response.text
    assert "minister@ministry.test" not in response.text
    assert "3943 6795" not in response.text

    assert "own@schannel.test" in schannel_admin.get(reverse("admin:partners_person_change", args=[people.own.pk])).text
    assert "minister@ministry.test" in ministry_admin.get(url).text


def test_the_admin_lists_only_the_partners_own_mous_under_an_official(schannel_admin, people):
    """The minister signed Vitamin's MOU too: SChannel must not learn of it from the minister's page."""
    response = schannel_admin.get(reverse("admin:partners_person_change", args=[people.minister.pk]))
    [inline] = response.context["inline_admin_formsets"]
    assert list(inline.formset.queryset) == [people.minister_link_s]
    assert "Vitamin MOU" not in response.text


def test_the_admin_lists_no_other_companys_person_under_the_partners_mou(schannel_admin, people):
    response = schannel_admin.get(reverse("admin:partners_mou_change", args=[people.mou_s.pk]))
    [inline] = response.context["inline_admin_formsets"]
    assert set(inline.formset.queryset) == {people.own_link, people.minister_link_s}
    assert people.moved.name not in response.text


def test_admin_history_hides_contact_details_from_another_company(schannel_admin, ministry_admin, people):
    minister = people.minister
    minister.email, minister.phone = "minister.office@ministry.test", "+84 24 3943 0000"
    minister.save()
    history_url = reverse("admin:partners_person_history", args=[minister.pk])
    version = minister.history.earliest("history_date").history_id
    version_url = reverse("admin:partners_person_simple_history", args=[minister.pk, version])

    for url in (history_url, version_url):
        response = schannel_admin.get(url)
        assert response.status_code == 200, url
        assert "ministry.test" not in response.text, url
        assert "3943" not in response.text, url

    assert "minister.office@ministry.test" in ministry_admin.get(history_url).text


def test_admin_history_shows_contact_details_of_the_partners_own_people(schannel_admin, people):
    people.own.email = "own.new@schannel.test"
    people.own.save()
    response = schannel_admin.get(reverse("admin:partners_person_history", args=[people.own.pk]))
    assert "own.new@schannel.test" in response.text
