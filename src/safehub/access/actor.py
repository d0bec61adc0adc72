"""Who is acting: the one type every use case, policy check and audit entry reads."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is acting: a signed-in user or a system process (``system:cli:<os user>``)."""

    label: str
    user_id: int | None = None
    agency_id: int | None = None
    role: str | None = None
    team_id: int | None = None

    @property
    def is_system(self) -> bool:
        """A process acting for the partnership (CLI, jobs), never a signed-in user.

        Row-level security lets a system actor through (``safehub.system``)."""
        return self.user_id is None and self.label.startswith("system:")

    def rls_settings(self) -> dict[str, str]:
        """The per-transaction settings row-level security reads (``safehub.db.rls``)."""
        return {
            "safehub.user_id": "" if self.user_id is None else str(self.user_id),
            "safehub.agency_id": "" if self.agency_id is None else str(self.agency_id),
            "safehub.role": self.role or "",
            "safehub.system": "on" if self.is_system else "",
        }
