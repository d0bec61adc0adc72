"""/api/v1/oversight: the oversight portal as JSON, over the same services as its pages. Every
count is under disclosure control ("c" below 10, others rounded to 5), and every call is written
to the oversight body's register of queries."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path
from pydantic import BaseModel, Field

from safehub.access import Permission
from safehub.api.v1.schemas import PathId
from safehub.http.context import Context, require
from safehub.http.csrf import CsrfHeader, check_csrf
from safehub.services.errors import RefusedError
from safehub.services.oversight import portal, sample
from safehub.services.oversight.portal import Figure
from safehub.services.practice import LanguageHeldError

router = APIRouter(prefix="/oversight", tags=["oversight"])
Viewer = Annotated[Context, Depends(require(Permission.VIEW_OVERSIGHT))]
Inspector = Annotated[Context, Depends(require(Permission.AUDIT_SAMPLE))]
PublishedValue = float | str | None
PERIOD_DOC = "A year (2025) or a month (2025-03); by default the year of the latest facts"
AREA_KIND = Annotated[str, Path(description=f"One of: {', '.join(portal.AREA_KINDS)}")]
AREA_CODE = Annotated[str, Path(max_length=12, description="The area's ONS GSS code")]
Position = Annotated[int, Path(ge=1, le=sample.MAX_SAMPLE)]


class FigurePublic(BaseModel):
    measure: str
    area_kind: str
    area_code: str
    area_name: str
    month: date | None = None
    value: PublishedValue = Field(description='The published value: a number, "c", or null')
    n: int | str | None = Field(description='The count it rests on, rounded to 5, or "c"')
    status: str = Field(description=f"One of: {', '.join(portal.STATUSES)}")


class MeasurePublic(BaseModel):
    code: str
    name: str
    definition: str
    unit: str
    direction: str
    target: float | None
    owner: str = Field(description="Who answers for the measure")


class DashboardPublic(BaseModel):
    period: str
    measures: list[MeasurePublic]
    figures: list[FigurePublic]


class LeagueRowPublic(BaseModel):
    rank: int | None = Field(description="None when the value is not published")
    figure: FigurePublic


class LeaguePublic(BaseModel):
    period: str
    measure: MeasurePublic | None = Field(description="None when no measure is defined yet")
    rows: list[LeagueRowPublic]


class TrendPublic(BaseModel):
    measure: MeasurePublic
    overall: FigurePublic
    months: list[FigurePublic]


class AreaPublic(BaseModel):
    period: str
    area_kind: str
    area_code: str
    area_name: str
    trends: list[TrendPublic]


class DisparityPublic(BaseModel):
    measure: str
    dimension: str
    group: str
    n: int | str
    value: PublishedValue
    ci_low: PublishedValue
    ci_high: PublishedValue
    p_value: float | None
    flagged: bool


class StatementPublic(BaseModel):
    measure: str
    dimension: str
    significant: bool
    text: str


class DisparitiesPublic(BaseModel):
    period: str | None
    disparities: list[DisparityPublic]
    statements: list[StatementPublic]


class RegisterEntryPublic(BaseModel):
    at: datetime
    who: str
    query: str
    parameters: dict[str, Any]
    rows_returned: int


class SampleCreate(BaseModel):
    size: int = Field(ge=1, le=sample.MAX_SAMPLE)
    period_start: date
    period_end: date
    statuses: str = Field(default="both", description=f"One of: {', '.join(sample.STATUS_CHOICES)}")
    seed: int | None = Field(default=None, ge=0, le=2**62, description="None: the system chooses")


class SampleFileLine(BaseModel):
    position: int
    status: str
    reviewed: bool


class SamplePublic(BaseModel):
    id: int
    drawn_at: datetime
    drawn_by: str
    seed: int
    period_start: date
    period_end: date
    statuses: str
    eligible: int
    files: list[SampleFileLine]


class FindingPublic(BaseModel):
    question: str
    answer: str
    comment: str | None
    recorded_by: str
    recorded_at: datetime


class SampleFilePublic(BaseModel):
    sample_id: int
    position: int
    status: str
    snapshot: dict[str, Any] = Field(description="Pseudonymised and redacted when drawn")
    findings: list[FindingPublic]


class FindingsUpdate(BaseModel):
    answers: dict[str, str] = Field(
        description=f"Question ({', '.join(sample.CHECKLIST)}) → one of {', '.join(sample.ANSWERS)}"
    )
    comments: dict[str, Annotated[str, Field(max_length=2000)]] = Field(
        default_factory=dict, description="Question → comment (needed when the answer is no)"
    )
    save_anyway: bool = Field(
        default=False, description="Keep comments the language checker flagged, as written"
    )
    language_reason: str = Field(
        default="", max_length=2000, description="Why flagged comments are kept as written"
    )


def _figure(f: Figure) -> FigurePublic:
    return FigurePublic(
        measure=f.measure_code,
        area_kind=f.area_kind,
        area_code=f.area_code,
        area_name=f.area_name,
        month=f.month,
        value=f.value,
        n=f.n,
        status=f.status,
    )


def _measure(m: portal.MeasureRow) -> MeasurePublic:
    return MeasurePublic(
        code=m.code,
        name=m.name,
        definition=m.definition,
        unit=m.unit,
        direction=m.direction,
        target=m.target,
        owner=m.owner,
    )


def _held_messages(held: LanguageHeldError) -> list[str]:
    """What comments held back for their language need: revising, or keeping with why."""
    if held.errors:
        return [f"{name}: {message}" for name, message in held.errors.items()]
    phrases = ", ".join(f"“{f['text']}”" for f in held.flags if f.get("severity") == "error")
    return [
        f"comments: change {phrases}, or send save_anyway with language_reason saying why "
        "they are kept as written"
    ]


def _refused(exc: RefusedError) -> HTTPException:
    return HTTPException(422, "; ".join(exc.details()))


@router.get("/dashboard", operation_id="oversight_dashboard", response_model=DashboardPublic)
def api_dashboard(ctx: Viewer, period: str | None = None) -> DashboardPublic:
    """Every measure in every area over the period, with status against target."""
    try:
        board = portal.view_dashboard(ctx.uow, period=period)
    except RefusedError as exc:
        raise _refused(exc) from exc
    ctx.uow.commit()
    return DashboardPublic(
        period=board.period.label,
        measures=[_measure(m) for m in board.measures],
        figures=[_figure(f) for f in board.figures.values()],
    )


@router.get("/league", operation_id="oversight_league", response_model=LeaguePublic)
def api_league(ctx: Viewer, measure: str | None = None, period: str | None = None) -> LeaguePublic:
    """Areas ranked on one measure, best first; unpublished values last, unranked."""
    try:
        league = portal.view_league(ctx.uow, measure=measure, period=period)
    except RefusedError as exc:
        raise _refused(exc) from exc
    ctx.uow.commit()
    return LeaguePublic(
        period=league.period.label,
        measure=_measure(league.measure) if league.measure else None,
        rows=[LeagueRowPublic(rank=r.rank, figure=_figure(r.figure)) for r in league.rows],
    )


@router.get(
    "/areas/{area_kind}/{area_code}", operation_id="oversight_area", response_model=AreaPublic
)
def api_area(
    ctx: Viewer, area_kind: AREA_KIND, area_code: AREA_CODE, period: str | None = None
) -> AreaPublic:
    """One area's measures month by month."""
    try:
        area = portal.view_area(ctx.uow, area_kind=area_kind, area_code=area_code, period=period)
    except RefusedError as exc:
        raise _refused(exc) from exc
    ctx.uow.commit()
    return AreaPublic(
        period=area.period.label,
        area_kind=area.area_kind,
        area_code=area.area_code,
        area_name=area.area_name,
        trends=[
            TrendPublic(
                measure=_measure(t.measure),
                overall=_figure(t.overall),
                months=[_figure(f) for f in t.months],
            )
            for t in area.trends
        ],
    )


