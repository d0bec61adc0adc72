"""Progress reporting that works with a rich ``Progress`` or nothing at all."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol


class ProgressLike(Protocol):
    """What we use of ``rich.progress.Progress``."""

    def add_task(self, description: str, *args: Any, **kwargs: Any) -> Any: ...

    def update(self, task_id: Any, *args: Any, **kwargs: Any) -> None: ...


@contextmanager
def step(progress: ProgressLike | None, description: str) -> Iterator[None]:
    """Show ``description`` as one task, completed when the block ends."""
    if progress is None:
        yield
        return
    task = progress.add_task(description, total=1)
    yield
    progress.update(task, completed=1)
