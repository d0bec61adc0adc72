"""Two name shapes a twins rule could read, counted against the truth over record pairs.

    python -m bench.hardgen.name_shapes WORLD [WORLD ...]

Over every two agency people (first named row of each) with the same family name and date of
birth, counts how many are one true person and how many are two, for:

- ``same agency, listed forms``: two references of one agency whose first given names differ but
  are listed forms of one another (Liam and William);
- ``second given name``: first given names that are not forms of one another, where one's first
  is a given name after the first of the other ("Daniyal Mohamad" and "Muhammad");
- ``one name, the same``: one given name on each record, the same form ("Mohammod" and
  "Mohammed": twins given one first name look so).

A rule holding back a shape costs the first count in recall to save the second from merging
(``twins_study.md``).
"""

from __future__ import annotations

import csv
import itertools
import sys
from collections import Counter, defaultdict
from pathlib import Path

from safehub.linkage.names import canonical_given, fold_name

Key = tuple[str, str]
Person = tuple[list[str], str, str]  # given names folded, family folded, date of birth


def _people(world: Path) -> dict[Key, Person]:
    found: dict[Key, Person] = {}
    for path in sorted(world.glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            for r in csv.DictReader(handle):
                key = (r["agency_code"], r["person_ref"])
                given = [fold_name(g) for g in (r.get("given_names") or "").split()]
                if key not in found and given and r.get("date_of_birth"):
                    female = (r.get("sex") or "").upper().startswith("F")
                    canon = [canonical_given(g, female) for g in given]
                    found[key] = (canon, fold_name(r["family_name"] or ""), r["date_of_birth"])
                    found[key][0].insert(0, given[0])  # the first as written, then the forms
    return found


def _truth(world: Path) -> dict[Key, str]:
    with (world / "truth" / "people.csv").open(newline="", encoding="utf-8") as handle:
        return {
            (r["agency_code"], r["person_ref"]): r["true_person_id"] for r in csv.DictReader(handle)
        }


def shapes(world: Path) -> Counter[tuple[str, bool]]:
    """(shape, one true person) -> record pairs."""
    people, truth = _people(world), _truth(world)
    households: dict[tuple[str, str], list[Key]] = defaultdict(list)
    for key, (_, family, dob) in people.items():
        households[(family, dob)].append(key)
    counts: Counter[tuple[str, bool]] = Counter()
    for keys in households.values():
        for a, b in itertools.combinations(keys, 2):
            (wa, fa, *ra), (wb, fb, *rb) = people[a][0], people[b][0]
            one = truth.get(a) is not None and truth.get(a) == truth.get(b)
            if a[0] == b[0] and wa != wb and min(len(wa), len(wb)) > 1 and fa == fb:
                counts[("same agency, listed forms", one)] += 1
            elif fa != fb and (fa in rb or fb in ra):
                counts[("second given name", one)] += 1
            if len(people[a][0]) == 2 and len(people[b][0]) == 2 and fa == fb:
                counts[("one name, the same", one)] += 1
    return counts


def main(argv: list[str]) -> None:
    total: Counter[tuple[str, bool]] = Counter()
    for world in argv:
        total += shapes(Path(world))
    for shape in ("same agency, listed forms", "second given name", "one name, the same"):
        print(f"{shape}: one person {total[(shape, True)]}, two {total[(shape, False)]}")


if __name__ == "__main__":
    main(sys.argv[1:])
