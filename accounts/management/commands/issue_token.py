"""``manage.py issue_token USERNAME``: create an API token and print its key once, as the last line."""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.models import ApiToken
from partners.models import PartnerCompany


def end_of_day(day):
    """The first instant after ``day`` in the project's time zone: the token works all of that day."""
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))


class Command(BaseCommand):
    """Issue an API token for a user; the key is printed once and stored only as a hash."""

    help = "Create an API token for USERNAME and print its key (the last line of output)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--read-only", action="store_true", help="Refuse every write with this token.")
        parser.add_argument("--partner", metavar="SLUG", help="Limit the token to this partner company's data.")
        parser.add_argument("--expires", metavar="YYYY-MM-DD", help="Last day the token works (default: never).")
        parser.add_argument("--name", help="What the token is for (default: 'issue_token USERNAME').")

    def handle(self, *args, username, read_only, partner, expires, name, **options):
        try:
            user = get_user_model().objects.get_by_natural_key(username)
        except get_user_model().DoesNotExist as error:
            raise CommandError(f"No user named {username!r}.") from error
        partner_company = None
        if partner:
            partner_company = PartnerCompany.objects.filter(slug=partner).first()
            if partner_company is None:
                raise CommandError(f"No partner company with slug {partner!r}.")
        expires_at = None
        if expires:
            try:
                last_day = datetime.date.fromisoformat(expires)
            except ValueError as error:
                raise CommandError(f"--expires must be a date as YYYY-MM-DD, not {expires!r}.") from error
            if last_day < timezone.localdate():
                raise CommandError(f"--expires {expires} is in the past.")
            expires_at = end_of_day(last_day)
        try:
            token, key = ApiToken.objects.issue(
                owner=user,
                name=name or f"issue_token {username}",
                read_only=read_only,
                partner=partner_company,
                expires_at=expires_at,
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        scope = token.partner.slug if token.partner_id else "none"
        expiry = timezone.localtime(expires_at).isoformat() if expires_at else "never"
        self.stdout.write(
            f"Token {token.name!r} for {username}: read-only={token.read_only}, partner={scope}, expires={expiry}."
        )
        self.stdout.write("The key is shown only now; store it safely:")
        self.stdout.write(key)
