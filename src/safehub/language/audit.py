"""Batch audit of case notes: how often, and with which rules, language was flagged.

>>> summary = audit_texts(["Amy chose to go with them.", "", "Amy was raped."])
>>> (summary.checked, summary.flagged, summary.rule_counts)
(2, 1, {'choice': 1})
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from safehub.language.checker import Checker, Flag, default_checker


class AuditInputError(ValueError):
    """The file cannot be audited as asked (missing column, unreadable CSV)."""


@dataclass(frozen=True)
class FlaggedRow:
    """A flagged text and where it came from (1-based data row number, header excluded)."""

    row: int
    flags: tuple[Flag, ...]


@dataclass
class AuditSummary:
    """Counts over the non-empty texts checked."""

    checked: int = 0
    empty: int = 0
    flagged: int = 0
    flags: int = 0
    rule_counts: dict[str, int] = field(default_factory=dict)
    severity_counts: dict[str, int] = field(default_factory=dict)
    examples: list[FlaggedRow] = field(default_factory=list)

    @property
    def flag_rate(self) -> float:
        """Share of checked texts with at least one flag (0.0 when nothing was checked)."""
        return self.flagged / self.checked if self.checked else 0.0

    def to_dict(self) -> dict[str, object]:
        """JSON-ready summary (examples as row numbers with the flagged phrases)."""
        return {
            "checked": self.checked,
            "empty": self.empty,
            "flagged": self.flagged,
            "flag_rate": round(self.flag_rate, 4),
            "flags": self.flags,
            "rule_counts": self.rule_counts,
            "severity_counts": self.severity_counts,
            "examples": [
                {"row": e.row, "flags": [f.to_dict() for f in e.flags]} for e in self.examples
            ],
        }


def audit_texts(
    texts: Iterable[str], *, checker: Checker | None = None, max_examples: int = 10
) -> AuditSummary:
    """Check every text; empty ones are counted apart and not checked."""
    checker = checker or default_checker()
    summary = AuditSummary()
    rules: Counter[str] = Counter()
    severities: Counter[str] = Counter()
    numbered = list(enumerate(texts, start=1))
    summary.empty = sum(1 for _, t in numbered if not t.strip())
    present = [(n, t) for n, t in numbered if t.strip()]
    for (row, _), flags in zip(present, checker.iter_many(t for _, t in present), strict=True):
        summary.checked += 1
        if not flags:
            continue
        summary.flagged += 1
        summary.flags += len(flags)
        rules.update(f.rule_id for f in flags)
        severities.update(f.severity for f in flags)
        if len(summary.examples) < max_examples:
            summary.examples.append(FlaggedRow(row, tuple(flags)))
    summary.rule_counts = dict(rules.most_common())
    summary.severity_counts = dict(severities.most_common())
    return summary


def read_column(path: Path, column: str) -> Iterator[str]:
    """The values of `column` in a UTF-8 CSV (a byte-order mark is tolerated)."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            if reader.fieldnames is None or column not in reader.fieldnames:
                found = ", ".join(reader.fieldnames or []) or "none"
                raise AuditInputError(
                    f"{path}: no column {column!r} (columns: {found}); "
                    "name the text column with --column NAME"
                )
            for record in reader:
                yield record.get(column) or ""
    except UnicodeDecodeError as exc:
        raise AuditInputError(f"{path}: not UTF-8 text ({exc.reason}); save it as UTF-8") from exc
    except csv.Error as exc:
        raise AuditInputError(f"{path}: not a readable CSV ({exc})") from exc
