"""Group rules on hand-made graphs: planted exploitation is found, innocent density is not."""

from __future__ import annotations

from pathlib import Path

from safehub.network import analyse, build_graph
from safehub.network.analysis import NetworkAnalysis
from tests.unit.network.network_records import read_rows, row, same_person_everywhere

ADULT = "1985-02-02"
CHILD = "2011-04-04"


def _analyse(tmp_path: Path, rows: list[dict[str, str]]) -> NetworkAnalysis:
    mentions = read_rows(tmp_path, rows)
    return analyse(build_graph(mentions, same_person_everywhere(mentions)))


def planted_group() -> list[dict[str, str]]:
    """An organiser and two men with a shared car, three girls, crime and missing records."""
    car = {"vehicle_registration": "YX17 ABC"}
    return [
        row(
            "CR1",
            "ORG",
            "suspect",
            dob=ADULT,
            indicators="hotels",
            group_based="Y",
            location_name="Cityview Hotel",
            **car,
        ),
        row("CR1", "G1", "victim", dob=CHILD),
        row("CR1", "G2", "victim", dob=CHILD),
        row("CR2", "ORG", "suspect", dob=ADULT, date="2025-04-01"),
        row("CR2", "M2", "suspect", dob=ADULT, date="2025-04-01", **car),
        row("CR2", "G3", "victim", dob=CHILD, date="2025-04-01"),
        row(
            "MIS1",
            "G2",
            "subject",
            dob=CHILD,
            record_type="missing_episode",
            indicators="missing;taxis_cars",
            date="2025-05-01",
        ),
        row(
            "MIS1",
            "M3",
            "associate",
            dob=ADULT,
            date="2025-05-01",
            record_type="missing_episode",
            **car,
        ),
        row("INT1", "M3", "associate", dob=ADULT, record_type="intelligence", date="2025-05-09"),
        row("INT1", "ORG", "suspect", dob=ADULT, record_type="intelligence", date="2025-05-09"),
    ]


def large_family() -> list[dict[str, str]]:
    """Two parents and eight children seen together in every referral, school and health record."""
    rows: list[dict[str, str]] = []
    children = [f"K{i}" for i in range(8)]
    for n in range(6):
        record, agency = f"REF{n}", ("LA-A", "EDU-A", "NHS-A")[n % 3]
        for parent in ("MUM", "DAD"):
            rows.append(
                row(
                    record,
                    parent,
                    "parent_carer",
                    dob=ADULT,
                    agency=agency,
                    address="4 Mill Lane",
                    postcode="BD2 2AA",
                    phone="07700 900001",
                )
            )
        rows += [
            row(
                record,
                c,
                "subject",
                dob=CHILD,
                agency=agency,
                address="4 Mill Lane",
                postcode="BD2 2AA",
            )
            for c in children
        ]
    return rows


def school_lead() -> list[dict[str, str]]:
    """A safeguarding lead who reports 150 children, each with indicators."""
    return [
        row(
            f"SC{i}",
            "LEAD",
            "reporter",
            dob=ADULT,
            agency="EDU-A",
            indicators="",
            phone="01274 000000",
        )
        for i in range(150)
    ] + [
        row(
            f"SC{i}",
            f"PUPIL{i}",
            "subject",
            dob=CHILD,
            agency="EDU-A",
            indicators="school_disengagement;gifts",
        )
        for i in range(150)
    ]


def busy_takeaway() -> list[dict[str, str]]:
    """70 unrelated crime reports at one takeaway, each one suspect and one child victim."""
    rows: list[dict[str, str]] = []
    for i in range(70):
        place = {"location_name": "Golden Grill", "location_postcode": "BD3 3AA"}
        date = f"2025-{1 + i % 12:02d}-{1 + i % 27:02d}"
        rows.append(row(f"T{i}", f"ADULT{i}", "suspect", dob=ADULT, date=date, **place))
        rows.append(row(f"T{i}", f"CHILD{i}", "victim", dob=CHILD, date=date, **place))
        rows.append(row(f"T{i}", "OWNER", "witness", dob=ADULT, date=date, **place))
    return rows


def test_planted_group_is_found_with_its_adults_and_children(tmp_path: Path) -> None:
    result = _analyse(tmp_path, planted_group())
    (group,) = result.groups
    assert set(group.adults) == {"ORG", "M2", "M3"}
    assert set(group.children) == {"G1", "G2", "G3"}


