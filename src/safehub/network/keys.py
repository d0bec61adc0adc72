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


PERSON_KIND = "person"
RECORD_KIND = "record"
PLACE_KIND = "place"
ADDRESS_KIND = "address"
