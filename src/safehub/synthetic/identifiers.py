"""Fake but valid-looking identifiers, unique per person unless shared on purpose.

Ranges are chosen so that nothing here can belong to a real person:
- NHS numbers come from the 999 range that NHS England keeps for testing, with a correct
  modulus-11 check digit.
- Mobile numbers are in Ofcom's 07700 block (whose 900000–900999 numbers are kept for drama); we
  use the whole 07700 block so that numbers stay unique at a million rows.
- Emails use the domains RFC 2606 reserves for examples.
Identifiers are handed out by allocators that walk a seeded permutation, so two people never get
the same one by accident: a shared phone or car in the data is always a planted link.
"""

from __future__ import annotations

import random

# One rule for NHS check digits, the one the import validates with.
from safehub.extracts.identifiers import nhs_check_digit

_LETTERS = "ABCDEFGHJKLMNOPRSTUVWXYZ"  # DVLA random letters leave out I and Q
_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # letters used in the inward part of UK postcodes
_EMAIL_DOMAINS = ("example.com", "example.net", "example.org")


class _Permutation:
    """Walks 0..size-1 in a seeded order without storing it (an affine map modulo size)."""

    def __init__(self, rng: random.Random, size: int) -> None:
        self.size = size
        # A step coprime with size visits every number once.
        self.step = rng.randrange(size // 3, size) | 1
        while _gcd(self.step, size) != 1:
            self.step += 2
        self.offset = rng.randrange(size)
        self.position = 0

    def next(self) -> int:
        if self.position >= self.size:
            raise RuntimeError("identifier range exhausted")
        value = (self.offset + self.step * self.position) % self.size
        self.position += 1
        return value


def _gcd(a: int, b: int) -> int:
    while b:
        a, b = b, a % b
    return a


class Identifiers:
    """Hands out unique NHS numbers, phones, vehicle registrations, licences and emails.

    >>> ids = Identifiers(random.Random(7))
    >>> nhs = ids.nhs_number()
    >>> nhs.startswith("999") and nhs_check_digit(nhs[:9]) == int(nhs[9])
    True
    >>> ids.phone().startswith("07700 ")
    True
    """

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._nhs = _Permutation(rng, 1_000_000)
        self._phone = _Permutation(rng, 1_000_000)
        self._vehicles: set[str] = set()
        self._licences = 0
        self._emails = _Permutation(rng, 900_000)

    def nhs_number(self) -> str:
        while True:
            first_nine = f"999{self._nhs.next():06d}"
            check = nhs_check_digit(first_nine)
            if check is not None:
                return f"{first_nine}{check}"

    def phone(self) -> str:
        """A mobile number in the canonical spaced form, e.g. ``07700 912345``."""
        return f"07700 {self._phone.next():06d}"

    def vehicle(self, tags: tuple[str, ...]) -> str:
        """A current-style registration (AB12 CDE) with a local memory tag."""
        rng = self.rng
        while True:
            year = rng.randrange(8, 26)
            age = year if rng.random() < 0.5 else year + 50
            random_part = "".join(rng.choice(_LETTERS) for _ in range(3))
            mark = f"{rng.choice(tags)}{age:02d} {random_part}"
            if mark not in self._vehicles:
                self._vehicles.add(mark)
                return mark

    def licence(self, area_key: str, year: int) -> str:
        """A private-hire or hackney driver licence number of the issuing council."""
        self._licences += 1
        kind = "PHD" if self.rng.random() < 0.8 else "HCD"
        return f"{area_key[:3].upper()}/{kind}/{year}/{self._licences:05d}"

    def email(self, given: str, family: str) -> str:
        """A personal address; the number keeps two people of the same name apart."""
        local = f"{_ascii(given)}.{_ascii(family)}{self._emails.next() + 100_000}"
        return f"{local}@{self.rng.choice(_EMAIL_DOMAINS)}"

    def postcode(self, district: str) -> str:
        """A postcode in the district, e.g. ``BD3 9QJ``."""
        rng = self.rng
        return (
            f"{district} {rng.randrange(1, 10)}"
            f"{rng.choice(_INWARD_LETTERS)}{rng.choice(_INWARD_LETTERS)}"
        )


def _ascii(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isascii() and ch.isalnum())


def format_phone(rng: random.Random, canonical: str) -> str:
    """The same mobile number as different people type it."""
    digits = canonical.replace(" ", "")
    roll = rng.random()
    if roll < 0.45:
        return canonical
    if roll < 0.7:
        return digits
    if roll < 0.85:
        return f"+44 {digits[1:5]} {digits[5:]}"
    if roll < 0.95:
        return f"+44{digits[1:]}"
    return f"{digits[:5]}-{digits[5:8]}-{digits[8:]}"


def format_vehicle(rng: random.Random, canonical: str) -> str:
    """A registration as typed: with or without the space, sometimes lower case."""
    roll = rng.random()
    if roll < 0.6:
        return canonical
    if roll < 0.9:
        return canonical.replace(" ", "")
    return canonical.lower()


def format_postcode(rng: random.Random, canonical: str) -> str:
    """A postcode as typed: mostly standard, sometimes without the space or in lower case."""
    roll = rng.random()
    if roll < 0.85:
        return canonical
    if roll < 0.95:
        return canonical.replace(" ", "")
    return canonical.lower()


def format_nhs(rng: random.Random, canonical: str) -> str:
    """NHS numbers are often written 3-3-4 with spaces."""
    if rng.random() < 0.7:
        return canonical
    return f"{canonical[:3]} {canonical[3:6]} {canonical[6:]}"
