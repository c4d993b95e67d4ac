from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from playground.accounts.services import OWNER_USERNAME, login_link_create


class Command(BaseCommand):
    help = "Print a one-time login link (valid for LOGIN_LINK_MINUTES, single use)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", nargs="?", default=None, help="default: the owner")
        parser.add_argument("--base-url", default="http://127.0.0.1:8000")

    def handle(self, *args: Any, username: str | None, base_url: str, **options: Any) -> None:
        users = get_user_model().objects.filter(is_active=True)
        if username:
            user = users.filter(username=username).first()
        else:
            user = (
                users.filter(username=OWNER_USERNAME).first()
                or users.filter(is_superuser=True).order_by("pk").first()
            )
        if user is None:
            raise CommandError(f"No active user {username or OWNER_USERNAME!r}.")
        self.stdout.write(base_url.rstrip("/") + login_link_create(user=user))
