"""Counts of what the database holds, for `safehub stats` and the home page."""

from __future__ import annotations

from safehub.db.queries.imports import count_totals, estimate_totals
from safehub.db.uow import UnitOfWork


def count_everything(uow: UnitOfWork) -> dict[str, int]:
    """Aggregates only: no personal data is consulted, so nothing identifiable is logged."""
    return count_totals(uow.session)


def estimate_everything(uow: UnitOfWork) -> dict[str, int]:
    """About how much the hub holds, for the home page every user opens: the database's own
    estimates, read in a millisecond at any size (``estimate_totals``). Aggregates only."""
    return estimate_totals(uow.session)
