"""Partner scope by construction: each clause of each model's ``partner_scope`` is the only way one row is visible.

The world below is built so that, for partner P, every row is visible through exactly the clause its case names
(or through none), next to a twin of the same shape that no clause reaches (usually partner Q's). Removing or
narrowing a clause hides its row; widening one (dropping a ``via_filter``, adding a date condition's opposite, a
new ``via``) shows a twin. Each case is checked through the API (list and detail, full and ``?brief=1``, as a
partner user and as a partner-scoped token) and through the admin (changelist and change page) as a partner user.
"""

import datetime

import pytest
from django.db import transaction
from django.db.models import Max
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.roles import MINISTRY_STAFF, PARTNER_USERS
from kolregistry.access import PartnerScope, declared_scope
from partners.choices import MouSide
from partners.models import Agency, ChannelMetric, PartnerCompany
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
from tests.helpers import role_user

PAST = {"starts_on": datetime.date(2023, 1, 1), "ends_on": datetime.date(2023, 12, 31)}
INTERNAL_NOTE = "internal: renegotiate in 2026"


def build_world():
    """Partners P and Q and one row per case below, keyed by the case's row key."""
    w = {}
    w["P"] = PartnerCompanyFactory(slug="p", short_name="P")
    w["Q"] = PartnerCompanyFactory(slug="q", short_name="Q")

    w["ag_parent"] = AgencyFactory()
    w["ag_mou"] = AgencyFactory(parent=w["ag_parent"])
    w["ag_campaign"] = AgencyFactory()
    w["ag_channel"] = AgencyFactory()
    w["ag_channel_mou"] = AgencyFactory()
    w["ag_unmanaged"] = AgencyFactory()
    w["ag_q_mou"] = AgencyFactory()
    w["ag_q_campaign"] = AgencyFactory()

    for key in ("kol_roster", "kol_past", "kol_past_unmanaged", "kol_mou_channel", "kol_mou_named", "kol_q"):
        w[key] = KolFactory()
    w["ch_roster"] = ChannelFactory(kol=w["kol_roster"], notes=INTERNAL_NOTE)
    w["ch_past"] = ChannelFactory(kol=w["kol_past"])
    w["ch_past_unmanaged"] = ChannelFactory(kol=w["kol_past_unmanaged"])
    w["ch_mou_named"] = ChannelFactory(kol=w["kol_mou_channel"])
    w["ch_agency_roster"] = ChannelFactory(kol=None, agency=w["ag_channel"])
    w["ch_agency_mou_named"] = ChannelFactory(kol=None, agency=w["ag_channel_mou"])
    w["ch_agency_unmanaged"] = ChannelFactory(kol=None, agency=w["ag_unmanaged"])
    w["ch_q"] = ChannelFactory(kol=w["kol_mou_named"])
    w["ch_q_mou_named"] = ChannelFactory(kol=w["kol_q"])

    w["mem_p"] = RosterMembershipFactory(partner=w["P"], channel=w["ch_roster"])
    w["mem_p_past"] = RosterMembershipFactory(partner=w["P"], channel=w["ch_past"], **PAST)
    w["mem_p_past_unmanaged"] = RosterMembershipFactory(partner=w["P"], channel=w["ch_past_unmanaged"], **PAST)
    w["mem_q_moved"] = RosterMembershipFactory(partner=w["Q"], channel=w["ch_past"])
    w["mem_p_agency"] = RosterMembershipFactory(partner=w["P"], channel=w["ch_agency_roster"])
    w["mem_q"] = RosterMembershipFactory(partner=w["Q"], channel=w["ch_q"])

    for key in ("roster", "past", "mou_named", "agency_unmanaged", "q"):
        w[f"met_{key}"] = ChannelMetricFactory(channel=w[f"ch_{key}"])

    w["responsible"] = role_user(MINISTRY_STAFF)
    w["mou_p"] = MouFactory(partner=w["P"], agency=w["ag_mou"], notes=INTERNAL_NOTE, responsible=w["responsible"])
    w["mou_p"].kols.add(w["kol_mou_named"])
    w["mou_p"].channels.add(w["ch_mou_named"], w["ch_agency_mou_named"])
    w["mou_q"] = MouFactory(partner=w["Q"], agency=w["ag_q_mou"])
    w["mou_q"].kols.add(w["kol_q"])
    w["mou_q"].channels.add(w["ch_q_mou_named"])

    def official(agency):
        return PersonFactory(partner=None, agency=agency)

    w["per_p_own"] = PersonFactory(partner=w["P"])
    w["per_p_signatory"] = PersonFactory(partner=w["P"])
    # Signs for the department, but works for the ministry above it: a person P sees, an agency P does not.
    w["per_official_p"] = official(w["ag_parent"])
    w["per_official_unlinked"] = official(w["ag_mou"])
    w["per_q_on_p_mou"] = PersonFactory(partner=w["Q"])
    w["per_q_own"] = PersonFactory(partner=w["Q"])
    w["per_official_q"] = official(w["ag_q_mou"])
    w["mp_p_signatory"] = MouPersonFactory(mou=w["mou_p"], person=w["per_p_signatory"])
    w["mp_official_p"] = MouPersonFactory(mou=w["mou_p"], person=w["per_official_p"], side=MouSide.AGENCY)
    # Linked past validation (or the person moved to Q since): P's MOU must not show Q's employee.
    w["mp_q_on_p_mou"] = MouPersonFactory(mou=w["mou_p"], person=w["per_q_on_p_mou"])
    # And the other way round: P's employee on Q's MOU stays Q's business.
    w["mp_p_on_q_mou"] = MouPersonFactory(mou=w["mou_q"], person=w["per_p_own"])
    w["mp_q_signatory"] = MouPersonFactory(mou=w["mou_q"], person=w["per_q_own"])
    w["mp_official_q"] = MouPersonFactory(mou=w["mou_q"], person=w["per_official_q"], side=MouSide.AGENCY)

    for key in ("campaign", "report_only", "q", "q_report", "unused", "mou_only"):
        w[f"ht_{key}"] = HashtagFactory()
    w["camp_partner"] = CampaignFactory(notes=INTERNAL_NOTE)
    w["camp_partner"].partners.add(w["P"], w["Q"])
    w["camp_partner"].organisers.add(w["ag_campaign"])
    w["camp_partner"].hashtags.add(w["ht_campaign"])
    w["camp_assignment"] = CampaignFactory(mou=w["mou_q"])
    w["camp_past"] = CampaignFactory()
    w["camp_mou_named"] = CampaignFactory()
    w["camp_q"] = CampaignFactory()
    w["camp_q"].organisers.add(w["ag_q_campaign"])
    w["camp_q"].hashtags.add(w["ht_q"])
    w["camp_mou_only"] = CampaignFactory(mou=w["mou_p"])
    w["camp_mou_only"].hashtags.add(w["ht_mou_only"])
    w["camp_both"] = CampaignFactory()
    w["camp_both"].partners.add(w["P"], w["Q"])
    for key in ("camp_assignment", "camp_past", "camp_mou_named", "camp_q"):
        w[key].partners.add(w["Q"])

    w["as_roster"] = AssignmentFactory(campaign=w["camp_assignment"], channel=w["ch_roster"])
    w["as_past"] = AssignmentFactory(campaign=w["camp_past"], channel=w["ch_past"])
    w["as_mou_named"] = AssignmentFactory(campaign=w["camp_mou_named"], channel=w["ch_mou_named"])
    w["as_q"] = AssignmentFactory(campaign=w["camp_partner"], channel=w["ch_q"])
    w["as_both"] = AssignmentFactory(campaign=w["camp_both"], channel=w["ch_roster"])

    w["rep_partner"] = CampaignReportFactory(campaign=w["camp_partner"], hashtag=None)
    w["rep_off_hashtag"] = CampaignReportFactory(campaign=w["camp_partner"], hashtag=w["ht_report_only"])
    w["rep_assignment"] = CampaignReportFactory(campaign=w["camp_assignment"])
    w["rep_q"] = CampaignReportFactory(campaign=w["camp_q"], hashtag=w["ht_q_report"])
    w["rep_mou_only"] = CampaignReportFactory(campaign=w["camp_mou_only"])

    subjects = {
        "agency": ("ag_mou", "ag_q_mou"),
        "partner": ("P", "Q"),
        "kol": ("kol_mou_named", "kol_q"),
        "channel": ("ch_past", "ch_agency_unmanaged"),
        "mou": ("mou_p", "mou_q"),
        "campaign": ("camp_assignment", "camp_mou_only"),
    }
    for field, (seen, unseen) in subjects.items():
        w[f"fact_{field}"] = StatedFactFactory(**{"campaign": None, field: w[seen]})
        w[f"fact_{field}_q"] = StatedFactFactory(**{"campaign": None, field: w[unseen]})
    return w


