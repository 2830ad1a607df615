"""scope_queryset, called directly on querysets, for each kind of caller."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from accounts.models import ApiToken
from accounts.roles import MINISTRY_STAFF, PARTNER_USERS
from campaigns.models import Assignment, Campaign, CampaignReport, Hashtag
from kolregistry.access import scope_queryset
from partners.models import (
    Agency,
    Channel,
    ChannelMetric,
    Kol,
    Mou,
    MouPerson,
    PartnerCompany,
    Person,
    RosterMembership,
)
from tests.factories import KolFactory, MouFactory

from .conftest import user_with_role

REGISTRY_MODELS = [
    PartnerCompany,
    RosterMembership,
    Channel,
    Kol,
    ChannelMetric,
    Mou,
    Campaign,
    Assignment,
    CampaignReport,
    Hashtag,
    Agency,
    Person,
    MouPerson,
]


def request_for(user, token=None):
    request = RequestFactory().get("/")
    request.user = user
    request.auth = token
    return request


def visible(request, model):
    rows = list(scope_queryset(request, model.objects.all()))
    assert len(rows) == len(set(rows)), "scoped querysets must not repeat rows"
    return set(rows)


def schannel_view(w):
    """Everything an SChannel caller may see, by model (channels ever on its roster)."""
    return {
        PartnerCompany: {w.schannel},
        RosterMembership: {w.membership_s, w.membership_moved_s},
        Channel: {w.channel_s, w.moved},
        Kol: {w.channel_s.kol, w.moved.kol},
        ChannelMetric: {w.metric_s, w.metric_moved},
        Mou: {w.mou_s},
        Campaign: {w.campaign_s, w.joint},
        Assignment: {w.assignment_s},
        CampaignReport: {w.report_s, w.report_joint},
        Hashtag: {w.hashtag_s, w.hashtag_joint},
        Agency: {w.ministry, w.organiser},
        Person: {w.person_s, w.official_s},
        MouPerson: {w.link_s, w.link_official_s},
    }


@pytest.mark.parametrize("model", REGISTRY_MODELS, ids=lambda m: m.__name__)
def test_schannel_user_sees_only_schannel_data(world, schannel_user, model):
    assert visible(request_for(schannel_user), model) == schannel_view(world)[model]


@pytest.mark.parametrize("model", REGISTRY_MODELS, ids=lambda m: m.__name__)
def test_partner_scoped_token_of_a_ministry_user_sees_only_that_partner(world, staff, model):
    token = ApiToken.objects.issue(owner=staff, name="scoped", partner=world.schannel)[0]
    assert visible(request_for(staff, token), model) == schannel_view(world)[model]


def test_vitamin_user_sees_vitamin_data(world, vitamin_user):
    request = request_for(vitamin_user)
    assert visible(request, Mou) == {world.mou_v}
    assert visible(request, Channel) == {world.channel_v, world.moved}
    assert visible(request, Campaign) == {world.campaign_v}
    assert visible(request, Agency) == {world.province}
    assert visible(request, Person) == {world.person_v, world.official_v}


@pytest.mark.parametrize("model", REGISTRY_MODELS, ids=lambda m: m.__name__)
def test_user_without_company_or_role_sees_nothing(world, nobody, model):
    assert visible(request_for(nobody), model) == set()


def test_a_partner_sees_the_channels_and_kols_its_own_mou_names_and_nothing_of_their_campaigns(world, vitamin_user):
    """Vitamin's MOU names a channel it has never managed; its assignment is in another partner's campaign."""
    named_kol = KolFactory()
    world.mou_v.kols.add(named_kol)
    world.mou_v.channels.add(world.unmanaged)
    world.mou_s.channels.add(world.channel_s)
    request = request_for(vitamin_user)

    assert visible(request, Channel) == {world.channel_v, world.moved, world.unmanaged}
    assert visible(request, Kol) == {world.channel_v.kol, world.moved.kol, world.unmanaged.kol, named_kol}
    assert world.assignment_other not in visible(request, Assignment)
    assert world.joint not in visible(request, Campaign)


@pytest.mark.parametrize("model", [Mou, Channel], ids=lambda m: m.__name__)
def test_anonymous_sees_nothing(world, model):
    assert visible(request_for(AnonymousUser()), model) == set()


@pytest.mark.parametrize("fixture", ["superuser", "administrator", "staff"])
def test_ministry_roles_see_everything(world, request, fixture):
    user = request.getfixturevalue(fixture)
    for model in REGISTRY_MODELS:
        assert visible(request_for(user), model) == set(model.objects.all())


def test_partner_link_wins_over_a_ministry_group(world):
    user = user_with_role("both", MINISTRY_STAFF, partner=world.vitamin)
    assert visible(request_for(user), Mou) == {world.mou_v}


def test_token_scoped_to_another_partner_than_its_owners_sees_nothing(world, schannel_user):
    # Tokens cannot be issued like this; a token changed behind the model's back still gets nothing.
    token = ApiToken.objects.issue(owner=schannel_user, name="t")[0]
    ApiToken.objects.filter(pk=token.pk).update(partner=world.vitamin)
    token.refresh_from_db()
    assert visible(request_for(schannel_user, token), Mou) == set()


def test_inactive_partner_user_sees_nothing(world):
    user = user_with_role("gone", PARTNER_USERS, partner=world.schannel, is_active=False)
    assert visible(request_for(user), PartnerCompany) == set()


def test_scoping_keeps_the_callers_filters(world, schannel_user):
    queryset = Mou.objects.filter(partner=world.vitamin)
    assert list(scope_queryset(request_for(schannel_user), queryset)) == []


def test_scoped_channel_list_is_one_query(world, schannel_user, django_assert_num_queries):
    request = request_for(schannel_user)
    scope_queryset(request, Channel.objects.all()).exists()  # resolves the caller's access once
    with django_assert_num_queries(1):
        list(scope_queryset(request, Campaign.objects.all()))


def test_access_is_resolved_again_when_the_caller_changes(world, superuser, nobody):
    request = request_for(superuser)
    assert visible(request, Mou) == {world.mou_s, world.mou_v}
    request.user = nobody
    assert visible(request, Mou) == set()


def test_ministry_scope_does_not_reuse_an_evaluated_queryset(world, staff):
    queryset = Mou.objects.all()
    list(queryset)  # a class-level queryset evaluated by an earlier request
    later = MouFactory()
    assert later in set(scope_queryset(request_for(staff), queryset))
