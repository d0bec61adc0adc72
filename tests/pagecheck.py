"""Checks every page must pass: one h1, a title that starts with it, unique ids, no stack trace."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.h1: list[str] = []
        self.title = ""
        self.ids: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids.append(value)
        if tag in ("h1", "title"):
            self._in = tag
            if tag == "h1":
                self.h1.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "h1":
            self.h1[-1] += data
        elif self._in == "title":
            self.title += data


def check_page(html: str) -> None:
    """Raise AssertionError naming what is wrong with the page."""
    parser = _PageParser()
    parser.feed(html)
    assert len(parser.h1) == 1, f"a page needs exactly one h1, found {len(parser.h1)}"
    heading = " ".join(parser.h1[0].split())
    title = " ".join(parser.title.split()).removeprefix("Error: ")
    assert title.startswith(heading), f"title {title!r} does not start with the h1 {heading!r}"
    duplicates = [i for i, n in Counter(parser.ids).items() if n > 1]
    assert not duplicates, f"ids used more than once: {duplicates}"
    for marker in (
        "Traceback (most recent call last)",
        'File "/',
        "sqlalchemy.exc",
        "jinja2.exceptions",
    ):
        assert marker not in html, f"the page shows a stack trace ({marker})"