# (API route, row key, visible to P, the clause that shows it or why none does)
CASES = [
    ("partners", "P", True, "partner=pk: itself"),
    ("partners", "Q", False, "another partner, though a co-partner of P's campaign"),
    ("memberships", "mem_p", True, "partner: own current membership"),
    ("memberships", "mem_p_past", True, "partner: own membership that ended (no date condition)"),
    ("memberships", "mem_p_past_unmanaged", True, "partner: own ended membership, channel now on no roster"),
    ("memberships", "mem_p_agency", True, "partner: own membership of an agency-owned channel"),
    ("memberships", "mem_q_moved", False, "Q's membership of a channel P had before"),
    ("memberships", "mem_q", False, "Q's membership"),
    ("channels", "ch_roster", True, "via memberships: on P's roster now"),
    ("channels", "ch_past", True, "via memberships: past roster member, now on Q's"),
    ("channels", "ch_past_unmanaged", True, "via memberships: past roster member, now on no roster"),
    ("channels", "ch_agency_roster", True, "via memberships: agency-owned, on P's roster"),
    ("channels", "ch_mou_named", True, "via mous: named in P's MOU, on no roster"),
    ("channels", "ch_agency_mou_named", True, "via mous: agency-owned, named in P's MOU, unmanaged"),
    ("channels", "ch_agency_unmanaged", False, "agency-owned, no partner manages it, no MOU names it"),
    ("channels", "ch_q", False, "on Q's roster, though assigned in P's campaign"),
    ("channels", "ch_q_mou_named", False, "named in Q's MOU"),
    ("kols", "kol_roster", True, "via channels: owns a channel on P's roster"),
    ("kols", "kol_past", True, "via channels: owns a past roster member"),
    ("kols", "kol_past_unmanaged", True, "via channels: owns a past roster member now on no roster"),
    ("kols", "kol_mou_channel", True, "via channels: owns a channel P's MOU names"),
    ("kols", "kol_mou_named", True, "via mous: named in P's MOU; its only channel is Q's"),
    ("kols", "kol_q", False, "named in Q's MOU, owns a channel Q's MOU names"),
    ("channel-metrics", "met_roster", True, "via channel: on P's roster"),
    ("channel-metrics", "met_past", True, "via channel: past roster member"),
    ("channel-metrics", "met_mou_named", True, "via channel: named in P's MOU"),
    ("channel-metrics", "met_agency_unmanaged", False, "of an unmanaged agency-owned channel"),
    ("channel-metrics", "met_q", False, "of Q's channel"),
    ("mous", "mou_p", True, "partner: P's MOU"),
    ("mous", "mou_q", False, "Q's MOU"),
    ("agencies", "ag_mou", True, "via mous: counterparty of P's MOU"),
    ("agencies", "ag_campaign", True, "via campaigns: organiser of P's campaign"),
    ("agencies", "ag_channel", True, "via channels: owns a channel on P's roster"),
    ("agencies", "ag_channel_mou", True, "via channels: owns a channel P's MOU names"),
    ("agencies", "ag_parent", False, "parent of a visible agency, employs a person P sees"),
    ("agencies", "ag_unmanaged", False, "owns an agency-owned channel no partner manages"),
    ("agencies", "ag_q_mou", False, "counterparty of Q's MOU"),
    ("agencies", "ag_q_campaign", False, "organiser of Q's campaign"),
    ("people", "per_p_own", True, "partner: P's employee (on Q's MOU only)"),
    ("people", "per_p_signatory", True, "partner and via mou_links: P's signatory of P's MOU"),
    ("people", "per_official_p", True, "via mou_links: agency official on P's MOU"),
    ("people", "per_official_unlinked", False, "official of P's MOU's agency, on no MOU"),
    ("people", "per_q_on_p_mou", False, "Q's employee linked to P's MOU (via_filter)"),
    ("people", "per_q_own", False, "Q's signatory"),
    ("people", "per_official_q", False, "agency official on Q's MOU"),
    ("mou-people", "mp_official_p", True, "via mou, via_filter agency person"),
    ("mou-people", "mp_p_signatory", True, "via mou, via_filter the MOU partner's own person"),
    ("mou-people", "mp_q_on_p_mou", False, "another partner's person on P's MOU (via_filter)"),
    ("mou-people", "mp_p_on_q_mou", False, "P's person on Q's MOU"),
    ("mou-people", "mp_q_signatory", False, "Q's signatory of Q's MOU"),
    ("mou-people", "mp_official_q", False, "agency official on Q's MOU"),
    ("hashtags", "ht_campaign", True, "via campaigns: hashtag of P's campaign"),
    ("hashtags", "ht_report_only", True, "via reports: a report's hashtag, not among the campaign's"),
    ("hashtags", "ht_q", False, "hashtag of Q's campaign"),
    ("hashtags", "ht_q_report", False, "a Q report's hashtag, not among the campaign's"),
    ("hashtags", "ht_mou_only", False, "hashtag of a campaign under P's MOU that P is not in"),
    ("hashtags", "ht_unused", False, "no campaign, no report"),
    ("campaigns", "camp_partner", True, "partners: P is a partner"),
    ("campaigns", "camp_assignment", True, "via assignments: P's roster channel is assigned"),
    ("campaigns", "camp_past", True, "via assignments: a past roster member is assigned"),
    ("campaigns", "camp_mou_named", False, "only a channel P's MOU names is assigned"),
    ("campaigns", "camp_q", False, "Q's campaign"),
    ("campaigns", "camp_mou_only", False, "runs under P's MOU, P not a partner, no assignment"),
    ("campaigns", "camp_both", True, "partners and via assignments, with Q a partner too: listed once"),
    ("assignments", "as_roster", True, "via channel__memberships: P's roster channel"),
    ("assignments", "as_past", True, "via channel__memberships: past roster member (in Q's campaign)"),
    ("assignments", "as_mou_named", False, "channel only named in P's MOU"),
    ("assignments", "as_q", False, "Q's channel, in P's campaign"),
    ("assignments", "as_both", True, "via channel__memberships: P's roster channel, in P's and Q's campaign"),
    ("campaign-reports", "rep_partner", True, "via campaign: P's campaign"),
    ("campaign-reports", "rep_off_hashtag", True, "via campaign: hashtag not among the campaign's"),
    ("campaign-reports", "rep_assignment", True, "via campaign: campaign seen via assignments"),
    ("campaign-reports", "rep_q", False, "Q's campaign"),
    ("campaign-reports", "rep_mou_only", False, "campaign under P's MOU that P does not see"),
    ("stated-facts", "fact_agency", True, "via agency"),
    ("stated-facts", "fact_partner", True, "via partner"),
    ("stated-facts", "fact_kol", True, "via kol"),
    ("stated-facts", "fact_channel", True, "via channel"),
    ("stated-facts", "fact_mou", True, "via mou"),
    ("stated-facts", "fact_campaign", True, "via campaign"),
    ("stated-facts", "fact_agency_q", False, "agency hidden"),
    ("stated-facts", "fact_partner_q", False, "partner hidden"),
    ("stated-facts", "fact_kol_q", False, "kol hidden"),
    ("stated-facts", "fact_channel_q", False, "channel hidden"),
    ("stated-facts", "fact_mou_q", False, "mou hidden"),
    ("stated-facts", "fact_campaign_q", False, "campaign hidden"),
]
ROUTES = sorted({route for route, *_ in CASES})


