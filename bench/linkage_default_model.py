"""Write the stated defaults of the linkage model (``safehub/linkage/data/default_model.json``).

    .venv/bin/python bench/linkage_default_model.py

Trains on a generated area (``safehub.synthetic``, seed 1, 3,000 children) exactly as
``safehub resolve`` trains on its input, and saves the model. Training on any input falls back to
these values only for what the input is too sparse to estimate (``linkage/defaults.py``). Run it
again whenever the comparison levels change (a unit test fails until then).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from safehub.extracts.columns import read_extract_table
from safehub.linkage.collapse import collapse_table
from safehub.linkage.defaults import DEFAULT_MODEL
from safehub.linkage.prepare import prepare
from safehub.linkage.training import train_on
from safehub.synthetic import generate_area

SOURCE = "bench/linkage_default_model.py: safehub.synthetic area, seed 1, 3,000 children"
TARGET = Path(__file__).resolve().parent.parent / "src" / "safehub" / "linkage" / DEFAULT_MODEL


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        generate_area(seed=1, children=3000, out_dir=Path(tmp))
        people = collapse_table(read_extract_table(sorted(Path(tmp).glob("*.csv"))))
    model = train_on(prepare(people=people))
    if model.training_notes.get("defaults"):
        print("the generated area left parameters untrained:", model.training_notes["defaults"])
        return 1
    # Name frequencies belong to the input being resolved, never to the defaults.
    model.term_frequencies = {}
    model.training_notes = {"records": model.training_notes["records"], "source": SOURCE}
    model.save(TARGET)
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
