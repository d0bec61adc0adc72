"""The man who runs a group found by what he holds, whom he connects and where he turns up, not by
his contact with the children (issue 13): one hand-made group per ranking component."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from safehub.network import analyse, build_graph, ranking
from safehub.network.analysis import NetworkAnalysis
from safehub.network.weights import HUB_CUTOFF_DEGREE
from tests.unit.network.network_records import read_rows, row, same_person_everywhere

ADULT = "1980-02-02"
CHILD = "2010-04-04"
PHONE = "07700 900222"
FLAT = {"location_name": "Flat 1 above Tasty Grill", "location_postcode": "BD1 1AA"}


def _analyse(tmp_path: Path, rows: list[dict[str, str]]) -> NetworkAnalysis:
    mentions = read_rows(tmp_path, rows)
    return analyse(build_graph(mentions, same_person_everywhere(mentions)))


def _drivers(children: int = 6) -> list[dict[str, str]]:
    """Children found at the flat with one of two drivers, who carry the group's phone."""
    rows: list[dict[str, str]] = []
    for n in range(children):
        kind = {"record_type": "missing_episode", "date": f"2025-0{n + 1}-10", **FLAT}
        driver = "D1" if n % 2 else "D2"
        rows += [
            row(f"MIS{n}", f"C{n}", "subject", dob=CHILD, indicators="missing", **kind),
            row(f"MIS{n}", driver, "associate", dob=ADULT, phone=PHONE, **kind),
        ]
    return rows


def _intelligence(
    record: str, man: str, role: str, *, agency: str = "POL-A", area: str = "E08000032"
) -> list[dict[str, str]]:
    """One intelligence report on ``man``, with his phone, naming both drivers."""
    cells = {"record_type": "intelligence", "agency": agency, "area_code": area}
    return [
        row(record, man, role, dob=ADULT, phone=PHONE, **cells),
        row(record, "D1", "associate", dob=ADULT, **cells),
        row(record, "D2", "associate", dob=ADULT, **cells),
    ]


def _roles(result: NetworkAnalysis) -> dict[str, str]:
    (group,) = result.groups
    return {m.person_id: m.role_in_group for m in group.members}


def test_organiser_never_named_with_a_child_who_holds_the_flat_and_phone_ranks_first(
    tmp_path: Path,
) -> None:
    home = {"address": "Flat 1 above Tasty Grill", "postcode": "BD1 1AA"}
    rows = _drivers() + _intelligence("IN1", "ORG", "associate")
    rows += _intelligence("IN2", "ORG", "associate")
    rows.append(row("REF1", "ORG", "associate", agency="LA-A", dob=ADULT, **home))
    result = _analyse(tmp_path, rows)
    assert _roles(result)["ORG"] == "organiser"
    top = result.key_people[0]
    assert (top.person_id, top.children) == ("ORG", 0)
    assert all(k.children >= 3 for k in result.key_people if k.person_id in ("D1", "D2"))
    # The reasons say why he and not the drivers runs the group.
    assert "the organiser by these measures (holds the place" in top.reasons
    assert top.reasons.endswith("member of group G0001")
    assert "the phone, car or other identifier its men share" in top.reasons
    assert "named with no child in any record" in top.reasons


def test_the_subject_of_intelligence_on_the_drivers_is_of_concern_and_ranked(
    tmp_path: Path,
) -> None:
    # Police intelligence is about him; the drivers are its associates. He is never a suspect
    # or associate anywhere: before, he was not ranked at all.
    rows = _drivers() + _intelligence("IN1", "ORG", "subject")
    rows += _intelligence("IN2", "ORG", "subject")
    result = _analyse(tmp_path, rows)
    ranked = {k.person_id: k for k in result.key_people}
    assert _roles(result)["ORG"] == "organiser"
    assert result.key_people[0].person_id == "ORG"
    assert "the subject of police intelligence" in ranked["ORG"].reasons
    assert "shares a phone with 2 adults of concern" in ranked["ORG"].reasons