def case_id(case):
    route, key, visible, _why = case
    return f"{route}:{key}:{'visible' if visible else 'hidden'}"


def case_params(cases=CASES):
    return [pytest.param(*case[:3], id=case_id(case)) for case in cases]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The world, its callers and a cache of list responses, built once; rolled back after the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        w = build_world()
        partner_user = role_user(PARTNER_USERS, w["P"])
        staff = role_user(MINISTRY_STAFF)
        # A ministry user's token narrowed to P: partner-user rights, P's data.
        _token, key = ApiToken.objects.issue(owner=staff, name="scoped to P", partner=w["P"])
        user_api = APIClient()
        user_api.force_authenticate(partner_user)
        token_api = APIClient()
        token_api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        ministry_api = APIClient()
        ministry_api.force_authenticate(staff)
        w["callers"] = {"partner_user": user_api, "partner_token": token_api, "ministry": ministry_api}
        w["partner_user"] = partner_user
        w["lists"] = {}
        yield w
        transaction.set_rollback(True)


@pytest.fixture
def scoped(world, db):
    """The world inside the test's own savepoint."""
    return world


def listed_ids(world, caller, route, brief):
    """The ids the list of ``route`` shows ``caller`` (one page holds the whole world), fetched once."""
    key = (caller, route, brief)
    if key not in world["lists"]:
        query = {"limit": 500, **({"brief": 1} if brief else {})}
        response = world["callers"][caller].get(f"/api/v1/{route}/", query)
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["next"] is None
        world["lists"][key] = [row["id"] for row in body["results"]]
    return world["lists"][key]


