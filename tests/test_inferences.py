"""Inferences on every record: field -> reason, validated, in the API and readable in the admin."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import PartnerAccount
from accounts.roles import PARTNER_USERS
from kolregistry.models import SourcedModel, inferable_fields
from tests.accounts.conftest import user_with_role
from tests.campaigns import api_cases as campaigns_cases
from tests.factories import CampaignFactory, KolFactory, MouFactory, RosterMembershipFactory
from tests.partners import api_cases as partners_cases

pytestmark = pytest.mark.django_db

RESOURCES = {**partners_cases.RESOURCES, **campaigns_cases.RESOURCES}
REASON = "Our classification: the article does not say."


def test_every_resource_model_has_inferences():
    for model, _factory, _case in RESOURCES.values():
        assert issubclass(model, SourcedModel), model


# The rule, on the model


def inference_errors(obj):
    with pytest.raises(ValidationError) as error:
        obj.full_clean()
    return error.value.message_dict


def test_a_valid_inference_passes_and_many_to_many_fields_count():
    campaign = CampaignFactory.build(inferences={"organisers": "The article presents it as following from the MOU."})
    campaign.full_clean()
    kol = KolFactory.build(inferences={"kind": REASON, "name_en": "Taken from the channel's name."})
    kol.full_clean()


@pytest.mark.parametrize(
    ("inferences", "message"),
    [
        ({"colour": REASON}, "“colour” is not a field of this record that can be inferred"),
        ({"kind": "  "}, "Give the reason why the value of “kind” is an inference."),
        ({"kind": 3}, "Give the reason why the value of “kind” is an inference."),
        ({"notes": REASON}, "“notes” is not a field of this record that can be inferred"),
        ({"id": REASON}, "“id” is not a field of this record that can be inferred"),
        ({"inferences": REASON}, "“inferences” is not a field"),
        (["kind"], "Give the inferences as field names, each with its reason."),
    ],
    ids=["unknown field", "blank reason", "no text", "internal notes", "id", "itself", "not a mapping"],
)
def test_clean_refuses_bad_inferences_on_the_field(inferences, message):
    errors = inference_errors(KolFactory.build(inferences=inferences))

    assert set(errors) == {"inferences"}
    assert message in errors["inferences"][0]


def test_the_fields_that_can_be_inferred_are_the_editable_ones():
    names = set(inferable_fields(KolFactory._meta.model))

    assert {"name", "name_en", "kind", "nationality", "slug", "source_url"} <= names
    assert not {"id", "notes", "inferences", "search_text", "created_at"} & names


# The API: a read/write object on every resource


@pytest.mark.parametrize("resource", RESOURCES)
def test_every_resource_reads_and_writes_inferences(api, resource):
    _model, factory, case = RESOURCES[resource]
    obj = factory()
    url = f"/api/v1/{resource}/{obj.pk}/"
    assert api.get(url).json()["inferences"] == {}
    payload, _patch, _invalid, _field = case()
    field = next(name for name in payload if name in inferable_fields(type(obj)))

    response = api.patch(url, {"inferences": {field: REASON}}, format="json")

    assert response.status_code == 200, response.content
    assert api.get(url).json()["inferences"] == {field: REASON}
    obj.refresh_from_db()
    assert obj.inferences == {field: REASON}


@pytest.mark.parametrize(
    ("inferences", "message"),
    [
        ({"colour": REASON}, "“colour” is not a field"),
        ({"kind": ""}, "Give the reason why"),
        ({"kind": ["a", "b"]}, "Give an object mapping field names to reasons"),
        ("kind: ours", "Give an object mapping field names to reasons"),
    ],
    ids=["unknown field", "blank reason", "list reason", "text"],
)
def test_api_refuses_bad_inferences_with_a_400_on_the_field(api, inferences, message):
    kol = KolFactory()

    response = api.patch(f"/api/v1/kols/{kol.pk}/", {"inferences": inferences}, format="json")

    assert response.status_code == 400
    assert isinstance(response.json()["inferences"], list)
    assert message in response.json()["inferences"][0]
    kol.refresh_from_db()
    assert kol.inferences == {}


def test_partners_read_inferences_they_are_not_internal():
    membership = RosterMembershipFactory()
    channel = membership.channel
    channel.inferences = {"platform": "The article does not name the platform."}
    channel.notes = "internal"
    channel.save()
    user = user_with_role("partner.reader", PARTNER_USERS)
    PartnerAccount.objects.create(user=user, partner=membership.partner)
    client = APIClient()
    client.force_authenticate(user)

    body = client.get(f"/api/v1/channels/{channel.pk}/").json()

    assert body["inferences"] == {"platform": "The article does not name the platform."}
    assert "notes" not in body


def test_the_schema_documents_inferences_as_an_object_of_strings(staff_user):
    client = APIClient()
    client.force_authenticate(staff_user)
    components = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()["components"]

    documented = [
        name for name, schema in components["schemas"].items() if "inferences" in schema.get("properties", {})
    ]
    for name in documented:
        inferences = components["schemas"][name]["properties"]["inferences"]
        assert inferences["type"] == "object", name
        assert inferences["additionalProperties"] == {"type": "string"}, name
        assert not inferences.get("readOnly"), name
    assert {"Channel", "Kol", "Campaign", "StatedFact", "PatchedMouRequest", "CampaignReportRequest"} <= set(documented)


# The admin: readable, marked, editable as "field: reason" lines


def kol_change_url(kol):
    return reverse("admin:partners_kol_change", args=[kol.pk])


def test_the_change_page_lists_inferences_readably_and_marks_the_fields(admin_client):
    kol = KolFactory(inferences={"kind": REASON, "name_en": "Taken from the <b>channel</b>'s name."})

    page = admin_client.get(kol_change_url(kol)).text

    assert f"<li>Kind — {REASON}</li>" in page
    assert "<li>Name (English / unaccented) — Taken from the &lt;b&gt;channel&lt;/b&gt;&#x27;s name.</li>" in page
    assert page.count("Inferred, not stated by the source:") == 2  # beside each inferred field
    assert '{"kind"' not in page and "{&quot;kind&quot;" not in page
    assert f"kind: {REASON}" in page  # the editable text, one "field: reason" per line


def test_a_record_without_inferences_says_so(admin_client):
    page = admin_client.get(kol_change_url(KolFactory())).text

    assert "None: every value is as the source states it" in page
    assert "Inferred, not stated by the source:" not in page


def kol_form(kol, inferences):
    return {
        "name": kol.name,
        "name_en": kol.name_en,
        "kind": kol.kind,
        "nationality": "",
        "slug": kol.slug,
        "source_url": "",
        "inferences": inferences,
        "channels-TOTAL_FORMS": "0",
        "channels-INITIAL_FORMS": "0",
    }


def test_inferences_are_edited_as_lines_naming_the_field_or_its_label(admin_client):
    kol = KolFactory()

    response = admin_client.post(
        kol_change_url(kol), kol_form(kol, f"kind: {REASON}\n\nNationality: From “Lao Girl”: a guess.")
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    kol.refresh_from_db()
    assert kol.inferences == {"kind": REASON, "nationality": "From “Lao Girl”: a guess."}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("colour: a guess", "“colour” is not a field of this record that can be inferred"),
        ("kind", "Write one inference per line, as “field: reason”"),
        ("kind:", "Give the reason why the value of “kind” is an inference."),
        ("kind: one\nKind: two", "“kind” is given twice."),
    ],
    ids=["unknown field", "no colon", "no reason", "twice"],
)
def test_bad_inference_lines_are_a_form_error_on_the_field(admin_client, text, message):
    kol = KolFactory()

    response = admin_client.post(kol_change_url(kol), kol_form(kol, text))

    assert response.status_code == 200
    assert message in str(response.context["adminform"].form.errors["inferences"])
    kol.refresh_from_db()
    assert kol.inferences == {}


def test_a_read_only_viewer_sees_the_list_but_never_the_stored_json(client):
    membership = RosterMembershipFactory()
    channel = membership.channel
    channel.inferences = {"platform": "The article does not name the platform."}
    channel.save()
    user = user_with_role("partner.viewer", PARTNER_USERS, is_staff=True)
    PartnerAccount.objects.create(user=user, partner=membership.partner)
    client.force_login(user)

    page = client.get(reverse("admin:partners_channel_change", args=[channel.pk])).text

    assert "<li>Platform — The article does not name the platform.</li>" in page
    assert "Inferred, not stated by the source:" in page
    assert '{"platform"' not in page and "{&quot;platform&quot;" not in page
    assert 'name="inferences"' not in page


def test_the_history_shows_changed_inferences_readably(admin_client):
    mou = MouFactory()
    mou.inferences = {"starts_on": "Only the year is given."}
    mou.save()

    page = admin_client.get(reverse("admin:partners_mou_history", args=[mou.pk])).text

    assert "Starts on — Only the year is given." in page
    assert "{&#x27;starts_on&#x27;" not in page and "{'starts_on'" not in page