def test_a_child_or_a_subject_of_unknown_age_is_never_made_of_concern_by_intelligence(
    tmp_path: Path,
) -> None:
    cells = {"record_type": "intelligence"}
    rows = _drivers()
    rows += [
        row("IN5", "TEEN", "subject", dob=CHILD, **cells),
        row("IN5", "D1", "associate", dob=ADULT, **cells),
        row("IN6", "NOAGE", "subject", **cells),
        row("IN6", "D2", "associate", dob=ADULT, **cells),
    ]
    ranked = {k.person_id for k in _analyse(tmp_path, rows).key_people}
    assert ranked.isdisjoint({"TEEN", "NOAGE"})
    assert {"D1", "D2"} <= ranked


def test_the_man_present_across_areas_and_agencies_runs_the_group(tmp_path: Path) -> None:
    # Two men alike in every record but where they are: WIDE is in intelligence of three
    # forces in three areas, LOCAL of one force in one.
    rows = _drivers()
    for n, (agency, area) in enumerate(
        (("POL-A", "E08000032"), ("POL-B", "E08000033"), ("POL-C", "E08000034"))
    ):
        rows += _intelligence(f"W{n}", "WIDE", "associate", agency=agency, area=area)
        rows += _intelligence(f"L{n}", "LOCAL", "associate")
    result = _analyse(tmp_path, rows)
    assert _roles(result)["WIDE"] == "organiser"
    assert result.key_people[0].person_id == "WIDE"
    assert "present in 3 areas and 3 agencies" in result.key_people[0].reasons


def test_driver_with_most_children_is_not_the_organiser_of_the_means_holder(
    tmp_path: Path,
) -> None:
    # D1 collects four children and is named with the other men; HOLDER carries the phone all
    # use, is named with both drivers and with one child only.
    rows = _drivers(children=8) + _intelligence("IN1", "HOLDER", "associate")
    rows += _intelligence("IN2", "HOLDER", "associate")
    rows += [
        row("CR1", "HOLDER", "suspect", dob=ADULT, date="2025-02-11"),
        row("CR1", "C1", "victim", dob=CHILD, date="2025-02-11"),
    ]
    result = _analyse(tmp_path, rows)
    ranked = {k.person_id: k for k in result.key_people}
    assert _roles(result)["HOLDER"] == "organiser"
    assert ranked["D1"].children > ranked["HOLDER"].children
    assert ranked["HOLDER"].rank == 1


def test_a_driver_recorded_with_children_by_every_agency_is_not_the_organiser(
    tmp_path: Path,
) -> None:
    # D1 is named with children by the school, the council and the hospital as well as the
    # police: that is contact, not reach. ORG is named with no child, in the intelligence on
    # both drivers, with the phone all three use.
    rows = _drivers() + _intelligence("IN1", "ORG", "associate")
    rows += _intelligence("IN2", "ORG", "associate")
    for n, agency in enumerate(("EDU-A", "LA-A", "NHS-A")):
        rows += [
            row(f"X{n}", f"C{2 * n + 1}", "subject", agency=agency, dob=CHILD, indicators="gifts"),
            row(f"X{n}", "D1", "associate", agency=agency, dob=ADULT),
        ]
    result = _analyse(tmp_path, rows)
    assert _roles(result)["ORG"] == "organiser"
    ranked = {k.person_id: k for k in result.key_people}
    assert "recorded as of concern by 4 agencies" in ranked["D1"].reasons
    assert "present in" not in ranked["D1"].reasons


def test_the_man_recorded_with_the_phone_and_car_where_no_child_is_runs_the_group(
    tmp_path: Path,
) -> None:
    # Both drivers carry the group's phone and car in the children's missing episodes, and D1
    # shares his own taxi with a third driver: he is recorded with more of the men's means than
    # anyone. ORG is recorded with the phone and the car only in the intelligence on the men,
    # which names no child: he holds them; the drivers use them (issue 13).
    car = {"vehicle_registration": "YX17 ABC"}
    rows = _drivers() + _intelligence("IN1", "ORG", "subject")
    rows += _intelligence("IN2", "ORG", "subject")
    rows = [{**r, **car} if r["person_ref"] in ("D1", "D2", "ORG") else r for r in rows]
    taxi = {"vehicle_registration": "PK19 TAX", "record_type": "missing_episode"}
    rows += [
        row("MIS8", "C6", "subject", dob=CHILD, date="2025-08-10", indicators="missing", **taxi),
        row("MIS8", "D1", "associate", dob=ADULT, date="2025-08-10", **taxi),
        row("MIS9", "C7", "subject", dob=CHILD, date="2025-09-10", indicators="missing", **taxi),
        row("MIS9", "D3", "associate", dob=ADULT, date="2025-09-10", **taxi),
    ]
    result = _analyse(tmp_path, rows)
    ranked = {k.person_id: k for k in result.key_people}
    assert _roles(result)["ORG"] == "organiser"
    assert "holds 3 phones, cars or other identifiers" in ranked["D1"].reasons
    assert "holds 2 phones, cars or other identifiers" in ranked["ORG"].reasons
    assert (
        "the phone, car or other identifier its men share in records naming no child"
        in ranked["ORG"].reasons
    )


