"""The scorer's metrics on small hand-made inputs whose right answers are worked out by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.hardgen.__main__ import main
from bench.hardgen.generate import generate
from bench.hardgen.live import alert_scores
from bench.hardgen.netscore import group_detail, group_scores, ranking_scores
from bench.hardgen.profiles import profile
from bench.hardgen.score import score_resolution
from bench.hardgen.truthfiles import TruthSet


def _person(
    tid: str, *, name: str = "x y", common: str = "N", roles: str = "", kind: str = "adult"
) -> dict[str, str]:
    return {
        "true_person_id": tid,
        "name_key": name,
        "common_name": common,
        "roles": roles,
        "kind": kind,
    }


@pytest.fixture
def truth() -> TruthSet:
    """T1 (three agency people), T1's twin T2, and T3 and T4 who share a common name."""
    t = TruthSet()
    for key, tid in {
        ("A", "1"): "T1",
        ("B", "1"): "T1",
        ("C", "1"): "T1",
        ("A", "2"): "T2",
        ("A", "3"): "T3",
        ("B", "3"): "T4",
    }.items():
        t.person_of[key] = tid
        t.named.add(key)
    t.person_of[("C", "9")] = "T1"  # an "unknown male": left out of the pairwise scores
    t.persons = {
        "T1": _person("T1", roles="suspect"),
        "T2": _person("T2", roles="victim", kind="child"),
        "T3": _person("T3", name="jack smith", common="Y"),
        "T4": _person("T4", name="jack smith", common="Y"),
    }
    t.classes = [("T1", "T2", "twins")]
    t.groups = {"G1": {"T1": "organiser", "T3": "suspect", "T2": "victim"}}
    return t


def test_pairwise_precision_and_recall_count_pairs_of_agency_people(truth: TruthSet) -> None:
    resolved = {
        ("A", "1"): "P1",
        ("B", "1"): "P1",
        ("A", "2"): "P1",
        ("C", "1"): "P2",
        ("A", "3"): "P3",
        ("B", "3"): "P4",
    }
    auto = score_resolution(truth, resolved)["automatic"]
    # P1 makes 3 pairs, one of them true (A1-B1); T1 has 3 true pairs.
    assert (auto["predicted_pairs"], auto["true_pairs"]) == (3, 3)  # type: ignore[index]
    assert auto["precision"] == pytest.approx(1 / 3, abs=1e-4)  # type: ignore[index]
    assert auto["recall"] == pytest.approx(1 / 3, abs=1e-4)  # type: ignore[index]


def test_twins_and_common_names_merged_are_counted_per_pair_of_people(truth: TruthSet) -> None:
    resolved = {
        ("A", "1"): "P1",
        ("B", "1"): "P9",
        ("C", "1"): "P9",
        ("A", "2"): "P1",
        ("A", "3"): "P3",
        ("B", "3"): "P3",
    }
    result = score_resolution(truth, resolved)
    assert result["hard_pairs_merged"] == {"twins": {"pairs": 1, "merged": 1}}
    assert result["common_name_false_merges"]["pairs_merged"] == 1  # type: ignore[index]
    assert result["fragments"]["suspects"]["mean"] == 2  # type: ignore[index]


def test_missing_people_stand_alone_and_a_perfect_resolution_scores_one(truth: TruthSet) -> None:
    perfect = {key: truth.person_of[key] for key in truth.named}
    assert score_resolution(truth, perfect)["automatic"]["f1"] == 1.0  # type: ignore[index]
    missing = score_resolution(truth, {})
    assert missing["missing_from_output"] == 6
    assert missing["automatic"]["recall"] == 0.0  # type: ignore[index]


def test_recall_after_review_counts_only_the_true_pairs_of_the_queue(truth: TruthSet) -> None:
    resolved = {key: f"P{i}" for i, key in enumerate(sorted(truth.named))}
    review = [(("A", "1"), ("B", "1")), (("A", "3"), ("B", "3"))]
    result = score_resolution(truth, resolved, review)["review"]
    assert result["pairs"] == 2  # type: ignore[index]
    assert result["review_true_share"] == 0.5  # type: ignore[index]
    assert result["recall_after_review"] == pytest.approx(1 / 3, abs=1e-4)  # type: ignore[index]
    assert result["precision_after_review"] == 1.0  # type: ignore[index]


def test_a_group_is_correct_when_half_its_adults_belong_to_one_planted_group(
    truth: TruthSet,
) -> None:
    true_of = {"P1": "T1", "P3": "T3", "P4": "T4", "P2": "T2"}
    found = {
        "F1": {
            "P1": "organiser",
            "P4": "suspect",
            "P2": "victim",
        },  # 1 of 2 adults planted: correct
        "F2": {"P4": "suspect", "P9": "suspect", "P3": "associate"},  # 1 of 3: not correct
        "F3": {"P2": "victim"},  # no adults: not correct
    }
    result = group_scores(truth, found, true_of)
    assert (result["correct_groups"], result["group_precision"], result["group_recall"]) == (
        1,
        0.3333,
        1.0,
    )
    assert result["adults_in_found_groups"] == 4


def test_group_detail_says_who_the_adults_really_are(truth: TruthSet) -> None:
    found = {"F1": {"P1": "organiser", "P4": "suspect", "P2": "victim"}}
    (detail,) = group_detail(truth, found, {"P1": "T1", "P4": "T4", "P2": "T2"})
    assert detail["correct"] is True and detail["closest_planted"] == "G1"
    assert detail["adults"] == ["T1 G1:organiser", "T4"]


def test_organisers_count_only_within_the_top_two_per_planted_group(truth: TruthSet) -> None:
    true_of = {"P1": "T1", "P3": "T3", "P4": "T4"}
    assert ranking_scores(truth, ["P4", "P3", "P1"], true_of)["organisers_in_top_2g"] == 0
    assert ranking_scores(truth, ["P4", "P1", "P3"], true_of)["organisers_in_top_2g"] == 1


def test_alerted_people_outside_planted_groups_are_counted_once(truth: TruthSet) -> None:
    alerts = [
        ("network.group", 1),
        ("network.group", 1),
        ("network.child", 4),
        ("network.group", 3),
    ]
    result = alert_scores(truth, alerts, {"1": "T1", "3": "T3", "4": "T4"})
    assert (result["alerted_people"], result["alerted_people_outside_planted"]) == (3, 1)


def test_scoring_the_truth_against_itself_is_perfect(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    generate(profile("tiny"), 4, tmp_path)
    people = (tmp_path / "truth" / "people.csv").read_text().splitlines()
    resolved = ["agency_code,person_ref,person_id"] + [
        ",".join(line.split(",")[:3]) for line in people[1:]
    ]
    (tmp_path / "resolved.csv").write_text("\n".join(resolved) + "\n")
    assert (
        main(
            [
                "score",
                "--truth",
                str(tmp_path / "truth"),
                "--resolved",
                str(tmp_path / "resolved.csv"),
            ]
        )
        == 0
    )
    result = json.loads(capsys.readouterr().out)["resolution"]
    assert result["automatic"]["f1"] == 1.0
    assert all(v["merged"] == 0 for v in result["hard_pairs_merged"].values())


def test_the_sealed_split_refuses_to_run_without_the_end_flag(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from bench.hardgen_bench import main as bench_main

    assert bench_main(["--split", "sealed"]) == 2
    assert "--i-am-scoring-the-end" in capsys.readouterr().err
