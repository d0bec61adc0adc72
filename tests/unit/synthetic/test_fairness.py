"""No ethnic stereotype: roles are independent of ethnicity, and recorded ethnicity is the
person's own."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date

from scipy.stats import chi2_contingency, chisquare

from safehub.synthetic.identifiers import Identifiers
from safehub.synthetic.networks import pick_group_members
from safehub.synthetic.population import PopulationBuilder
from tests.unit.synthetic.synth_helpers import Parsed

BROAD = ("W", "M", "A", "B", "O")


def _broad(code: str) -> str:
    return code[0]


def _population() -> PopulationBuilder:
    builder = PopulationBuilder(
        random.Random(4),
        Identifiers(random.Random(5)),
        "bradford",
        date(2023, 9, 30),
        date(2026, 9, 30),
    )
    builder.build(3000)
    return builder


def _goodness_of_fit(picked: Counter[str], pool: Counter[str]) -> float:
    total_picked, total_pool = sum(picked.values()), sum(pool.values())
    expected = [pool[g] / total_pool * total_picked for g in BROAD]
    return float(chisquare([picked[g] for g in BROAD], expected).pvalue)


def test_group_members_are_drawn_with_the_populations_ethnicity_mix() -> None:
    """The selection code path, exercised many times: victims and adults of concern follow the
    eligible population's ethnicity mix (goodness of fit)."""
    pop = _population().pop
    start = date(2024, 6, 1)
    people = pop.people
    eligible_children = Counter(
        _broad(people[p].ethnicity) for p in pop.children if 11 <= people[p].age_on(start) <= 16
    )
    eligible_adults = Counter(
        _broad(people[p].ethnicity) for p in pop.adults if 18 <= people[p].age_on(start) <= 60
    )
    victims: Counter[str] = Counter()
    adults: Counter[str] = Counter()
    rng = random.Random(9)
    for _ in range(400):
        chosen_victims, chosen_adults = pick_group_members(
            rng, pop, start=start, victims=4, adults=4, used=set()
        )
        victims.update(_broad(people[p].ethnicity) for p in chosen_victims)
        adults.update(_broad(people[p].ethnicity) for p in chosen_adults)
    assert sum(victims.values()) == 1600
    assert _goodness_of_fit(victims, eligible_children) > 0.001
    assert _goodness_of_fit(adults, eligible_adults) > 0.001


def test_role_and_ethnicity_are_independent_in_a_generated_area(dense: Parsed) -> None:
    """Chi-squared test of independence: victim vs other child, adult of concern in a group vs
    other adult, by broad ethnic group (true ethnicity from the truth)."""
    roles = {true_id: role for _, true_id, role in dense.area.groups}
    table: dict[str, Counter[str]] = {
        "victim": Counter(),
        "child": Counter(),
        "concern": Counter(),
        "adult": Counter(),
    }
    for true_id, person in dense.persons.items():
        if person["kind"] not in ("child", "adult"):
            continue
        role = roles.get(true_id)
        if person["kind"] == "child":
            row = "victim" if role == "victim" else "child"
        else:
            row = "concern" if role in ("organiser", "suspect", "associate") else "adult"
        table[row][_broad(person["true_ethnicity"])] += 1
    for pair in (("victim", "child"), ("concern", "adult")):
        groups = [g for g in BROAD if table[pair[0]][g] + table[pair[1]][g] > 0]
        observed = [[table[r][g] for g in groups] for r in pair]
        assert sum(observed[0]) >= 60
        assert chi2_contingency(observed).pvalue > 0.001


def test_recorded_ethnicity_is_the_persons_own_or_not_stated(dense: Parsed) -> None:
    for row in dense.rows:
        code = row["ethnicity_self_defined"]
        if code:
            assert code in ("NS", dense.persons[dense.true_id(row)]["true_ethnicity"])


def test_police_leave_self_defined_ethnicity_missing_for_about_half_of_suspects(
    dense: Parsed,
) -> None:
    suspects = [
        r for r in dense.rows if r["agency_type"] == "police" and r["person_role"] == "suspect"
    ]
    missing = sum(1 for r in suspects if r["ethnicity_self_defined"] == "") / len(suspects)
    not_stated = sum(1 for r in suspects if r["ethnicity_self_defined"] == "NS")
    assert 0.4 <= missing <= 0.6
    assert not_stated > 0


def test_observed_codes_are_consistent_with_self_defined_ethnicity(dense: Parsed) -> None:
    plausible = {"W": {"IC1", "IC2"}, "A": {"IC4", "IC5"}, "B": {"IC3"}}
    for row in dense.rows:
        observed = row["ethnicity_observed"]
        true_code = dense.persons[dense.true_id(row)]["true_ethnicity"]
        if observed and observed != "IC9" and true_code[0] in plausible:
            assert observed in plausible[true_code[0]], (true_code, observed)