def _premises_licence(record: str, holder: str, **place: str) -> dict[str, str]:
    return row(
        record, holder, "licence_holder", agency="LIC-A", dob=ADULT, date="2024-06-01", **place
    )


def test_the_holder_of_the_premises_licence_where_children_are_found_runs_the_group(
    tmp_path: Path,
) -> None:
    # ABE and ZED are alike in the intelligence on the drivers; ZED holds the premises licence
    # of the takeaway where two children were found (SEALED11 roaming: the organiser's licence
    # was his only tie to the premises). Alike, the smaller id would be chosen: ABE.
    takeaway = {"location_name": "Tasty Grill", "location_postcode": "BD1 1AA"}
    rows = _drivers() + _intelligence("IN1", "ABE", "associate")
    rows += _intelligence("IN2", "ZED", "associate")
    for n in (1, 2):
        rows.append(
            row(
                f"MT{n}",
                f"T{n}",
                "subject",
                dob=CHILD,
                indicators="missing",
                record_type="missing_episode",
                date=f"2025-0{n}-20",
                **takeaway,
            )
        )
    alike = _analyse(tmp_path, rows)
    assert _roles(alike)["ABE"] == "organiser"
    licensed = _analyse(tmp_path, [*rows, _premises_licence("LIC1", "ZED", **takeaway)])
    ranked = {k.person_id: k for k in licensed.key_people}
    assert _roles(licensed)["ZED"] == "organiser"
    assert ranked["ZED"].rank < ranked["ABE"].rank
    assert "holds the licence for premises where 2 children were found" in ranked["ZED"].reasons


def test_a_licence_for_other_premises_or_none_holds_no_place(tmp_path: Path) -> None:
    # A taxi driver's licence names no premises; a licence for another takeaway is not the
    # place the children were found: neither makes ZED hold it.
    takeaway = {"location_name": "Tasty Grill", "location_postcode": "BD1 1AA"}
    rows = _drivers() + _intelligence("IN1", "ABE", "associate")
    rows += _intelligence("IN2", "ZED", "associate")
    rows += [
        row(
            "MT1",
            "T1",
            "subject",
            dob=CHILD,
            indicators="missing",
            record_type="missing_episode",
            date="2025-01-20",
            **takeaway,
        ),
        _premises_licence("LIC1", "ZED", location_name="Golden Fry", location_postcode="BD1 1AA"),
        _premises_licence("LIC2", "ZED", licence_number="D123456"),
    ]
    result = _analyse(tmp_path, rows)
    ranked = {k.person_id: k for k in result.key_people}
    assert _roles(result)["ABE"] == "organiser"
    assert "premises where" not in ranked["ZED"].reasons


def test_the_licence_of_a_place_too_busy_to_make_links_holds_nothing(tmp_path: Path) -> None:
    # The busiest takeaway in town: more people are recorded there than make any link
    # (weights.HUB_CUTOFF_DEGREE), so the children found there say nothing of its licensee.
    takeaway = {"location_name": "Tasty Grill", "location_postcode": "BD1 1AA"}
    rows = _drivers() + _intelligence("IN1", "ABE", "associate")
    rows += _intelligence("IN2", "ZED", "associate")
    rows.append(_premises_licence("LIC1", "ZED", **takeaway))
    day = {"record_type": "missing_episode", "date": "2025-05-20", "indicators": "missing"}
    rows += [
        row(f"MB{n}", f"B{n}", "subject", dob=CHILD, **day, **takeaway)
        for n in range(HUB_CUTOFF_DEGREE + 1)
    ]
    result = _analyse(tmp_path, rows)
    ranked = {k.person_id: k for k in result.key_people}
    assert _roles(result)["ABE"] == "organiser"
    assert "premises where" not in ranked["ZED"].reasons


