"""The service navigation, assembled from the page modules that declare a ``NAV`` entry."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from types import ModuleType

from safehub.access import Permission, can
from safehub.access.actor import Actor


@dataclass(frozen=True, slots=True)
class NavItem:
    href: str
    text: str
    permission: Permission
    order: int = 50


def collect(modules: Iterable[ModuleType]) -> list[NavItem]:
    items = [item for m in modules for item in getattr(m, "NAV", ())]
    return sorted(items, key=lambda i: (i.order, i.text))


def visible_to(items: Iterable[NavItem], actor: Actor | None) -> list[dict[str, str]]:
    """The links this actor may follow; a signed-out visitor sees none."""
    if actor is None:
        return []
    return [{"href": i.href, "text": i.text} for i in items if can(actor, i.permission)]
