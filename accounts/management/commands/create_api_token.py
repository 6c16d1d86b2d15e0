"""Print a new API token for a user: ``manage.py create_api_token USERNAME``."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from accounts.models import User
from accounts.tokens import MAX_LIFETIME_DAYS, api_token_create
from common.errors import DomainError
from common.params import int_param


class Command(BaseCommand):
    help = "Create an API token for USERNAME and print it (it is shown only this once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="command line", help="what uses the token")
        # Read as text and checked here, so a bad value ends with one line, not the usage.
        parser.add_argument(
            "--expires-days", default=None, help="days until it expires (default: never)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days = _days(options["expires_days"])
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user named {options['username']!r}.")
        expires = timezone.now() + timedelta(days=days) if days is not None else None
        try:
            _token, secret = api_token_create(
                actor=None, user=user, name=options["name"], expires_at=expires
            )
        except DomainError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(secret)


def _days(raw: str | None) -> int | None:
    if raw is None:
        return None
    days = int_param(str(raw).strip(), maximum=MAX_LIFETIME_DAYS)
    if days is None:
        raise CommandError(f"--expires-days must be a whole number from 1 to {MAX_LIFETIME_DAYS}.")
    return days
