"""Domain events: what happened, told to whoever must act on it, when the unit of work commits.

A use case says what happened (``uow.emit(ExtractImported(...))``); it does not call the other
capabilities that care. The handlers are registered in one place (``services/handlers.py``) and
run at commit, inside the same transaction, before it is committed:

- a handler's writes (an alert raised, a job queued) commit with the change that caused them, and
  a rolled-back change queues nothing;
- a handler that fails fails the commit: nothing is half-written and the error is raised, never
  logged and dropped (a dropped event could be a safeguarding alert never raised);
- an event that nobody handles is refused (``UnhandledEventError``), so a new event cannot be
  forgotten;
- slow work (resolution, network analysis) is never done in a handler: the handler queues a job.

>>> registry = EventHandlers({ReferralRecorded: [lambda uow, event: None]})
>>> len(registry.for_event(ReferralRecorded(referral_id=1)))
1
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any


class Event:
    """Something that happened in the partnership's records."""


@dataclass(frozen=True, slots=True)
class ExtractImported(Event):
    """Agency extracts were written to the shared record (``services.imports``)."""

    # (agency_code, person_ref) of every agency person in the extracts.
    person_keys: tuple[tuple[str, str], ...]
    # False when the import was a no-op (the same file again).
    changed: bool
    purpose: str


@dataclass(frozen=True, slots=True)
class PeopleResolved(Event):
    """Identity resolution has seen new or changed agency records (bulk or incremental): only
    now may the network and the alerts read them (the live chain of ``docs/architecture.md``)."""

    # The people (after any merge) of the agency people resolution read.
    person_ids: tuple[int, ...]
    merges: int
    purpose: str


@dataclass(frozen=True, slots=True)
class PeopleMerged(Event):
    """Identity resolution joined agency people into these surviving people."""

    person_ids: tuple[int, ...]
    purpose: str


@dataclass(frozen=True, slots=True)
class MatchRejected(Event):
    """A person decided that a review pair is two different people: what rested on the pair as
    "possibly the same person" (a network group, a rank) no longer may."""

    match_pair_id: int
    purpose: str


@dataclass(frozen=True, slots=True)
class GlassBroken(Event):
    """A user opened a record they could not otherwise see, with a stated reason."""

    grant_id: int
    subject: str
    subject_id: int


@dataclass(frozen=True, slots=True)
class ReferralRecorded(Event):
    """A referral was received; its statutory clocks must start."""

    referral_id: int


Handler = Callable[[Any, Any], None]


class UnhandledEventError(RuntimeError):
    """An event was emitted that no handler is registered for."""


class EventHandlers:
    """Which handlers run for which event type, in order."""

    def __init__(self, table: Mapping[type[Event], Sequence[Handler]]) -> None:
        self._table = {kind: tuple(handlers) for kind, handlers in table.items()}

    def for_event(self, event: Event) -> tuple[Handler, ...]:
        handlers = self._table.get(type(event), ())
        if not handlers:
            raise UnhandledEventError(f"no handler is registered for {type(event).__name__}")
        return handlers

    def kinds(self) -> list[type[Event]]:
        return list(self._table)
