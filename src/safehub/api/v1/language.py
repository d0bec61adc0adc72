"""Live language checking for the note editor: the draft in, the flags out. The draft is
neither stored nor logged by this endpoint."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from safehub.access import Permission
from safehub.http.context import Context, require
from safehub.http.csrf import CsrfHeader, check_csrf
from safehub.services.practice import MAX_NOTE, SEVERITIES, check_language

router = APIRouter(tags=["language"])


class LanguageCheckRequest(BaseModel):
    text: str = Field(max_length=MAX_NOTE)


class LanguageFlagPublic(BaseModel):
    """One phrase to look at: ``text == draft[start:end]`` (code points, end exclusive)."""

    start: int
    end: int
    text: str
    why: str
    suggestion: str
    severity: str = Field(description=f"One of: {', '.join(SEVERITIES)}")
    rule_id: str
    rule_title: str = Field(default="", description="The rule that flagged it, in words")
    replacement: str | None = Field(
        description="Words that can replace the phrase as they stand, if any"
    )


class LanguageCheckPublic(BaseModel):
    flags: list[LanguageFlagPublic]


@router.post("/language/check", operation_id="check_language", response_model=LanguageCheckPublic)
def api_check_language(
    body: LanguageCheckRequest,
    ctx: Annotated[Context, Depends(require(Permission.WRITE_NOTE))],
    csrf: CsrfHeader = None,
) -> LanguageCheckPublic:
    check_csrf(ctx, csrf)
    flags = check_language(ctx.uow, text=body.text)
    ctx.uow.commit()
    return LanguageCheckPublic(flags=[LanguageFlagPublic.model_validate(f) for f in flags])
