"""Anchors of the audit chain kept outside the database, signed with a key the database never holds.

The chain alone catches an edit, deletion, insertion or reordering; but an owner or superuser can
rewrite every later row and recompute the hashes. An anchor records, at a moment, the id, hash and
count of the chain's head, signed with an Ed25519 key kept in the data folder (or a path given by
``SAFEHUB_AUDIT_KEY``). A rewrite of anything an anchor covers no longer matches it.

Each anchor also names the database it was taken from (the server's system identifier and the
database's name), so that a data folder pointed at another database is reported as such, not
as a rewritten chain. And the head anchor, which follows every logged commit, must be at least
as new as the newest archived anchor: deleting or replacing it is how one would hide a cut tail.
Whoever can cut the tail may also delete the data folder's anchors: every anchor is also sent to
the external witnesses configured (``safehub.audit.witness``), which they cannot reach.
"""

from __future__ import annotations

import base64
import fcntl
import hashlib
import json
import os
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import text
from sqlalchemy.orm import Session

from safehub.audit.chain import ChainHead
from safehub.audit.witness import RECORD_VERSION, TAG, Witnesses

ANCHOR_INTERVAL_SECONDS = 60.0
HEAD = "head.json"


@dataclass(frozen=True, slots=True)
class Anchor:
    entry_id: int
    entry_hash: str
    count: int | None  # None in the head anchor: counting on every commit would be too slow
    at: str
    database: str | None = None  # "system identifier/database name"; None in older anchors

    def message(self) -> bytes:
        signed: list[object] = [self.entry_id, self.entry_hash, self.count, self.at]
        if self.database is not None:
            signed.append(self.database)
        return json.dumps(signed).encode()


def database_identity(session: Session) -> str:
    """Which database this is: the server's system identifier (unique to a cluster since its
    initdb) and the database's name."""
    return str(
        session.execute(
            text(
                "SELECT (SELECT system_identifier FROM pg_control_system())::text || '/' "
                "|| current_database()"
            )
        ).scalar_one()
    )