def api_detail(world, caller, route, pk, brief=False):
    return world["callers"][caller].get(f"/api/v1/{route}/{pk}/", {"brief": 1} if brief else {})


CALLERS = ["partner_user", "partner_token"]
BRIEF = [pytest.param(False, id="full"), pytest.param(True, id="brief")]


@pytest.mark.parametrize("brief", BRIEF)
@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize(("route", "key", "visible"), case_params())
def test_api_list_and_detail(scoped, caller, brief, route, key, visible):
    pk = scoped[key].pk
    assert (pk in listed_ids(scoped, caller, route, brief)) is visible
    response = api_detail(scoped, caller, route, pk, brief)
    assert response.status_code == (200 if visible else 404), response.content
    if visible:
        assert response.json()["id"] == pk


@pytest.mark.parametrize(("route", "key", "visible"), case_params())
def test_admin_changelist_and_change_page(scoped, route, key, visible):
    obj = scoped[key]
    opts = obj._meta
    client = Client()
    client.force_login(scoped["partner_user"])
    changelist = client.get(f"/admin/{opts.app_label}/{opts.model_name}/")
    assert changelist.status_code == 200
    assert changelist.context["cl"].queryset.filter(pk=obj.pk).exists() is visible
    change_page = client.get(f"/admin/{opts.app_label}/{opts.model_name}/{obj.pk}/change/")
    assert (change_page.status_code == 200) is visible


