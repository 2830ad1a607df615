"""kolregistry.search: a model's search_text holds its related rows' names, kept right as they change."""

import importlib

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from partners.models import Channel, Kol, Mou
from tests.factories import AgencyFactory, ChannelFactory, KolFactory, MouFactory, PartnerCompanyFactory
from tests.helpers import results

pytestmark = pytest.mark.django_db

REBUILD_MIGRATION = ("partners", "0010_search_text_related_names_and_order_indexes")


def found(api, resource, term):
    return {row["id"] for row in results(api.get(f"/api/v1/{resource}/", {"q": term}))}


def test_renaming_a_kol_finds_its_channels_by_the_new_name_only(api):
    kol = KolFactory(name="Quách Beem", name_en="")
    channel = ChannelFactory(kol=kol, display_name="Beem TV")
    kol.name = "Hoa hậu Vỉa hè"
    kol.save()
    assert found(api, "channels", "vỉa hè") == {channel.pk}
    assert found(api, "channels", "quach") == set()


def test_renaming_an_agency_or_a_partner_finds_its_channels_and_mous_by_the_new_name_only(api):
    agency = AgencyFactory(name="Sở Văn hóa", name_vi="")
    partner = PartnerCompanyFactory(short_name="Zeta Media", legal_name="Zeta Media JSC")
    channel = ChannelFactory(kol=None, agency=agency)
    mou = MouFactory(agency=agency, partner=partner)
    agency.name = "Sở Du lịch"
    agency.save()
    partner.short_name = partner.legal_name = "Omega"
    partner.save(update_fields=["short_name", "legal_name"])
    assert found(api, "channels", "du lich") == {channel.pk}
    assert found(api, "mous", "du lich omega") == {mou.pk}
    assert found(api, "channels", "van hoa") == found(api, "mous", "van hoa") == found(api, "mous", "zeta") == set()


def test_moving_or_deleting_a_channel_updates_its_kols(api):
    old, new = KolFactory(name="Old Owner", name_en=""), KolFactory(name="New Owner", name_en="")
    channel = ChannelFactory(kol=old, display_name="Bếp Nhà Mình", handle="bepnha")
    assert found(api, "kols", "bep nha") == {old.pk}
    channel.kol = new
    channel.save()
    assert found(api, "kols", "bep nha") == {new.pk}
    channel.delete()
    assert found(api, "kols", "bep nha") == set()


def test_the_migration_rebuilds_search_text_with_the_related_names():
    channel = ChannelFactory(display_name="Kênh", kol=KolFactory(name="Sơn Tùng", name_en=""))
    mou = MouFactory(agency__name="Sở Văn hóa")
    for model in (Channel, Kol, Mou):
        model.objects.update(search_text="stale")
    migration = importlib.import_module(f"{REBUILD_MIGRATION[0]}.migrations.{REBUILD_MIGRATION[1]}")
    migration.rebuild(MigrationLoader(connection).project_state(REBUILD_MIGRATION).apps, None)
    channel.refresh_from_db()
    mou.refresh_from_db()
    assert channel.search_text == "kenh " + channel.handle + " son tung"
    assert Kol.objects.get(pk=channel.kol_id).search_text == "son tung kenh " + channel.handle
    assert "so van hoa" in mou.search_text
