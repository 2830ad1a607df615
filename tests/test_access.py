"""The core access mechanism: every model declares how it relates to a partner, and undeclared means hidden."""

from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from simple_history.models import HistoricalChanges

from accounts.models import PartnerAccount
from kolregistry.access import PartnerScope, declared_scope, scope_queryset
from partners.models import Agency, Channel
from tests.factories import ChannelFactory, PartnerCompanyFactory, RosterMembershipFactory, UserFactory


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


def test_a_cycle_of_declarations_is_refused_instead_of_recursing_forever():
    with pytest.raises(ImproperlyConfigured, match="cycle: Agency -> Agency"):
        PartnerScope(via=("parent",)).condition(Agency, 1)
