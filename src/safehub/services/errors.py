"""Errors the services raise, which entry points turn into pages or JSON."""

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
