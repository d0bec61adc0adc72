"""Which pairs of people are compared at all: one array of blocking keys per person.

Two people become a candidate pair when they share a key. Every key joins a name (or a date) to
something narrower (a birth year, a date, a postcode, a postcode sector), so that no block grows with
the square of the population, as "same first and family name" alone does for Olivia Smith.
All the keys go in one array and one exploded join: one hash join instead of one per rule.

>>> row = {"given_name": "olivia", "family_name": "smith", "dob_y": 2010, "dob": "2010-01-02"}
>>> sorted(blocking_keys(row))[:2]
['nd|olivia|2010-01-02', 'nd|smith|2010-01-02']
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from splink import block_on

# Identifier columns whose agreement alone makes a candidate pair.
_ID_COLUMNS = ("nhs", "phone", "email", "vehicle", "licence", "handle")
# A name held by at most this many people is a block on its own: a rare name can carry a match
# (or a review) with nothing else recorded, a common one never can, and its block would be huge.
RARE_NAME_PEOPLE = 20
# Long numbers of an address without a UK postcode (a foreign postcode, a long house number) are
# selective enough to block on with a name or a date; a short house number is not (every town has
# a Khan at number 12).
_LONG_NUMBER = 3
_ADDRESS_NUMBERS = 3


def add_blocking_keys(rows: Sequence[dict[str, Any]], rare: int = RARE_NAME_PEOPLE) -> None:
    """Set ``row["block_keys"]`` on every features row (names are counted across ``rows``)."""
    row_names = [_name(row) for row in rows]
    names = Counter(row_names)
    for row, name in zip(rows, row_names, strict=True):
        keys = set(_keys(row))
        if name is not None and names[name] <= rare:
            keys.add(f"r|{name}")
        row["block_keys"] = sorted(keys) or None


def _name(row: Mapping[str, Any]) -> str | None:
    given, family = row.get("given_name"), row.get("family_name")
    return f"{given}|{family}" if given and family else None


def blocking_keys(row: Mapping[str, Any]) -> list[str]:
    """The keys of one person's features row (``person_features``); sorted, no duplicates."""
    return sorted(set(_keys(row)))


def _keys(row: Mapping[str, Any]) -> list[str]:
    # A list built in place, not a generator: it runs for every person, yielding ~12 keys each.
    get = row.get
    given, family = get("given_name"), get("family_name")
    dob, year = get("dob"), get("dob_y")
    postcodes = get("postcode") or ()
    initial = (get("given_fold") or "")[:1]
    keys: list[str] = []
    add = keys.append
    if given and family:
        for sector in get("pc_sector") or ():
            add(f"ns|{given}|{family}|{sector}")
    keys.extend(_swapped_keys(row, year))
    if dob is not None:
        # Either name with the date, so that names swapped and misspelt at once still meet.
        for name in {given, family} - {None, ""}:
            add(f"nd|{name}|{dob}")
        for prefix, value in (
            ("gs", get("given_skel")),
            ("fs", get("family_skel")),
            ("da", get("address")),
            ("dh", get("house")),
        ):
            if value:
                add(f"{prefix}|{value}|{dob}")
    if not postcodes:
        keys.extend(_address_keys(row))
    for postcode in postcodes:
        for prefix, value in (("pg", given), ("pd", dob)):
            if value:
                add(f"{prefix}|{postcode}|{value}")
        if family and initial:
            # A misspelt given name keeps its first letter (typos rarely hit it).
            add(f"pf|{postcode}|{family}|{initial}")
    for column in _ID_COLUMNS:
        for value in get(column) or ():
            add(f"id|{column}|{value}")
    return keys


def _address_keys(row: Mapping[str, Any]) -> Iterator[str]:
    """Keys for an address with no UK postcode (a postcode is the narrower key where there is
    one): the house number and the word after it ("12 albert"), and each long number in the
    address with a name or the date of birth, since a misspelt street or a missing house number
    still leaves another number to meet on."""
    words = (row.get("address") or "").split()
    for i, word in enumerate(words[:-1]):
        if word.isdigit():
            yield f"ad|{word}|{words[i + 1]}"
            break
    numbers = [w for w in words if w.isdigit() and len(w) >= _LONG_NUMBER][:_ADDRESS_NUMBERS]
    values = [row.get("dob"), *_name_and_initial(row)]
    for number in numbers:
        for value in values:
            if value:
                yield f"an|{number}|{value}"


def _name_and_initial(row: Mapping[str, Any]) -> list[str]:
    """Each name with the other's initial ("smith|o", "olivia|s"): a misspelt or swapped name
    still leaves one of them, and the initial keeps a common name's block small."""
    given, family = row.get("given_name"), row.get("family_name")
    given_fold, family_fold = row.get("given_fold"), row.get("family_fold")
    if not (given and family and given_fold and family_fold):
        return []
    return [f"{given}|{family_fold[0]}", f"{family}|{given_fold[0]}"]


def _swapped_keys(row: Mapping[str, Any], year: Any) -> Iterator[str]:
    """Given and family names in either order, with a birth year or a postcode: one key joins
    the same names written either way round."""
    given, first = row.get("given_name"), row.get("family_first")
    if not (given and first):
        return
    names = "|".join(sorted((given, first)))
    if year is not None:
        yield f"sw|{names}|{year}"
    for postcode in row.get("postcode") or ():
        yield f"swp|{names}|{postcode}"


def prediction_blocking_rules() -> list[Any]:
    """One rule: the two people share a blocking key."""
    return [block_on("block_keys", arrays_to_explode=["block_keys"])]
