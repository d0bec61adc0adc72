"""Files sent to a user: attachments that no browser or proxy keeps a copy of."""

from __future__ import annotations

from typing import Protocol

from fastapi.responses import Response


class Downloadable(Protocol):
    @property
    def content(self) -> bytes: ...
    @property
    def media_type(self) -> str: ...
    @property
    def filename(self) -> str: ...


def download(made: Downloadable) -> Response:
    """The file as an attachment, never cached (exports are disclosures of personal data)."""
    return Response(
        made.content,
        media_type=made.media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{made.filename}"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )
