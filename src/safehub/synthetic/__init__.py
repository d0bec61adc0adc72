"""Seeded synthetic agency extracts (format v1) with ground truth, for demos, tests and benchmarks.

>>> from safehub.synthetic import generate_area
>>> area = generate_area(seed=7, children=200)          # in memory: area.extracts
>>> area.groups[0][2]                                    # planted groups in the truth
'organiser'

``generate_area(seed=..., children=..., out_dir=Path("out"))`` writes ``out/<AGENCY>.csv`` and
``out/truth/{people,groups,key_people,links,agencies,persons}.csv``; ``rows=...`` instead of
``children=...`` aims at a number of extract rows. The same arguments give the same bytes.
"""

from safehub.synthetic.area import (
    DEFAULT_END,
    SyntheticArea,
    children_for_rows,
    generate_area,
    write_truth,
)
from safehub.synthetic.geography import AREAS, Agency, agencies_for
from safehub.synthetic.variation import COLUMNS

AREA_NAMES = tuple(sorted(AREAS))

__all__ = [
    "AREAS",
    "AREA_NAMES",
    "COLUMNS",
    "DEFAULT_END",
    "Agency",
    "SyntheticArea",
    "agencies_for",
    "children_for_rows",
    "generate_area",
    "write_truth",
]