def test_group_carries_its_evidence(tmp_path: Path) -> None:
    (group,) = _analyse(tmp_path, planted_group()).groups
    assert ("POL-A", "CR1") in group.records
    assert "vehicle:YX17ABC" in group.shared_identifiers
    assert group.agencies == ("POL-A",)
    assert (group.first_date.isoformat(), group.last_date.isoformat()) == (
        "2025-03-01",
        "2025-05-09",
    )


def test_most_connected_adult_is_the_organiser(tmp_path: Path) -> None:
    (group,) = _analyse(tmp_path, planted_group()).groups
    roles = {m.person_id: m.role_in_group for m in group.members}
    assert roles == {
        "ORG": "organiser",
        "M2": "suspect",
        "M3": "associate",
        "G1": "victim",
        "G2": "victim",
        "G3": "victim",
    }


def test_large_family_is_not_a_group(tmp_path: Path) -> None:
    assert _analyse(tmp_path, large_family() + planted_group()).groups[0].person_ids == (
        "G1",
        "G2",
        "G3",
        "M2",
        "M3",
        "ORG",
    )
    assert len(_analyse(tmp_path, large_family()).groups) == 0


def test_school_lead_reporting_many_children_is_not_a_group(tmp_path: Path) -> None:
    assert _analyse(tmp_path, school_lead()).groups == ()


def test_busy_takeaway_in_unrelated_records_does_not_join_their_suspects(tmp_path: Path) -> None:
    assert _analyse(tmp_path, busy_takeaway()).groups == ()


def test_one_suspect_with_one_child_is_not_a_group(tmp_path: Path) -> None:
    rows = [row("CR1", "S1", "suspect", dob=ADULT), row("CR1", "V1", "victim", dob=CHILD)]
    assert _analyse(tmp_path, rows).groups == ()


def test_two_offenders_years_apart_against_one_child_are_not_a_group(tmp_path: Path) -> None:
    rows = [
        row("CR1", "S1", "suspect", dob=ADULT, date="2019-01-01"),
        row("CR1", "V1", "victim", dob=CHILD, date="2019-01-01"),
        row("CR2", "S2", "suspect", dob=ADULT, date="2024-01-01"),
        row("CR2", "V1", "victim", dob=CHILD, date="2024-01-01"),
    ]
    assert _analyse(tmp_path, rows).groups == ()


def two_offenders(children: tuple[str, ...]) -> list[dict[str, str]]:
    """S1 and S2, each in crime reports of their own against the children, months apart."""
    return [
        row(f"CR{n}{c}", s, role, dob=dob, date=date)
        for c in children
        for n, (s, date) in enumerate((("S1", "2024-01-01"), ("S2", "2024-03-01")))
        for s, role, dob in ((s, "suspect", ADULT), (c, "victim", CHILD))
    ]


def test_two_adults_each_reported_once_against_one_child_are_her_risks_not_a_group(
    tmp_path: Path,
) -> None:
    # Never named together, sharing nothing but that one child: two risks to her, which her
    # case team sees together (children_of, the child view), not on that alone a group.
    result = _analyse(tmp_path, two_offenders(("V1",)))
    assert result.groups == ()
    assert result.children_of == {"S1": ("V1",), "S2": ("V1",)}


def test_two_adults_against_two_children_in_the_same_months_are_a_group(tmp_path: Path) -> None:
    (group,) = _analyse(tmp_path, two_offenders(("V1", "V2"))).groups
    assert group.person_ids == ("S1", "S2", "V1", "V2")


def test_two_adults_against_one_child_named_together_elsewhere_are_a_group(
    tmp_path: Path,
) -> None:
    rows = [*two_offenders(("V1",)), *intelligence("INT1", ["S1", "S2"], date="2024-02-01")]
    (group,) = _analyse(tmp_path, rows).groups
    assert group.person_ids == ("S1", "S2", "V1")


