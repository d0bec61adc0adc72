"""Audit samples: an inspector draws case files at random (seeded, so the draw can be shown to be
random and repeated), each kept as a pseudonymised, redacted snapshot made by the system at
draw time, and records findings against a checklist.

The snapshot names children "Child A", "Child B", other people "Adult 1" (or a further "Child"
when under 18), professionals by their role; dates become days from the referral; free text
loses names, phone numbers, emails, postcodes, addresses, registrations and references
(``safehub.oversight.redaction``). It never holds ethnicity, nationality or religion, nor any
case, person or record id: the oversight role reads it, and must not be able to go back.
"""

from __future__ import annotations

import random
import secrets
import string
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from safehub.access import ROLES, Permission, can
from safehub.db.queries import oversight_portal as q
from safehub.db.queries import oversight_sample as cases
from safehub.db.queries.oversight_portal import FindingRow, SampleFileRow, SampleRow
from safehub.db.queries.oversight_sample import CaseFile, FileEvent, NamedPerson
from safehub.db.rls import partnership_step
from safehub.db.uow import UnitOfWork
from safehub.extracts.codes import label
from safehub.oversight.redaction import pseudonym_map, redact
from safehub.services.errors import ForbiddenError, NotFoundError, RefusedError
from safehub.services.oversight.portal import log_query
from safehub.services.practice.saved_anyway import (
    TextCheck,
    check_for_saving,
    hold_unless_explained,
)

__all__ = [
    "ANSWERS",
    "CHECKLIST",
    "MAX_SAMPLE",
    "STATUS_CHOICES",
    "FindingRow",
    "FindingsDraft",
    "SampleFile",
    "SampleFileRow",
    "SampleRequest",
    "SampleRow",
    "draw_sample",
    "list_samples",
    "record_findings",
    "snapshot_of",
    "view_sample",
    "view_sample_file",
]

MAX_SAMPLE = 100
STATUS_CHOICES = {
    "both": "Open and closed cases",
    "open": "Open cases only",
    "closed": "Closed cases only",
}
# The inspector's checklist (questions about practice, never about the child).
CHECKLIST = {
    "referral_decided_in_time": "Was the referral decided within one working day?",
    "strategy_discussion_held": "Was a strategy discussion held when one was needed?",
    "childs_voice_recorded": "Is the child's voice recorded (their wishes, feelings, account)?",
    "no_victim_blaming": "Is the record free of language that blames the child?",
    "actions_completed": "Were the agreed actions completed on time?",
}
ANSWERS = {"yes": "Yes", "no": "No", "not_applicable": "Not applicable"}
ADULT_ROLES = frozenset({"suspect", "associate", "parent", "carer", "witness", "licence_holder"})
_MAX_COMMENT = 2000


@dataclass(frozen=True)
class SampleRequest:
    """What the inspector asks for. ``seed`` empty: the system chooses one (and keeps it)."""

    size: str
    period_start: str
    period_end: str
    statuses: str = "both"
    seed: str = ""

    def problems(self) -> dict[str, str]:
        errors: dict[str, str] = {}
        if not self.size.strip().isdigit() or not 1 <= int(self.size) <= MAX_SAMPLE:
            errors["size"] = f"Enter how many files to draw, a whole number from 1 to {MAX_SAMPLE}"
        start, end = _date(self.period_start), _date(self.period_end)
        if start is None:
            errors["period_start"] = "Enter the start of the period as YYYY-MM-DD"
        if end is None:
            errors["period_end"] = "Enter the end of the period as YYYY-MM-DD"
        elif start is not None and start > end:
            errors["period_end"] = "The end of the period must be the same as or after its start"
        if self.statuses not in STATUS_CHOICES:
            errors["statuses"] = "Choose open cases, closed cases, or both"
        if self.seed.strip() and not self.seed.strip().isdigit():
            errors["seed"] = "Enter the seed as a whole number, or leave it empty"
        return errors


@dataclass(frozen=True)
class FindingsDraft:
    """The inspector's answers about one file: question → yes / no / not applicable, and a
    comment for each "no" saying what was missing."""

    answers: dict[str, str]
    comments: dict[str, str] = field(default_factory=dict)

    def problems(self) -> dict[str, str]:
        errors: dict[str, str] = {}
        for code, question in CHECKLIST.items():
            answer = self.answers.get(code, "")
            comment = self.comments.get(code, "").strip()
            if answer not in ANSWERS:
                errors[code] = f"Answer: {question[0].lower()}{question[1:]}"
            elif answer == "no" and not comment:
                errors[f"{code}_comment"] = "Say what was missing or late"
            if len(comment) > _MAX_COMMENT:
                errors[f"{code}_comment"] = f"Keep the comment to {_MAX_COMMENT} characters"
        return errors