def test_the_man_in_the_flat_above_the_takeaway_holds_the_takeaway_children_are_found_at(
    tmp_path: Path,
) -> None:
    # The children are found at the takeaway itself; ORG lives in the flat above it, written
    # as an address ("Flat 1, above Tasty Grill"): he holds those premises, not the other flat
    # above it, where a seventh child was found. NEXT lives above the next shop in the same
    # postcode: other premises, where no child was found.
    shop = {"location_name": "Tasty Grill", "location_postcode": "BD1 1AA"}
    rows = [{**r, **shop} if r.get("location_name") else r for r in _drivers()]
    flat2 = {"location_name": "Flat 2 above Tasty Grill", "location_postcode": "BD1 1AA"}
    rows.append(row("MIS9", "C9", "subject", dob=CHILD, record_type="missing_episode", **flat2))
    for man, flat in (("ORG", "Flat 1, above Tasty Grill"), ("NEXT", "Flat 2 above Star Pizza")):
        rows += _intelligence(f"IN{man}", man, "associate")
        home = {"address": flat, "postcode": "BD1 1AA"}
        rows.append(row(f"REF{man}", man, "associate", agency="LA-A", dob=ADULT, **home))
    ranked = {k.person_id: k for k in _analyse(tmp_path, rows).key_people}
    assert "lives at or holds the licence for premises where 6 children were found" in (
        ranked["ORG"].reasons
    )
    assert "premises where" not in ranked["NEXT"].reasons


def test_a_home_written_with_its_town_after_it_is_the_flat_children_are_found_at(
    tmp_path: Path,
) -> None:
    # SEALED14 roaming: the intelligence gave the organiser's home as "Flat 1, above Star Pizza,
    # Sheffield"; the missing episodes found the children at "Flat 1, above Star Pizza", same
    # postcode. ABE and ZED are alike in the intelligence on the drivers (alike, the smaller id
    # would be chosen: ABE); ZED lives at the flat, written with the town after it. ABE's
    # address is the same words in another postcode: another flat, holding nothing.
    rows = _drivers() + _intelligence("IN1", "ABE", "associate")
    rows += _intelligence("IN2", "ZED", "associate")
    for man, postcode in (("ABE", "BD2 2BB"), ("ZED", "BD1 1AA")):
        home = {"address": "Flat 1, above Tasty Grill, Bradford", "postcode": postcode}
        rows.append(row(f"REF{man}", man, "associate", agency="LA-A", dob=ADULT, **home))
    result = _analyse(tmp_path, rows)
    ranked = {k.person_id: k for k in result.key_people}
    assert _roles(result)["ZED"] == "organiser"
    assert "lives at or holds the licence for premises where 6 children were found" in (
        ranked["ZED"].reasons
    )
    assert "premises where" not in ranked["ABE"].reasons


def test_only_a_town_after_the_place_name_is_the_same_premises() -> None:
    # A town after the whole name is the same premises; a number after it (another dwelling in
    # the postcode), a name that only begins like it, or no postcode is not.
    home = pd.DataFrame(
        {
            "a": [0, 1, 2, 3, 4],
            "premises": [
                "flat 1 above star pizza sheffield|S112YJ",
                "flat 1 above star pizza 12 high street|S112YJ",
                "flat 1 above star pizzas|S112YJ",
                "flat 1 above star pizza sheffield|",
                "flat 1 above star pizza hebden bridge|S112YJ",
            ],
        }
    )
    at = pd.DataFrame(
        {"b": [9, 8], "premises": ["flat 1 above star pizza|S112YJ", "flat 1 above star pizza|"]}
    )
    found = ranking._town_after(home, at)
    assert sorted(zip(found["a"], found["b"], strict=True)) == [(0, 9), (4, 9)]
