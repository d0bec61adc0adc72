"""The rules of architecture.md ("False merges fall on common names, twins and siblings; missed
merges hide perpetrators") on small hand-made cases, resolved with a model trained on the
generated population (DuckDB, the same path as ``safehub resolve``)."""

from __future__ import annotations

import csv
from pathlib import Path

from safehub.extracts import read_extracts
from safehub.linkage import Resolution, resolve_people
from safehub.synthetic.small_population import SmallPopulation

_KIND = {"POL": "police", "LA": "social_care", "NHS": "health", "EDU": "education"}


def _row(agency: str, ref: str, role: str, record: str = "", **extra: str) -> dict[str, str]:
    row = {
        "agency_code": agency,
        "agency_type": _KIND[agency],
        "record_id": record or f"{agency}-{ref}",
        "record_type": "referral",
        "record_date": "2024-05-01",
        "person_ref": ref,
        "person_role": role,
    }
    row.update(extra)
    return row


def _resolve(
    tmp_path: Path,
    population: SmallPopulation,
    resolution: Resolution,
    rows: list[dict[str, str]],
) -> Resolution:
    header = sorted({k for row in rows for k in row})
    path = tmp_path / "cases.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    mentions = population.mentions + read_extracts([path]).mentions
    return resolve_people(mentions, model=resolution.model)


_TWINS_HOME = {
    "family_name": "Qureshi",
    "date_of_birth": "2012-03-04",
    "address": "14 Marsh Lane",
    "postcode": "BD5 8QT",
}


def test_twins_with_different_given_names_never_merge_even_through_a_chaining_mention(
    tmp_path: Path, population: SmallPopulation, resolution: Resolution
) -> None:
    rows = [
        _row("LA", "T1", "victim", given_names="Zainab", **_TWINS_HOME),
        _row("EDU", "T1", "subject", given_names="Zainab", **_TWINS_HOME),
        _row("LA", "T2", "victim", given_names="Maryam", **_TWINS_HOME),
        _row("EDU", "T2", "subject", given_names="Maryam", **_TWINS_HOME),
        # A health record of one twin without her given name: it agrees with both.
        _row("NHS", "T9", "subject", **_TWINS_HOME),
    ]
    ids = _resolve(tmp_path, population, resolution, rows)
    zainab, maryam = ids.person_ids[("LA", "T1")], ids.person_ids[("LA", "T2")]
    assert zainab != maryam
    assert ids.person_ids[("EDU", "T1")] == zainab
    assert ids.person_ids[("EDU", "T2")] == maryam
    held = {(p.left, p.right): p.reason for p in ids.review_queue}
    assert any("given names differ" in r for r in held.values())


def test_a_name_and_nothing_else_is_queued_only_when_a_child_at_risk_is_at_stake(
    tmp_path: Path, population: SmallPopulation, resolution: Resolution
) -> None:
    dated = {"date_of_birth": "1979-06-02", "address": "3 Tern Row", "postcode": "BD7 1QQ"}
    rows = [
        # A witness with a date of birth and an address, and a police record of only a name.
        _row("LA", "W1", "witness", given_names="Orla", family_name="Brackenfield", **dated),
        _row("POL", "W9", "witness", given_names="Orla", family_name="Brackenfield"),
        # A girl recorded as a victim, and a police record of only her name.
        _row(
            "LA",
            "V1",
            "victim",
            given_names="Ottilie",
            family_name="Merrowby",
            date_of_birth="2010-02-14",
            address="8 Heron Way",
            postcode="BD7 2RR",
        ),
        _row("POL", "V9", "witness", given_names="Ottilie", family_name="Merrowby"),
    ]
    ids = _resolve(tmp_path, population, resolution, rows)
    queued = {frozenset((p.left, p.right)) for p in ids.review_queue}
    assert frozenset((("LA", "V1"), ("POL", "V9"))) in queued
    assert frozenset((("LA", "W1"), ("POL", "W9"))) not in queued
    # Neither is merged automatically: a name alone never is.
    assert ids.person_ids[("POL", "W9")] != ids.person_ids[("LA", "W1")]
    assert ids.person_ids[("POL", "V9")] != ids.person_ids[("LA", "V1")]
