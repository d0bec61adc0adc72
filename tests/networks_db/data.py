"""A small exploitation network as agency extract rows: two adults of concern sharing a car and a
phone, three child victims across police and social care, a licensed driver, a restricted child.

``group_rows`` is the first import; ``later_rows`` a later one that touches the known group, links
a new child to an adult already linked to other children, and names a licence holder as a suspect
in another police force's area.
"""

from __future__ import annotations

from tests.factories import extract_row

AREA = "E08000032"
OTHER_AREA = "E08000035"


def _suspect(record: str, ref: str, **values: str) -> dict[str, str]:
    return extract_row(record_id=record, person_ref=ref, person_role="suspect", **values)


def _victim(record: str, ref: str, **values: str) -> dict[str, str]:
    return extract_row(record_id=record, person_ref=ref, person_role="victim", **values)


def _record(record: str, day: str) -> dict[str, str]:
    return {
        "record_date": day,
        "area_code": AREA,
        "indicators": "missing;taxis_cars",
        "location_name": "Paradise Takeaway",
        "location_postcode": "BD1 1AA",
    }


ADAM = {
    "given_names": "Adam",
    "family_name": "Stone",
    "date_of_birth": "1984-02-01",
    "phone": "07700 900111",
    "vehicle_registration": "YX19 ABC",
}
BARRY = {
    "given_names": "Barry",
    "family_name": "Hale",
    "date_of_birth": "1987-05-09",
    "phone": "07700 900222",
    "vehicle_registration": "YX19 ABC",
}
CARL = {
    "given_names": "Carl",
    "family_name": "Moss",
    "date_of_birth": "1979-11-20",
    "licence_number": "PH12345",
}


def group_rows() -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for record, day, child, dob, name in (
        ("CR-1", "2025-01-10", "V-1", "2010-03-04", "Amy"),
        ("CR-2", "2025-02-11", "V-2", "2011-06-07", "Beth"),
        ("CR-3", "2025-03-12", "V-3", "2009-09-09", "Cara"),
    ):
        base = _record(record, day)
        rows.append(
            _victim(record, child, given_names=name, family_name="Doe", date_of_birth=dob, **base)
        )
        rows.append(_suspect(record, "S-A", **ADAM, **base))
        rows.append(_suspect(record, "S-B", **BARRY, **base))
    # A child in refuge: restricted by the police. Never in results, charts, exports or alerts.
    base = _record("CR-4", "2025-03-20")
    rows.append(
        _victim(
            "CR-4",
            "V-R",
            given_names="Rose",
            family_name="Hidden",
            date_of_birth="2010-01-01",
            restricted="Y",
            **base,
        )
    )
    rows.append(_suspect("CR-4", "S-A", **ADAM, **base))
    # The licensing authority's record of a private-hire driver.
    rows.append(
        extract_row(
            agency_code="LIC-BRAD",
            agency_type="licensing",
            record_id="LIC-77",
            record_type="licence",
            record_date="2024-06-01",
            person_ref="D-1",
            person_role="licence_holder",
            area_code=AREA,
            given_names="Carl",
            family_name="Moss",
            date_of_birth="1979-11-20",
            licence_number="PH12345",
        )
    )
    return rows


def later_rows() -> list[dict[str, str]]:
    """Adam with a new child in Bradford; Carl, the driver, a suspect in another force's area."""
    here = {"record_date": "2025-05-01", "area_code": AREA, "indicators": "taxis_cars"}
    there = {
        "agency_code": "POL-GM",
        "agency_type": "police",
        "record_date": "2025-05-02",
        "area_code": OTHER_AREA,
        "indicators": "taxis_cars",
    }
    return [
        _victim(
            "CR-9", "V-9", given_names="Dina", family_name="Roe", date_of_birth="2011-02-02", **here
        ),
        _suspect("CR-9", "S-A", **ADAM, **here),
        _victim(
            "GM-5",
            "G-V",
            given_names="Erin",
            family_name="Poe",
            date_of_birth="2010-08-08",
            **there,
        ),
        _suspect("GM-5", "G-C", **CARL, **there),
    ]
