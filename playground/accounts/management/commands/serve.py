from __future__ import annotations

import os
import sys
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from playground.accounts.services import OWNER_USERNAME, login_link_create, owner_ensure
from playground.workers.services import streams_interrupt_orphaned


class Command(BaseCommand):
    help = (
        "Set up and serve the playground: apply migrations, create the owner account on first "
        "run, print a one-time login link, and serve HTTP and WebSockets with daphne."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-link", action="store_true", help="do not print a login link")
        parser.add_argument("--access-log", action="store_true", help="log every request")

    def handle(self, *args: Any, host: str, port: int, no_link: bool, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        created = owner_ensure()
        # Only replies whose worker is gone: with several workers, others may be streaming.
        interrupted = streams_interrupt_orphaned()
        if interrupted:
            self.stdout.write(
                f"Marked {interrupted} reply(ies) cut off by the last stop as interrupted."
            )
        local_host = "127.0.0.1" if host in {"0.0.0.0", "::", ""} else host
        display_host = f"[{local_host}]" if ":" in local_host else local_host
        base_url = f"http://{display_host}:{port}"
        if "EMULATOR_BASE_URL" not in os.environ:
            # The playground calls its own emulator over HTTP, like any other upstream.
            settings.EMULATOR_BASE_URL = f"{base_url}/emulator/v1beta/openai/"

        if created is not None:
            self.stdout.write(f"Created the owner account {OWNER_USERNAME!r}.")
        if not no_link:
            user = (
                get_user_model()
                .objects.filter(is_active=True, is_superuser=True)
                .order_by("pk")
                .first()
            )
            if user is not None:
                link = base_url + login_link_create(user=user)
                minutes = settings.LOGIN_LINK_MINUTES
                self.stdout.write(f"Open this link to sign in (one use, {minutes} minutes):")
                self.stdout.write(f"    {link}")
        provider = "Gemini" if settings.GEMINI_API_KEY else "the built-in emulator (offline)"
        self.stdout.write(f"Upstream: {provider}. Serving on {base_url}/ (Ctrl+C to stop)")
        self.stdout.flush()
        self._serve(host, port, access_log=options["access_log"])

    def _serve(self, host: str, port: int, *, access_log: bool) -> None:
        from daphne.access import AccessLogGenerator
        from daphne.endpoints import build_endpoint_description_strings

        from playground.asgi import application
        from playground.limits.daphne_server import BodyLimitedServer

        # daphne reads bodies whole before the application sees them: this one stops at the
        # limit. Socket messages over the frame limit are refused by daphne itself.
        BodyLimitedServer(
            application=application,
            endpoints=build_endpoint_description_strings(host=host, port=port),
            action_logger=AccessLogGenerator(sys.stdout) if access_log else None,
            verbosity=0,
            application_close_timeout=5,
            websocket_max_message_size=settings.SOCKET_MAX_FRAME_BYTES,
            websocket_max_frame_size=settings.SOCKET_MAX_FRAME_BYTES,
        ).run()
