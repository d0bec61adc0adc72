"""Independent oversight: the measures (as data), the facts rebuilt from every source, the
pseudonymous units that disparity monitoring counts, and the disparities found.

- ``oversight_measure``: one row per measure of the national strategy: its definition in words
  (numerator, denominator, the records it counts), whether higher or lower is better, the target
  and the margin within which a missed target counts as "near", and who answers for it.
- ``oversight_fact``: counts per measure, area (police force or local authority, ONS GSS code)
  and month, and per agency where a measure is by agency (data completeness). Aggregates only.
- ``oversight_unit``: one row per counted event (a referral decided, a crime report charged or
  not, a child going missing again), pseudonymous (no person or record id, only a one-way key so
  that a rebuild replaces rather than adds), with the grouped characteristics that disparity
  monitoring compares. Only the system (the rebuild job) reads or writes it: the oversight body
  sees what is computed from it, never the rows.
- ``oversight_disparity``: the comparisons of one build: per measure, dimension and group, the
  count, the value with its confidence interval, the test's p value and whether it is flagged
  after correction for the number of comparisons.

Nothing here is ever read by a risk score, a match, a ranking or an alert: the point is to show
where some cases are pursued less than others, not to decide about anyone.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from safehub.db.models.base import Base


class OversightMeasure(Base):
    """A measure of the national strategy, defined as data."""

    __tablename__ = "oversight_measure"
    __table_args__ = (
        CheckConstraint("direction IN ('higher', 'lower')", name="direction_known"),
        CheckConstraint("unit IN ('percent', 'days', 'count')", name="unit_known"),
        CheckConstraint("by IN ('area', 'agency')", name="by_known"),
    )

    code: Mapped[str] = mapped_column(String(60), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    definition: Mapped[str] = mapped_column(Text)
    numerator: Mapped[str] = mapped_column(Text)
    # Empty for a count (caseloads, group-based cases identified).
    denominator: Mapped[str | None] = mapped_column(Text)
    counts: Mapped[str] = mapped_column(Text)  # the records it counts, in words
    direction: Mapped[str] = mapped_column(String(6))  # "higher" or "lower" is better
    unit: Mapped[str] = mapped_column(String(10))  # "percent", "days" or "count"
    target: Mapped[float | None] = mapped_column(Float)
    # How far on the wrong side of the target still counts as "near" (in the measure's unit).
    near_margin: Mapped[float] = mapped_column(Float, default=0.0)
    owner: Mapped[str] = mapped_column(Text)
    # "area" (police force or local authority) or "agency" (completeness, training, caseloads).
    by: Mapped[str] = mapped_column(String(8), default="area")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class OversightFact(Base):
    """Counts for one measure, area and month (and agency, for measures by agency)."""

    __tablename__ = "oversight_fact"
    __table_args__ = (
        UniqueConstraint(
            "measure_code",
            "area_kind",
            "area_code",
            "agency_code",
            "period",
            name="uq_oversight_fact_cell",
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    measure_code: Mapped[str] = mapped_column(String(60), index=True)
    area_kind: Mapped[str] = mapped_column(String(16))  # "police_force" or "local_authority"
    area_code: Mapped[str] = mapped_column(String(12))
    area_name: Mapped[str] = mapped_column(Text)
    # The agency's code for a measure by agency, "" for a measure by area (so the cell is unique).
    agency_code: Mapped[str] = mapped_column(String(40), default="")
    period: Mapped[date] = mapped_column(Date, index=True)  # the first day of the month
    numerator: Mapped[float] = mapped_column(Float)
    # None for a count; for a median-days measure, the number of events the median is over.
    denominator: Mapped[float | None] = mapped_column(Float)
    rebuilt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class OversightUnit(Base):
    """One counted event, pseudonymous, with the grouped characteristics disparity compares."""

    __tablename__ = "oversight_unit"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    measure_code: Mapped[str] = mapped_column(String(60), index=True)
    # A one-way key of the event (HMAC of its source ids), so that a rebuild replaces, not adds.
    unit_key: Mapped[str] = mapped_column(String(64), unique=True)
    area_kind: Mapped[str] = mapped_column(String(16))
    area_code: Mapped[str] = mapped_column(String(12))
    period: Mapped[date] = mapped_column(Date, index=True)
    # Grouped, never raw: e.g. "Asian", "Black", "Mixed", "White", "Other", "Not stated".
    suspect_ethnicity: Mapped[str | None] = mapped_column(String(20))
    victim_ethnicity: Mapped[str | None] = mapped_column(String(20))
    victim_sex: Mapped[str | None] = mapped_column(String(2))
    victim_age_band: Mapped[str | None] = mapped_column(String(8))
    in_care: Mapped[bool | None] = mapped_column(Boolean)
    # For a time to action: days until it happened, or until the data ends if it has not (censored).
    days: Mapped[float | None] = mapped_column(Float)
    event: Mapped[bool] = mapped_column(Boolean)  # it happened (charged, decided in time, ...)


class OversightDisparity(Base):
    """One group's figure in one comparison of one build."""

    __tablename__ = "oversight_disparity"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    period: Mapped[str] = mapped_column(String(7))  # "YYYY" or "YYYY-MM" the build covered
    measure_code: Mapped[str] = mapped_column(String(60))
    dimension: Mapped[str] = mapped_column(String(30))
    group_label: Mapped[str] = mapped_column(Text)
    n: Mapped[int] = mapped_column(Integer)
    value: Mapped[float | None] = mapped_column(Float)
    ci_low: Mapped[float | None] = mapped_column(Float)
    ci_high: Mapped[float | None] = mapped_column(Float)
    # The test of the whole dimension (chi-square or log-rank), corrected for the comparisons made.
    p_value: Mapped[float | None] = mapped_column(Float)
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)
    test: Mapped[str] = mapped_column(Text)  # which test and which correction, in words
    built_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
