"""The admin as a partner user's UI: their own data only, read-only, internal fields hidden.

Also the history guards and restoring a deleted MOU from its history.
"""

import pytest
from django.test import Client
from django.urls import reverse

from partners.models import ChannelMetric, Mou

pytestmark = pytest.mark.django_db


@pytest.fixture
def schannel_admin(client, schannel_user):
    schannel_user.is_staff = True
    schannel_user.save()
    client.force_login(schannel_user)
    return client


@pytest.fixture
def superuser_client(client, superuser):
    client.force_login(superuser)
    return client


def test_partner_user_sees_only_own_assignments(schannel_admin, world):
    response = schannel_admin.get(reverse("admin:campaigns_assignment_changelist"))
    assert response.status_code == 200
    shown = set(response.context["cl"].result_list)
    assert shown == {world.assignment_s}


def test_partner_user_sees_only_own_mous(schannel_admin, world):
    response = schannel_admin.get(reverse("admin:partners_mou_changelist"))
    assert set(response.context["cl"].result_list) == {world.mou_s}
    assert world.mou_v.title not in response.content.decode()


def test_partner_user_cannot_open_another_partners_mou(schannel_admin, world):
    for name in ("admin:partners_mou_change", "admin:partners_mou_history"):
        response = schannel_admin.get(reverse(name, args=[world.mou_v.pk]))
        assert response.status_code in (302, 404)
        assert world.mou_v.title not in response.content.decode()


def test_partner_user_does_not_see_internal_notes(schannel_admin, client, world, administrator):
    url = reverse("admin:partners_mou_change", args=[world.mou_s.pk])
    response = schannel_admin.get(url)
    assert response.status_code == 200
    assert "renegotiate" not in response.content.decode()

    client.force_login(administrator)
    assert "renegotiate" in client.get(url).content.decode()


def test_partner_user_cannot_change_an_mou(schannel_admin, world):
    url = reverse("admin:partners_mou_change", args=[world.mou_s.pk])
    response = schannel_admin.post(url, {"title": "Renamed"})
    assert response.status_code == 403
    world.mou_s.refresh_from_db()
    assert world.mou_s.title != "Renamed"


def metric_form(channel):
    return {"channel": channel.pk, "measured_on": "2025-02-01", "followers": "1234", "source_note": "partner report"}


def test_partner_user_adds_a_metric_for_own_channel(schannel_admin, world):
    response = schannel_admin.post(reverse("admin:partners_channelmetric_add"), metric_form(world.channel_s))
    assert response.status_code == 302
    assert ChannelMetric.objects.filter(channel=world.channel_s, followers=1234).exists()


def test_partner_user_cannot_add_a_metric_for_another_partners_channel(schannel_admin, world):
    response = schannel_admin.post(reverse("admin:partners_channelmetric_add"), metric_form(world.channel_v))
    assert response.status_code == 200
    assert "channel" in response.context["adminform"].form.errors
    assert not ChannelMetric.objects.filter(followers=1234).exists()


def test_deleted_mou_history_is_hidden_from_partner_users(schannel_admin, world):
    pk = world.mou_s.pk
    world.mou_s.people_links.all().delete()  # the people named in it are protected facts: they go first
    world.mou_s.delete()
    assert schannel_admin.get(reverse("admin:partners_mou_history", args=[pk])).status_code == 404
    assert schannel_admin.get(reverse("admin:partners_mou_deleted")).status_code == 403


def test_viewing_history_does_not_allow_reverting(client, staff, world):
    """Staff may change MOUs but a view-only user may not POST a revert (simple-history does not check)."""
    from tests.accounts.conftest import user_with_role

    viewer = user_with_role("viewer", is_staff=True)
    viewer.user_permissions.add(*_perms("view_mou", "view_historicalmou"))
    client.force_login(viewer)
    record = world.mou_s.history.earliest()
    url = reverse("admin:partners_mou_simple_history", args=[world.mou_s.pk, record.history_id])
    assert client.post(url, {"title": "Reverted"}).status_code in (403, 404)
    world.mou_s.refresh_from_db()
    assert world.mou_s.title != "Reverted"


def _perms(*codenames):
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(codename__in=codenames)


def test_deleted_mou_is_restored_from_its_history(superuser_client, world):
    mou = world.mou_s
    mou.kols.add(world.channel_s.kol)
    mou.people_links.all().delete()  # the people named in it are protected facts: they go first
    pk, title = mou.pk, mou.title

    response = superuser_client.post(reverse("admin:partners_mou_delete", args=[pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Mou.objects.filter(pk=pk).exists()

    listing = superuser_client.get(reverse("admin:partners_mou_deleted"))
    assert title in listing.content.decode()

    assert superuser_client.get(reverse("admin:partners_mou_history", args=[pk])).status_code == 200
    before_delete = Mou.history.filter(id=pk).exclude(history_type="-").latest("history_date")
    form_url = reverse("admin:partners_mou_simple_history", args=[pk, before_delete.history_id])
    form = superuser_client.get(form_url).context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or name == "document":
            continue
        data[name] = [str(v) for v in value] if isinstance(value, (list, tuple)) else str(value)
    response = superuser_client.post(form_url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors

    restored = Mou.objects.get(pk=pk)
    assert restored.title == title
    assert restored.partner == world.schannel
    assert list(restored.kols.all()) == [world.channel_s.kol]
    assert restored.history.latest("history_date").history_user.username == "root"


def test_bulk_delete_in_the_admin_is_recorded_per_object(superuser_client, world):
    ids = [world.metric_s.pk, world.metric_v.pk]
    response = superuser_client.post(
        reverse("admin:partners_channelmetric_changelist"),
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )
    assert response.status_code == 302
    deletions = ChannelMetric.history.filter(history_type="-", id__in=ids)
    assert deletions.count() == 2
    assert {record.history_user.username for record in deletions} == {"root"}


@pytest.mark.parametrize(
    ("model_name", "row"),
    [("mou", "mou_s"), ("channel", "channel_s"), ("rostermembership", "membership_s"), ("kol", "channel_s.kol")],
)
def test_admin_history_hides_internal_notes_from_partner_users(
    schannel_admin, client, administrator, world, model_name, row
):
    obj = world
    for part in row.split("."):
        obj = getattr(obj, part)
    obj.notes = "first internal note"
    obj.save()
    obj.notes = "second internal note"
    obj.save()
    history_url = reverse(f"admin:partners_{model_name}_history", args=[obj.pk])
    version = obj.history.earliest("history_date").history_id
    version_url = reverse(f"admin:partners_{model_name}_simple_history", args=[obj.pk, version])

    for url in (history_url, version_url):
        response = schannel_admin.get(url)
        assert response.status_code == 200, url
        assert "internal note" not in response.content.decode(), url

    client.force_login(administrator)
    assert "second internal note" in client.get(history_url).content.decode()


def test_admin_history_names_no_other_partners_rows(schannel_admin, superuser, world):
    world.campaign_s.partners.add(world.vitamin)
    url = reverse("admin:campaigns_campaign_history", args=[world.campaign_s.pk])
    ministry = Client()
    ministry.force_login(superuser)

    assert str(world.vitamin) in ministry.get(url).content.decode()
    assert str(world.vitamin) not in schannel_admin.get(url).content.decode()


@pytest.mark.parametrize("object_id", ["abc", "1.5", "%00"])
def test_admin_history_of_a_malformed_id_is_404(superuser_client, world, object_id):
    response = superuser_client.get(f"/admin/partners/mou/{object_id}/history/")
    assert response.status_code == 404
