"""The UK jurisdictions whose bank holidays differ, and how the ``holidays`` library names them.

>>> parse_jurisdiction("Northern Ireland")
<Jurisdiction.NORTHERN_IRELAND: 'northern_ireland'>
"""

from __future__ import annotations

from enum import StrEnum


class Jurisdiction(StrEnum):
    """A UK nation with its own bank holidays (England and Wales share theirs)."""

    ENGLAND = "england"
    WALES = "wales"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern_ireland"

    @property
    def holidays_subdivision(self) -> str:
        """The ISO 3166-2:GB code the ``holidays`` library uses for this nation."""
        return _SUBDIVISIONS[self]


_SUBDIVISIONS = {
    Jurisdiction.ENGLAND: "ENG",
    Jurisdiction.WALES: "WLS",
    Jurisdiction.SCOTLAND: "SCT",
    Jurisdiction.NORTHERN_IRELAND: "NIR",
}

VALID_JURISDICTIONS = tuple(j.value for j in Jurisdiction)


class UnknownJurisdictionError(ValueError):
    """A jurisdiction name that is not one of :data:`VALID_JURISDICTIONS`."""


def parse_jurisdiction(value: str | Jurisdiction) -> Jurisdiction:
    """Read a jurisdiction name, forgiving case, spaces and hyphens.

    Raises :class:`UnknownJurisdictionError` listing the valid names.
    """
    if isinstance(value, Jurisdiction):
        return value
    key = value.strip().lower().replace("-", "_").replace(" ", "_")
    try:
        return Jurisdiction(key)
    except ValueError:
        raise UnknownJurisdictionError(
            f"unknown jurisdiction {value!r}: choose one of {', '.join(VALID_JURISDICTIONS)}"
        ) from None
