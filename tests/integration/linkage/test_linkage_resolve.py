"""Resolution on small generated data with known truth (DuckDB)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from safehub.extracts import read_extracts
from safehub.linkage import LinkageModel, Resolution, resolve_people, score_candidate
from safehub.linkage.collapse import collapse_mentions
from safehub.linkage.evaluation import pairwise_scores
from safehub.synthetic.small_population import SmallPopulation


def test_known_duplicates_are_found_without_false_merges(
    population: SmallPopulation, resolution: Resolution
) -> None:
    scores = pairwise_scores(population.truth, resolution.person_ids)
    assert scores.precision >= 0.97
    assert scores.recall >= 0.85  # adults of concern without a strong identifier wait for review


def test_every_agency_person_gets_an_id_numbered_from_the_smallest_key(
    population: SmallPopulation, resolution: Resolution
) -> None:
    assert set(resolution.person_ids) == {m.person_key for m in population.mentions}
    first_key = min(resolution.person_ids)
    assert resolution.person_ids[first_key] == "P000001"
    seen: list[str] = []
    for _key, pid in sorted(resolution.person_ids.items()):
        if pid not in seen:
            seen.append(pid)
    assert seen == [f"P{i:06d}" for i in range(1, len(seen) + 1)]


def test_same_input_gives_the_same_ids(population: SmallPopulation, resolution: Resolution) -> None:
    again = resolve_people(list(reversed(population.mentions)))
    assert again.person_ids == resolution.person_ids


def test_pairs_carry_a_per_field_explanation_that_adds_up(resolution: Resolution) -> None:
    pair = resolution.pairs[0]
    total = resolution.model.prior_weight + sum(f.match_weight for f in pair.fields)
    assert total == pytest.approx(pair.match_weight, abs=1e-6)
    assert {f.field for f in pair.fields} >= {"given_name", "family_name", "dob", "nhs"}


def test_in_process_scorer_gives_splinks_match_weight(
    population: SmallPopulation, resolution: Resolution
) -> None:
    people = {p.key: p for p in collapse_mentions(population.mentions)}
    for pair in resolution.pairs[:25]:
        explanation = score_candidate(resolution.model, people[pair.left], people[pair.right])
        # Splink computed name frequencies on the same input the model was trained on.
        assert explanation.match_weight == pytest.approx(pair.match_weight, abs=1e-6)
        assert [f.level for f in explanation.fields] == [f.level for f in pair.fields]


def test_saved_model_resolves_to_the_same_people(
    tmp_path: Path, population: SmallPopulation, resolution: Resolution
) -> None:
    resolution.model.save(tmp_path / "model.json")
    model = LinkageModel.load(tmp_path / "model.json")
    assert resolve_people(population.mentions, model=model).person_ids == resolution.person_ids


def _write(path: Path, rows: list[dict[str, str]]) -> Path:
    header = sorted({k for row in rows for k in row})
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    return path


def _row(agency: str, ref: str, role: str, **extra: str) -> dict[str, str]:
    kind = {"POL": "police", "LA": "social_care", "NHS": "health"}[agency]
    row = {
        "agency_code": agency,
        "agency_type": kind,
        "record_id": f"{agency}-{ref}",
        "record_type": "referral",
        "record_date": "2024-05-01",
        "person_ref": ref,
        "person_role": role,
    }
    row.update(extra)
    return row


def test_adults_of_concern_merge_on_name_and_date_of_birth_only_with_a_corroborating_identifier(
    tmp_path: Path, population: SmallPopulation, resolution: Resolution
) -> None:
    same = {"given_names": "Tariq", "family_name": "Mahmood", "date_of_birth": "1981-07-19"}
    rows = [
        _row("POL", "S1", "suspect", **same),
        _row("LA", "S1", "associate", **same),
        _row("POL", "S2", "suspect", **same, phone="07700 900555"),
        _row("NHS", "S2", "associate", **same, phone="07700900555"),
        _row("POL", "S3", "suspect", **same, postcode="BD3 9QQ"),
        _row("NHS", "S3", "associate", **same, postcode="bd39qq"),
    ]
    path = _write(tmp_path / "adults.csv", rows)
    mentions = population.mentions + read_extracts([path]).mentions
    ids = resolve_people(mentions, model=resolution.model).person_ids
    assert ids[("POL", "S2")] == ids[("NHS", "S2")]
    assert ids[("POL", "S3")] == ids[("NHS", "S3")]
    # Name and date of birth alone: the S1 records wait for a person (and are not merged
    # through the S2 and S3 records either, which name the same man with more evidence).
    assert ids[("POL", "S1")] != ids[("LA", "S1")]


def test_insufficient_people_stay_on_their_own_and_are_marked(
    tmp_path: Path, population: SmallPopulation, resolution: Resolution
) -> None:
    rows = [
        _row("POL", "N1", "witness", given_names="Jack", family_name="Smith"),
        _row("LA", "N1", "witness", given_names="Jack", family_name="Smith"),
        _row("LA", "N2", "witness", date_of_birth="2010-01-01"),
    ]
    mentions = population.mentions + read_extracts([_write(tmp_path / "thin.csv", rows)]).mentions
    ids = resolve_people(mentions, model=resolution.model)
    assert {("POL", "N1"), ("LA", "N1"), ("LA", "N2")} <= ids.insufficient
    assert ids.person_ids[("POL", "N1")] != ids.person_ids[("LA", "N1")]
    others = [pid for key, pid in ids.person_ids.items() if key != ("POL", "N1")]
    assert ids.person_ids[("POL", "N1")] not in others
