"""The error a practice use case raises for a typed input with problems (``problems()``), so that
the page shows each by its field and the API answers 422 with the same words."""

from __future__ import annotations


class PracticeRefusedError(ValueError):
    """What was sent cannot be recorded as it is: ``errors`` says what to fix, by field."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def refuse_if(problems: dict[str, str]) -> None:
    """Raise ``PracticeRefusedError`` when a typed input has problems."""
    if problems:
        raise PracticeRefusedError(problems)
