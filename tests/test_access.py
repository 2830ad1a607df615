"""The core access mechanism: every model declares how it relates to a partner, and undeclared means hidden."""

from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.test import RequestFactory
from simple_history.models import HistoricalChanges

from accounts.models import PartnerAccount
from accounts.roles import MINISTRY_STAFF, PARTNER_USERS
from kolregistry.access import PartnerScope, declared_scope, scope_queryset, scope_related
from partners.models import Agency, Channel, ChannelMetric, Kol
from tests.factories import (
    AgencyFactory,
    ChannelFactory,
    ChannelMetricFactory,
    MouFactory,
    PartnerCompanyFactory,
    RosterMembershipFactory,
    UserFactory,
)
from tests.helpers import role_user


def project_models():
    """Every concrete model of the project's own apps; history copies are read through their object."""
    base = Path(settings.BASE_DIR).resolve()
    return [
        model
        for config in apps.get_app_configs()
        if base in Path(config.path).resolve().parents and ".venv" not in Path(config.path).parts
        for model in config.get_models()
        if not issubclass(model, HistoricalChanges)
    ]


def test_the_project_has_models_to_check():
    names = {model.__name__ for model in project_models()}
    assert {"Channel", "Mou", "Campaign", "CampaignReport", "ApiToken"} <= names


@pytest.mark.parametrize("model", project_models(), ids=lambda model: model._meta.label)
def test_every_model_declares_how_it_relates_to_a_partner(model):
    assert declared_scope(model) is not None, (
        f"{model._meta.label} has no partner_scope = PartnerScope(...): declare which rows a partner may see "
        "(PartnerScope() for none)."
    )


def partner_request(partner):
    user = UserFactory()
    PartnerAccount.objects.create(user=user, partner=partner)
    request = RequestFactory().get("/")
    request.user = user
    return request


@pytest.mark.django_db
def test_a_model_without_a_declaration_is_hidden_from_partners():
    Group.objects.get_or_create(name="Editors")
    request = partner_request(PartnerCompanyFactory())

    assert declared_scope(Group) is None
    assert Group.objects.exists()
    assert not scope_queryset(request, Group.objects.all()).exists()


@pytest.mark.django_db
def test_a_declaration_through_a_relation_follows_the_related_models_own_declaration():
    schannel, vitamin = PartnerCompanyFactory(), PartnerCompanyFactory()
    ours, theirs = ChannelFactory(), ChannelFactory()
    RosterMembershipFactory(partner=schannel, channel=ours)
    RosterMembershipFactory(partner=vitamin, channel=theirs)

    assert set(scope_queryset(partner_request(schannel), Channel.objects.all())) == {ours}


@pytest.mark.parametrize(
    ("model", "via", "cycle"), [(Agency, "parent", "Agency -> Agency"), (Kol, "channels__kol", "Kol -> Kol")]
)
def test_a_cycle_of_declarations_is_refused_instead_of_recursing_forever(model, via, cycle):
    with pytest.raises(ImproperlyConfigured, match=f"cycle: {cycle}"):
        PartnerScope(via=(via,)).condition(model, 1)


@pytest.mark.django_db
def test_only_ministry_users_may_be_responsible_for_an_mou():
    MouFactory(responsible=role_user(MINISTRY_STAFF)).full_clean()
    with pytest.raises(ValidationError) as error:
        MouFactory(responsible=role_user(PARTNER_USERS, PartnerCompanyFactory())).full_clean()
    assert list(error.value.message_dict) == ["responsible"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["accounts.access.no_such_function", "no_such_module.ministry_users", None])
def test_a_misconfigured_ministry_users_setting_is_reported_by_name(settings, name):
    settings.REGISTRY_MINISTRY_USERS = name
    mou = MouFactory(responsible=role_user(MINISTRY_STAFF))
    with pytest.raises(ImproperlyConfigured) as error:
        mou.full_clean()
    assert str(error.value) == "REGISTRY_MINISTRY_USERS must name a function () -> user queryset."


@pytest.mark.django_db
def test_scope_related_loads_what_a_relation_joins_along_with_it(django_assert_num_queries):
    """``select_related("channel__agency__parent")`` still joins the agency and its parent to the scoped channels."""
    partner = PartnerCompanyFactory()
    metrics = []
    for _ in range(2):
        channel = ChannelFactory(kol=None, agency=AgencyFactory(parent=AgencyFactory()))
        RosterMembershipFactory(partner=partner, channel=channel)
        metrics.append(ChannelMetricFactory(channel=channel))
    queryset = ChannelMetric.objects.select_related("channel__agency__parent").order_by("pk")

    rows = scope_related(partner_request(partner), queryset)

    with django_assert_num_queries(2):  # the metrics, then their channels with agency and parent
        parents = [metric.channel.agency.parent for metric in rows]
    assert parents == [metric.channel.agency.parent for metric in metrics]


@pytest.mark.django_db
def test_scope_related_refuses_a_select_related_that_names_no_relation():
    """``select_related()`` alone joins every relation, which a partner's scope could not follow."""
    with pytest.raises(ImproperlyConfigured) as error:
        scope_related(partner_request(PartnerCompanyFactory()), ChannelMetric.objects.select_related())
    assert str(error.value) == "scope_related needs select_related() to name its relations."
