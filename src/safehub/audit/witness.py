"""External witnesses of the audit anchors: a copy of every anchor sent where the administrators
of this host and of the database cannot rewrite it.

The anchors in the data folder catch a rewrite of the chain, but whoever can cut the chain's tail
may also be able to delete or roll back ``audit-anchors/head.json``. A witness keeps a copy
elsewhere, append-only, that ``safehub audit verify --witness`` holds the chain against
(``safehub.audit.witness_check``):

- ``file``: one JSON line per anchor, appended (``O_APPEND``) and fsync'd, to a file on another
  host's share (NFS, sshfs) or one marked append-only (``chattr +a``);
- ``syslog``: one message per anchor (``safehub-audit-anchor: {...}``) to this machine's
  ``/dev/log`` or a remote collector over UDP;
- ``command``: the anchor's JSON on a program's standard input (an object store with retention,
  for example); archive anchors only (at most one a minute), because a program started on every
  logged commit would cost more than the commit.

A witness that fails is logged as an error and counted (``safehub_audit_witness_failures_total``
in /metrics), never raised: the anchor is already in the data folder and the transaction is
already committed, so failing the request would lose nothing less and tell the user of a fault
that is the operator's to mend. The counter is how the operator learns of it.
"""

from __future__ import annotations

import json
import logging
import logging.handlers
import os
import shlex
import socket
import subprocess
import threading
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

# The tag every witnessed anchor carries: a syslog message's program name, and the key a reader
# looks for among the lines of a collector's file.
TAG = "safehub-audit-anchor"
RECORD_VERSION = 1
COMMAND_TIMEOUT_SECONDS = 10.0
log = logging.getLogger("safehub.audit.witness")


class Witness(Protocol):
    kind: str
    target: str
    takes_heads: bool  # whether it is sent the head anchor of every logged commit

    def send(self, record: Mapping[str, object]) -> None: ...


def line_of(record: Mapping[str, object]) -> str:
    return json.dumps(record, sort_keys=True, separators=(",", ":"))


class FileWitness:
    """Appends one JSON line per anchor. One ``write`` of the whole line to a file opened with
    ``O_APPEND``: several processes appending at once never interleave within a line."""

    kind = "file"
    takes_heads = True

    def __init__(self, path: str) -> None:
        self.target = path

    def send(self, record: Mapping[str, object]) -> None:
        data = (line_of(record) + "\n").encode()
        fd = os.open(self.target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        try:
            if os.write(fd, data) != len(data):
                raise OSError(f"short write to {self.target}")
            os.fsync(fd)  # on the witness's disk before the next commit is acknowledged
        finally:
            os.close(fd)


class _RaisingSysLogHandler(logging.handlers.SysLogHandler):
    """The standard handler prints a failure to stderr and carries on; a witness must count it."""

    def handleError(self, record: logging.LogRecord) -> None:
        raise  # called inside ``emit``'s ``except``: the error it caught goes on to the caller


class SyslogWitness:
    """One syslog message (facility user, level info) per anchor: ``/dev/log`` or any Unix
    socket path, or ``host:port`` over UDP."""

    kind = "syslog"
    takes_heads = True

    def __init__(self, target: str) -> None:
        self.target = target
        self._handler: _RaisingSysLogHandler | None = None
        self._lock = threading.Lock()

    def _address(self) -> str | tuple[str, int]:
        if self.target.startswith("/"):
            return self.target
        host, _, port = self.target.rpartition(":")
        return host.strip("[]"), int(port)

    def send(self, record: Mapping[str, object]) -> None:
        message = logging.LogRecord(
            TAG, logging.INFO, __file__, 0, f"{TAG}: {line_of(record)}", None, None
        )
        with self._lock:
            try:
                if self._handler is None:
                    self._handler = _RaisingSysLogHandler(
                        self._address(), socktype=socket.SOCK_DGRAM
                    )
                    self._handler.append_nul = False
                self._handler.emit(message)
            except Exception:
                # A collector restarted or a socket gone: connect afresh next time.
                if self._handler is not None:
                    self._handler.close()
                self._handler = None
                raise


class CommandWitness:
    """Runs a program (without a shell) with the anchor's JSON line on its standard input and
    ``SAFEHUB_ANCHOR_ENTRY_ID`` and ``SAFEHUB_ANCHOR_KIND`` in its environment (to name the
    object it writes); a non-zero exit or no exit within 10 seconds is a failure."""

    kind = "command"
    takes_heads = False

    def __init__(self, command: str) -> None:
        self.target = command
        self.args = shlex.split(command)

    def send(self, record: Mapping[str, object]) -> None:
        env = {
            **os.environ,
            "SAFEHUB_ANCHOR_ENTRY_ID": str(record["entry_id"]),
            "SAFEHUB_ANCHOR_KIND": str(record["kind"]),
        }
        done = subprocess.run(
            self.args,
            input=line_of(record) + "\n",
            env=env,
            capture_output=True,
            text=True,
            timeout=COMMAND_TIMEOUT_SECONDS,
            check=False,
        )
        if done.returncode != 0:
            said = done.stderr.strip().splitlines()[-1:] or ["no message"]
            raise OSError(f"exit {done.returncode}: {said[0][:200]}")


def make_witness(kind: str, target: str) -> Witness:
    if kind == "file":
        return FileWitness(target)
    if kind == "syslog":
        return SyslogWitness(target)
    if kind == "command":
        return CommandWitness(target)
    raise ValueError(f"no witness of kind {kind!r}")


@dataclass(frozen=True, slots=True)
class WitnessCount:
    kind: str
    position: int  # 1 for the first witness in SAFEHUB_AUDIT_WITNESS
    sent: int
    failed: int


class Witnesses:
    """The witnesses of one process, and how many anchors each was sent or failed to take."""

    def __init__(self, witnesses: Iterable[Witness]) -> None:
        self.items = list(witnesses)
        self._sent: Counter[int] = Counter()
        self._failed: Counter[int] = Counter()
        self._lock = threading.Lock()

    @classmethod
    def configured(cls, specs: Iterable[tuple[str, str]]) -> Witnesses:
        return cls(make_witness(kind, target) for kind, target in specs)

    def send(self, kind: str, record: Mapping[str, object]) -> None:
        """Send ``record`` (an anchor of ``kind`` "head" or "archive") to every witness that
        takes it; a failure is logged and counted, never raised (see the module's docstring)."""
        for position, witness in enumerate(self.items, start=1):
            if kind == "head" and not witness.takes_heads:
                continue
            try:
                witness.send({**record, "kind": kind})
            except Exception as error:  # any failure: the write path must go on
                with self._lock:
                    self._failed[position] += 1
                log.error(
                    "audit witness %d (%s) did not take the %s anchor of entry %s: %s: %s",
                    position,
                    witness.kind,
                    kind,
                    record.get("entry_id"),
                    type(error).__name__,
                    error,
                )
            else:
                with self._lock:
                    self._sent[position] += 1

    def counts(self) -> list[WitnessCount]:
        with self._lock:
            return [
                WitnessCount(w.kind, i, self._sent[i], self._failed[i])
                for i, w in enumerate(self.items, start=1)
            ]