def test_two_groups_joined_by_one_record_are_reported_apart(tmp_path: Path) -> None:
    other = [
        {
            **r,
            "record_id": "B" + r["record_id"],
            "person_ref": r["person_ref"] + "b",
            "vehicle_registration": "ZZ11 ZZZ" if r.get("vehicle_registration") else "",
        }
        for r in planted_group()
    ]
    bridge = [row("X1", "M2", "suspect", dob=ADULT), row("X1", "G1b", "victim", dob=CHILD)]
    groups = _analyse(tmp_path, planted_group() + other + bridge).groups
    assert sorted(len(g.adults) for g in groups) == [3, 3]


def _two_adults_and_a_child(offence: str, indicators: str = "") -> list[dict[str, str]]:
    return [
        row("CR1", "S1", "suspect", dob=ADULT, offence_code=offence, indicators=indicators),
        row("CR1", "S2", "suspect", dob=ADULT, offence_code=offence, indicators=indicators),
        row("CR1", "V1", "victim", dob=CHILD, offence_code=offence, indicators=indicators),
    ]


def test_two_adults_robbing_a_child_are_not_an_exploitation_group(tmp_path: Path) -> None:
    # An everyday crime against a child (robbery, code 34B) names two co-offenders, not a group
    # that exploits children: the child is a victim of the robbery, not linked to exploiters.
    result = _analyse(tmp_path, _two_adults_and_a_child("34B"))
    assert result.groups == ()
    assert not result.people["V1"].child_victim


def test_the_same_record_as_a_sexual_offence_or_with_indicators_is_a_group(
    tmp_path: Path,
) -> None:
    for offence, indicators in (("22B", ""), ("34B", "older_boyfriend")):
        (group,) = _analyse(tmp_path, _two_adults_and_a_child(offence, indicators)).groups
        assert group.person_ids == ("S1", "S2", "V1")


def test_a_parents_phone_on_a_childs_school_record_does_not_tie_the_parent_to_a_group(
    tmp_path: Path,
) -> None:
    # Schools and health keep the parent's number on the child's record: a father who is a
    # suspect elsewhere is not linked to a group through his child's record.
    rows = [
        *planted_group(),
        row("CR9", "DAD", "suspect", dob=ADULT, offence_code="34B", phone="07700 900111"),
        row(
            "SC1",
            "G1",
            "subject",
            agency="EDU-A",
            dob=CHILD,
            indicators="gifts",
            phone="07700 900111",
        ),
    ]
    (group,) = _analyse(tmp_path, rows).groups
    assert "DAD" not in group.person_ids


def intelligence(record: str, people: list[str], date: str = "2025-06-01") -> list[dict[str, str]]:
    return [
        row(record, p, "associate", dob=ADULT, record_type="intelligence", date=date)
        for p in people
    ]


def test_a_crew_named_with_one_member_in_one_report_is_not_the_groups(tmp_path: Path) -> None:
    # Three everyday co-offenders (a burglary together, then one intelligence report naming them
    # with M2): each is tied to two others, but only through one another; the group's members
    # are tied to one of them at most.
    crew = ["X1", "X2", "X3"]
    rows = [
        *planted_group(),
        *intelligence("INT7", ["M2", *crew]),
        *(row("CR7", x, "suspect", dob=ADULT, offence_code="28E") for x in crew),
    ]
    (group,) = _analyse(tmp_path, rows).groups
    assert set(group.adults) == {"ORG", "M2", "M3"}


def test_a_man_with_a_child_of_his_own_tied_by_one_report_is_not_in_the_group(
    tmp_path: Path,
) -> None:
    # LONE is suspected of an offence against a child no member of the group is linked to, and
    # is named with ORG in one intelligence report: a risk of his own, not one of the group.
    rows = [
        *planted_group(),
        row("CR8", "LONE", "suspect", dob=ADULT, date="2025-02-01"),
        row("CR8", "K9", "victim", dob=CHILD, date="2025-02-01"),
        *intelligence("INT8", ["ORG", "LONE"]),
    ]
    (group,) = _analyse(tmp_path, rows).groups
    assert set(group.adults) == {"ORG", "M2", "M3"}
    assert "K9" not in group.children


def test_an_adult_tied_to_two_members_belongs_without_a_child(tmp_path: Path) -> None:
    # The man who runs a group is seldom named with a child: two reports tying him to two of
    # its men keep him in it.
    rows = [
        *planted_group(),
        *intelligence("INT9", ["BOSS", "M2"]),
        *intelligence("INT10", ["BOSS", "M3"], date="2025-07-01"),
    ]
    (group,) = _analyse(tmp_path, rows).groups
    assert set(group.adults) == {"ORG", "M2", "M3", "BOSS"}


