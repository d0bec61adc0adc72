"""One schema per shape the API returns or accepts."""

from __future__ import annotations

import datetime
from datetime import date
from typing import Annotated, Any

from fastapi import Path, Query
from pydantic import BaseModel, ConfigDict, Field

from safehub.services.casework.referrals import CONCERN_TYPES, MIN_CONCERN, ReferralDraft

# Row ids are PostgreSQL bigints. A number past that range names nothing and would make the
# database refuse the query (a 500): it is refused here, as a 422 naming the field.
MAX_ID = 2**63 - 1
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
# Strict: JSON ``true`` is not the id 1 (lax parsing took it as 1; found by fuzzing).
RowId = Annotated[int, Field(ge=1, le=MAX_ID, strict=True)]
# A page of a list: far past any real list, and its offset still a bigint.
MAX_PAGE = 1_000_000
Page = Annotated[int, Query(ge=1, le=MAX_PAGE)]


class ApiError(BaseModel):
    """Every refusal and error the API answers (``http/errors.py``): what went wrong, what to put
    right (a message, or one per field naming it), and the request id to quote to support."""

    error: str
    detail: str | list[str] | None = None
    request_id: str | None = None


def refusal(description: str) -> dict[str, Any]:
    """An error response for an operation's ``responses``, described in its own words."""
    return {"model": ApiError, "description": description}


# The ways any operation can be refused, documented once for the whole API (api/v1/__init__.py)
# so that a client, and the fuzz test, know every answer it can get.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: refusal("The body could not be read: not JSON, or not UTF-8"),
    401: refusal("Not signed in"),
    403: refusal("The X-CSRF-Token header is missing or not the session's"),
    404: refusal("Not found, or not yours to see: the two answers are the same"),
    422: refusal("Invalid request: each message names the field and how to put it right"),
}


class PersonHitPublic(BaseModel):
    """A search result, read from the service's ``PersonHit``."""

    model_config = ConfigDict(from_attributes=True)

    person_id: int
    names: list[str]
    dates_of_birth: list[str]
    agencies: list[str]


class RecordPublic(BaseModel):
    """A record about a person, read from the service's record (the person's own outcome first)."""

    model_config = ConfigDict(from_attributes=True)

    agency_code: str
    record_ref: str
    record_type: str
    record_date: date
    person_role: str
    indicators: list[str]
    outcome: str | None


class IdentifierPublic(BaseModel):
    kind: str
    as_recorded: str
    normalised: str | None
    agency_code: str


class PersonPublic(BaseModel):
    person_id: int
    names: list[str]
    dates_of_birth: list[str]
    identifiers: list[IdentifierPublic]
    records: list[RecordPublic]


class ChronologyEntryPublic(BaseModel):
    """A chronology entry, read from the service's entry (its ``on`` is the date)."""

    model_config = ConfigDict(from_attributes=True, populate_by_name=True)

    date: datetime.date = Field(validation_alias="on")
    agency_code: str
    kind: str
    title: str
    detail: str | None


class CasePublic(BaseModel):
    case_id: int
    reference: str
    title: str
    status: str
    children: list[int]
    agencies: list[str]
    chronology: list[ChronologyEntryPublic]


class ReferralCreate(BaseModel):
    """A referral, whole. The service validates it, as it does the form's (one validation)."""

    given_names: str
    family_name: str
    date_of_birth: date | None = None
    concern_type: str = Field(description=f"One of: {', '.join(CONCERN_TYPES)}")
    concern: str = Field(
        description=f"What happened, when, who is involved: {MIN_CONCERN}+ characters"
    )
    immediate_danger: bool
    council_agency_id: RowId | None = Field(
        default=None,
        description="The council (its children's social care agency id) of the area the child "
        "lives in. Required only when the referrer's own area has no council of the partnership "
        "and the partnership has more than one (a police force covering several).",
    )
    language_reason: str = Field(
        default="",
        description="Why the concern is sent with language the checker flags (needed only then; "
        "kept with the referral). POST /api/v1/language/check shows the flags first.",
    )

    def draft(self) -> ReferralDraft:
        return ReferralDraft(
            given_names=self.given_names,
            family_name=self.family_name,
            date_of_birth=self.date_of_birth,
            concern_type=self.concern_type,
            concern=self.concern,
            immediate_danger=self.immediate_danger,
            council_agency_id=self.council_agency_id,
            language_reason=self.language_reason,
        )


class ReferralPublic(BaseModel):
    referral_id: int
    reference: str
    status: str


class ImportPublic(BaseModel):
    imported: bool
    problems: list[str]
    rows: int = 0
    records_new: int = 0
    records_changed: int = 0
    mentions_new: int = 0
    mentions_changed: int = 0


class StatsPublic(BaseModel):
    agencies: int
    records: int
    person_mentions: int
    people: int