class AnchorStore:
    """A folder of signed anchors and the key that signs them."""

    def __init__(
        self, folder: Path, key_path: Path | None = None, witnesses: Witnesses | None = None
    ) -> None:
        self.folder = folder
        self.key_path = key_path or folder.parent / "audit-anchor-key.pem"
        self.witnesses = witnesses or Witnesses([])
        self._identity: str | None = None
        # The signing key as last read, with the file's identity then (see ``_private_key``).
        self._key: tuple[tuple[int, int, int], Ed25519PrivateKey] | None = None
        # When this process last saw an archived anchor written (see ``after_commit``).
        self._archived_at: float | None = None

    def identity(self, session: Session) -> str:
        """The database the anchors are taken from (asked once: it does not change)."""
        if self._identity is None:
            self._identity = database_identity(session)
        return self._identity

    def _private_key(self) -> Ed25519PrivateKey:
        if not self.key_path.exists():
            self.key_path.parent.mkdir(parents=True, exist_ok=True)
            key = Ed25519PrivateKey.generate()
            pem = key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
            fd = os.open(self.key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(pem)
        # Read once, not on every commit (every page view signs the head): parsing the PEM twice
        # per request was CPU the load test paid for. Read again if the file was replaced.
        found = self.key_path.stat()
        seen = (found.st_ino, found.st_mtime_ns, found.st_size)
        if self._key is None or self._key[0] != seen:
            loaded = serialization.load_pem_private_key(self.key_path.read_bytes(), password=None)
            assert isinstance(loaded, Ed25519PrivateKey)
            self._key = (seen, loaded)
        return self._key[1]

    def public_key(self) -> Ed25519PublicKey:
        return self._private_key().public_key()

    def existing_public_key(self) -> Ed25519PublicKey | None:
        """The public key, without making a key when there is none (a check must not)."""
        return self.public_key() if self.key_path.exists() else None

    def write(self, session: Session) -> Anchor | None:
        """Sign the chain's current head, with the count of entries, into a new archived anchor."""
        row = session.execute(
            text(
                "SELECT id, entry_hash, (SELECT count(*) FROM audit_event) FROM audit_event "
                "ORDER BY id DESC LIMIT 1"
            )
        ).first()
        if row is None:
            return None
        now = datetime.now(UTC).isoformat()
        anchor = Anchor(int(row[0]), str(row[1]), int(row[2]), now, self.identity(session))
        body = self._save(anchor, f"anchor-{anchor.entry_id:012d}.json")
        self._witness("archive", body)
        # The head never lags an archived anchor (``check_anchors`` treats that as a cut tail).
        self.write_head(session)
        return anchor

    def write_head(self, session: Session, head: ChainHead | None = None) -> None:
        """After every commit that logged something: the newest head, so that even the last entry
        cannot be deleted or rewritten unnoticed. Only ever moves forward (commits race).

        ``head`` is the entry the caller's commit appended (``append_entries``' answer): it was
        the chain's head when that commit took the chain lock, so no query is needed; an entry
        another process commits later moves the head on with its own commit. Without it, the
        chain's head is read from the database."""
        if head is None:
            row = session.execute(
                text("SELECT id, entry_hash FROM audit_event ORDER BY id DESC LIMIT 1")
            ).first()
            if row is None:
                return
            head = ChainHead(int(row[0]), str(row[1]))
        identity = self.identity(session)
        self.folder.mkdir(parents=True, exist_ok=True)
        body = None
        with open(self.folder / ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            current = self._head_entry_id()
            if current is None or current < head.entry_id:
                now = datetime.now(UTC).isoformat()
                anchor = Anchor(head.entry_id, head.entry_hash, None, now, identity)
                body = self._save(anchor, HEAD)
        if body is not None:  # outside the lock: a slow witness must not hold other processes
            self._witness("head", body)

    def _head_entry_id(self) -> int | None:
        """The entry the head anchor covers now, only to keep it moving forward: its signature is
        for ``check_anchors`` to judge, not checked again on every commit."""
        path = self.folder / HEAD
        if not path.exists():
            return None
        return int(json.loads(path.read_text())["entry_id"])

    def key_id(self) -> str:
        """A short fingerprint of the signing key, carried by witnessed anchors: a verifier tells
        a record signed with an earlier key from one nobody here signed."""
        return key_id_of(self.public_key())

    def _witness(self, kind: str, body: dict[str, object]) -> None:
        if self.witnesses.items:
            self.witnesses.send(kind, {TAG: RECORD_VERSION, **body, "key": self.key_id()})

    def _save(self, anchor: Anchor, name: str) -> dict[str, object]:
        signature = self._private_key().sign(anchor.message())
        self.folder.mkdir(parents=True, exist_ok=True)
        body: dict[str, object] = {
            "entry_id": anchor.entry_id,
            "entry_hash": anchor.entry_hash,
            "count": anchor.count,
            "at": anchor.at,
            "database": anchor.database,
            "signature": base64.b64encode(signature).decode(),
        }
        path = self.folder / name
        # A name of its own for every write, not only every process: two threads of one web
        # worker can archive the same anchor at once after their commits, and with a shared
        # temporary name the second rename found nothing and turned a committed request into a
        # 500 (seen under load with 100 users).
        tmp = path.with_name(f"{path.name}.{os.getpid()}.{uuid.uuid4().hex}.tmp")
        tmp.write_text(json.dumps(body, indent=1))
        tmp.replace(path)  # atomic: a crash never leaves half an anchor
        return body

    def after_commit(
        self,
        session: Session,
        head: ChainHead | None = None,
        interval: float = ANCHOR_INTERVAL_SECONDS,
    ) -> None:
        """The head anchor after a commit that appended ``head`` (see ``write_head``), and an
        archived anchor if none was written in the last ``interval`` seconds."""
        self.write_head(session, head)
        # Archived anchors only get newer: while the newest this process has seen is younger
        # than the interval, no other can be older, so the folder need not be listed.
        if self._archived_at is not None and time.time() - self._archived_at < interval:
            return
        latest = max(self.folder.glob("anchor-*.json"), default=None)
        if latest is not None:
            self._archived_at = latest.stat().st_mtime
        if latest is None or time.time() - latest.stat().st_mtime >= interval:
            self.write(session)
            self._archived_at = time.time()

    def head(self) -> tuple[Anchor, bool] | None:
        path = self.folder / HEAD
        return self._load(path) if path.exists() else None

    def anchors(self) -> list[tuple[Anchor, bool]]:
        """Every archived anchor, oldest first, with whether its signature is valid."""
        return [self._load(p) for p in sorted(self.folder.glob("anchor-*.json"))]

    def _load(self, path: Path) -> tuple[Anchor, bool]:
        body = json.loads(path.read_text())
        anchor = Anchor(
            body["entry_id"], body["entry_hash"], body["count"], body["at"], body.get("database")
        )
        public = self.public_key() if self.key_path.exists() else None
        return anchor, signature_valid(public, anchor, body.get("signature", ""))


def key_id_of(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def signature_valid(public: Ed25519PublicKey | None, anchor: Anchor, signature: str) -> bool:
    if public is None:
        return False
    try:
        public.verify(base64.b64decode(signature), anchor.message())
    except (InvalidSignature, ValueError):
        return False
    return True


def check_anchors(session: Session, store: AnchorStore) -> tuple[int | None, str | None]:
    """The first entry the anchors show to have been rewritten, deleted or added, with what is
    wrong; (None, None) when every anchor holds."""
    archived = store.anchors()
    head = store.head()
    foreign = _foreign_anchor(session, store, [*archived, *([head] if head else [])])
    if foreign:
        return None, foreign
    for anchor, valid in archived:
        problem = check_entry(session, anchor, valid)
        if problem:
            return anchor.entry_id, problem
    if archived and (head is None or head[0].entry_id < archived[-1][0].entry_id):
        newest = archived[-1][0]
        missing = "is missing" if head is None else f"stops at entry {head[0].entry_id}"
        return newest.entry_id, (
            f"the head anchor {missing}, but an archived anchor covers entry {newest.entry_id} "
            f"(at {newest.at}): the newest entries may have been cut with the head anchor "
            "deleted or replaced by an older copy"
        )
    if head is None:
        return None, None
    problem = check_entry(session, *head)
    if problem:
        return head[0].entry_id, problem
    later = session.execute(
        text("SELECT min(id) FROM audit_event WHERE id > :i"), {"i": head[0].entry_id}
    ).scalar()
    if later is not None:
        return int(later), (
            f"entry {later} comes after the last anchored entry "
            f"{head[0].entry_id}: it was added outside the application, or the "
            "anchor write after its commit was lost"
        )
    return None, None


def _foreign_anchor(
    session: Session, store: AnchorStore, loaded: list[tuple[Anchor, bool]]
) -> str | None:
    """Anchors (with a valid signature) taken from another database than this one."""
    here = database_identity(session)
    for anchor, valid in loaded:
        if valid and anchor.database is not None and anchor.database != here:
            return (
                f"the anchors in {store.folder} belong to another database ({anchor.database}), "
                f"not this one ({here}): point SAFEHUB_DATA_DIR at this database's data folder, "
                "or DATABASE_URL at the database these anchors were taken from"
            )
    return None


def check_entry(session: Session, anchor: Anchor, valid: bool) -> str | None:
    if not valid:
        return f"the anchor for entry {anchor.entry_id} has a bad signature"
    row = session.execute(
        text(
            "SELECT entry_hash, (SELECT count(*) FROM audit_event WHERE id <= :i) "
            "FROM audit_event WHERE id = :i"
        ),
        {"i": anchor.entry_id},
    ).first()
    if row is None:
        return f"entry {anchor.entry_id}, anchored at {anchor.at}, is missing"
    if row[0] != anchor.entry_hash:
        return (
            f"entry {anchor.entry_id} no longer has the hash anchored at {anchor.at}: "
            "the chain was rewritten up to it"
        )
    if anchor.count is not None and int(row[1]) != anchor.count:
        return (
            f"{anchor.count} entries were anchored up to entry {anchor.entry_id} at "
            f"{anchor.at}; there are now {row[1]}"
        )
    return None


@dataclass(frozen=True, slots=True)
class RestoredCheck:
    """A restored chain held against the anchors of the database it was backed up from."""

    checked: int  # anchors that cover entries the backup holds, all of which matched
    last_entry: int | None  # the backup's last entry
    newest_anchored: int | None  # the newest entry any anchor names
    problem: str | None = None

    @property
    def written_after(self) -> bool:
        """Whether the anchors show entries logged after the backup was taken."""
        return self.newest_anchored is not None and (
            self.last_entry is None or self.newest_anchored > self.last_entry
        )


def check_restored(session: Session, store: AnchorStore) -> RestoredCheck:
    """Compare a restored chain with the anchors in ``store``, ignoring the database's identity
    (a restore is a new database by definition). An anchor of an entry the backup holds must
    match it; anchors beyond the backup's last entry name what was written after the backup."""
    head = store.head()
    loaded = [*store.anchors(), *([head] if head else [])]
    last = session.execute(text("SELECT max(id) FROM audit_event")).scalar()
    newest = max((anchor.entry_id for anchor, _ in loaded), default=None)
    covered = [(a, valid) for a, valid in loaded if last is not None and a.entry_id <= last]
    for anchor, valid in covered:
        problem = check_entry(session, anchor, valid)
        if problem:
            source = f" (anchors taken from {anchor.database})" if anchor.database else ""
            return RestoredCheck(
                0,
                last,
                newest,
                f"{problem}{source}: the backup was altered, or it is not of the "
                f"database whose anchors are in {store.folder}",
            )
    return RestoredCheck(len(covered), last, newest)
