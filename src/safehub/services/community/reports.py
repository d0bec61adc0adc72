"""Writing a community report one question at a time, and sending it.

The answers so far are kept in the database as a draft (at most two hours), found by the hash
of a random token that only the reporter's browser holds: nothing about the report sits in a
cookie or an address, and nothing is kept about who is writing it.

>>> draft = ReportDraft(about="vehicle", what_seen="The same taxi picks up girls after school")
>>> draft.problems("about"), draft.urgency()
({}, 'routine')
>>> ReportDraft(what_seen="x" * 3001).problems("what")
{'what_seen': 'What you saw or heard must be 3,000 characters or fewer'}
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import date

from safehub.db.queries import community as q
from safehub.db.uow import UnitOfWork
from safehub.services.community.limits import note_attempt
from safehub.services.community.phrases import new_phrase, new_reference, phrase_key
from safehub.services.errors import RefusedError

ABOUT = {
    "child": "A child",
    "place": "A place, such as a house, hotel, shop or takeaway",
    "vehicle": "A vehicle, such as a taxi or a car",
    "person": "An adult",
    "online": "Online contact with a child",
}
SIGNS = {
    "danger_now": "A child is in danger now",
    "missing": "A child is missing from home or care",
    "regular": "It keeps happening",
    "gifts": "Adults give a child gifts, money, alcohol, drugs or lifts",
}
SEEN_TIMES = {
    "morning": "Morning",
    "afternoon": "Afternoon",
    "evening": "Evening",
    "night": "Night",
}
# Signs that make a report urgent: the hub looks at it first, and the reporter is told to call 999.
_URGENT = frozenset({"danger_now", "missing"})

# The questions in order, and the answers each asks for.
STEPS: dict[str, tuple[str, ...]] = {
    "about": ("about",),
    "what": ("what_seen",),
    "signs": ("signs",),
    "when": ("seen_day", "seen_month", "seen_year", "seen_time"),
    "where": ("place_postcode", "place_description"),
    "identifiers": (
        "vehicle_registration",
        "phone",
        "online_handle",
        "subject_name",
        "subject_age",
        "other_identifier",
    ),
    "you": ("tell_who", "reporter_name", "reporter_contact", "share_exact"),
}

# Field -> (the most characters, the words for the error message).
LIMITS = {
    "what_seen": (3000, "What you saw or heard"),
    "place_postcode": (8, "The postcode"),
    "place_description": (500, "The description of the place"),
    "vehicle_registration": (10, "The vehicle registration"),
    "phone": (20, "The phone number"),
    "online_handle": (100, "The username or profile"),
    "subject_name": (100, "Their name"),
    "subject_age": (20, "Their age or date of birth"),
    "other_identifier": (300, "Anything else that identifies them"),
    "reporter_name": (100, "Your name"),
    "reporter_contact": (200, "How we can contact you"),
}
_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?\s*[0-9][A-Z]{2}$")
_REGISTRATION = re.compile(r"^[A-Z0-9 ]+$")
_PHONE = re.compile(r"^\+?[0-9 ()-]+$")
# An age, perhaps "about" or "around" it, or a date of birth as day, month and year.
_AGE_OR_DATE = re.compile(
    r"^(?:(?:about|around|roughly|tua|oddeutu)?\s*[0-9]{1,3}|[0-9]{1,2}[ /.-][0-9]{1,2}[ /.-][0-9]{4})$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class ReportDraft:
    """The answers as typed (strings, so that a wrong answer is shown back to be put right)."""

    about: str = ""
    what_seen: str = ""
    signs: tuple[str, ...] = ()
    seen_day: str = ""
    seen_month: str = ""
    seen_year: str = ""
    seen_time: str = ""
    place_postcode: str = ""
    place_description: str = ""
    vehicle_registration: str = ""
    phone: str = ""
    online_handle: str = ""
    subject_name: str = ""
    subject_age: str = ""  # an age ("about 40") or a date of birth, as the reporter knows it
    other_identifier: str = ""
    tell_who: str = "no"  # anonymous unless the reporter chooses otherwise
    reporter_name: str = ""
    reporter_contact: str = ""
    share_exact: str = "no"
    # The steps answered so far: "check your answers" needs them all.
    answered: tuple[str, ...] = field(default=())

    @classmethod
    def from_answers(cls, answers: Mapping[str, object]) -> ReportDraft:
        """From stored or posted answers; unknown names are ignored, sizes are checked later."""
        known = {f.name for f in fields(cls)}
        values: dict[str, object] = {}
        for name, value in answers.items():
            if name not in known:
                continue
            if name in ("signs", "answered"):
                items = value if isinstance(value, list | tuple) else [value]
                values[name] = tuple(str(v) for v in items if v)
            else:
                values[name] = str(value).strip() if value is not None else ""
        return cls(**values)  # type: ignore[arg-type]

    def answers(self) -> dict[str, object]:
        stored = asdict(self)
        stored["signs"] = list(self.signs)
        stored["answered"] = list(self.answered)
        return stored

    def with_step(self, step: str, posted: Mapping[str, object]) -> ReportDraft:
        """These answers with one step's replaced by what was posted (the rest kept)."""
        names = STEPS[step]
        update = ReportDraft.from_answers({n: posted.get(n, "") for n in names})
        changed = {n: getattr(update, n) for n in names}
        if step == "signs":
            changed["signs"] = tuple(s for s in update.signs if s in SIGNS)
        done = self.answered if step in self.answered else (*self.answered, step)
        return replace(self, **changed, answered=done)  # type: ignore[arg-type]

    def problems(self, step: str | None = None) -> dict[str, str]:
        """What to put right, by field, for one step or (``None``) the whole report."""
        steps = [step] if step else list(STEPS)
        found: dict[str, str] = {}
        for name in steps:
            found.update(_CHECKS[name](self))
        return found

    def seen_on(self) -> date | None:
        if not (self.seen_day or self.seen_month or self.seen_year):
            return None
        try:
            return date(int(self.seen_year), int(self.seen_month), int(self.seen_day))
        except ValueError:
            return None

    def urgency(self) -> str:
        if _URGENT & set(self.signs):
            return "urgent"
        return "high" if self.signs else "routine"

    @property
    def danger_now(self) -> bool:
        return "danger_now" in self.signs

    @property
    def complete(self) -> bool:
        return all(step in self.answered for step in STEPS)


