"""Person-to-person links between adults of concern and child victims, weighted by meaning.

Pairs come from people touching the same context (see ``concern.py``), vectorised with pandas so
that the same code runs on an area or on a generated graph of millions of nodes. Contexts touching
too many people (a busy takeaway, a school, a reporter's desk) make no pairs at all; moderately busy
ones are down-weighted; places link people only within a time window.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from safehub.network import weights
from safehub.network.concern import CONTEXT_KINDS, KIND_CODE, ConcernTable
from safehub.network.people import CHILD_VICTIM, CONCERN

RECORD_HUB_FREE_DEGREE = 12  # a crime report naming a dozen people is still one incident
IDENTIFIER_KINDS = ("vehicle", "phone", "licence", "handle", "email")
SUMMED_KINDS = ("record", "place")


@dataclass(frozen=True)
class Links:
    """``pairs``: one row per (a, b, context) with its weight; ``strong``: summed links that count.

    Columns of ``pairs``: a, b (person indices; for adult–child pairs a is the adult), context,
    kind (context kind name), combo ("AC" or "AA"), weight, day (when b was seen there). ``strong``: a, b, weight, combo, with
    weight >= LINK_THRESHOLD.
    """

    pairs: pd.DataFrame
    strong: pd.DataFrame


def person_links(table: ConcernTable) -> Links:
    rows = _usable_rows(table)
    # A taxi firm's car is shared as a place is: by whoever drives it that day. Two of its drivers
    # licensed for it years apart, or recorded with it years apart, did not share it; two people
    # recorded with it within the window did. One man's own car ties whoever is recorded with it.
    firm_car = (rows["kind"] == KIND_CODE["vehicle"]) & (
        table.context_licensed[rows["c"].to_numpy()] >= weights.FIRM_CAR_DRIVERS
    )
    is_place = (rows["kind"] == KIND_CODE["place"]) | firm_car
    plain = _pairs(rows[~is_place].drop_duplicates(["p", "c", "cls"]), window=None)
    # A child seen at one hotel in forty missing episodes is one presence per time window, not
    # forty: rows are thinned to one per person, place and window before pairing.
    at_place = rows[is_place].assign(bucket=rows.loc[is_place, "day"] // weights.PLACE_WINDOW_DAYS)
    at_place = at_place.drop_duplicates(["p", "c", "cls", "bucket"]).drop(columns="bucket")
    place = _pairs(at_place, window=weights.PLACE_WINDOW_DAYS)
    # Several sightings of the same two people at one place count once, at their strongest.
    place = place.sort_values("weight").drop_duplicates(["a", "b", "context"], keep="last")
    pairs = pd.concat([plain, place], ignore_index=True)
    names = np.array(CONTEXT_KINDS, dtype=object)
    pairs["kind"] = names[pairs["kind_code"].to_numpy(dtype=np.int64)]
    pairs = pairs.drop(columns="kind_code").sort_values(["a", "b", "context"], ignore_index=True)
    return Links(pairs=pairs, strong=_strong(pairs))


def _usable_rows(table: ConcernTable) -> pd.DataFrame:
    rows = pd.DataFrame(
        {
            "p": table.row_person,
            "c": table.row_context,
            "cls": table.row_class,
            "day": table.row_day,
            "w": table.row_weight,
        }
    )
    degree = table.context_degree[rows["c"].to_numpy()]
    rows["kind"] = table.context_kind[rows["c"].to_numpy()]
    rows["deg"] = degree
    keep = (degree >= 2) & (degree <= weights.HUB_CUTOFF_DEGREE)
    rows = rows[keep]
    # Sort so that drop_duplicates keeps each person's strongest row for a context.
    ordered: pd.DataFrame = rows.sort_values(
        ["c", "p", "cls", "w"], ascending=[True, True, True, False]
    )
    return ordered


def _pairs(rows: pd.DataFrame, window: int | None) -> pd.DataFrame:
    adults = rows[rows["cls"] == CONCERN]
    children = rows[rows["cls"] == CHILD_VICTIM]
    ac = adults.merge(children, on="c", suffixes=("_a", "_b"))
    aa = adults.merge(adults, on="c", suffixes=("_a", "_b"))
    aa = aa[aa["p_a"] < aa["p_b"]]
    ac = ac[ac["p_a"] != ac["p_b"]]
    frames = []
    for combo, frame in (("AC", ac), ("AA", aa)):
        if window is not None:
            frame = frame[(frame["day_a"] - frame["day_b"]).abs() <= window]
        frames.append(_weigh(frame, combo))
    return pd.concat(frames, ignore_index=True)


def _weigh(frame: pd.DataFrame, combo: str) -> pd.DataFrame:
    kind = frame["kind_a"].to_numpy()
    base = np.zeros(len(frame))
    for name, code in KIND_CODE.items():
        base[kind == code] = weights.PAIR_WEIGHT.get((name, combo), 0.0)
    degree = frame["deg_a"].to_numpy()
    free = np.where(kind == KIND_CODE["record"], RECORD_HUB_FREE_DEGREE, weights.HUB_FREE_DEGREE)
    hub = np.where(degree <= free, 1.0, np.minimum(1.0, 2.0 / np.log2(np.maximum(degree, 2))))
    strength = np.minimum(frame["w_a"].to_numpy(), frame["w_b"].to_numpy())
    # A flagged record makes a shared record stronger, not a shared place busier.
    strength = np.where(kind == KIND_CODE["record"], strength, np.minimum(strength, 1.0))
    return pd.DataFrame(
        {
            "a": frame["p_a"].to_numpy(),
            "b": frame["p_b"].to_numpy(),
            "context": frame["c"].to_numpy(),
            "kind_code": kind,
            "combo": combo,
            "weight": base * strength * hub,
            # When the child (or the second adult) was seen there: the time-window rule uses it.
            "day": frame["day_b"].to_numpy(),
        }
    )


def _strong(pairs: pd.DataFrame) -> pd.DataFrame:
    """Sum over records and places (repetition is signal); take the strongest of each identifier
    kind (a family's old and new address is one fact, not two)."""
    repeated = pairs["kind"].isin(SUMMED_KINDS).to_numpy()
    by_kind = pd.concat(
        [
            pairs[repeated].groupby(["a", "b", "combo", "kind"], as_index=False)["weight"].sum(),
            pairs[~repeated].groupby(["a", "b", "combo", "kind"], as_index=False)["weight"].max(),
        ],
        ignore_index=True,
    )
    summed = by_kind.groupby(["a", "b", "combo"], as_index=False)["weight"].sum()
    summed["weight"] = summed["weight"].clip(upper=weights.MAX_LINK_WEIGHT)
    strong = summed[summed["weight"] >= weights.LINK_THRESHOLD]
    ordered: pd.DataFrame = strong.sort_values(["a", "b"], ignore_index=True)
    return ordered
