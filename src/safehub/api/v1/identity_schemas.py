"""Shapes of the identity endpoints: the intake check, the review queue, a person's links."""

from __future__ import annotations

from pydantic import BaseModel, Field


class IntakeCheckRequest(BaseModel):
    purpose: str = Field(min_length=10, description="Why you are checking (audited)")
    given_names: str = ""
    family_name: str = ""
    date_of_birth: str = Field("", pattern=r"^(\d{4}-\d{2}(-\d{2})?)?$")
    nhs_number: str = ""
    phone: str = ""
    email: str = ""
    postcode: str = ""


class FieldEvidencePublic(BaseModel):
    field: str
    level: str
    match_weight: float


class AgencyPublic(BaseModel):
    code: str
    name: str


class IntakeCandidatePublic(BaseModel):
    person_id: int
    names: list[str]
    dates_of_birth: list[str]
    agencies: list[AgencyPublic]
    match_probability: float
    match_weight: float
    prior_weight: float
    reasons: list[str]
    fields: list[FieldEvidencePublic]


class IntakeCheckPublic(BaseModel):
    model_ready: bool
    candidates: list[IntakeCandidatePublic]


class MatchPairSummaryPublic(BaseModel):
    pair_id: int
    match_probability: float
    reason: str
    agencies: list[str]
    names: list[str]


class MatchPairPublic(BaseModel):
    pair_id: int
    status: str
    match_probability: float
    match_weight: float
    reason: str
    agency_person_ids: list[int]
    evidence: list[FieldEvidencePublic]


class MatchDecisionRequest(BaseModel):
    decision: str = Field(pattern="^(confirm|reject)$")
    note: str = ""


class MatchDecisionPublic(BaseModel):
    pair_id: int
    status: str
    person_id: int | None


class LinkedRecordPublic(BaseModel):
    agency_code: str
    person_ref: str
    names: list[str]
    dates_of_birth: list[str]
    link_confidence: float | None


class PersonLinksPublic(BaseModel):
    person_id: int
    rests_on_unconfirmed_merge: bool
    records: list[LinkedRecordPublic]
