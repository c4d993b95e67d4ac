"""Django's guard against database queries on the event loop is on for every non-browser test.

Only the browser tests, whose Playwright loop runs in the test thread, switch it off, and only
while each of them runs (tests/e2e/conftest.py).
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import SynchronousOnlyOperation


async def test_a_sync_query_inside_async_code_is_refused(db) -> None:
    with pytest.raises(SynchronousOnlyOperation):
        get_user_model().objects.count()
