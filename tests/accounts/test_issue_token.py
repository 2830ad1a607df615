"""manage.py issue_token."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken

pytestmark = pytest.mark.urls("tests.accounts.api_stub")


def issue(*args):
    out = StringIO()
    call_command("issue_token", *args, stdout=out)
    return out.getvalue().splitlines()


def test_last_line_is_a_working_key(world, staff):
    key = issue(staff.username)[-1]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/mous/").status_code == 200
    token = ApiToken.objects.get_by_key(key)
    assert (token.owner, token.read_only, token.partner, token.expires_at) == (staff, False, None, None)
    assert token.name == f"issue_token {staff.username}"


def test_options_set_the_tokens_rights(world, staff):
    lines = issue(staff.username, "--read-only", "--partner", "vitamin", "--expires", "2099-12-31", "--name", "BI")
    token = ApiToken.objects.get_by_key(lines[-1])
    assert (token.name, token.read_only, token.partner) == ("BI", True, world.vitamin)
    assert timezone.localtime(token.expires_at) == timezone.make_aware(datetime.datetime(2100, 1, 1))
    assert "partner=vitamin" in lines[0]


def test_key_is_printed_only_once_and_not_stored(world, staff):
    lines = issue(staff.username)
    key = lines[-1]
    assert sum(key in line for line in lines) == 1
    assert not ApiToken.objects.filter(key_hash=key).exists()


def test_token_expiring_today_works_until_midnight(world, staff):
    key = issue(staff.username, "--expires", timezone.localdate().isoformat())[-1]
    assert not ApiToken.objects.get_by_key(key).is_expired


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ghost"], "No user named 'ghost'"),
        (["ministry.staff", "--partner", "nowhere"], "No partner company with slug 'nowhere'"),
        (["ministry.staff", "--expires", "31/12/2099"], "YYYY-MM-DD"),
        (["ministry.staff", "--expires", "2020-01-01"], "in the past"),
    ],
)
def test_errors(world, staff, args, message):
    with pytest.raises(CommandError, match=message):
        issue(*args)
    assert not ApiToken.objects.exists()


def test_partner_user_cannot_get_a_token_for_another_partner(world, schannel_user):
    with pytest.raises(CommandError, match="own company"):
        issue(schannel_user.username, "--partner", "vitamin")
