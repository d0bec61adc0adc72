"""Jinja with the GOV.UK Frontend macros, a strict Undefined so that template typos fail, and the
filters that say things the same way on every page.

>>> govuk_date(date(2024, 4, 7)), govuk_date("2011-07"), govuk_date("2011")
('7 April 2024', 'July 2011', '2011')
>>> govuk_date(datetime(2024, 4, 7, 13, 5, tzinfo=ZoneInfo("UTC")))
'7 April 2024 at 2:05pm'
>>> likelihood(0.996), likelihood(0.62)
('almost certain (99.6%)', 'more likely than not (62%)')
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    PrefixLoader,
    Undefined,
    select_autoescape,
)
from starlette.requests import Request
from starlette.responses import HTMLResponse

from safehub.extracts.codes import label

# What an app adds to every page it renders (the staff app: its navigation).
PageContext = Callable[[Request], dict[str, Any]]


class NearStrictUndefined(Undefined):
    """Printing an undefined name fails (a template typo shows at once); testing one with ``if``
    or ``default`` works, as the GOV.UK macros expect."""

    def __str__(self) -> str:
        self._fail_with_undefined_error()
        return ""


_LONDON = ZoneInfo("Europe/London")
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def govuk_date(value: date | datetime | str | None, *, time: bool = True) -> str:
    """A date as GOV.UK writes it ("7 April 2024"), a time in UK time ("7 April 2024 at 2:05pm"),
    a partial date as far as it is known ("July 2011"); "Not known" for nothing. Every page says
    dates through this one filter (``govuk_date``, ``|govuk_date(time=false)`` for the day only)."""
    if value is None or value == "":
        return "Not known"
    if isinstance(value, datetime):
        local = value.astimezone(_LONDON) if value.tzinfo else value
        day = f"{local.day} {_MONTHS[local.month - 1]} {local.year}"
        if not time:
            return day
        clock = f"{local.hour % 12 or 12}:{local.minute:02d}{'am' if local.hour < 12 else 'pm'}"
        return f"{day} at {clock.replace(':00', '')}"
    if isinstance(value, date):
        return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"
    found = _PARTIAL.match(value.strip())
    if not found:
        return value
    year, month, day_of_month = found.groups()
    if month is None:
        return year
    if day_of_month is None:
        return f"{_MONTHS[int(month) - 1]} {year}"
    return f"{int(day_of_month)} {_MONTHS[int(month) - 1]} {year}"


def likelihood(probability: float) -> str:
    """A probability in words with its figure: what a person reads first is the words."""
    words = (
        "almost certain"
        if probability >= 0.99
        else "very likely"
        if probability >= 0.9
        else "likely"
        if probability >= 0.75
        else "more likely than not"
        if probability > 0.5
        else "unlikely"
        if probability > 0.1
        else "very unlikely"
    )
    return f"{words} ({_percent(probability)})"


def _percent(probability: float) -> str:
    figure = round(probability * 100, 1)
    if figure >= 100 and probability < 1:
        return "over 99.9%"
    return f"{figure:g}%"


def add_filters(env: Environment) -> Environment:
    """The shared filters: ``govuk_date``, ``words`` (a code in plain English), ``likelihood``."""
    env.filters["govuk_date"] = govuk_date
    env.filters["words"] = label
    env.filters["likelihood"] = likelihood
    return env


def build_environment(templates: Path | Sequence[Path]) -> Environment:
    """An app's templates first, then the GOV.UK macros under ``govuk_frontend_jinja/``."""
    folders = [templates] if isinstance(templates, Path) else list(templates)
    return add_filters(_environment(folders))


def _environment(folders: list[Path]) -> Environment:
    return Environment(
        loader=ChoiceLoader(
            [
                FileSystemLoader(folders),
                PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
            ]
        ),
        autoescape=select_autoescape(["html"]),
        undefined=NearStrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


class Renderer:
    """Render a page with what every page needs: the user, the CSP nonce, the CSRF token."""

    def __init__(self, env: Environment, extra: PageContext | None = None) -> None:
        self.env = env
        self.extra = extra

    def page(
        self, request: Request, template: str, status_code: int = 200, **context: Any
    ) -> HTMLResponse:
        state = request.state
        base: dict[str, Any] = {
            "request": request,
            "user": getattr(state, "user", None),
            "csrf_token": getattr(state, "csrf_token", ""),
            "cspNonce": getattr(state, "csp_nonce", ""),
            "errors": {},
            "values": {},
        }
        if self.extra is not None:
            # Bandit B610 is a false positive here: ``extra`` is the app's page-context function,
            # not Django's QuerySet.extra
            base.update(self.extra(request))  # nosec B610
        html = self.env.get_template(template).render({**base, **context})
        return HTMLResponse(html, status_code=status_code)
