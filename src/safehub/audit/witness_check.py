"""Holding the chain against what an external witness kept (``safehub.audit.witness``).

The witness is trusted for where it is (append-only, on a host the database's administrators
cannot write to), not for what it says: a syslog collector takes a message from anyone. So a
witnessed anchor that the chain contradicts is reported as a rewritten or cut chain only when it
carries this deployment's signature (or none can be checked, the key being gone); one signed by
nobody here is reported as a forged record. Records of other databases (a collector shared by
several deployments, or the database before a restore) are set aside and named.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import text
from sqlalchemy.orm import Session

from safehub.audit.anchors import (
    Anchor,
    AnchorStore,
    check_entry,
    database_identity,
    key_id_of,
    signature_valid,
)
from safehub.audit.witness import TAG

_BATCH = 5000


@dataclass(frozen=True, slots=True)
class Witnessed:
    """One anchor as a witness kept it."""

    line: int
    anchor: Anchor
    signature: str
    key: str | None


@dataclass(frozen=True, slots=True)
class WitnessRecords:
    source: str
    records: list[Witnessed]
    damaged_lines: list[int]  # lines tagged as anchors that do not read (a torn last write)


def read_witness(path: Path) -> WitnessRecords:
    """Every tagged anchor in a witness file: the JSON lines a ``file`` witness appends, or a
    syslog collector's file (each anchor after its ``safehub-audit-anchor:`` tag), or the objects
    a ``command`` witness stored, put one after another."""
    records: list[Witnessed] = []
    damaged: list[int] = []
    decoder = json.JSONDecoder()
    with path.open(encoding="utf-8", errors="replace") as lines:
        for number, line in enumerate(lines, start=1):
            if f'"{TAG}"' not in line:
                continue  # another program's line in a shared log
            try:
                body, _ = decoder.raw_decode(line, line.index("{"))
                anchor = Anchor(
                    int(body["entry_id"]),
                    str(body["entry_hash"]),
                    None if body.get("count") is None else int(body["count"]),
                    str(body["at"]),
                    body.get("database"),
                )
            except (ValueError, KeyError, TypeError):
                damaged.append(number)
                continue
            records.append(
                Witnessed(number, anchor, str(body.get("signature", "")), body.get("key"))
            )
    return WitnessRecords(str(path), records, damaged)


@dataclass(frozen=True, slots=True)
class WitnessCheck:
    source: str
    checked: int  # anchors of this database that the chain matches
    newest: int | None  # the newest entry they name
    broken_id: int | None  # the first entry the witness shows was cut or rewritten
    problem: str | None
    other_databases: tuple[str, ...] = ()
    damaged_lines: tuple[int, ...] = ()

    @property
    def holds(self) -> bool:
        return self.problem is None


def check_witness(session: Session, store: AnchorStore, witnessed: WitnessRecords) -> WitnessCheck:
    """The first witnessed anchor of this database that the chain no longer holds, if any."""
    here = database_identity(session)
    source = witnessed.source
    mine = sorted(
        (r for r in witnessed.records if r.anchor.database == here),
        key=lambda r: (r.anchor.entry_id, r.line),
    )
    others = tuple(sorted({str(r.anchor.database) for r in witnessed.records} - {here}))
    damaged = tuple(witnessed.damaged_lines)
    if not mine:
        return WitnessCheck(
            source, 0, None, None, _nothing_of_ours(session, source, here, others), others, damaged
        )
    public = store.existing_public_key()
    hashes = _hashes(session, {r.anchor.entry_id for r in mine})
    for record in mine:
        anchor = record.anchor
        if hashes.get(anchor.entry_id) == anchor.entry_hash and anchor.count is None:
            continue  # a head anchor the chain holds: no need to ask again
        problem = check_entry(session, anchor, True)
        if problem is None:
            continue
        where = f"{source}, line {record.line}"
        forged = _forged(public, record)
        if forged == "":  # this key's id, not its signature: nobody here wrote it
            return WitnessCheck(
                source,
                0,
                None,
                None,
                f"the witness holds a record for entry {anchor.entry_id} ({where}) whose "
                "signature does not match this deployment's key: someone else wrote to the "
                "witness; the chain itself is not shown to be broken by it",
                others,
                damaged,
            )
        caveat = (
            " (its signature could not be checked: no anchor key)"
            if public is None
            else f" (signed with {forged}: the anchor key was replaced since, or someone else "
            "wrote the record)"
            if forged
            else ""
        )
        return WitnessCheck(
            source,
            0,
            None,
            anchor.entry_id,
            f"{problem} (witnessed in {where}){caveat}: the chain was cut or rewritten below an "
            "anchor the witness holds",
            others,
            damaged,
        )
    newest = max(r.anchor.entry_id for r in mine)
    return WitnessCheck(source, len(mine), newest, None, None, others, damaged)


def _nothing_of_ours(
    session: Session, source: str, here: str, others: tuple[str, ...]
) -> str | None:
    if others:
        return (
            f"the witness {source} holds anchors of another database ({', '.join(others)}), none "
            f"of this one ({here}): it is another deployment's witness, or this database is not "
            "the one it witnessed (restored or replaced)"
        )
    logged = session.execute(text("SELECT count(*) FROM audit_event")).scalar_one()
    if logged:
        return (
            f"the witness {source} holds no anchor, although the log has {logged} entries: "
            "it is the wrong file, or every send failed (safehub_audit_witness_failures_total)"
        )
    return None


def _forged(public: Ed25519PublicKey | None, record: Witnessed) -> str | None:
    """None when ``record`` carries this deployment's signature (or none can be checked); the
    other key's description when it names another key; "" when it names this key but its
    signature does not match (a record made up by someone else)."""
    if public is None or signature_valid(public, record.anchor, record.signature):
        return None
    if record.key and record.key != key_id_of(public):
        return f"key {record.key}, not this data folder's {key_id_of(public)}"
    return ""


def _hashes(session: Session, ids: Iterable[int]) -> dict[int, str]:
    wanted = sorted(ids)
    found: dict[int, str] = {}
    for start in range(0, len(wanted), _BATCH):
        rows = session.execute(
            text("SELECT id, entry_hash FROM audit_event WHERE id = ANY(:ids)"),
            {"ids": wanted[start : start + _BATCH]},
        )
        found.update({int(i): str(h) for i, h in rows})
    return found
