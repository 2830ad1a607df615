"""The partial-dates migration keeps every existing date exactly, at day precision."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("partners", "0003_protect_metrics_and_renewed_mous"), ("campaigns", "0003_protect_campaign_facts")]
AFTER = [("partners", "0004_partial_dates"), ("campaigns", "0004_partial_dates")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_latest():
    yield
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_latest")
def test_day_precise_rows_keep_their_dates_and_facts():
    old = migrate(BEFORE)
    agency = old.get_model("partners", "Agency").objects.create(name="Center", kind="center", slug="cpic")
    partner = old.get_model("partners", "PartnerCompany").objects.create(
        legal_name="SChannel JSC", short_name="SChannel", kind="creator_network", slug="schannel"
    )
    mou_model = old.get_model("partners", "Mou")
    dated = mou_model.objects.create(
        title="SChannel MOU",
        agency=agency,
        partner=partner,
        signed_on=datetime.date(2024, 5, 17),
        starts_on=datetime.date(2024, 1, 1),
        ends_on=datetime.date(2027, 12, 31),
    )
    undated = mou_model.objects.create(title="Undated MOU", agency=agency, partner=partner)
    campaign = old.get_model("campaigns", "Campaign").objects.create(
        name="Towards the National Flag", slug="flag", starts_on=datetime.date(2024, 8, 1)
    )
    report_model = old.get_model("campaigns", "CampaignReport")
    tiktok = report_model.objects.create(
        campaign=campaign, platform="tiktok", reported_on=datetime.date(2024, 9, 2), views=800_000_000, source_note="x"
    )
    combined = report_model.objects.create(
        campaign=campaign, platform="", profile_frame_changes=200_000, source_note="x"
    )

    new = migrate(AFTER)
    mou_model = new.get_model("partners", "Mou")
    dated, undated = mou_model.objects.get(pk=dated.pk), mou_model.objects.get(pk=undated.pk)
    assert (dated.signed_on, dated.starts_on, dated.ends_on) == (
        datetime.date(2024, 5, 17),
        datetime.date(2024, 1, 1),
        datetime.date(2027, 12, 31),
    )
    assert (dated.signed_on_precision, dated.starts_on_precision, dated.ends_on_precision) == ("day", "day", "day")
    assert dated.ends_on_last == datetime.date(2027, 12, 31)
    assert dated.signed is True  # it counted as in force before, so it stays so
    assert undated.signed is False
    campaign = new.get_model("campaigns", "Campaign").objects.get(pk=campaign.pk)
    assert (campaign.starts_on, campaign.starts_on_precision) == (datetime.date(2024, 8, 1), "day")
    reports = new.get_model("campaigns", "CampaignReport").objects
    assert reports.get(pk=tiktok.pk).platforms == ["tiktok"]
    assert reports.get(pk=tiktok.pk).reported_on == datetime.date(2024, 9, 2)
    assert reports.get(pk=combined.pk).platforms == []

    old = migrate(BEFORE)  # and back: a single platform survives the round trip
    assert old.get_model("campaigns", "CampaignReport").objects.get(pk=tiktok.pk).platform == "tiktok"
