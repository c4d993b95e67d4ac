"""Owner account and one-time login links."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from playground.accounts.models import LoginLink

OWNER_USERNAME = "owner"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def owner_ensure() -> AbstractBaseUser | None:
    """Create the first account when there is none; returns it, or None if users exist."""
    user_model = get_user_model()
    if user_model.objects.exists():
        return None
    user = user_model.objects.create_superuser(username=OWNER_USERNAME, email="", password=None)
    return user


def login_link_create(*, user: AbstractBaseUser) -> str:
    """Mint a link path (no host) that signs `user` in once within LOGIN_LINK_MINUTES."""
    token = secrets.token_urlsafe(32)
    LoginLink.objects.create(
        user=user,
        token_hash=_hash(token),
        expires_at=timezone.now() + timedelta(minutes=settings.LOGIN_LINK_MINUTES),
    )
    return reverse("accounts:link", kwargs={"token": token})


def login_link_redeem(*, token: str) -> AbstractBaseUser | None:
    """The link's user if the link is valid; marks it used so it never works twice."""
    with transaction.atomic():
        link = (
            LoginLink.objects.select_for_update()
            .select_related("user")
            .filter(token_hash=_hash(token), used_at__isnull=True, expires_at__gt=timezone.now())
            .first()
        )
        if link is None or not link.user.is_active:
            return None
        link.used_at = timezone.now()
        link.save(update_fields=["used_at"])
        return link.user