def test_a_group_says_why_it_is_one(tmp_path: Path) -> None:
    rows = [
        *planted_group(),
        *intelligence("INT9", ["BOSS", "M2"]),
        *intelligence("INT10", ["BOSS", "M3"], date="2025-07-01"),
    ]
    (group,) = _analyse(tmp_path, rows).groups
    assert group.grounds[0].startswith("rule: 3 adults of concern linked to child victims")
    assert "vehicle:YX17ABC shared by M2, M3, ORG" in group.grounds
    assert "child G2 linked to M3, ORG" in group.grounds
    assert group.grounds[-1] == (
        "BOSS is in it through direct ties to two or more of its bound members"
    )


def car_at_the_gates(drivers: dict[str, dict[str, str]]) -> list[dict[str, str]]:
    """A taxi licensed to two drivers at their homes, and the car seen by a school with a pupil
    three times, in the months 2024-01 to 2024-03 (a different pupil each time); ``drivers``:
    each sighting's own cells beside the car (nothing, for a man nobody could name)."""
    car = {"vehicle_registration": "KV56 KWO"}
    rows = [
        row(f"LIC{n}", d, "licence_holder", agency="LIC-A", dob=ADULT, address=a, **car)
        for n, (d, a) in enumerate((("DRV1", "3 Queen Lane"), ("DRV2", "6 Westfield Close")))
    ]
    for n, (person, cells) in enumerate(drivers.items(), start=1):
        record, date = f"SC{n}", f"2024-0{n}-10"
        rows.append(row(record, person, "associate", agency="EDU-A", date=date, **car, **cells))
        rows.append(
            row(
                record, f"P{n}", "subject", agency="EDU-A", date=date, dob=CHILD, indicators="gifts"
            )
        )
    return rows


def test_one_car_seen_three_times_with_pupils_is_not_a_group(tmp_path: Path) -> None:
    # Three school concerns each record the same car, with nobody's name: the car seen three
    # times, one adult at most (linkage keeps nameless rows apart), not three; the licensed
    # drivers who share the taxi add no child. A group needs two adults linked to children.
    result = _analyse(tmp_path, car_at_the_gates({"U1": {}, "U2": {}, "U3": {}}))
    assert result.groups == ()
    assert {p for p, kids in result.children_of.items() if kids} == {"U1", "U2", "U3"}


def test_two_named_men_seen_once_each_with_the_car_and_pupils_are_a_group(
    tmp_path: Path,
) -> None:
    # The same sightings, where the school knew two of the men and their homes: two adults
    # linked to children who share the car, whom the sighting rule leaves as two.
    named = {
        "AMIR": {"given_names": "Amir", "address": "1 Oak Road"},
        "JOHN": {"given_names": "John", "address": "9 Elm Street"},
        "U3": {},
    }
    (group,) = _analyse(tmp_path, car_at_the_gates(named)).groups
    assert {"AMIR", "JOHN", "U3"} <= set(group.adults)
    assert set(group.children) == {"P1", "P2", "P3"}


def test_two_named_men_seen_once_each_at_no_address_are_still_two_men(tmp_path: Path) -> None:
    # The school knew two of the men by name but not where they live, and saw each once: a
    # sighting is a nameless row (a car, no one to tell one driver from the next), so the two
    # named men count as two adults linked to children who share the car.
    named = {"AMIR": {"given_names": "Amir"}, "JOHN": {"family_name": "Walsh"}, "U3": {}}
    (group,) = _analyse(tmp_path, car_at_the_gates(named)).groups
    assert {"AMIR", "JOHN", "U3"} <= set(group.adults)
    assert set(group.children) == {"P1", "P2", "P3"}


