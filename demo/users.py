"""The DEMO-ONLY users and their roles: ``ministry.demo`` (ministry staff), ``schannel.demo`` and ``vitamin.demo``.

Users are not facts from the articles, so they live here in code rather than in ``data/``. Like the data,
they are written only when something changes: a second run saves no user, group link or partner account.
"""

import os
import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from accounts.models import PartnerAccount
from accounts.roles import MINISTRY_STAFF, PARTNER_USERS, ensure_roles
from partners.models import Mou, PartnerCompany

DEMO_PASSWORD_ENV = "KOLREG_DEMO_PASSWORD"

# Username and display name: the admin greets users by it, so each says who is signed in, and that it is a demo.
DEMO_USERS = [
    ("ministry.demo", "Cán bộ Bộ (demo)"),
    ("schannel.demo", "SChannel (demo)"),
    ("vitamin.demo", "Vitamin (demo)"),
]
# The partner company (by slug) each demo partner user works for.
DEMO_PARTNERS = {"schannel.demo": "schannel", "vitamin.demo": "vitamin"}
# The demo staff user is responsible for the demo's MOUs, so `mou_alerts` has someone to write to
# (at a reserved domain: nothing is ever delivered).
DEMO_RESPONSIBLE = "ministry.demo"
DEMO_EMAILS = {DEMO_RESPONSIBLE: "ministry.demo@example.invalid"}


@dataclass(frozen=True)
class DemoUsers:
    """The demo users, and the password generated for those created on this run (None otherwise)."""

    users: list
    created: list
    generated_password: str | None


def ensure_demo_users():
    """Create or refresh ministry.demo, schannel.demo and vitamin.demo: staff, never superusers.

    The password is KOLREG_DEMO_PASSWORD when set, applied on every run. Otherwise users created on this run
    get one shared generated password, returned for the caller to show once; existing users keep theirs.
    It is never written to a file.
    """
    user_model = get_user_model()
    env_password = os.environ.get(DEMO_PASSWORD_ENV) or None
    generated = None
    users, created = [], []
    for username, display_name in DEMO_USERS:
        user = user_model.objects.filter(username=username).first()
        is_new = user is None
        if is_new:
            user = user_model(username=username)
        wanted = {
            "first_name": display_name,
            "last_name": "",
            "email": DEMO_EMAILS.get(username, ""),
            "is_active": True,
            "is_staff": True,
            "is_superuser": False,
        }
        changed = is_new or any(getattr(user, name) != value for name, value in wanted.items())
        for name, value in wanted.items():
            setattr(user, name, value)
        if env_password and (is_new or not user.check_password(env_password)):
            user.set_password(env_password)
            changed = True
        elif is_new and not env_password:
            generated = generated or secrets.token_urlsafe(12)
            user.set_password(generated)
        if changed:
            user.save()
        users.append(user)
        if is_new:
            created.append(user)
    return DemoUsers(users=users, created=created, generated_password=generated)


def assign_demo_roles(users_by_username):
    """Give the demo users their roles: ``ministry.demo`` staff, ``schannel.demo`` and ``vitamin.demo`` partners."""
    ensure_roles()
    for username, user in users_by_username.items():
        if username == "ministry.demo":
            add_to_group(user, MINISTRY_STAFF)
            if not user.is_staff:
                user.is_staff = True
                user.save(update_fields=["is_staff"])
        elif username in DEMO_PARTNERS:
            add_to_group(user, PARTNER_USERS)
            link_to_partner(user, PartnerCompany.objects.get(slug=DEMO_PARTNERS[username]))


def add_to_group(user, name):
    """Add ``user`` to the group ``name`` unless already in it (``groups.add`` would still signal a change)."""
    group = Group.objects.get(name=name)
    if not user.groups.filter(pk=group.pk).exists():
        user.groups.add(group)


def link_to_partner(user, partner):
    """Link ``user`` to ``partner``, saving the account only when the link is new or changes (it has history)."""
    account = PartnerAccount.objects.filter(user=user).first()
    if account is None:
        PartnerAccount.objects.create(user=user, partner=partner)
    elif account.partner_id != partner.pk:
        account.partner = partner
        account.save()


def assign_demo_responsibility(users_by_username):
    """Make ``ministry.demo`` responsible for the MOUs that have no responsible staff member yet."""
    user = users_by_username[DEMO_RESPONSIBLE]
    for mou in Mou.objects.filter(responsible__isnull=True):
        mou.responsible = user
        mou.save(update_fields=["responsible", "updated_at"])
