"""Shared fixtures. Tests run in English; one test covers the Vietnamese admin."""

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import translation
from rest_framework.test import APIClient


@pytest.fixture(scope="session", autouse=True)
def fast_password_hasher():
    """Real hashers spend their time on purpose; tests create and sign in hundreds of users."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def fresh_cache():
    """Throttle counters and lockouts live in the cache; no test inherits another's."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def fresh_prepared_queries():
    """Each test compiles the prepared queries anew, as a new process does, so that a change to their queryset
    (a mutant, say) is not hidden behind SQL an earlier test compiled."""
    from kolregistry.prepared import PreparedQuery

    PreparedQuery.forget_all()


@pytest.fixture
def demo_data(db):
    """The demo data set built from the five source articles."""
    call_command("load_demo", verbosity=0)


@pytest.fixture(scope="module")
def demo_data_for_module(django_db_setup, django_db_blocker):
    """The demo data set, loaded once for a whole module of read-only tests and rolled back after it.

    Each test still runs in its own savepoint inside this transaction, so what a test writes is undone.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def staff_user(db):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser("admin", "admin@example.test", "test-password-123")


@pytest.fixture
def api(staff_user):
    """An API client signed in as a superuser."""
    client = APIClient()
    client.force_authenticate(staff_user)
    return client


@pytest.fixture
def admin_client(client, staff_user):
    client.force_login(staff_user)
    return client
