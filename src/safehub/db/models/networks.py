"""Network intelligence kept in the database: each analysis run and the results it stored.

A run (``network_run``) records what it read (the highest person mention and person link event
ids, its watermarks) and what it found. The results of a run (groups with their evidence, key
people with their reasons, communities, child-centred views) are rows that point at the run, so
the pages always read one consistent analysis: the latest run that succeeded.

A run also keeps the pending review pairs it counted as "possibly the same person"
(``network_possible_link``), so that a page can say which pair a group or a rank rests on.

Restricted people (refuge, protected address) are never written to these tables: the job leaves
them out, and row-level security hides any person another agency restricted.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from safehub.db.models.base import Base


class NetworkRun(Base):
    """One analysis of the whole network: full rebuild or incremental update."""

    __tablename__ = "network_run"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    job_run_id: Mapped[int | None] = mapped_column(ForeignKey("job_run.id"))
    mode: Mapped[str] = mapped_column(String(12))  # "full" or "incremental"
    status: Mapped[str] = mapped_column(String(12), default="running")
    # A random token per run: a worker's graph in memory is used only if it was built by the
    # latest run (a restored or recreated database must not be mistaken for the same state).
    token: Mapped[str] = mapped_column(String(40))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    mention_watermark: Mapped[int] = mapped_column(BigInteger, default=0)
    link_watermark: Mapped[int] = mapped_column(BigInteger, default=0)
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    nodes: Mapped[int] = mapped_column(Integer, default=0)
    edges: Mapped[int] = mapped_column(Integer, default=0)
    groups: Mapped[int] = mapped_column(Integer, default=0)
    key_people: Mapped[int] = mapped_column(Integer, default=0)
    alerts_raised: Mapped[int] = mapped_column(Integer, default=0)
    seed: Mapped[int] = mapped_column(BigInteger)


class NetworkGroup(Base):
    """A candidate exploitation group of one run, with the evidence an analyst checks."""

    __tablename__ = "network_group"
    __table_args__ = (UniqueConstraint("run_id", "code"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("network_run.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(12))
    # [[agency_code, record_ref], ...]: the records that bind the members.
    records: Mapped[list[list[str]]] = mapped_column(JSONB)
    shared_identifiers: Mapped[list[str]] = mapped_column(ARRAY(Text))
    agencies: Mapped[list[str]] = mapped_column(ARRAY(Text))
    areas: Mapped[list[str]] = mapped_column(ARRAY(Text))
    first_date: Mapped[date] = mapped_column(Date)
    last_date: Mapped[date] = mapped_column(Date)
    # Why it is a group, in the engine's sentences (``network.analysis.group_grounds``), people
    # named by their person id; a restricted person's id is never written here.
    grounds: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default=text("'{}'"))


class NetworkGroupMember(Base):
    __tablename__ = "network_group_member"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("network_group.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True, index=True)
    role_in_group: Mapped[str] = mapped_column(String(12))


class NetworkKeyPerson(Base):
    """An adult of concern in a run's ranking, with the sentence that says why."""

    __tablename__ = "network_key_person"

    run_id: Mapped[int] = mapped_column(
        ForeignKey("network_run.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True, index=True)
    rank: Mapped[int] = mapped_column(Integer)
    score: Mapped[float] = mapped_column(Float)
    reasons: Mapped[str] = mapped_column(Text)
    children: Mapped[int] = mapped_column(Integer)
    agencies: Mapped[int] = mapped_column(Integer)
    group_code: Mapped[str] = mapped_column(String(12))


class NetworkCommunity(Base):
    """Community and k-core number of each strongly linked person in a run."""

    __tablename__ = "network_community"

    run_id: Mapped[int] = mapped_column(
        ForeignKey("network_run.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True)
    community: Mapped[int] = mapped_column(Integer)
    core_number: Mapped[int] = mapped_column(Integer)


class NetworkChild(Base):
    """A child-centred view: adults, places, vehicles and other children linked to a child.

    Children are never ranked; a child at the centre of many adults is marked at heightened risk
    and reported to their case team.
    """

    __tablename__ = "network_child"

    run_id: Mapped[int] = mapped_column(
        ForeignKey("network_run.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True, index=True)
    heightened_risk: Mapped[bool] = mapped_column(Boolean)
    reasons: Mapped[list[str]] = mapped_column(ARRAY(Text))
    # [{"person_id": int, "roles": [...], "records": [[agency, ref]], "other_children": [int]}]
    adults: Mapped[list[dict[str, object]]] = mapped_column(JSONB)
    places: Mapped[list[str]] = mapped_column(ARRAY(Text))
    vehicles: Mapped[list[str]] = mapped_column(ARRAY(Text))
    other_children: Mapped[list[int]] = mapped_column(ARRAY(BigInteger))
    groups: Mapped[list[str]] = mapped_column(ARRAY(Text))


class NetworkPossibleLink(Base):
    """A pending review pair that a run counted as "possibly the same person" (analysis never
    waits for review). ``representative_id`` is the id the pair's set of people is listed under
    in that run's groups and ranking: a group with it as a member, and a key person of the set,
    rest on this pair until a person confirms or rejects it (``network.possible``)."""

    __tablename__ = "network_possible_link"

    run_id: Mapped[int] = mapped_column(
        ForeignKey("network_run.id", ondelete="CASCADE"), primary_key=True
    )
    match_pair_id: Mapped[int] = mapped_column(ForeignKey("match_pair.id"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    other_person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    representative_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
