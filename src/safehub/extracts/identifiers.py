"""Normalising and checking identifiers, so that the same phone or car matches however it was typed.

Every function returns ``None`` for a value that fails its format or check: the raw value is kept
by the caller, flagged, and never used for matching (a warning, not an error: ``docs/extract-format.md``).
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers

_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Current (AB12 CDE), prefix (A123 BCD), suffix (ABC 123D) and dateless (1234 AB) marks; Northern
# Ireland marks (ABZ 1234). Loose on purpose: a wrong guess only costs a warning.
_VRM = re.compile(
    r"^(?:[A-Z]{2}[0-9]{2}[A-Z]{3}|[A-Z][0-9]{1,3}[A-Z]{3}|[A-Z]{3}[0-9]{1,3}[A-Z]|"
    r"[0-9]{1,4}[A-Z]{1,3}|[A-Z]{1,3}[0-9]{1,4}|[A-Z]{3}[0-9]{1,4})$"
)
_HANDLE = re.compile(r"^([a-z0-9_.-]+):@?(\S+)$")
# The common UK shapes (mobile 07…, geographic 01…/02…/03…), read without the general parser:
# most agency phones are one of these, and the full parser is slow at a million rows.
_UK_PHONE = re.compile(r"^(?:\+44|0044|0)((?:7\d{9})|(?:[123]\d{9}))$")
_PHONE_PUNCTUATION = re.compile(r"[\s().-]+")
_CACHE = 1 << 16
_NHS_SEPARATORS = re.compile(r"[\s-]+")
_NHS_WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)


@lru_cache(maxsize=_CACHE)
def normalise_postcode(value: str) -> str | None:
    """Upper case, no spaces; ``None`` if it is not a UK postcode.

    >>> normalise_postcode(" bd1 1aa ")
    'BD11AA'
    """
    compact = re.sub(r"\s+", "", value).upper()
    return compact if _POSTCODE.match(compact) else None


def postcode_parts(normalised: str) -> tuple[str, str]:
    """(district, sector) of a normalised postcode: ``BD11AA`` → (``BD1``, ``BD1 1``)."""
    match = _POSTCODE.match(normalised)
    if match is None:
        raise ValueError(f"not a normalised postcode: {normalised!r}")
    outward, inward = match.groups()
    return outward, f"{outward} {inward[0]}"


@lru_cache(maxsize=_CACHE)
def normalise_phone(value: str) -> str | None:
    """E.164, reading numbers without a country code as UK numbers.

    >>> normalise_phone("07700 900123")
    '+447700900123'
    """
    compact = _PHONE_PUNCTUATION.sub("", value.replace("(0)", ""))
    uk = _UK_PHONE.match(compact)
    if uk:
        return "+44" + uk.group(1)
    try:
        number = phonenumbers.parse(value, "GB")
    except phonenumbers.NumberParseException:
        return None
    # IS_POSSIBLE only: a "local only" number (no area code) cannot identify anyone reliably.
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason != phonenumbers.ValidationResult.IS_POSSIBLE:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@lru_cache(maxsize=_CACHE)
def normalise_email(value: str) -> str | None:
    """Lower case and trimmed; ``None`` unless it looks like an address."""
    compact = value.strip().lower()
    return compact if _EMAIL.match(compact) else None


@lru_cache(maxsize=_CACHE)
def normalise_vehicle(value: str) -> str | None:
    """Upper case, no spaces; ``None`` unless it has the shape of a UK registration mark."""
    compact = re.sub(r"[\s-]+", "", value).upper()
    return compact if _VRM.match(compact) else None


@lru_cache(maxsize=_CACHE)
def normalise_licence(value: str) -> str | None:
    """Licence numbers differ between councils: compare them upper-case, without spaces."""
    compact = re.sub(r"[\s-]+", "", value).upper()
    return compact or None


@lru_cache(maxsize=_CACHE)
def normalise_handle(value: str) -> str | None:
    """``platform:handle`` in lower case, without a leading ``@``."""
    match = _HANDLE.match(value.strip().lower())
    return f"{match.group(1)}:{match.group(2)}" if match else None


@lru_cache(maxsize=_CACHE)
def normalise_nhs_number(value: str) -> str | None:
    """Ten digits whose modulus-11 check digit is right (NHS Data Dictionary); else ``None``.

    >>> normalise_nhs_number("943 476 5919")
    '9434765919'
    >>> normalise_nhs_number("9434765918") is None
    True
    """
    digits = _NHS_SEPARATORS.sub("", value)
    if len(digits) != 10 or not digits.isdigit():
        return None
    return digits if nhs_check_digit(digits[:9]) == int(digits[9]) else None


def nhs_check_digit(first_nine: str) -> int | None:
    """The check digit for nine digits, or ``None`` when the remainder makes the number invalid."""
    total = sum(map(operator.mul, map(int, first_nine), _NHS_WEIGHTS))
    check = 11 - total % 11
    if check == 11:
        return 0
    return None if check == 10 else check


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date of birth known to the year, the month or the day."""

    year: int
    month: int | None = None
    day: int | None = None

    def iso(self) -> str:
        parts = [f"{self.year:04d}"]
        if self.month is not None:
            parts.append(f"{self.month:02d}")
        if self.day is not None:
            parts.append(f"{self.day:02d}")
        return "-".join(parts)