@pytest.mark.parametrize("brief", BRIEF)
@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("route", ROUTES)
def test_a_list_shows_exactly_the_visible_cases(scoped, caller, brief, route):
    """No row outside the table's visible ones: a leak through a clause no case names fails here."""
    expected = sorted(scoped[key].pk for r, key, visible, _why in CASES if r == route and visible)
    assert sorted(listed_ids(scoped, caller, route, brief)) == expected


@pytest.mark.parametrize("route", ROUTES)
def test_the_table_covers_every_row_of_the_world(scoped, route):
    """So that the exact lists above account for every row the ministry sees."""
    table = sorted(scoped[key].pk for r, key, _visible, _why in CASES if r == route)
    assert sorted(listed_ids(scoped, "ministry", route, False)) == table


# (route, row key, field, what P reads: a row key, None, or a list of row keys)
RELATED = [
    ("agencies", "ag_mou", "parent", None),
    ("channels", "ch_agency_roster", "agency", "ag_channel"),
    ("channels", "ch_agency_mou_named", "agency", "ag_channel_mou"),
    ("kols", "kol_mou_named", "channels", []),
    ("kols", "kol_roster", "channels", ["ch_roster"]),
    ("mous", "mou_p", "channels", ["ch_mou_named", "ch_agency_mou_named"]),
    ("mous", "mou_p", "kols", ["kol_mou_named"]),
    ("campaigns", "camp_partner", "partners", ["P"]),
    ("campaigns", "camp_partner", "organisers", ["ag_campaign"]),
    ("campaigns", "camp_assignment", "mou", None),
    ("campaigns", "camp_assignment", "partners", []),
    ("assignments", "as_past", "campaign", "camp_past"),
    ("campaign-reports", "rep_off_hashtag", "hashtag", "ht_report_only"),
    ("mou-people", "mp_official_p", "person", "per_official_p"),
    ("people", "per_official_p", "agency", None),
    ("mous", "mou_p", "agency", "ag_mou"),
    ("memberships", "mem_p_past", "channel", "ch_past"),
    ("stated-facts", "fact_kol", "kol", "kol_mou_named"),
]


