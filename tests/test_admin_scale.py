"""No admin page grows with the data: bounded lists and filters, flat query counts, bounded delete pages."""

import datetime
import re

import pytest
from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import MINISTRY_STAFF
from campaigns.models import Assignment, Campaign, CampaignReport, StatedFact
from kolregistry.admin import AutocompleteFilter
from partners.models import Agency, Channel, ChannelMetric, Kol, Mou, PartnerCompany, RosterMembership
from tests.factories import SOURCE, PartnerCompanyFactory, RosterMembershipFactory
from tests.helpers import listed, partner_client, role_user

pytestmark = pytest.mark.django_db

# What a page may hold whatever the data: the target, and the links of the small filters (kinds,
# platforms, statuses, dates) with room to spare.
MAX_OPTIONS = 500
MAX_FILTER_LINKS = 80


def seed(count, start=0):
    """``count`` rows of every growing relation, each pointing at its own partner, agency, campaign and channel."""
    numbers = range(start, start + count)
    partners = PartnerCompany.objects.bulk_create(
        PartnerCompany(short_name=f"Network {n}", legal_name=f"Network {n} JSC", slug=f"network-{n}") for n in numbers
    )
    agencies = Agency.objects.bulk_create(Agency(name=f"Media Center {n}", slug=f"center-{n}") for n in numbers)
    kols = Kol.objects.bulk_create(Kol(name=f"Creator {n}", slug=f"creator-{n}") for n in numbers)
    channels = Channel.objects.bulk_create(
        Channel(platform="tiktok", handle=f"channel{n}", kol=kol) for n, kol in zip(numbers, kols, strict=True)
    )
    mous = Mou.objects.bulk_create(
        Mou(title=f"MOU {n}", agency=agency, partner=partner)
        for n, agency, partner in zip(numbers, agencies, partners, strict=True)
    )
    campaigns = Campaign.objects.bulk_create(
        Campaign(name=f"Campaign {n}", slug=f"campaign-{n}", mou=mou) for n, mou in zip(numbers, mous, strict=True)
    )
    Campaign.partners.through.objects.bulk_create(
        Campaign.partners.through(campaign=campaign, partnercompany=partner)
        for campaign, partner in zip(campaigns, partners, strict=True)
    )
    Campaign.organisers.through.objects.bulk_create(
        Campaign.organisers.through(campaign=campaign, agency=agency)
        for campaign, agency in zip(campaigns, agencies, strict=True)
    )
    today = datetime.date.today()
    RosterMembership.objects.bulk_create(
        RosterMembership(channel=channel, partner=partner, starts_on=today)
        for channel, partner in zip(channels, partners, strict=True)
    )
    ChannelMetric.objects.bulk_create(
        ChannelMetric(channel=channel, followers=10, source_url=SOURCE) for channel in channels
    )
    Assignment.objects.bulk_create(
        Assignment(campaign=campaign, channel=channel) for campaign, channel in zip(campaigns, channels, strict=True)
    )
    CampaignReport.objects.bulk_create(
        CampaignReport(campaign=campaign, views=100, source_url=SOURCE) for campaign in campaigns
    )
    StatedFact.objects.bulk_create(
        StatedFact(campaign=campaign, measure="viewers", value=1, source_url=SOURCE) for campaign in campaigns
    )


def changelist_urls():
    return [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist") for model in admin.site._registry
    ]


def filter_links(html):
    sidebar = re.search(r'<nav id="changelist-filter".*?</nav>', html, re.S)
    return len(re.findall(r"<a ", sidebar.group(0))) if sidebar else 0


@pytest.fixture
def ministry_client(client):
    client.force_login(role_user(MINISTRY_STAFF))
    return client


def test_no_changelist_lists_every_partner_agency_or_campaign(admin_client):
    seed(600)

    for url in changelist_urls():
        html = admin_client.get(url).content.decode()

        assert html.count("<option") <= MAX_OPTIONS, url
        assert filter_links(html) <= MAX_FILTER_LINKS, url


@pytest.mark.parametrize("model", [Kol, Channel, ChannelMetric, RosterMembership, Assignment, CampaignReport])
def test_the_big_lists_offer_no_counts_over_the_whole_table(ministry_client, model):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")

    with CaptureQueriesContext(connection) as plain:
        html = ministry_client.get(url).content.decode()
    with CaptureQueriesContext(connection) as asked:
        ministry_client.get(f"{url}?_facets=True")

    assert "_facets" not in html  # no "Show counts" link
    assert len(asked) == len(plain)  # and asking for them anyway counts nothing more


