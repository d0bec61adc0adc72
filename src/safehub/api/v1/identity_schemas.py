"""Shapes of the identity endpoints: the intake check, the review queue, a person's links.

The response shapes are read from what the services return (``from_attributes``), so a route
never copies a row field by field; the request shapes build the services' own typed inputs,
which validate themselves (one validation, the pages').
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from safehub.services.identity import DECISIONS, IntakeQuery, PairDecision


class _FromService(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class IntakeCheckRequest(BaseModel):
    """What was typed about the child, and why: the service applies the no-fishing rules."""

    purpose: str = Field(description="Why you are checking, in a sentence (audited)")
    given_names: str = ""
    family_name: str = ""
    date_of_birth: str = Field("", description="YYYY-MM-DD, or YYYY-MM")
    nhs_number: str = ""
    phone: str = ""
    email: str = ""
    postcode: str = ""

    def query(self) -> IntakeQuery:
        return IntakeQuery(**self.model_dump())


class FieldEvidencePublic(_FromService):
    field: str
    level: str
    match_weight: float


class AgencyPublic(_FromService):
    code: str
    name: str


class IntakeCandidatePublic(_FromService):
    person_id: int
    names: list[str]
    dates_of_birth: list[str]
    agencies: list[AgencyPublic]
    match_probability: float
    match_weight: float
    prior_weight: float
    reasons: list[str]
    fields: list[FieldEvidencePublic]

    @field_validator("agencies", mode="before")
    @classmethod
    def _agency_pairs(cls, value: Any) -> Any:
        """The service gives ``(code, name)`` pairs."""
        return [{"code": code, "name": name} for code, name in value]


class IntakeCheckPublic(_FromService):
    model_ready: bool
    candidates: list[IntakeCandidatePublic]


class MatchPairSummaryPublic(BaseModel):
    pair_id: int
    match_probability: float
    reason: str
    agencies: list[str]
    names: list[str]
    # Its place in the queue: the usefulness tier it is ordered by before probability, and
    # why it stands there ("would complete an adult of concern who is in records with children").
    priority: int
    priority_reason: str


class MatchPairPublic(BaseModel):
    pair_id: int
    status: str
    match_probability: float
    match_weight: float
    reason: str
    agency_person_ids: list[int]
    evidence: list[FieldEvidencePublic]


class MatchDecisionRequest(BaseModel):
    decision: str = Field(description=f"One of: {', '.join(DECISIONS)}")
    note: str = ""

    def answer(self) -> PairDecision:
        return PairDecision(self.decision, self.note)


class MatchDecisionPublic(BaseModel):
    pair_id: int
    status: str
    person_id: int | None


class LinkedRecordPublic(_FromService):
    agency_code: str
    person_ref: str
    names: list[str]
    dates_of_birth: list[str]
    link_confidence: float | None


class PersonLinksPublic(_FromService):
    person_id: int
    rests_on_unconfirmed_merge: bool
    records: list[LinkedRecordPublic]