@router.get("/disparities", operation_id="oversight_disparities", response_model=DisparitiesPublic)
def api_disparities(ctx: Viewer) -> DisparitiesPublic:
    """The latest build's disparities, with a plain statement for each comparison."""
    found = portal.view_disparities(ctx.uow)
    ctx.uow.commit()
    return DisparitiesPublic(
        period=found.period,
        disparities=[
            DisparityPublic(
                measure=d.measure_code,
                dimension=d.dimension,
                group=d.group,
                n=d.n,
                value=d.value,
                ci_low=d.ci_low,
                ci_high=d.ci_high,
                p_value=d.p_value,
                flagged=d.flagged,
            )
            for d in found.lines
        ],
        statements=[
            StatementPublic(
                measure=s.measure_code,
                dimension=s.dimension,
                significant=s.significant,
                text=s.text,
            )
            for s in found.statements
        ],
    )


@router.get(
    "/register", operation_id="oversight_register", response_model=list[RegisterEntryPublic]
)
def api_register(ctx: Viewer) -> list[RegisterEntryPublic]:
    """The register of the oversight body's queries, newest first (the latest 200)."""
    entries = portal.view_register(ctx.uow)
    ctx.uow.commit()
    return [
        RegisterEntryPublic(
            at=e.at,
            who=e.who,
            query=e.query,
            parameters=e.parameters,
            rows_returned=e.rows_returned,
        )
        for e in entries
    ]


