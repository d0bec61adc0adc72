"""Errors the services raise, which entry points turn into pages or JSON."""

from collections.abc import Mapping
from dataclasses import dataclass, field


class NotFoundError(LookupError):
    """Does not exist, or the actor may not know it exists: the two must look identical."""


class ForbiddenError(PermissionError):
    """The actor may not do this."""


@dataclass
class FieldErrors:
    """Errors by field name, each saying what is wrong and how to put it right."""

    errors: dict[str, str] = field(default_factory=dict)

    def add(self, name: str, message: str) -> None:
        self.errors.setdefault(name, message)

    def __bool__(self) -> bool:
        return bool(self.errors)


class RefusedError(ValueError):
    """The input cannot be accepted as given: ``errors`` says what to put right, by field.

    Every typed input validates itself once (``problems()``); the use case raises this with its
    problems, the page shows them beside the fields, the API answers 422 with them.
    """

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = dict(errors)

    def details(self) -> list[str]:
        """``field: message`` for each problem (the API's 422 detail)."""
        return [f"{name}: {message}" for name, message in self.errors.items()]
