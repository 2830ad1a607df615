"""``manage.py load_demo``: the demo data set from the source articles."""

from django.core.management.base import BaseCommand, CommandError

from demo.facts import DEMO_MODELS, load_demo
from demo.loader import DataError
from demo.users import DEMO_PASSWORD_ENV


class Command(BaseCommand):
    """Load the agencies, partners, KOLs, channels, MOUs, campaigns and figures of the five source articles.

    Idempotent: a second run changes nothing. Also creates three demo-only staff users; a generated password
    is printed once, whatever the verbosity, because it cannot be shown again.
    """

    help = (
        "Load the demo data from the source articles and the demo-only users (idempotent). "
        f"Set {DEMO_PASSWORD_ENV} to choose the demo users' password."
    )

    def handle(self, *args, **options):
        try:
            loader, demo_users = load_demo()
        except DataError as error:
            raise CommandError(f"Demo data not loaded: {error}") from error
        if demo_users.generated_password:
            names = ", ".join(user.username for user in demo_users.created)
            self.stdout.write(
                "\n".join(
                    [
                        "=" * 60,
                        "DEMO-ONLY credentials (not for production; shown only this once)",
                        f"Users:    {names}",
                        f"Password: {demo_users.generated_password}",
                        f"Set {DEMO_PASSWORD_ENV} to choose the password instead.",
                        "=" * 60,
                    ]
                )
            )
        if options["verbosity"] < 1:
            return
        self.stdout.write("Demo data loaded:")
        for model in DEMO_MODELS:
            total, created, updated = loader.counts(model)
            self.stdout.write(f"  {model.__name__}: {total} ({created} created, {updated} updated)")
        users = demo_users.users
        self.stdout.write(f"  Demo users: {len(users)} ({len(demo_users.created)} created)")
