"""Bounded inlines: no change page grows with the rows under its record, and saving it leaves unshown rows alone."""

import re
from datetime import date

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.admin import PartnerAccountInline
from campaigns.models import Assignment
from kolregistry.admin import INLINE_ROWS_SHOWN
from partners.models import RosterMembership
from tests.factories import (
    AssignmentFactory,
    CampaignFactory,
    CampaignReportFactory,
    ChannelFactory,
    ChannelMetricFactory,
    HashtagFactory,
    PartnerCompanyFactory,
    RosterMembershipFactory,
)
from tests.helpers import opened_form

pytestmark = pytest.mark.django_db

ROWS = INLINE_ROWS_SHOWN + 5

# Inlines over a relation that cannot grow, with the reason; every other inline must set ``max_rows``.
CANNOT_GROW = {
    PartnerAccountInline: "one partner company per user (max_num = 1)",
}


def test_every_inline_on_the_admin_site_is_bounded():
    inlines = [(model_admin, inline) for model_admin in admin.site._registry.values() for inline in model_admin.inlines]
    unbounded = [
        f"{type(model_admin).__name__}.{inline.__name__}"
        for model_admin, inline in inlines
        if not getattr(inline, "max_rows", None) and inline not in CANNOT_GROW
    ]
    assert len(inlines) >= 10
    assert unbounded == []


def page_of(client, obj):
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_partner_page_shows_a_bounded_read_only_roster(admin_client, django_assert_max_num_queries):
    partner = PartnerCompanyFactory()
    RosterMembershipFactory.create_batch(ROWS, partner=partner)

    with django_assert_max_num_queries(20):
        content = page_of(admin_client, partner)

    assert len(re.findall(r"/admin/partners/rostermembership/\d+/change/", content)) == INLINE_ROWS_SHOWN
    assert 'name="memberships-0-channel"' not in content  # no edit form, no autocomplete <select> per row
    assert content.count("<option") < 10
    changelist = reverse("admin:partners_rostermembership_changelist")
    assert f'href="{changelist}?partner__id__exact={partner.pk}">All {ROWS} roster memberships →' in content
    add = reverse("admin:partners_rostermembership_add")
    assert f'href="{add}?partner={partner.pk}" class="addlink">Add roster membership' in content


def channel_with(rows):
    channel = ChannelFactory()
    ChannelMetricFactory.create_batch(rows, channel=channel)
    for year in range(2000, 2000 + rows):  # one company after another: a channel's memberships never overlap
        RosterMembershipFactory(channel=channel, starts_on=date(year, 1, 1), ends_on=date(year, 12, 31))
    return channel


def campaign_with(rows):
    campaign = CampaignFactory()
    AssignmentFactory.create_batch(rows, campaign=campaign)
    CampaignReportFactory.create_batch(rows, campaign=campaign, hashtag=HashtagFactory())
    return campaign


@pytest.mark.parametrize("parent_with", [channel_with, campaign_with])
def test_query_count_does_not_grow_with_the_rows(admin_client, parent_with):
    few, full, many = parent_with(1), parent_with(INLINE_ROWS_SHOWN), parent_with(ROWS)
    page_of(admin_client, few)  # warm the session and content types
    with CaptureQueriesContext(connection) as one_row:
        page_of(admin_client, few)
    with CaptureQueriesContext(connection) as many_rows:
        content = page_of(admin_client, many)
    # No query per row; two more: the count of each inline's rows, asked only once the bound is reached.
    assert len(many_rows) == len(one_row) + 2, "\n".join(q["sql"][:150] for q in many_rows.captured_queries)
    # The page of a parent with more rows than the bound is the page of one with as many as the bound.
    bounded = page_of(admin_client, full)
    assert content.count("<option") == bounded.count("<option")
    assert abs(len(content) - len(bounded)) < len(bounded) / 50


def test_add_page_keeps_the_editable_table(admin_client):
    content = admin_client.get(reverse("admin:partners_partnercompany_add")).content.decode()
    assert 'id="memberships-empty"' in content and 'name="memberships-MAX_NUM_FORMS" value="1000"' in content


def test_add_link_prefills_the_parent(admin_client):
    partner = PartnerCompanyFactory()
    content = admin_client.get(f"{reverse('admin:partners_rostermembership_add')}?partner={partner.pk}").content
    assert f'<option value="{partner.pk}" selected>' in content.decode()


def test_saving_the_parent_leaves_rows_not_shown_alone(admin_client):
    partner = PartnerCompanyFactory()
    RosterMembershipFactory.create_batch(ROWS, partner=partner)
    before = list(RosterMembership.objects.filter(partner=partner).order_by("pk").values())

    url, data = opened_form(admin_client, partner)
    response = admin_client.post(url, data)

    assert response.status_code == 302
    assert list(RosterMembership.objects.filter(partner=partner).order_by("pk").values()) == before


def test_editable_inline_edits_the_shown_rows_and_adds_one(admin_client):
    campaign = CampaignFactory()
    AssignmentFactory.create_batch(ROWS, campaign=campaign, videos_planned=1)
    before = {row["id"]: row for row in Assignment.objects.filter(campaign=campaign).values()}

    url, data = opened_form(admin_client, campaign)
    assert data["assignments-TOTAL_FORMS"] == [str(INLINE_ROWS_SHOWN)]
    edited = int(data["assignments-0-id"][0])
    data["assignments-0-videos_planned"] = ["9"]
    new = INLINE_ROWS_SHOWN
    data.update(
        {
            "assignments-TOTAL_FORMS": [str(new + 1)],
            f"assignments-{new}-channel": [str(ChannelFactory().pk)],
            f"assignments-{new}-role": ["creator"],
            f"assignments-{new}-status": ["planned"],
            f"assignments-{new}-videos_planned": ["3"],
        }
    )
    response = admin_client.post(url, data)

    assert response.status_code == 302
    after = {row["id"]: row for row in Assignment.objects.filter(campaign=campaign).values()}
    assert len(after) == ROWS + 1
    assert after.pop(edited)["videos_planned"] == 9
    before.pop(edited)
    assert {pk: after[pk] for pk in before} == before
