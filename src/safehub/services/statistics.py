"""Counts of what the database holds, for `safehub stats` and the home page."""

from __future__ import annotations

from safehub.db.queries.imports import count_totals
from safehub.db.uow import UnitOfWork


def count_everything(uow: UnitOfWork) -> dict[str, int]:
    """Aggregates only: no personal data is consulted, so nothing identifiable is logged."""
    return count_totals(uow.session)
