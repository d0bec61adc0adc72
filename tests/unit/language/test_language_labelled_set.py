"""The hand-labelled case-note sentences in bench/data: precision and recall of the checker."""

from __future__ import annotations

import csv
from pathlib import Path

from safehub.language import check_many

LABELLED = Path(__file__).resolve().parents[3] / "bench" / "data" / "language_sentences.csv"


def test_labelled_set_is_large_and_balanced_enough() -> None:
    rows = list(csv.DictReader(LABELLED.open(encoding="utf-8")))
    negatives = sum(r["expected"] == "0" for r in rows)
    assert len(rows) >= 300 and negatives / len(rows) >= 0.4


def test_precision_and_recall_on_labelled_sentences_are_at_least_95_percent() -> None:
    rows = list(csv.DictReader(LABELLED.open(encoding="utf-8")))
    flagged = [bool(f) for f in check_many(r["sentence"] for r in rows)]
    expected = [r["expected"] == "1" for r in rows]
    tp = sum(f and e for f, e in zip(flagged, expected, strict=True))
    precision = tp / sum(flagged)
    recall = tp / sum(expected)
    misses = [r["sentence"] for r, f, e in zip(rows, flagged, expected, strict=True) if f != e]
    assert precision >= 0.95 and recall >= 0.95, misses
