"""Why each found group holds each of its adults, against the truth of a dev world.

``python bench/hardgen_groups_explain.py WORLD [--net net-before] [--only-wrong]``

Reuses the resolution of an earlier ``safehub networks`` run (``WORLD/NET/people.csv``, its
possibly-same pairs merged as the analysis merges them), so the group rule can be studied in
seconds without re-running linkage. For each group: each adult, who they really are, and the
links that tie them to the other members (kind, record type, indicators, weight).
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.hardgen.truthfiles import read_truth  # noqa: E402
from safehub.extracts import read_extracts  # noqa: E402
from safehub.network.analysis import analyse_table  # noqa: E402
from safehub.network.concern_index import ConcernIndex  # noqa: E402
from safehub.network.graph import build_graph  # noqa: E402
from safehub.network.possible import PossiblySame  # noqa: E402


def merged_ids(people_csv: Path) -> dict[tuple[str, str], str]:
    ids: dict[tuple[str, str], str] = {}
    pairs: list[tuple[str, str]] = []
    with people_csv.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            ids[(row["agency_code"], row["person_ref"])] = row["person_id"]
            if row["possibly_same_as"]:
                pairs.append((row["person_id"], row["possibly_same_as"]))
    return PossiblySame.of(pairs).merged(ids)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("world", type=Path)
    parser.add_argument("--net", default="net-before")
    parser.add_argument("--only-wrong", action="store_true")
    parser.add_argument(
        "--organisers", action="store_true", help="each group's adults' organiser measures"
    )
    args = parser.parse_args(argv)
    truth = read_truth(args.world / "truth")
    ids = merged_ids(args.world / args.net / "people.csv")
    batch = read_extracts(sorted(args.world.glob("*.csv")))
    # Restricted people are left out of people.csv; the analysis leaves their rows out anyway.
    ids.update(
        {m.person_key: "/".join(m.person_key) for m in batch.mentions if m.person_key not in ids}
    )
    graph = build_graph(batch.mentions, ids)
    table = ConcernIndex("").table(graph)
    result = analyse_table(table)
    votes: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for key, pid in ids.items():
        if key in truth.person_of:
            votes[pid][truth.person_of[key]] += 1
    true_of = {p: max(v, key=lambda t: (v[t], t)) for p, v in votes.items()}
    role: dict[str, str] = {}
    for g, members in truth.groups.items():
        for t, r in members.items():
            role[t] = f"{g}:{r}"
    index = {p: i for i, p in enumerate(table.person_ids)}
    if args.organisers:
        _organisers(result, index, role, true_of)
        return 0
    pairs = result.links.pairs
    for group in result.groups:
        adults = [index[p] for p in group.adults]
        labels = [role.get(true_of.get(table.person_ids[a], "?"), "-") for a in adults]
        planted = defaultdict(int)
        for label in labels:
            if label != "-":
                planted[label.split(":")[0]] += 1
        best = max(planted.values(), default=0)
        wrong = 2 * best < len(adults)
        if args.only_wrong and not wrong and best == len(adults):
            continue
        print(f"== {group.group_id} adults {len(adults)} best {best} {'WRONG' if wrong else ''}")
        members = {index[p] for p in group.person_ids}
        for a, label in zip(adults, labels, strict=True):
            mine = pairs[((pairs["a"] == a) | (pairs["b"] == a)) & (pairs["weight"] > 0)]
            other = mine["b"].where(mine["a"] == a, mine["a"])
            mine = mine[other.isin(members)]
            other = other[other.isin(members)]
            ties = []
            for (_, row), o in zip(mine.iterrows(), other, strict=True):
                who = "C" if table.child_victim[o] else "A"
                ctx = table.contexts[int(row["context"])]
                ties.append(f"{who}{o}:{row['kind']}:{ctx[-28:]}:{row['weight']:.2f}")
            flag = "S" if table.suspect[a] else "a"
            print(
                f"  {a:>6} {flag} {label:<16} {true_of.get(table.person_ids[a])} | {'; '.join(ties)}"
            )
    return 0


def _organisers(result, index, role, true_of) -> None:  # type: ignore[no-untyped-def]
    """Each group's adults with the measures ``ranking.ORGANISER`` weighs, best first."""
    from safehub.network.ranking import organiser_scores

    m = result.measures
    score = organiser_scores(m)
    ids = result.table.person_ids
    for group in result.groups:
        print(f"== {group.group_id}")
        adults = sorted((index[p] for p in group.adults), key=lambda p: -score[p])
        for p in adults:
            label = role.get(true_of.get(ids[p], "?"), "-")
            print(
                f"  {label:<16} org {score[p]:6.2f} place {m.holds_place[p]} "
                f"means {m.shared_means[p]} apart {m.means_apart[p]} gadults {m.group_adults[p]} "
                f"agencies {m.agencies_all[p]} areas {m.areas[p]} co {m.co_accused[p]} "
                f"rec_children {m.record_children[p]} children {m.children[p]} "
                f"contact {m.contact_children[p]} suspect {int(m.suspect[p])}"
            )


if __name__ == "__main__":
    raise SystemExit(main())
