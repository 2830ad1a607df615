"""How the demo data treats what its sources do not state: empty when unknown, inferences with their reason,
and figures that fit no field as stated facts."""

import pytest

from campaigns.models import Campaign, StatedFact
from demo.facts import DEMO_MODELS, SOURCE_NOTE_CONTEST_ARTICLE, SOURCE_QMG_ARTICLE
from kolregistry.models import inferable_fields
from partners.choices import KolKind
from partners.models import Agency, Channel, Kol, Mou

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_data_for_module")]


def stored_inferences():
    return [
        (model, row, name, reason)
        for model in DEMO_MODELS
        for row in model.objects.all()
        for name, reason in row.inferences.items()
    ]


def test_every_stored_inference_names_a_real_field_and_gives_its_reason():
    inferences = stored_inferences()

    assert len(inferences) > 40
    for model, row, name, reason in inferences:
        assert name in inferable_fields(model), f"{model.__name__} {row}: {name}"
        assert isinstance(reason, str) and len(reason.strip()) > 10, f"{model.__name__} {row}: {name}"
        row.full_clean()  # the model's own rule agrees


def test_inferences_are_stored_where_the_articles_leave_values_open():
    halong = Channel.objects.get(display_name="QMG-Halong News")
    qmg = Agency.objects.get(acronym="QMG")
    schannel_mou = Mou.objects.get(partner__slug="schannel")

    assert halong.inferences == {"platform": "“other”: the platform is not stated"}
    assert set(qmg.inferences) == {"parent"}
    assert set(schannel_mou.inferences) == {"title"}  # its dates are as the article states them
    assert set(Campaign.objects.get(slug="ban-sac-viet").inferences) == {"organisers", "partners", "mou", "name_vi"}


def test_the_api_shows_a_records_inferences(api):
    halong = Channel.objects.get(display_name="QMG-Halong News")

    body = api.get(f"/api/v1/channels/{halong.pk}/").json()

    assert body["inferences"] == {"platform": "“other”: the platform is not stated"}
    assert body["platform"] == "other"


def test_values_no_source_states_are_empty_not_inferred():
    kols = Kol.objects.filter(mous__partner__slug="vitamin")

    assert kols.count() == 9
    # Named after channels: who is behind them, person or not, and where they are from is not stated.
    assert set(kols.values_list("kind", flat=True)) == {KolKind.UNKNOWN}
    assert set(kols.values_list("nationality", flat=True)) == {""}
    assert all("kind" not in kol.inferences and "nationality" not in kol.inferences for kol in kols)
    for slug in ("happy-vietnam", "dien-bien-phu-70th-anniversary"):
        campaign = Campaign.objects.get(slug=slug)
        assert not campaign.organisers.exists()
        assert "“the agency”" in campaign.notes
        assert "organisers" not in campaign.inferences
    assert "Vitamin" not in Mou.objects.get(partner__slug="vitamin").scope


def test_names_no_source_gives_in_english_are_the_vietnamese_ones():
    contest = Campaign.objects.get(slug="thoi-khac-kho-quen")
    magazine = Agency.objects.get(slug="labor-and-trade-union-magazine")
    union = Agency.objects.get(slug="vietnam-health-trade-union")

    assert contest.name == contest.name_vi == "Thời khắc khó quên"
    assert magazine.name == magazine.name_vi == "Tạp chí Lao động và Công đoàn"
    assert union.name == union.name_vi == "Công đoàn Y tế Việt Nam"
    assert not {"name"} & {*contest.inferences, *magazine.inferences, *union.inferences}


def test_figures_that_fit_no_field_are_stated_facts_with_their_source():
    facts = {fact.measure: fact for fact in StatedFact.objects.select_related("campaign", "channel", "partner")}

    livestream = facts["concurrent viewers of the livestream"]
    assert (livestream.campaign.slug, livestream.value, livestream.approximate, livestream.as_stated) == (
        "qmg-60th-anniversary-livestream",
        11_000,
        True,
        "nearly 11,000",
    )
    assert livestream.source_url == SOURCE_QMG_ARTICLE
    entries = facts["contest entries received"]
    assert (entries.campaign.slug, entries.value, entries.approximate, entries.as_stated) == (
        "thoi-khac-kho-quen",
        None,
        True,
        "hàng trăm",
    )
    users = facts["monthly users of the TikTok social network"]
    assert (users.partner.slug, users.value, users.as_stated) == ("tiktok-vietnam", 1_000_000_000, "1 tỷ")
    assert set(users.inferences) == {"partner"}
    assert entries.source_note == users.source_note == SOURCE_NOTE_CONTEST_ARTICLE
    since = facts["year from which QMG owns the channel"]
    assert (since.channel.display_name, since.value, since.as_stated, since.stated_on.isoformat()) == (
        "QMG - Quang Ninh News",
        None,
        "Since 2021",
        "2021",
    )
