"""The hash chain of the audit log: each entry's hash covers its content and the previous hash.

An owner or superuser can still rewrite the whole chain consistently inside the database; the
anchors kept outside it (``safehub.audit.anchors``) catch that.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import text
from sqlalchemy.orm import Session

GENESIS = "0" * 64
# One advisory lock for the chain; taken as the last step before commit so that a long import
# does not block every page view while it runs.
CHAIN_LOCK_KEY = 0x5AFE_4A0D


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """What is logged: never a payload, only which records and why."""

    actor: str
    action: str  # collection, alteration, consultation, disclosure, combination, erasure, …
    object_type: str
    object_ids: Sequence[str]
    purpose: str
    source: str | None = None
    detail: dict[str, object] = field(default_factory=dict)


def entry_hash(entry_id: int, occurred_at: datetime, entry: AuditEntry, prev_hash: str) -> str:
    canonical = json.dumps(
        {
            "id": entry_id,
            "at": occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
            "actor": entry.actor,
            "action": entry.action,
            "object_type": entry.object_type,
            "object_ids": list(entry.object_ids),
            "purpose": entry.purpose,
            "source": entry.source,
            "detail": entry.detail,
            "prev": prev_hash,
        },
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def append_entries(session: Session, entries: Iterable[AuditEntry]) -> list[int]:
    """Append entries under the chain lock, in the caller's transaction."""
    pending = list(entries)
    if not pending:
        return []
    session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": CHAIN_LOCK_KEY})
    row = session.execute(
        text("SELECT entry_hash FROM audit_event ORDER BY id DESC LIMIT 1")
    ).first()
    prev = row[0] if row else GENESIS
    ids: list[int] = []
    for entry in pending:
        entry_id = int(session.execute(text("SELECT nextval('audit_event_id_seq')")).scalar_one())
        now = datetime.now(UTC)
        digest = entry_hash(entry_id, now, entry, prev)
        session.execute(
            text(
                "INSERT INTO audit_event (id, occurred_at, actor, action, object_type, object_ids,"
                " purpose, source, detail, prev_hash, entry_hash) VALUES (:id, :at, :actor,"
                " :action, :otype, CAST(:oids AS jsonb), :purpose, :source, CAST(:detail AS jsonb),"
                " :prev, :hash)"
            ),
            {
                "id": entry_id,
                "at": now,
                "actor": entry.actor,
                "action": entry.action,
                "otype": entry.object_type,
                "oids": json.dumps(list(entry.object_ids)),
                "purpose": entry.purpose,
                "source": entry.source,
                "detail": json.dumps(entry.detail, default=str),
                "prev": prev,
                "hash": digest,
            },
        )
        ids.append(entry_id)
        prev = digest
    return ids


@dataclass(frozen=True, slots=True)
class ChainReport:
    entries: int
    head: str
    first_broken_id: int | None
    problem: str | None

    @property
    def intact(self) -> bool:
        return self.first_broken_id is None and self.problem is None


def verify_chain(session: Session) -> ChainReport:
    """Recompute every hash in id order; report the first entry that does not fit."""
    result = session.execute(
        text(
            "SELECT id, occurred_at, actor, action, object_type, object_ids, purpose, source,"
            " detail, prev_hash, entry_hash FROM audit_event ORDER BY id"
        )
    )
    prev = GENESIS
    count = 0
    for row in result:
        count += 1
        entry = AuditEntry(
            row.actor,
            row.action,
            row.object_type,
            row.object_ids,
            row.purpose,
            row.source,
            row.detail,
        )
        if row.prev_hash != prev:
            return ChainReport(
                count,
                prev,
                row.id,
                f"entry {row.id} does not follow the entry "
                "before it (an entry was deleted, inserted or reordered)",
            )
        if entry_hash(row.id, row.occurred_at, entry, prev) != row.entry_hash:
            return ChainReport(
                count,
                prev,
                row.id,
                f"entry {row.id} was altered: its content no longer matches its hash",
            )
        prev = row.entry_hash
    return ChainReport(count, prev, None, None)
