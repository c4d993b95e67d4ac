from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model


@pytest.fixture
def make_user(db) -> Callable[..., Any]:
    def make(username: str = "alice"):
        return get_user_model().objects.create_user(username=username, password="x" * 12)

    return make
