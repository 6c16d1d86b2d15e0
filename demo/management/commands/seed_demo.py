"""python manage.py seed_demo [--communities N]: demo regions, round, communities, accounts."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User
from demo.seed import ACCOUNTS, seed


class Command(BaseCommand):
    help = "Create demo data (idempotent) and print the demo logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--communities", type=int, default=120)
        parser.add_argument("--seed", type=int, default=2026, help="random seed")

    def handle(self, *args: object, **options: Any) -> None:
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError(
                "demo data is not allowed with these settings (production); "
                "use config.settings.local on a machine of your own"
            )
        count = options["communities"]
        if not isinstance(count, int) or count < 0 or count > 100_000:
            raise CommandError("--communities must be between 0 and 100000")
        users = seed(communities=count, random_seed=int(options["seed"]), log=self.stdout.write)
        self.stdout.write("")
        self.stdout.write("Demo logins (change or delete them before real use):")
        for account in ACCOUNTS:
            self.stdout.write(_login_line(account, users[account.username]))


def _login_line(account: Any, user: User) -> str:
    scope = f" ({account.region_code})" if account.region_code else ""
    if user.check_password(account.password):
        return f"  {account.username:<16} {account.password:<22} {account.role}{scope}"
    return f"  {account.username:<16} {'(not the demo password)':<22} {user.role}"