def _sizes(draft: ReportDraft, names: tuple[str, ...]) -> dict[str, str]:
    found = {}
    for name in names:
        most, words = LIMITS[name]
        if len(getattr(draft, name)) > most:
            found[name] = f"{words} must be {most:,} characters or fewer"
    return found


def _check_about(draft: ReportDraft) -> dict[str, str]:
    return {} if draft.about in ABOUT else {"about": "Select what you are worried about"}


def _check_what(draft: ReportDraft) -> dict[str, str]:
    if not draft.what_seen:
        return {"what_seen": "Enter what you saw or heard"}
    return _sizes(draft, ("what_seen",))


def _check_signs(draft: ReportDraft) -> dict[str, str]:
    unknown = set(draft.signs) - set(SIGNS)
    return {"signs": "Select from the list, or none of them"} if unknown else {}


def _check_when(draft: ReportDraft) -> dict[str, str]:
    found = {}
    parts = (draft.seen_day, draft.seen_month, draft.seen_year)
    if any(parts):
        seen = draft.seen_on()
        if seen is None:
            found["seen_day"] = "Enter a real date, for example 27 3 2026, or leave the date empty"
        elif seen > date.today():
            found["seen_day"] = "The date must be today or in the past"
    if draft.seen_time and draft.seen_time not in SEEN_TIMES:
        found["seen_time"] = "Select a time of day, or leave it unselected"
    return found


def _check_where(draft: ReportDraft) -> dict[str, str]:
    found = _sizes(draft, ("place_postcode", "place_description"))
    postcode = draft.place_postcode.upper()
    if postcode and "place_postcode" not in found and not _POSTCODE.match(postcode):
        found["place_postcode"] = "Enter a postcode like LS1 4AB, or leave it empty"
    return found


def _check_identifiers(draft: ReportDraft) -> dict[str, str]:
    found = _sizes(draft, STEPS["identifiers"])
    registration = draft.vehicle_registration.upper()
    if (
        registration
        and "vehicle_registration" not in found
        and not _REGISTRATION.match(registration)
    ):
        found["vehicle_registration"] = "A registration has only letters, numbers and spaces"
    if draft.phone and "phone" not in found and not _PHONE.match(draft.phone):
        found["phone"] = "A phone number has only numbers, spaces and a + at the start"
    if (
        draft.subject_age
        and "subject_age" not in found
        and not _AGE_OR_DATE.match(draft.subject_age)
    ):
        found["subject_age"] = (
            "Enter an age like 40 or about 40, or a date of birth like 27 3 1985, or leave it empty"
        )
    return found


