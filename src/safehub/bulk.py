"""Helpers for work on a million rows in one process."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building millions of small objects.

    Rows, tuples and records built from an extract form no reference cycles, yet each
    collection walks every object alive: at a million mentions that was a third of reading and
    more than half of collapsing them into people. Reference counting still frees everything.

    >>> with cyclic_gc_paused():
    ...     rows = [(i, str(i)) for i in range(3)]
    >>> gc.isenabled()
    True
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
