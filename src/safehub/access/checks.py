"""A switch for the application's own access checks, so that tests can prove RLS holds alone.

Only a test may turn the checks off: ``app_checks_off()`` refuses outside pytest. With the checks
off, ``can`` allows every role and subject, and the services filter nothing: whatever a user then
sees is what PostgreSQL row-level security lets through (``tests/access``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

_state = {"enabled": True}


def app_checks_enabled() -> bool:
    return _state["enabled"]


@contextmanager
def app_checks_off() -> Iterator[None]:
    """Turn the application's checks off for the duration (tests only).

    >>> with app_checks_off():   # doctest: +SKIP
    ...     client.get("/people/12")   # only row-level security stands in the way
    """
    if "PYTEST_CURRENT_TEST" not in os.environ:
        raise RuntimeError("the application's access checks can only be switched off in a test")
    _state["enabled"] = False
    try:
        yield
    finally:
        _state["enabled"] = True
