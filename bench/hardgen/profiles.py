"""Named profiles: the worlds engineers evaluate on (``--profile NAME``).

- ``agencies_small``: one area, about 11k agency people, three planted groups.
- ``busy_area``: one inner-city area full of innocent dense structure, six planted groups.
- ``roaming``: three areas in three police forces; groups operate across all three.
- ``sparse``: little recorded beyond names: a youth project's extracts, social care without
  dates of birth, fewer identifiers.
- ``bare``: no agency has a date-of-birth column and identifiers are rare: engines must fall
  back, never crash (docs/contracts.md).
- ``suspect_heavy``: most adults in police records are suspects; more groups; aliases.
- ``twins_heavy``: many twins with look-alike names, juniors and same-name neighbours.
- ``scale``: eight areas, about 225k agency people (about 390k rows: a known child is in
  several agencies' records, a referral names the family).
- ``tiny``: for tests (seconds).
"""

from __future__ import annotations

from bench.hardgen.settings import Settings

PROFILES: dict[str, Settings] = {
    s.name: s
    for s in (
        Settings(name="tiny", households_per_area=250, groups=1, busy=0.3),
        Settings(name="agencies_small", households_per_area=4700, groups=3),
        Settings(
            name="busy_area",
            households_per_area=4000,
            groups=6,
            busy=1.0,
            large_family_rate=0.025,
        ),
        Settings(
            name="roaming",
            areas=("bradford", "rotherham", "rochdale"),
            households_per_area=1500,
            groups=4,
            roaming=True,
            busy=0.5,
            mover_rate=0.3,
        ),
        Settings(
            name="sparse",
            households_per_area=3500,
            groups=3,
            sparse_agencies=2,
            no_dob_agencies=("social_care",),
            dob_missing_scale=2.5,
            identifier_scale=0.5,
        ),
        Settings(
            name="bare",
            households_per_area=1500,
            groups=2,
            sparse_agencies=1,
            no_dob_agencies=(
                "police",
                "social_care",
                "health",
                "education",
                "licensing",
                "voluntary",
            ),
            identifier_scale=0.2,
        ),
        Settings(
            name="suspect_heavy",
            households_per_area=3500,
            groups=6,
            suspect_share=0.95,
            alias_rate=0.6,
            unnamed_rate=0.25,
        ),
        Settings(
            name="twins_heavy",
            households_per_area=3500,
            groups=3,
            twin_rate=0.12,
            similar_twin_names=0.8,
            close_sibling_rate=0.4,
            junior_rate=0.15,
            same_name_neighbour_rate=0.04,
        ),
        Settings(
            name="scale",
            areas=(
                "bradford",
                "kirklees",
                "calderdale",
                "rotherham",
                "sheffield",
                "rochdale",
                "oldham",
                "telford",
            ),
            households_per_area=10400,
            groups=12,
            busy=0.3,
        ),
    )
}


def profile(name: str) -> Settings:
    """The settings of a named profile; the error names the ones that exist."""
    if name not in PROFILES:
        raise KeyError(f"unknown profile {name!r}; known: {', '.join(sorted(PROFILES))}")
    return PROFILES[name]
