"""The ministry staff user the benchmark acts as, in the admin and through the API."""

import secrets

from axes.utils import reset as reset_lockouts
from django.contrib.auth import get_user_model

from accounts.roles import MINISTRY_STAFF, ensure_roles
from demo.users import add_to_group

USERNAME = "benchmark.ministry"


def ministry_staff_user():
    """The user, in the ministry staff role, with a new password each run: ``(user, password)``."""
    ensure_roles()
    user, _created = get_user_model().objects.get_or_create(username=USERNAME)
    password = secrets.token_urlsafe(16)
    user.first_name, user.is_staff, user.is_active, user.is_superuser = "Benchmark", True, True, False
    user.set_password(password)
    user.save()
    add_to_group(user, MINISTRY_STAFF)
    # Failed logins of an interrupted run must not lock this one out (django-axes).
    reset_lockouts(username=USERNAME)
    return user, password
