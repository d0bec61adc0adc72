"""Redaction for the oversight audit sample: names and identifiers gone, what was there said."""

from __future__ import annotations

import pytest

from safehub.oversight.redaction import pseudonym_map, redact

NAMES = pseudonym_map(
    {
        "Child A": ["Ayesha Hussein", "Ash"],
        "Adult 1": ["Mohammed Khan", "Mo"],
        "Social worker": ["Sam Jones", "sam.jones"],
    }
)


@pytest.mark.parametrize(
    ("written", "redacted"),
    [
        ("Ayesha Hussein was seen.", "Child A was seen."),
        ("HUSSEIN, Ayesha said no.", "Child A, Child A said no."),
        ("Ayesha's phone", "Child A's phone"),
        ("Sam Jones visited Khan.", "Social worker visited Adult 1."),
        ("Call 07700 900123 or +44 7700 900124", "Call [phone] or [phone]"),
        ("Email a.b+c@example.co.uk now", "Email [email] now"),
        ("Messaged @tariq_b on Snapchat", "Messaged [handle] on Snapchat"),
        ("Near BD8 7AB and bd1 1aa", "Near [postcode] and [postcode]"),
        ("In YX19 ABC, then Y123 ABC", "In [registration], then [registration]"),
        ("At 12 Manningham Lane and Oak Road", "At [address] and [address]"),
        ("On 2025-02-10 and 10/02/2025 and 3rd March 2025", "On [date] and [date] and [date]"),
        ("NHS 943 476 5919", "NHS [phone]"),
        ("See CASE-00012 and CR-2, case 12", "See [reference] and [reference], case [reference]"),
        ("Her boyfriend Tariq drove", "Her boyfriend [name] drove"),
        ("a man known as Big T", "a man known as [name]"),
    ],
)
def test_names_and_identifiers_are_replaced_by_what_they_were(written: str, redacted: str) -> None:
    assert redact(written, NAMES) == redacted


def test_short_names_are_not_redacted_out_of_other_words() -> None:
    # "Mo" and "Ash" are two and three letters: "Ash" is a name, "Mo" would hit "Moor".
    assert redact("Moor Lane school", NAMES) == "[address] school"
    assert "Moor" in redact("Moorside", NAMES)


def test_nothing_to_redact_is_left_as_written() -> None:
    assert redact("Strategy discussion held; no concerns about language.", NAMES) == (
        "Strategy discussion held; no concerns about language."
    )
    assert redact(None, NAMES) == ""