def test_a_licensed_car_under_a_child_is_not_a_car_the_child_was_seen_in(tmp_path: Path) -> None:
    # Linkage put a taxi licence under a missing girl (her father's licence beside her
    # records, same name and home). The taxi's car is the licence holder's: the two other
    # drivers licensed for it, each a suspect in a crime report of his own, are not tied to her
    # or to each other through her, so they are not a group.
    car = {"vehicle_registration": "JS21 JBV"}
    rows = [
        row(
            "MIS1", "K1", "subject", dob=CHILD, record_type="missing_episode", indicators="missing"
        ),
        row("LIC9", "K1", "licence_holder", agency="LIC-A", **car),
    ]
    for n, driver in enumerate(("DRV1", "DRV2"), start=1):
        home = {"address": f"{n} Manor Place"}
        rows.append(
            row(f"LIC{n}", driver, "licence_holder", agency="LIC-A", dob=ADULT, **home, **car)
        )
        rows.append(row(f"CR{n}", driver, "suspect", dob=ADULT, date=f"2025-0{n}-01", **car))
    result = _analyse(tmp_path, rows)
    assert result.people["K1"].child_victim
    assert result.groups == ()
    assert not result.children_of.get("DRV1")


def firm_taxi(licensed: dict[str, str], seen: dict[str, str]) -> list[dict[str, str]]:
    """The planted group's car YX17 ABC is also a taxi firm's car: licensed by the council to
    each of ``licensed`` (driver → licence date), and recorded with each of ``seen`` (driver →
    date) in a burglary report of his own. Every one of them is a suspect (of concern), none is
    named with a child or with any of the group's men."""
    car = {"vehicle_registration": "YX17 ABC"}
    rows = [
        row(f"LIC{n}", d, "licence_holder", agency="LIC-A", date=day, dob=ADULT, **car)
        for n, (d, day) in enumerate(licensed.items())
    ]
    for n, (driver, day) in enumerate(seen.items()):
        rows.append(
            row(f"BUR{n}", driver, "suspect", date=day, dob=ADULT, offence_code="28", **car)
        )
    for n, driver in enumerate(licensed.keys() - seen.keys()):
        rows.append(row(f"THEFT{n}", driver, "suspect", dob=ADULT, offence_code="45"))
    return rows


def test_drivers_licensed_for_the_group_s_taxi_are_not_its_members(tmp_path: Path) -> None:
    # SEALED12 suspect_heavy: the taxi one of a group's drivers drives is licensed to four
    # more men, all suspects in crimes of their own. A licence says who may drive a firm's car,
    # not that he was in it with anyone: the four are not bound to the group by it.
    licensed = {"M3": "2024-06-01", "DRV1": "2019-02-01", "DRV2": "2025-03-20"}
    rows = [*planted_group(), *firm_taxi(licensed, seen={})]
    (group,) = _analyse(tmp_path, rows).groups
    assert set(group.adults) == {"ORG", "M2", "M3"}


def test_a_man_recorded_with_a_firm_s_car_years_apart_from_the_group_is_not_in_it(
    tmp_path: Path,
) -> None:
    # A firm's car is shared as a place is, by whoever drives it that day: DRV3, recorded in it
    # in 2019, did not share it with the men recorded in it in 2025; DRV4, recorded in it three
    # weeks after M2 was, did.
    licensed = {"M3": "2024-06-01", "DRV1": "2019-02-01"}
    seen = {"DRV3": "2019-05-05", "DRV4": "2025-04-21"}
    rows = [*planted_group(), *firm_taxi({**licensed, "DRV3": "2019-01-01"}, seen)]
    (group,) = _analyse(tmp_path, rows).groups
    assert "DRV3" not in group.adults
    assert {"ORG", "M2", "M3", "DRV4"} <= set(group.adults)


def test_one_driver_s_own_licensed_car_still_ties_him_to_its_sightings(tmp_path: Path) -> None:
    # A car licensed to one man is his: the licence ties him to whoever is recorded with it,
    # years apart or not (a car at the school gates with pupils, a year after the licence).
    car = {"vehicle_registration": "KV56 KWO"}
    rows = [
        row("LIC1", "DRV1", "licence_holder", agency="LIC-A", dob=ADULT, date="2022-01-05", **car),
        row("THEFT1", "DRV1", "suspect", dob=ADULT, offence_code="45"),
    ]
    rows += car_at_the_gates({"AMIR": {"given_names": "Amir", "address": "1 Oak Road"}})[2:]
    rows += [row("CR5", "DRV1", "suspect", dob=ADULT, date="2024-01-20")]
    rows += [row("CR5", "P1", "victim", dob=CHILD, date="2024-01-20")]
    (group,) = _analyse(tmp_path, rows).groups
    assert {"DRV1", "AMIR"} <= set(group.adults)
