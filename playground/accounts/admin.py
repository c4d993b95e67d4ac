from __future__ import annotations

from django.contrib import admin

from playground.accounts.models import LoginLink


@admin.register(LoginLink)
class LoginLinkAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "expires_at", "used_at"]
    readonly_fields = ["user", "token_hash", "created_at", "expires_at", "used_at"]