@router.post(
    "/samples", operation_id="draw_oversight_sample", response_model=SamplePublic, status_code=201
)
def api_draw_sample(ctx: Inspector, body: SampleCreate, csrf: CsrfHeader = None) -> SamplePublic:
    """Draw an audit sample of pseudonymised, redacted case files."""
    check_csrf(ctx, csrf)
    asked = sample.SampleRequest(
        str(body.size),
        body.period_start.isoformat(),
        body.period_end.isoformat(),
        body.statuses,
        "" if body.seed is None else str(body.seed),
    )
    try:
        sample_id = sample.draw_sample(ctx.uow, request=asked)
    except RefusedError as exc:
        raise _refused(exc) from exc
    result = _sample(ctx, sample_id)
    ctx.uow.commit()
    return result


def _sample(ctx: Context, sample_id: int) -> SamplePublic:
    drawn, files = sample.view_sample(ctx.uow, sample_id=sample_id)
    return SamplePublic(
        id=drawn.id,
        drawn_at=drawn.drawn_at,
        drawn_by=drawn.drawn_by,
        seed=drawn.seed,
        period_start=drawn.period_start,
        period_end=drawn.period_end,
        statuses=drawn.statuses,
        eligible=drawn.eligible,
        files=[
            SampleFileLine(position=f.position, status=f.status, reviewed=f.answered > 0)
            for f in files
        ],
    )


@router.get(
    "/samples/{sample_id}", operation_id="get_oversight_sample", response_model=SamplePublic
)
def api_sample(ctx: Inspector, sample_id: PathId) -> SamplePublic:
    result = _sample(ctx, sample_id)
    ctx.uow.commit()
    return result


@router.get(
    "/samples/{sample_id}/files/{position}",
    operation_id="get_oversight_sample_file",
    response_model=SampleFilePublic,
)
def api_sample_file(ctx: Inspector, sample_id: PathId, position: Position) -> SampleFilePublic:
    opened = sample.view_sample_file(ctx.uow, sample_id=sample_id, position=position)
    ctx.uow.commit()
    return SampleFilePublic(
        sample_id=sample_id,
        position=position,
        status=opened.file.status,
        snapshot=opened.file.snapshot,
        findings=[
            FindingPublic(
                question=f.question,
                answer=f.answer,
                comment=f.comment,
                recorded_by=f.recorded_by,
                recorded_at=f.recorded_at,
            )
            for f in opened.findings
        ],
    )


@router.put(
    "/samples/{sample_id}/files/{position}/findings",
    operation_id="record_oversight_findings",
    status_code=204,
)
def api_record_findings(
    ctx: Inspector,
    sample_id: PathId,
    position: Position,
    body: FindingsUpdate,
    csrf: CsrfHeader = None,
) -> None:
    """Record the checklist's answers about one file (answering again replaces them)."""
    check_csrf(ctx, csrf)
    draft = sample.FindingsDraft(answers=body.answers, comments=body.comments)
    try:
        sample.record_findings(
            ctx.uow,
            sample_id=sample_id,
            position=position,
            findings=draft,
            save_anyway=body.save_anyway,
            language_reason=body.language_reason,
        )
    except LanguageHeldError as held:
        raise HTTPException(422, "; ".join(_held_messages(held))) from held
    except RefusedError as exc:
        raise _refused(exc) from exc
    ctx.uow.commit()
