"""Find the parts of a text inside quotation marks (possibly someone's own words).

Straight and curly double quotes, curly single quotes, and straight single quotes used as quotes
(not apostrophes: "don't", "Children's", "two years' time" are left alone). An opening quote that
is never closed runs to the end of the text.

>>> quoted_spans('Amy said "I chose to go" and cried.')
[(9, 24)]
>>> quoted_spans("She’s fine; she said ‘I don’t know’.")
[(21, 35)]
"""

from __future__ import annotations

_PAIRS = {"“": "”", "‘": "’", "«": "»", "„": "“"}


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Character ranges [start, end) of quoted passages, quote marks included."""
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(text):
        close = _closing_for(text, i)
        if close is None:
            i += 1
            continue
        end = _find_close(text, i + 1, close)
        spans.append((i, end))
        i = end
    return spans


def inside_quotes(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """True if the range [start, end) overlaps a quoted passage."""
    return any(s < end and start < e for s, e in spans)


def _closing_for(text: str, i: int) -> str | None:
    """The closing mark if text[i] opens a quote."""
    ch = text[i]
    if ch == '"':
        return '"'
    if ch in _PAIRS:
        return _PAIRS[ch]
    if ch == "'" and _opens_single(text, i):
        return "'"
    return None


def _opens_single(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in "([{:—–-") and after.isalnum()


def _find_close(text: str, start: int, close: str) -> int:
    """Index just past the closing mark, skipping apostrophes inside words; else len(text)."""
    j = start
    while j < len(text):
        if text[j] == close and not (close in "'’" and _is_apostrophe(text, j)):
            return j + 1
        j += 1
    return len(text)


def _is_apostrophe(text: str, j: int) -> bool:
    before = text[j - 1] if j > 0 else " "
    after = text[j + 1] if j + 1 < len(text) else " "
    return before.isalnum() and after.isalnum()
