"""Create a personal API token for a user and print it once.

The token alone goes to stdout so that a script can capture it
(`TOKEN=$(python manage.py api_token secretariaat)`); the explanation goes to stderr.
"""

from django.core.management.base import BaseCommand, CommandError

from klachtroute.accounts.models import ApiToken, User
from klachtroute.accounts.services import api_token_create


class Command(BaseCommand):
    help = "Create a personal API token for USERNAME and print it (it is shown only once)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="What the token is for, e.g. 'scanner'.")

    def handle(self, *args, username: str, name: str, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user with username {username!r}.")
        if not user.is_active:
            raise CommandError(f"User {username!r} is not active; a token would not work.")
        if len(name) > ApiToken._meta.get_field("name").max_length:
            raise CommandError("The name is too long (at most 100 characters).")
        _token, raw = api_token_create(user=user, name=name)
        self.stderr.write(
            f"API token created for {user.display_name} ({user.username}). "
            "Copy it now; it is not shown again. Use it as 'Authorization: Bearer TOKEN'."
        )
        self.stdout.write(raw)