def related_ids(value):
    if isinstance(value, list):
        return sorted(item["id"] for item in value)
    return value["id"] if value else None


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize(
    ("route", "key", "field", "expected"),
    [pytest.param(*case, id=f"{case[0]}:{case[1]}.{case[2]}") for case in RELATED],
)
def test_related_fields_show_only_rows_in_scope(scoped, caller, route, key, field, expected):
    pk = scoped[key].pk
    ministry = api_detail(scoped, "ministry", route, pk).json()[field]
    partner = api_detail(scoped, caller, route, pk).json()[field]
    if isinstance(expected, list):
        expected = sorted(scoped[name].pk for name in expected)
    elif expected is not None:
        expected = scoped[expected].pk
    assert related_ids(partner) == expected
    # Null or a shorter list only because the ministry's value holds a row out of P's scope.
    assert (related_ids(ministry) == expected) is (ministry == partner)


def test_a_partners_own_rows_are_those_its_partner_clause_selects(scoped):
    """``owns`` (contact details are shown on own rows only) agrees with the ``partner`` clause alone, never ``via``."""
    partner_id = scoped["P"].pk
    wrong = []
    for key in dict.fromkeys(key for _route, key, _visible, _why in CASES):
        row = scoped[key]
        scope = declared_scope(type(row))
        own = type(row)._default_manager.filter(PartnerScope(partner=scope.partner).condition(type(row), partner_id))
        if scope.owns(row, partner_id) is not own.filter(pk=row.pk).exists():
            wrong.append(key)
    assert wrong == []


@pytest.mark.parametrize("via", [("channel", "channel__memberships"), ("channel__memberships", "channel")])
def test_a_row_is_visible_through_any_of_its_via_clauses(scoped, via):
    """A relation and a path in one declaration, in either order: the path alone misses the MOU-named channel."""
    condition = PartnerScope(via=via).condition(ChannelMetric, scoped["P"].pk)
    visible = set(ChannelMetric.objects.filter(condition).values_list("pk", flat=True))
    assert visible == {scoped[key].pk for key in ("met_roster", "met_past", "met_mou_named")}


