from __future__ import annotations

from django.apps import AppConfig


class LimitsConfig(AppConfig):
    name = "playground.limits"
    label = "limits"

    def ready(self) -> None:
        from django.contrib import admin

        from playground.limits.login import ThrottledAdminAuthenticationForm

        # The admin's own sign-in form takes the same limit as the site's.
        admin.site.login_form = ThrottledAdminAuthenticationForm
