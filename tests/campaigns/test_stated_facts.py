"""Stated facts: one subject, a figure or the source's wording, a source; scoped, filtered, in the admin."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import PartnerAccount
from accounts.roles import PARTNER_USERS
from campaigns.admin import STATED_FACTS_SHOWN
from campaigns.models import StatedFact
from tests.accounts.conftest import user_with_role
from tests.factories import (
    AgencyFactory,
    CampaignFactory,
    ChannelFactory,
    KolFactory,
    MouFactory,
    PartnerCompanyFactory,
    RosterMembershipFactory,
    StatedFactFactory,
)
from tests.helpers import assert_changelist_shows, listed, results

pytestmark = pytest.mark.django_db

SOURCE = "https://baoquangninh.vn/bao-chi-truyen-thong-tren-mang-xa-hoi-dinh-huong-nhanh-nhay-lan-toa-3360233.html"


def unchecked(**values):
    """A fact written straight to the database, past ``clean()``."""
    fields = {"measure": "monthly users", "value": 1_000_000_000, "source_url": SOURCE, **values}
    with transaction.atomic():
        return StatedFact.objects.create(**fields)


# The database constraints


def test_a_fact_about_nothing_is_refused_by_the_database():
    with pytest.raises(IntegrityError, match="stated_fact_exactly_one_subject"):
        unchecked()


def test_a_fact_about_two_records_is_refused_by_the_database():
    with pytest.raises(IntegrityError, match="stated_fact_exactly_one_subject"):
        unchecked(campaign=CampaignFactory(), channel=ChannelFactory())


def test_a_fact_without_value_or_wording_is_refused_by_the_database():
    with pytest.raises(IntegrityError, match="stated_fact_has_value_or_wording"):
        unchecked(campaign=CampaignFactory(), value=None, as_stated="")


def test_a_fact_without_a_source_is_refused_by_the_database():
    with pytest.raises(IntegrityError, match="stated_fact_has_source"):
        unchecked(campaign=CampaignFactory(), source_url="", source_note="")


def test_each_subject_alone_is_accepted():
    subjects = {
        "agency": AgencyFactory(),
        "partner": PartnerCompanyFactory(),
        "kol": KolFactory(),
        "channel": ChannelFactory(),
        "mou": MouFactory(),
        "campaign": CampaignFactory(),
    }
    for name, subject in subjects.items():
        fact = unchecked(**{name: subject})
        assert (fact.subject, fact.subject_field) == (subject, name)


def test_a_number_or_only_the_wording_is_enough():
    unchecked(campaign=CampaignFactory(), value=None, as_stated="hàng trăm", approximate=True)
    unchecked(campaign=CampaignFactory(), value=11_000, as_stated="")
    unchecked(campaign=CampaignFactory(), source_url="", source_note="Tạp chí Lao động và Công đoàn")

    assert StatedFact.objects.count() == 3


# clean(): the same rules, keyed by field


def errors_of(fact):
    with pytest.raises(ValidationError) as error:
        fact.full_clean()
    return error.value.message_dict


def test_clean_asks_for_a_subject_on_the_first_subject_field():
    errors = errors_of(StatedFactFactory.build(campaign=None))

    assert "Choose what the fact is about" in errors["agency"][0]


def test_clean_names_the_second_subject_of_a_fact_about_two():
    errors = errors_of(StatedFactFactory.build(channel=ChannelFactory(), campaign=CampaignFactory()))

    assert set(errors) == {"campaign"}
    assert "channel" in errors["campaign"][0]


def test_clean_asks_for_the_wording_when_there_is_no_number():
    errors = errors_of(StatedFactFactory.build(campaign=CampaignFactory(), value=None, as_stated=""))

    assert errors == {"as_stated": ["Give the figure, or the source's wording when it gives no number."]}


def test_clean_asks_for_a_source():
    errors = errors_of(StatedFactFactory.build(campaign=CampaignFactory(), source_url="", source_note=""))

    assert errors == {"source_url": ["Give the source of the fact: a URL or a description."]}


def test_the_figure_reads_as_the_source_gives_it():
    assert StatedFactFactory.build(value=11_000, as_stated="nearly 11,000").figure_text() == "11,000 (“nearly 11,000”)"
    assert StatedFactFactory.build(value=None, as_stated="hàng trăm").figure_text() == "“hàng trăm”"
    assert StatedFactFactory.build(value=11_000, as_stated="", approximate=True).figure_text() == "≈ 11,000"


def test_a_subject_with_facts_cannot_be_deleted_until_they_are(api):
    fact = StatedFactFactory()

    response = api.delete(f"/api/v1/campaigns/{fact.campaign_id}/")

    assert response.status_code == 409
    assert "1 stated fact" in response.json()["detail"]


# The API


def test_api_creates_a_fact_without_a_number(api):
    campaign = CampaignFactory()
    response = api.post(
        "/api/v1/stated-facts/",
        {
            "campaign": campaign.pk,
            "measure": "contest entries",
            "as_stated": "hàng trăm",
            "approximate": True,
            "source_note": "Tạp chí Lao động và Công đoàn",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["value"], body["as_stated"], body["campaign"]["slug"]) == (None, "hàng trăm", campaign.slug)
    assert body["channel"] is None
    assert body["inferences"] == {}


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({}, "agency"),
        ({"channel": "channel", "campaign": "campaign"}, "campaign"),
        ({"campaign": "campaign", "value": None, "as_stated": ""}, "as_stated"),
        ({"campaign": "campaign", "source_url": ""}, "source_url"),
    ],
    ids=["no subject", "two subjects", "no figure", "no source"],
)
def test_api_refuses_what_the_constraints_refuse_with_a_400_on_the_field(api, values, field):
    subjects = {"channel": ChannelFactory().pk, "campaign": CampaignFactory().pk}
    payload = {"measure": "monthly users", "value": 1_000_000_000, "source_url": SOURCE}
    payload.update({name: subjects.get(value, value) for name, value in values.items()})

    response = api.post("/api/v1/stated-facts/", payload, format="json")

    assert response.status_code == 400
    assert response.json()[field][0]
    assert not StatedFact.objects.exists()


def test_api_patch_cannot_add_a_second_subject(api):
    fact = StatedFactFactory()

    response = api.patch(f"/api/v1/stated-facts/{fact.pk}/", {"channel": ChannelFactory().pk}, format="json")

    assert response.status_code == 400
    assert "keep channel or campaign" in response.json()["campaign"][0]
    fact.refresh_from_db()
    assert fact.channel_id is None


@pytest.fixture
def facts():
    kol = KolFactory(slug="quach-beem")
    channel = ChannelFactory(kol=kol)
    campaign = CampaignFactory(slug="thoi-khac-kho-quen")
    partner = PartnerCompanyFactory(slug="tiktok-vietnam")
    agency = AgencyFactory(slug="qmg")
    mou = MouFactory()
    return {
        "channel": StatedFactFactory(campaign=None, channel=channel, measure="year the channel started"),
        "campaign": StatedFactFactory(campaign=campaign, measure="contest entries", value=None, as_stated="hàng trăm"),
        "partner": StatedFactFactory(campaign=None, partner=partner, measure="monthly users"),
        "kol": StatedFactFactory(campaign=None, kol=kol, measure="lượt xem trung bình"),
        "agency": StatedFactFactory(campaign=None, agency=agency, measure="staff"),
        "mou": StatedFactFactory(campaign=None, mou=mou, measure="KOLs named", stated_on=datetime.date(2024, 5, 1)),
    }


def listed_ids(api, **params):
    return {row["id"] for row in results(api.get("/api/v1/stated-facts/", params))}


def test_api_filters_by_each_subject_by_slug_and_id(api, facts):
    for name, fact in facts.items():
        subject = fact.subject
        assert listed_ids(api, **{f"{name}_id": subject.pk}) == {fact.pk}, name
        if hasattr(type(subject), "slug") and name in {"agency", "partner", "kol", "campaign"}:
            assert listed_ids(api, **{name: subject.slug}) == {fact.pk}, name
    assert listed_ids(api, channel=facts["channel"].channel_id) == {facts["channel"].pk}
    assert listed_ids(api, mou=facts["mou"].mou_id) == {facts["mou"].pk}


def test_api_filters_by_measure_dates_and_search(api, facts):
    assert listed_ids(api, measure="ENTRIES") == {facts["campaign"].pk}
    assert listed_ids(api, stated_after="2024-01-01") == {facts["mou"].pk}
    assert listed_ids(api, stated_before="2024-01-01") == set()
    # q folds accents, and also matches the names of what the fact is about.
    assert listed_ids(api, q="luot xem") == {facts["kol"].pk}
    assert listed_ids(api, q="hang tram") == {facts["campaign"].pk}
    assert listed_ids(api, q=facts["channel"].channel.display_name) == {facts["channel"].pk}


@pytest.mark.parametrize("query", ["campaign=no-such-campaign", "channel_id=x", "kol=nobody", "stated_after=soon"])
def test_api_refuses_invalid_filters(api, facts, query):
    response = api.get(f"/api/v1/stated-facts/?{query}")

    assert response.status_code == 400
    assert response.json()[query.split("=")[0]][0]


# Scoping: a partner sees the facts about what it sees


@pytest.fixture
def partner_world():
    ours, theirs = PartnerCompanyFactory(slug="schannel"), PartnerCompanyFactory(slug="vitamin")
    our_channel, their_channel = ChannelFactory(), ChannelFactory()
    RosterMembershipFactory(partner=ours, channel=our_channel)
    RosterMembershipFactory(partner=theirs, channel=their_channel)
    our_campaign, their_campaign = CampaignFactory(), CampaignFactory()
    our_campaign.partners.add(ours)
    their_campaign.partners.add(theirs)
    user = user_with_role("schannel.facts", PARTNER_USERS, is_staff=True)
    PartnerAccount.objects.create(user=user, partner=ours)
    return {
        "user": user,
        "visible": {
            StatedFactFactory(campaign=our_campaign).pk,
            StatedFactFactory(campaign=None, channel=our_channel).pk,
            StatedFactFactory(campaign=None, partner=ours).pk,
        },
        "hidden": {
            StatedFactFactory(campaign=their_campaign).pk,
            StatedFactFactory(campaign=None, channel=their_channel).pk,
            StatedFactFactory(campaign=None, partner=theirs).pk,
            StatedFactFactory(campaign=None, agency=AgencyFactory()).pk,
        },
        "their_channel": their_channel,
    }


def test_a_partner_sees_facts_about_its_own_campaigns_and_channels_only(partner_world):
    client = APIClient()
    client.force_authenticate(partner_world["user"])

    assert {row["id"] for row in results(client.get("/api/v1/stated-facts/"))} == partner_world["visible"]
    for pk in partner_world["hidden"]:
        assert client.get(f"/api/v1/stated-facts/{pk}/").status_code == 404
    # Filtering by another partner's channel is refused like a channel that does not exist.
    assert client.get("/api/v1/stated-facts/", {"channel_id": partner_world["their_channel"].pk}).status_code == 400


def test_a_partner_cannot_write_facts(partner_world):
    client = APIClient()
    client.force_authenticate(partner_world["user"])
    pk = min(partner_world["visible"])

    assert client.patch(f"/api/v1/stated-facts/{pk}/", {"measure": "changed"}, format="json").status_code == 403
    assert client.delete(f"/api/v1/stated-facts/{pk}/").status_code == 403


def test_a_partner_sees_the_facts_in_the_admin_list_only_for_its_records(client, partner_world):
    client.force_login(partner_world["user"])

    response = client.get(reverse("admin:campaigns_statedfact_changelist"))

    assert {fact.pk for fact in listed(response)} == partner_world["visible"]


# The admin


def make_facts(n):
    campaign, channel = CampaignFactory(), ChannelFactory()
    for number in range(n):
        StatedFactFactory(**({"campaign": campaign} if number % 2 else {"campaign": None, "channel": channel}))


@pytest.mark.parametrize("rows", [2, 25])
def test_changelist_runs_a_bounded_number_of_queries(admin_client, django_assert_max_num_queries, rows):
    make_facts(rows)
    assert_changelist_shows(
        admin_client, django_assert_max_num_queries, reverse("admin:campaigns_statedfact_changelist"), rows, 9
    )


def test_changelist_shows_subject_figure_and_source(admin_client):
    fact = StatedFactFactory(campaign=CampaignFactory(name="Livestream of the 60th anniversary"))

    response = admin_client.get(reverse("admin:campaigns_statedfact_changelist"))

    assert "Campaign: Livestream of the 60th anniversary" in response.text
    assert "11,000 (“nearly 11,000”)" in response.text
    assert f'href="{fact.source_url}"' in response.text


def test_changelist_filters_by_kind_of_subject_and_searches_without_accents(admin_client):
    about_channel = StatedFactFactory(campaign=None, channel=ChannelFactory(), measure="lượt xem")
    StatedFactFactory(measure="monthly users")
    url = reverse("admin:campaigns_statedfact_changelist")

    assert listed(admin_client.get(url, {"about": "channel"})) == [about_channel]
    assert listed(admin_client.get(url, {"q": "luot xem"})) == [about_channel]
    assert admin_client.get(url, {"about": "nothing"}).status_code == 302  # refused (?e=1), not ignored
    assert listed(admin_client.get(url, {"channel__id__exact": about_channel.channel_id})) == [about_channel]


def test_add_page_refuses_two_subjects_on_the_field(admin_client):
    data = {
        "channel": ChannelFactory().pk,
        "campaign": CampaignFactory().pk,
        "measure": "monthly users",
        "value": "1000",
        "source_url": SOURCE,
    }

    response = admin_client.post(reverse("admin:campaigns_statedfact_add"), data)

    assert response.status_code == 200
    assert "A stated fact is about one record only" in response.text
    assert not StatedFact.objects.exists()


@pytest.mark.parametrize("subject", ["campaign", "channel", "agency", "partner", "kol", "mou"])
def test_a_subjects_change_page_lists_its_latest_facts_and_links_to_all(admin_client, subject):
    record = {
        "campaign": CampaignFactory,
        "channel": ChannelFactory,
        "agency": AgencyFactory,
        "partner": PartnerCompanyFactory,
        "kol": KolFactory,
        "mou": MouFactory,
    }[subject]()
    extra = {"campaign": None} if subject != "campaign" else {}
    facts = [StatedFactFactory(**{subject: record, **extra}, measure=f"measure {n:02}") for n in range(12)]
    opts = type(record)._meta

    response = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk]))

    assert response.status_code == 200
    shown = [fact for fact in facts if reverse("admin:campaigns_statedfact_change", args=[fact.pk]) in response.text]
    assert len(shown) == STATED_FACTS_SHOWN
    changelist = reverse("admin:campaigns_statedfact_changelist")
    assert f"{changelist}?{subject}__id__exact={record.pk}" in response.text
    assert "All stated facts about this record (12)" in response.text


def test_a_change_page_without_facts_says_so(admin_client):
    channel = ChannelFactory()

    response = admin_client.get(reverse("admin:partners_channel_change", args=[channel.pk]))

    assert "None recorded." in response.text
    assert f"{reverse('admin:campaigns_statedfact_changelist')}?channel__id__exact" not in response.text
