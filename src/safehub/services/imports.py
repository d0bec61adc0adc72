"""Importing agency extracts into the shared record: whole or not at all, and idempotent."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from safehub.db.queries import imports as q
from safehub.db.rls import system_step
from safehub.db.uow import UnitOfWork
from safehub.events import ExtractImported
from safehub.extracts import ExtractBatch, Mention, codes, read_extracts
from safehub.extracts.identifiers import normalise_postcode

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class ImportResult:
    files: int
    rows: int
    agencies_new: int
    records_new: int
    records_changed: int
    people_new: int
    mentions_new: int
    mentions_changed: int
    warnings: int

    @property
    def changed_anything(self) -> bool:
        return any(
            (
                self.agencies_new,
                self.records_new,
                self.records_changed,
                self.mentions_new,
                self.mentions_changed,
            )
        )


def import_extracts(
    uow: UnitOfWork,
    *,
    batch: ExtractBatch,
    files: Sequence[str | Path],
    purpose: str = "agency extract import",
    progress: Progress | None = None,
) -> ImportResult:
    """Write a validated batch. The caller commits; an exception rolls everything back."""
    if not batch.ok:
        raise ValueError("the batch has errors; nothing may be imported from it")
    step = progress or (lambda _label, _done, _total: None)
    session = uow.session
    q.create_stage(session)
    records = _record_rows(batch.mentions)
    step("Staging records", 0, 5)
    q.copy_rows(session, "stage_record", q.RECORD_COLUMNS, records)
    q.copy_rows(session, "stage_mention", q.MENTION_COLUMNS, _mention_rows(batch.mentions))
    q.copy_rows(session, "stage_identifier", q.IDENTIFIER_COLUMNS, _identifier_rows(batch.mentions))
    q.analyse_stage(session)
    step("Agencies", 1, 5)
    agencies_new = q.upsert_agencies(session)
    step("Records", 2, 5)
    records_new, records_changed = q.upsert_records(session)
    step("People", 3, 5)
    people_new = q.insert_new_people(session)
    step("Mentions", 4, 5)
    mentions_new, mentions_changed = q.upsert_mentions(session)
    step("Done", 5, 5)
    result = ImportResult(
        len(files),
        len(batch.mentions),
        agencies_new,
        records_new,
        records_changed,
        people_new,
        mentions_new,
        mentions_changed,
        len(batch.warnings),
    )
    uow.mark_changed()
    # A bulk action is one audit entry with a digest of what it touched, not an entry per row:
    # the log stays readable and the chain lock is held for one append.
    uow.audit(
        "collection",
        "agency_extract",
        [Path(f).name for f in files],
        purpose=purpose,
        detail={"digest": _digest(files), **_counts(result)},
    )
    uow.emit(
        ExtractImported(
            person_keys=tuple(sorted({m.person_key for m in batch.mentions})),
            changed=result.changed_anything,
            purpose=purpose,
        )
    )
    return result


def _counts(result: ImportResult) -> dict[str, int]:
    return {k: getattr(result, k) for k in result.__slots__}


def _digest(files: Sequence[str | Path]) -> str:
    digest = hashlib.sha256()
    for name in files:
        with open(name, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()


def _record_rows(mentions: Sequence[Mention]) -> list[tuple[Any, ...]]:
    """One row per record, merging the non-empty record-level cells of its rows."""
    merged: dict[tuple[str, str], dict[str, str]] = {}
    dates = {}
    for m in mentions:
        values = merged.setdefault(m.record_key, {})
        dates[m.record_key] = m.record_date
        for column in codes.RECORD_LEVEL_COLUMNS:
            if column in m.values and column not in values:
                values[column] = m.values[column]
    rows = []
    for key, values in sorted(merged.items()):
        content = _hash(values)
        rows.append(
            (
                key[0],
                values["agency_type"],
                key[1],
                values["record_type"],
                dates[key],
                values.get("location_name"),
                _norm_postcode(values.get("location_postcode")),
                values.get("outcome"),
                values.get("narrative"),
                values.get("area_code"),
                values.get("offence_code"),
                values.get("group_based") == "Y",
                values.get("intel_grading"),
                content,
            )
        )
    return rows


def _mention_rows(mentions: Sequence[Mention]) -> Iterator[tuple[Any, ...]]:
    for seq, m in enumerate(mentions):
        v = m.values
        dob = m.date_of_birth
        person = {k: val for k, val in v.items() if k not in codes.RECORD_LEVEL_COLUMNS}
        yield (
            seq,
            m.agency_code,
            m.record_id,
            m.person_ref,
            m.person_role,
            v.get("given_names"),
            v.get("family_name"),
            ";".join(m.aliases) or None,
            dob.iso() if dob else None,
            dob.year if dob else None,
            dob.month if dob else None,
            dob.day if dob else None,
            v.get("sex"),
            v.get("address"),
            v.get("ethnicity_self_defined"),
            v.get("ethnicity_observed"),
            v.get("nationality"),
            ";".join(m.indicators) or None,
            v.get("person_outcome"),
            v.get("restricted") == "Y",
            _hash(person),
            m.file,
            m.row,
        )


def _identifier_rows(mentions: Sequence[Mention]) -> Iterator[tuple[Any, ...]]:
    for seq, m in enumerate(mentions):
        for ident in m.identifiers:
            yield (seq, ident.kind, ident.raw, ident.normalised)


def _hash(values: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()


def _norm_postcode(value: str | None) -> str | None:
    return (normalise_postcode(value) or value) if value else None


@dataclass(frozen=True, slots=True)
class UploadOutcome:
    """An uploaded file's import: the result, or None with the problems that stopped it."""

    result: ImportResult | None
    problems: list[str]


def import_uploaded(
    uow: UnitOfWork, *, path: Path, purpose: str = "agency extract upload"
) -> UploadOutcome:
    """Validate and import one uploaded file; problems are reported by the uploaded file's name."""
    batch = read_extracts([path])
    problems = [str(p).replace(str(path), path.name, 1) for p in batch.problems]
    if not batch.ok:
        return UploadOutcome(None, problems)
    # An upload writes every agency's records in the file, so the import
    # runs as the partnership (row-level security's system context), audited as itself.
    with system_step(uow):
        result = import_extracts(uow, batch=batch, files=[path], purpose=purpose)
    return UploadOutcome(result, problems)