def test_changelist_queries_do_not_grow_with_the_rows(ministry_client):
    seed(5)
    urls = changelist_urls()
    for url in urls:
        ministry_client.get(url)  # caches (content types, permissions) filled before counting

    def queries():
        counts = {}
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                assert ministry_client.get(url).status_code in (200, 403), url
            counts[url] = len(captured)
        return counts

    few = queries()
    seed(45, start=5)

    assert queries() == few


def autocomplete_filters():
    """``(changelist URL, parameter, related model)`` of every AutocompleteFilter on the admin site."""
    found = []
    for model, model_admin in admin.site._registry.items():
        for spec in model_admin.list_filter:
            if isinstance(spec, (list, tuple)) and issubclass(spec[1], AutocompleteFilter):
                related = get_fields_from_path(model, spec[0])[-1].related_model
                parameter = spec[1].parameter_name or f"{spec[0]}__id__exact"
                url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
                found.append((url, parameter, related))
    return found


def test_every_autocomplete_filter_filters(admin_client):
    seed(3)
    filters = autocomplete_filters()
    assert len(filters) >= 15

    for url, parameter, related in filters:
        response = admin_client.get(url, {parameter: related.objects.order_by("pk").last().pk})

        assert response.status_code == 200, (url, parameter)
        assert len(listed(response)) <= 1, (url, parameter)  # each seeded row points at its own partner, agency…


def roster_url(**params):
    return reverse("admin:partners_rostermembership_changelist"), params


def test_the_partner_filter_shows_that_partners_rows_and_keeps_it_chosen(admin_client):
    chosen, other = PartnerCompanyFactory(short_name="SChannel"), PartnerCompanyFactory()
    mine = RosterMembershipFactory(partner=chosen)
    RosterMembershipFactory(partner=other)

    response = admin_client.get(*roster_url(partner__id__exact=chosen.pk))

    assert listed(response) == [mine]
    html = response.content.decode()
    assert re.search(rf'<option value="{chosen.pk}" selected>SChannel</option>', html)
    assert 'data-filter-param="partner__id__exact"' in html
    assert "admin/js/vendor/select2/select2.full" in html  # served from here, not from a CDN


@pytest.mark.parametrize("value", ["nonsense", "999999", ""])
def test_a_bad_partner_in_the_filter_is_refused_not_a_server_error(admin_client, value):
    RosterMembershipFactory()

    response = admin_client.get(*roster_url(partner__id__exact=value))

    assert response.status_code == 302
    assert "e=1" in response["Location"]


def test_a_partner_user_can_neither_pick_nor_filter_by_another_partner(client):
    own, other = PartnerCompanyFactory(short_name="SChannel"), PartnerCompanyFactory(short_name="Vitamin")
    RosterMembershipFactory(partner=own)
    RosterMembershipFactory(partner=other)
    partner_client(client, own)

    offered = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "partners", "model_name": "rostermembership", "field_name": "partner", "term": ""},
    ).json()["results"]
    foreign = client.get(*roster_url(partner__id__exact=other.pk))
    unknown = client.get(*roster_url(partner__id__exact=999999))

    assert [row["text"] for row in offered] == ["SChannel"]
    assert foreign.status_code == unknown.status_code == 302
    assert foreign["Location"] == unknown["Location"]


def test_delete_page_of_a_partner_with_many_memberships_names_only_a_few(admin_client):
    partner = PartnerCompanyFactory()
    RosterMembershipFactory.create_batch(30, partner=partner)
    url = reverse("admin:partners_partnercompany_delete", args=[partner.pk])

    with CaptureQueriesContext(connection) as thirty:
        html = admin_client.get(url).content.decode()
    RosterMembershipFactory.create_batch(30, partner=partner)
    with CaptureQueriesContext(connection) as sixty:
        admin_client.get(url)

    assert html.count("/admin/partners/rostermembership/") == 10
    assert "and 20 more roster memberships" in html
    assert "Cannot delete partner company" in html  # the memberships protect it
    assert len(sixty) == len(thirty)


def test_bulk_delete_confirmation_is_bounded_too(admin_client):
    partners = PartnerCompanyFactory.create_batch(15)
    response = admin_client.post(
        reverse("admin:partners_partnercompany_changelist"),
        {"action": "delete_selected", "_selected_action": [partner.pk for partner in partners]},
    )

    html = response.content.decode()
    assert html.count("/admin/partners/partnercompany/") <= 12  # ten rows, the breadcrumbs
    assert "and 5 more partner companies" in html
