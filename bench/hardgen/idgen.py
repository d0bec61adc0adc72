"""Making identifiers that look like the real ones: NHS numbers, phones, cars, licences, handles.

Every value is unique within a world (a ``Pool`` remembers what it issued), except where sharing is
the point: a family landline, a taxi firm's car, a group's phone.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field

_NHS_WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)
_VRM_LETTERS = "ABCDEFGHJKLMNOPRSTUVWXY"
_EMAIL_DOMAINS = (
    "gmail.com",
    "hotmail.co.uk",
    "outlook.com",
    "yahoo.co.uk",
    "icloud.com",
    "live.co.uk",
    "hotmail.com",
)
_PLATFORMS = ("snapchat", "instagram", "tiktok", "facebook")


def nhs_check(first_nine: str) -> int | None:
    """The modulus-11 check digit (NHS Data Dictionary), ``None`` when no valid one exists."""
    total = sum(int(d) * w for d, w in zip(first_nine, _NHS_WEIGHTS, strict=True))
    check = 11 - total % 11
    if check == 11:
        return 0
    return None if check == 10 else check


def ascii_fold(text: str) -> str:
    """``Łukasz Wiśniewski`` → ``Lukasz Wisniewski``: what most agency systems store."""
    text = text.replace("Ł", "L").replace("ł", "l")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(slots=True)
class Pool:
    """Issues unique identifiers of every kind from one random stream."""

    rng: random.Random
    issued: set[str] = field(default_factory=set)

    def _unique(self, make: object) -> str:
        while True:
            value: str = make()  # type: ignore[operator]
            if value not in self.issued:
                self.issued.add(value)
                return value

    def nhs(self) -> str:
        def make() -> str:
            while True:
                first = str(self.rng.randint(400_000_000, 799_999_999))
                check = nhs_check(first)
                if check is not None:
                    return first + str(check)

        return self._unique(make)

    def mobile(self) -> str:
        return self._unique(lambda: f"07{self.rng.randint(400_000_000, 999_999_999)}")

    def landline(self, prefix: str) -> str:
        digits = 11 - len(prefix)
        low, high = 2 * 10 ** (digits - 1), 10**digits - 1
        return self._unique(lambda: f"{prefix}{self.rng.randint(low, high)}")

    def vehicle(self) -> str:
        def make() -> str:
            letters = "".join(self.rng.choice(_VRM_LETTERS) for _ in range(5))
            age = self.rng.choice((*range(51, 75), *range(2, 25)))
            return f"{letters[:2]}{age:02d} {letters[2:]}"

        return self._unique(make)

    def licence(self, authority: str, year: int) -> str:
        """Councils number licences their own way: the same driver has another number elsewhere."""
        style = sum(map(ord, authority)) % 3
        number = self.rng.randint(100, 99_999)
        if style == 0:
            return self._unique(lambda: f"PH/{year}/{self.rng.randint(100, 9999):04d}")
        if style == 1:
            return self._unique(lambda: f"{authority[4:7]}-PHD-{self.rng.randint(100, 99999):05d}")
        return self._unique(lambda: f"D{number % 10}{self.rng.randint(10000, 99999)}")

    def email(self, given: str, family: str) -> str:
        given, family = ascii_fold(given).lower(), ascii_fold(family).lower().replace(" ", "")
        return self._unique(
            lambda: (
                self.rng.choice(
                    (
                        f"{given}.{family}{self.rng.randint(1, 99)}",
                        f"{given}{family}{self.rng.randint(70, 99)}",
                        f"{given[0]}{family}{self.rng.randint(1, 999)}",
                        f"{given}_{self.rng.randint(1, 9999)}",
                    )
                )
                + "@"
                + self.rng.choice(_EMAIL_DOMAINS)
            )
        )

    def handle(self, given: str) -> str:
        base = ascii_fold(given).lower()
        return self._unique(
            lambda: (
                f"{self.rng.choice(_PLATFORMS)}:{base}{self.rng.choice(('', '_', 'x', '.'))}"
                f"{self.rng.randint(1, 9999)}"
            )
        )

    def ref(self, prefix: str, digits: int) -> str:
        return self._unique(lambda: f"{prefix}{self.rng.randint(0, 10**digits - 1):0{digits}d}")
