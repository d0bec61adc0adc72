"""Node keys: one spelling per thing, so that the same car or takeaway is one node however typed."""

from __future__ import annotations

import re

from safehub.extracts.identifiers import normalise_postcode

_NON_WORD = re.compile(r"[^0-9a-z]+")


def person_node(person_id: str) -> str:
    return f"person:{person_id}"


def record_node(agency_code: str, record_id: str) -> str:
    return f"record:{agency_code}/{record_id}"


def node_kind(node: str) -> str:
    """The kind of a node key.

    >>> node_kind("vehicle:AB12CDE")
    'vehicle'
    """
    return node.split(":", 1)[0]


def node_value(node: str) -> str:
    return node.split(":", 1)[1]


def _words(text: str) -> str:
    return _NON_WORD.sub(" ", text.lower()).strip()


def place_node(name: str, postcode: str) -> str:
    """A place from a record's ``location_name`` and ``location_postcode``; "" when neither is usable.

    >>> place_node("The Paradise  Takeaway", "bd1 1aa")
    'place:the paradise takeaway|BD11AA'
    """
    words = _words(name)
    code = normalise_postcode(postcode) or "" if postcode else ""
    if not words and not code:
        return ""
    return f"place:{words}|{code}"


def address_node(address: str, postcode: str) -> str:
    """A home address; a postcode alone is not an address (it covers a street), so it gives ""."""
    words = _words(address)
    if not words:
        return ""
    code = normalise_postcode(postcode) or "" if postcode else ""
    return f"address:{words}|{code}"


# A dwelling that is part of the premises it names: "Flat 1, above Best Kebab", "Flat 2 above
# X", "1st floor, X", "rear of X" (as ``_words`` spells them). "Flat 1, 12 High Street" is a
# flat at a street address, not part of named premises: it has no "above", floor or "rear of".
_PART_OF_PREMISES = re.compile(
    r"(?:(?:flat|apartment|apt|maisonette|room)(?: [0-9a-z]{1,3})? )?above "
    r"|(?:(?:flat|apartment|apt)(?: [0-9a-z]{1,3})? )?"
    r"(?:[0-9]{1,2}(?:st|nd|rd|th)?|first|second|third|top|upper|ground) floor"
    r"(?: (?:flat|of|at|above))* "
    r"|(?:(?:flat|room) )?(?:rear|back) of (?:the )?"
)


# The words an address may carry after the premises' name: a town ("Sheffield", "Hebden Bridge"),
# never a number (a house or flat number says it is another dwelling in the postcode).
_TOWN_AFTER = re.compile(r"[a-z]+(?: [a-z]+){0,2}")


def town_after(words: str, name: str) -> bool:
    """Whether address ``words`` are the place ``name`` with its town after it (both as
    ``_words`` spells them, same postcode assumed): "flat 1 above star pizza sheffield" is
    "flat 1 above star pizza". Only words after the whole name, one to three, none a number.

    >>> town_after("flat 1 above star pizza sheffield", "flat 1 above star pizza")
    True
    >>> town_after("flat 1 above star pizza 12", "flat 1 above star pizza")
    False
    >>> town_after("flat 1 above star pizzas", "flat 1 above star pizza")
    False
    """
    return (
        bool(name)
        and words.startswith(f"{name} ")
        and _TOWN_AFTER.fullmatch(words[len(name) + 1 :]) is not None
    )


def premises(value: str) -> str:
    """The premises an address or place value (``words|postcode``) is at: the value itself, or
    for a flat above, a floor of or the rear of named premises, those premises: a man whose home
    is the flat above a takeaway is at the takeaway (``ranking._holds_place``). The postcode is
    kept, so the same name elsewhere is other premises; the flat's own words are gone, so use it
    beside the value, never in place of it (two flats above one shop are two homes).

    >>> premises(node_value(address_node("Flat 1, above Best Kebab", "s3 4hl")))
    'best kebab|S34HL'
    >>> premises("flat 2 above best kebab|S34HL"), premises("1st floor best kebab|S34HL")
    ('best kebab|S34HL', 'best kebab|S34HL')
    >>> premises("rear of best kebab|S34HL"), premises("first floor flat above best kebab|")
    ('best kebab|S34HL', 'best kebab|')
    >>> premises("flat 1 12 high street|S34HL"), premises("best kebab|S34HL")
    ('flat 1 12 high street|S34HL', 'best kebab|S34HL')
    >>> premises("flat above|S34HL"), premises("above the bar|S34HL")
    ('flat above|S34HL', 'the bar|S34HL')
    """
    words, bar, code = value.partition("|")
    found = _PART_OF_PREMISES.match(words)
    if found is None or found.end() == len(words):
        return value
    return f"{words[found.end() :]}{bar}{code}"


PERSON_KIND = "person"
RECORD_KIND = "record"
PLACE_KIND = "place"
ADDRESS_KIND = "address"