@dataclass(frozen=True)
class SampleFile:
    sample: SampleRow
    file: SampleFileRow
    findings: list[FindingRow]
    files: int


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def _inspector(uow: UnitOfWork) -> int:
    if not can(uow.actor, Permission.AUDIT_SAMPLE) or uow.actor.user_id is None:
        raise ForbiddenError("only the oversight body draws and reviews audit samples")
    return uow.actor.user_id


def draw_sample(uow: UnitOfWork, *, request: SampleRequest) -> int:
    """Draw the sample and make each file's snapshot; the sample's id."""
    user_id = _inspector(uow)
    problems = request.problems()
    if problems:
        raise RefusedError(problems)
    start, end = date.fromisoformat(request.period_start), date.fromisoformat(request.period_end)
    seed = int(request.seed) if request.seed.strip() else secrets.randbelow(2**31)
    with partnership_step(uow):
        eligible = cases.list_eligible_cases(
            uow.session, start=start, end=end, statuses=request.statuses
        )
        chosen = random.Random(seed).sample(eligible, min(int(request.size), len(eligible)))
        files = [cases.get_case_file(uow.session, c) for c in chosen]
    if not eligible:
        raise RefusedError({"period_start": "No case was opened in that period: choose another"})
    sample_id = q.insert_sample(
        uow.session,
        user_id=user_id,
        seed=seed,
        size=int(request.size),
        period_start=start,
        period_end=end,
        statuses=request.statuses,
        eligible=len(eligible),
    )
    for position, case in enumerate(files, start=1):
        q.insert_sample_file(
            uow.session,
            sample_id=sample_id,
            position=position,
            status="closed" if case.status == "closed" else "open",
            snapshot=snapshot_of(case),
        )
    # The DPO can see which case files were disclosed (pseudonymised) to oversight; the
    # oversight role cannot read this entry back.
    uow.audit(
        "oversight_sample",
        "case",
        chosen,
        purpose="audit sample for independent oversight (pseudonymised, redacted)",
        detail={"sample": sample_id, "seed": seed},
    )
    parameters = {"size": int(request.size), "from": start, "to": end, "statuses": request.statuses}
    log_query(uow, query="audit_sample", parameters={**parameters, "seed": seed}, rows=len(files))
    return sample_id


def snapshot_of(case: CaseFile) -> dict[str, Any]:
    """The pseudonymised, redacted snapshot of one case file (see the module's docstring)."""
    labels, ages = _labels(case)
    staff_roles = {s.user_id: ROLES.get(s.role, "Professional") for s in case.staff}
    names = pseudonym_map(
        {
            **{lab: _names(p) for p, lab in labels.items()},
            **_staff_names(case, staff_roles),
        }
    )
    # The name the referrer gave may differ from the records' (a nickname, a new surname).
    referred = pseudonym_map({_first_child(labels): [f"{g} {f}" for g, f in case.referral_names]})
    for written, pseudonym in referred.items():
        names.setdefault(written, pseudonym)
    day0 = _day_zero(case)
    return {
        "status": "closed" if case.status == "closed" else "open",
        "title": redact(case.title, names),
        "opened_day": (case.opened_on - day0).days,
        "people": [{"label": lab, "age": ages.get(p.person_id)} for p, lab in labels.items()],
        "events": [_event(e, day0, names, staff_roles) for e in case.events],
    }


def _first_child(labels: dict[NamedPerson, str]) -> str:
    return next((lab for lab in labels.values() if lab.startswith("Child")), "Child A")


def _labels(case: CaseFile) -> tuple[dict[NamedPerson, str], dict[int, int | None]]:
    day0 = _day_zero(case)
    letters = iter(string.ascii_uppercase)
    labels: dict[NamedPerson, str] = {p: f"Child {next(letters)}" for p in case.children}
    adults = 0
    for person in case.others:
        age = day0.year - person.birth_year if person.birth_year else None
        if (age is not None and age < 18) or (age is None and not ADULT_ROLES & set(person.roles)):
            labels[person] = f"Child {next(letters, 'Z')}"
        else:
            adults += 1
            labels[person] = f"Adult {adults}"
    ages = {
        p.person_id: (day0.year - p.birth_year if p.birth_year else None) for p in case.children
    }
    return labels, ages


