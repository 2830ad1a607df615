"""The browsable API (``Accept: text/html``) lists no table in a form: related rows are asked for as text.

At a million rows a ``<select>`` of a related table took seconds and megabytes per page (issue 12).
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partners.models import Channel, ChannelMetric
from tests.factories import (
    AgencyFactory,
    AssignmentFactory,
    CampaignFactory,
    CampaignReportFactory,
    ChannelFactory,
    ChannelMetricFactory,
    HashtagFactory,
    KolFactory,
    MouFactory,
    MouPersonFactory,
    PartnerCompanyFactory,
    PersonFactory,
    RosterMembershipFactory,
    StatedFactFactory,
)

HTML = {"HTTP_ACCEPT": "text/html"}
# Choices of an enum (platforms, kinds, statuses) and yes/no/unknown: never a table.
MAX_OPTIONS = 50
SELECT = re.compile(r"<select\b.*?</select>", re.DOTALL)


def add_rows(n):
    """``n`` more rows of every table a filter or a foreign key can point at, in bulk."""
    agency, partner, kol = AgencyFactory(), PartnerCompanyFactory(), KolFactory()
    channel = ChannelFactory(kol=kol)
    batches = (
        AgencyFactory.build_batch(n),
        PartnerCompanyFactory.build_batch(n),
        KolFactory.build_batch(n),
        ChannelFactory.build_batch(n, kol=kol),
        ChannelMetricFactory.build_batch(n, channel=channel),
        MouFactory.build_batch(n, agency=agency, partner=partner),
        PersonFactory.build_batch(n, partner=partner),
        CampaignFactory.build_batch(n),
        HashtagFactory.build_batch(n),
    )
    for rows in batches:
        type(rows[0]).objects.bulk_create(rows)


def root_urls(client):
    """The API root's links: the 14 resources and the change feed."""
    return client.get("/api/v1/").json()


def largest_select(page):
    return max((block.count("<option") for block in SELECT.findall(page)), default=0)


def test_every_list_and_detail_page_renders_without_a_table_in_a_select_in_flat_queries(admin_client):
    add_rows(10)
    root = root_urls(admin_client)
    assert len(root) == 15

    def render_all():
        counts = {}
        for name, url in root.items():
            with CaptureQueriesContext(connection) as queries:
                response = admin_client.get(url, **HTML)
            assert response.status_code == 200, url
            page = response.content.decode()
            assert largest_select(page) <= MAX_OPTIONS, url
            # Writes go through the raw-data (JSON) form; the change feed is read-only.
            assert ('id="post-generic-content-form"' in page) is (name != "changes"), url
            assert 'id="post-object-form"' not in page, url
            counts[url] = len(queries)
        return counts

    few = render_all()
    add_rows(1200)
    assert Channel.objects.count() > 1200 and ChannelMetric.objects.count() > 1200
    assert render_all() == few
    for factory in (
        RosterMembershipFactory,
        MouPersonFactory,
        AssignmentFactory,
        CampaignReportFactory,
        StatedFactFactory,
    ):
        factory()
    for name, url in root.items():
        if name == "changes":
            continue
        detail = admin_client.get(admin_client.get(url).json()["results"][0]["url"], **HTML)
        page = detail.content.decode()
        assert detail.status_code == 200 and largest_select(page) <= MAX_OPTIONS, url
        assert 'id="put-generic-content-form"' in page and 'id="put-object-form"' not in page, url


def test_a_filter_over_related_rows_is_a_text_box_that_filters(admin_client):
    partner, other = PartnerCompanyFactory.create_batch(2)
    mine = RosterMembershipFactory(partner=partner).channel
    RosterMembershipFactory(partner=other)
    response = admin_client.get(f"/api/v1/channels/?partner_id={partner.pk}", **HTML)
    assert response.status_code == 200
    page = response.content.decode()
    assert re.search(rf'<input type="text" name="partner_id" value="{partner.pk}"', page)
    assert re.search(r'<input type="text" name="mou"', page)  # a single-valued one too
    assert [row["id"] for row in admin_client.get(f"/api/v1/channels/?partner_id={partner.pk}").json()["results"]] == [
        mine.pk
    ]


def test_a_repeated_filter_shows_a_box_per_value_and_empty_boxes_are_ignored(admin_client):
    partners = PartnerCompanyFactory.create_batch(3)
    channels = [RosterMembershipFactory(partner=partner).channel for partner in partners]
    query = f"partner_id={partners[0].pk}&partner_id={partners[1].pk}&kol_id=&q=&mou="
    page = admin_client.get(f"/api/v1/channels/?{query}", **HTML).content.decode()
    assert re.findall(r'<input type="text" name="partner_id" value="(\d+)"', page) == [
        str(partners[0].pk),
        str(partners[1].pk),
    ]
    rows = admin_client.get(f"/api/v1/channels/?{query}").json()["results"]
    assert {row["id"] for row in rows} == {channels[0].pk, channels[1].pk}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("partner_id=abc", "“abc” is not a valid id."),
        ("partner_id=999999", "There is no partner company with the id 999999."),
        ("partner=nobody", "There is no partner company with the slug “nobody”."),
    ],
)
def test_a_bad_value_typed_in_a_box_is_the_api_s_400(admin_client, query, message):
    for accept in ({}, HTML):
        response = admin_client.get(f"/api/v1/channels/?{query}", **accept)
        assert response.status_code == 400
        assert message in response.content.decode()


def test_an_mous_document_page_offers_a_file_upload_form_only(admin_client):
    mou = MouFactory()
    response = admin_client.get(f"/api/v1/mous/{mou.pk}/document/", **HTML)

    page = response.content.decode()
    assert 'id="put-object-form"' in page
    assert re.search(r'<input name="document"\s+type="file"', page)
    assert 'name="_content"' not in page  # no raw-data form: a multipart body cannot be typed in