def _check_you(draft: ReportDraft) -> dict[str, str]:
    found = {}
    if draft.tell_who not in ("yes", "no"):
        found["tell_who"] = "Select whether you want to tell us who you are"
    if draft.tell_who == "yes":
        if not (draft.reporter_name or draft.reporter_contact):
            found["reporter_name"] = "Enter your name or a way to contact you, or choose No"
        found.update(_sizes(draft, ("reporter_name", "reporter_contact")))
    if draft.share_exact not in ("yes", "no"):
        found["share_exact"] = "Select whether we may see the exact place and day"
    return found


_CHECKS = {
    "about": _check_about,
    "what": _check_what,
    "signs": _check_signs,
    "when": _check_when,
    "where": _check_where,
    "identifiers": _check_identifiers,
    "you": _check_you,
}


@dataclass(frozen=True, slots=True)
class Receipt:
    """What the confirmation page shows: once, never again (only the key is kept)."""

    reference: str
    phrase: str
    danger_now: bool


def draft_key(token: str) -> bytes:
    """The token is 32 random bytes, so a plain hash suffices; the database never sees it."""
    return hashlib.sha256(token.encode()).digest()


def save_draft(uow: UnitOfWork, *, token: str, draft: ReportDraft) -> None:
    q.upsert_draft(uow.session, draft_key(token), draft.answers())


def read_draft(uow: UnitOfWork, *, token: str) -> ReportDraft:
    """The answers so far (none when the draft has expired or never was)."""
    answers = q.get_draft(uow.session, draft_key(token))
    return ReportDraft.from_answers(answers or {})


def report_retention_years(uow: UnitOfWork) -> int:
    """How many years after its last message a report not converted is reviewed: the privacy
    notice states the period the data protection officer set, never a copy of it."""
    return q.get_report_retention_years(uow.session)


def send_report(
    uow: UnitOfWork, *, token: str, draft: ReportDraft, address: str | None = None
) -> Receipt:
    """Send the report, forget the draft, and give the reporter a reference and phrase.

    ``address`` (the connection's) only counts towards the rate limit and is not kept:
    ``SlowDownError`` asks the reporter to wait a few minutes, with the draft kept."""
    problems = draft.problems()
    if problems:
        raise RefusedError(problems)
    note_attempt(uow, action="send", address=address)
    reference, phrase = new_reference(), new_phrase()
    q.insert_report(uow.session, _new_report(draft, reference, phrase_key(reference, phrase)))
    q.delete_draft(uow.session, draft_key(token))
    uow.mark_changed()
    # Who reported is not known and not logged (the unit of work has no source address).
    uow.audit(
        "collection",
        "community_report",
        [reference],
        purpose="community report from the public",
        detail={"urgency": draft.urgency()},
    )
    return Receipt(reference, phrase, draft.danger_now)


def _optional(value: str) -> str | None:
    return value or None


def _new_report(draft: ReportDraft, reference: str, key: bytes) -> q.NewReport:
    named = draft.tell_who == "yes"
    return q.NewReport(
        reference=reference,
        phrase_key=key,
        about=draft.about,
        what_seen=draft.what_seen,
        signs=list(draft.signs),
        urgency=draft.urgency(),
        seen_on=draft.seen_on(),
        seen_time=_optional(draft.seen_time),
        place_postcode=_optional(draft.place_postcode.upper()),
        place_description=_optional(draft.place_description),
        vehicle_registration=_optional(draft.vehicle_registration.upper()),
        phone=_optional(draft.phone),
        online_handle=_optional(draft.online_handle),
        subject_name=_optional(draft.subject_name),
        subject_age=_optional(draft.subject_age),
        other_identifier=_optional(draft.other_identifier),
        reporter_name=_optional(draft.reporter_name) if named else None,
        reporter_contact=_optional(draft.reporter_contact) if named else None,
        share_exact=draft.share_exact == "yes",
    )
