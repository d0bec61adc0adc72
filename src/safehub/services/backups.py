"""Backups as logged disclosures: a copy of the whole record leaves the database."""

from __future__ import annotations

from safehub.db.uow import UnitOfWork


def record_backup(uow: UnitOfWork, *, file_name: str) -> None:
    """Log that a backup is being taken, before it is: the entry is then part of the backup,
    and the DPO's list of disclosures shows who copied the database, when and to which file."""
    uow.audit(
        "disclosure",
        "database",
        [],
        purpose="backup of the whole database",
        detail={"file": file_name},
    )