def test_a_partner_reads_related_lists_in_the_views_order(scoped):
    """The scoped prefetch keeps the view's own queryset: a KOL's channels by id, not by the model's name order."""
    kol = scoped["kol_roster"]
    later = ChannelFactory(kol=kol, display_name="A channel listed first by name")
    RosterMembershipFactory(partner=scoped["P"], channel=later)
    for caller in ("ministry", *CALLERS):
        channels = api_detail(scoped, caller, "kols", kol.pk).json()["channels"]
        assert [channel["id"] for channel in channels] == [scoped["ch_roster"].pk, later.pk]


# (route, row key, field, shown to P): the ministry's own fields, and contact details of other companies' people
INTERNAL = [
    ("mous", "mou_p", "notes", False),
    ("mous", "mou_p", "responsible", False),
    ("channels", "ch_roster", "notes", False),
    ("campaigns", "camp_partner", "notes", False),
    ("people", "per_p_own", "email", True),
    ("people", "per_p_own", "phone", True),
    ("people", "per_p_signatory", "email", True),
    ("people", "per_official_p", "email", False),
    ("people", "per_official_p", "phone", False),
]


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize(
    ("route", "key", "field", "shown"), [pytest.param(*case, id=f"{case[0]}:{case[1]}.{case[2]}") for case in INTERNAL]
)
def test_internal_fields_in_the_api(scoped, caller, route, key, field, shown):
    pk = scoped[key].pk
    assert field in api_detail(scoped, "ministry", route, pk).json()
    detail = api_detail(scoped, caller, route, pk).json()
    assert (field in detail) is shown
    listed = next(
        row
        for row in scoped["callers"][caller].get(f"/api/v1/{route}/", {"limit": 500}).json()["results"]
        if row["id"] == pk
    )
    assert (field in listed) is shown


@pytest.mark.parametrize(
    ("key", "field", "shown"),
    [
        pytest.param(key, field, shown, id=f"{key}.{field}")
        for _r, key, field, shown in INTERNAL
        if field != "responsible"
    ],
)
def test_internal_values_on_the_admin_change_page(scoped, key, field, shown):
    obj = scoped[key]
    value = getattr(obj, field)
    assert value
    client = Client()
    client.force_login(scoped["partner_user"])
    page = client.get(f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/")
    assert page.status_code == 200
    assert (value in page.content.decode()) is shown


def test_history_names_each_related_row_only_if_in_scope(scoped):
    """Rows read from history are not prefetched through the scope: each is checked on its own.

    An official of P's MOU was first recorded as an employee of a rival company R whose id is the id of
    the agency the record was corrected to: the history names the agency (an organiser of P's campaign),
    never R, in the admin and in the API.
    """
    pk = 1 + max(PartnerCompany.objects.aggregate(pk=Max("pk"))["pk"], Agency.objects.aggregate(pk=Max("pk"))["pk"])
    rival = PartnerCompanyFactory(pk=pk, short_name="Rival Network")
    agency = AgencyFactory(pk=pk, name="Organising Department")
    scoped["camp_partner"].organisers.add(agency)
    person = PersonFactory(partner=rival)
    person.partner, person.agency = None, agency
    person.save()
    MouPersonFactory(mou=scoped["mou_p"], person=person, side=MouSide.AGENCY)
    client = Client()
    client.force_login(scoped["partner_user"])

    page = client.get(f"/admin/partners/person/{person.pk}/history/").content.decode()
    assert str(agency) in page
    assert str(rival) not in page
    entries = api_detail(scoped, "partner_user", "people", f"{person.pk}/history").json()
    named = {
        (c["field"], c["old"], c["new"]) for e in entries for c in e["changes"] if c["field"] in ("agency", "partner")
    }
    assert named == {("agency", None, pk)}