def _names(person: NamedPerson) -> list[str]:
    full = " ".join(n for n in (person.given_names, person.family_name) if n)
    return [full, *person.aliases]


def _staff_names(case: CaseFile, roles: dict[int, str]) -> dict[str, list[str]]:
    by_role: dict[str, list[str]] = {}
    for s in case.staff:
        by_role.setdefault(roles[s.user_id], []).extend([s.display_name, s.username])
    return by_role


def _day_zero(case: CaseFile) -> date:
    referrals = [_as_date(e.at) for e in case.events if e.kind == "referral"]
    return min(referrals, default=case.opened_on)


def _as_date(value: datetime | date) -> date:
    return value.date() if isinstance(value, datetime) else value


def _event(
    event: FileEvent, day0: date, names: dict[str, str], roles: dict[int, str]
) -> dict[str, Any]:
    def day(value: datetime | date | None) -> int | None:
        return None if value is None else (_as_date(value) - day0).days

    return {
        "kind": event.kind,
        "day": day(event.at),
        "by": roles.get(event.user_id, "Professional") if event.user_id else None,
        "what": redact(label(event.title) if event.kind != "clock" else event.title, names),
        "text": redact(event.text, names),
        "due_day": day(event.due_on),
        "done_day": day(event.done_at),
        "status": label(event.status) if event.status else None,
    }


def list_samples(uow: UnitOfWork) -> list[SampleRow]:
    _inspector(uow)
    samples = q.list_samples(uow.session)
    log_query(uow, query="audit_samples", parameters={}, rows=len(samples))
    return samples


def view_sample(uow: UnitOfWork, *, sample_id: int) -> tuple[SampleRow, list[SampleFileRow]]:
    _inspector(uow)
    sample = q.get_sample(uow.session, sample_id)
    if sample is None:
        raise NotFoundError("no such sample")
    files = q.list_sample_files(uow.session, sample_id)
    log_query(uow, query="audit_sample_files", parameters={"sample": sample_id}, rows=len(files))
    return sample, files


def view_sample_file(uow: UnitOfWork, *, sample_id: int, position: int) -> SampleFile:
    _inspector(uow)
    sample = q.get_sample(uow.session, sample_id)
    file = q.get_sample_file(uow.session, sample_id, position) if sample else None
    if sample is None or file is None:
        raise NotFoundError("no such file in the sample")
    findings = q.list_findings(uow.session, file.id)
    log_query(
        uow,
        query="audit_sample_file",
        parameters={"sample": sample_id, "file": position},
        rows=1,
    )
    return SampleFile(sample, file, findings, sample.files)


def record_findings(
    uow: UnitOfWork,
    *,
    sample_id: int,
    position: int,
    findings: FindingsDraft,
    save_anyway: bool = False,
    language_reason: str = "",
) -> None:
    """Keep the inspector's answers about one file. Each comment is about a child in the file,
    so the language checker holds blaming words back (``LanguageHeldError``, the flags of every
    comment together) unless the inspector saves anyway with one ``language_reason`` for the
    form, kept with each flagged comment. Words quoted from the file are advice only."""
    user_id = _inspector(uow)
    file = q.get_sample_file(uow.session, sample_id, position)
    if file is None:
        raise NotFoundError("no such file in the sample")
    problems = findings.problems()
    if problems:
        raise RefusedError(problems)
    checks = {
        code: check_for_saving(
            uow, text=comment, reason=language_reason, what="comments", field="language_reason"
        )
        for code in CHECKLIST
        if (comment := findings.comments.get(code, "").strip())
    }
    together = TextCheck(
        [f for c in checks.values() for f in c.flags],
        language_reason.strip() or None,
        next(iter(checks.values())).rules_digest if checks else "",
        next((c.problems for c in checks.values() if c.problems), {}),
    )
    hold_unless_explained(together, save_anyway=save_anyway)
    for code in CHECKLIST:
        kept = findings.comments.get(code, "").strip() or None
        check = checks.get(code)
        q.upsert_finding(
            uow.session,
            file_id=file.id,
            question=code,
            answer=findings.answers[code],
            comment=redact(kept, {}) if kept else None,
            user_id=user_id,
            flags=check.flags if check and check.flags else None,
            reason=check.reason if check else None,
        )
    uow.audit(
        "oversight_finding",
        "oversight_sample_file",
        [file.id],
        purpose="audit sample findings",
        detail={"sample": sample_id, "file": position},
    )
