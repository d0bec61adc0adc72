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
from typing import NamedTuple

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


class ChainHead(NamedTuple):
    """The newest entry of the chain: what the head anchor signs."""

    entry_id: int
    entry_hash: str


def append_entries(session: Session, entries: Iterable[AuditEntry]) -> ChainHead | None:
    """Append entries under the chain lock, in the caller's transaction; the chain's new head
    (the last entry appended), None when there was nothing to append."""
    pending = list(entries)
    if not pending:
        return None
    # The lock first, in a statement of its own: a statement reads the rows committed when it
    # starts, so the previous hash must be read by a later statement than the one that waited
    # for the lock, or two commits could both chain onto the same entry.
    session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": CHAIN_LOCK_KEY})
    # The previous hash and every new entry's id in one statement (one round trip per page view
    # fewer: the audit entry is written on every page).
    row = session.execute(
        text(
            "SELECT (SELECT entry_hash FROM audit_event ORDER BY id DESC LIMIT 1), "
            "array(SELECT nextval('audit_event_id_seq') FROM generate_series(1, :n))"
        ),
        {"n": len(pending)},
    ).one()
    prev = row[0] or GENESIS
    entry_ids = sorted(int(i) for i in row[1])
    for entry_id, entry in zip(entry_ids, pending, strict=True):
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
        prev = digest
    return ChainHead(entry_ids[-1], prev)


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
