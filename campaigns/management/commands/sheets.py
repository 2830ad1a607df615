"""What import_sheet and export_sheet share: the sheets by name and the user a command acts as."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils.module_loading import autodiscover_modules

from kolregistry.sheets import SHEETS, system_request

# Each app's resources module registers its sheets (accounts' too, which this app may not import).
autodiscover_modules("resources")


def add_sheet_arguments(parser):
    parser.add_argument("resource", choices=sorted(SHEETS), help="The sheet: " + ", ".join(sorted(SHEETS)) + ".")
    parser.add_argument("--user", help="Act as this user: their scope and permissions, and the history names them.")


def sheet_request(username):
    if not username:
        return system_request()
    try:
        user = get_user_model().objects.get(username=username, is_active=True)
    except get_user_model().DoesNotExist:
        raise CommandError(f"No active user {username!r}.") from None
    return system_request(user)
