"""Which UK calendar day an instant falls on, one at a time or a million at once.

Working-day clocks count calendar days in the UK, so a referral received at 23:30 UTC on a summer
evening was received on the *next* UK day (00:30 BST). Times must therefore carry a time zone:
a naive time is ambiguous across the clock change, and guessing would move a due date.

>>> from datetime import datetime, timezone
>>> local_date(datetime(2025, 6, 30, 23, 30, tzinfo=timezone.utc))
datetime.date(2025, 7, 1)
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

UK_TIME = ZoneInfo("Europe/London")

_US_PER_SECOND = 1_000_000
_US_PER_DAY = 86_400 * _US_PER_SECOND
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def require_aware(value: datetime, what: str) -> datetime:
    """Return ``value`` if it carries a time zone, else raise ``ValueError`` naming ``what``."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(
            f"{what} must be timezone-aware (e.g. datetime(..., tzinfo=UK_TIME)); "
            f"got naive {value.isoformat()}"
        )
    return value


def local_date(value: date | datetime) -> date:
    """The UK calendar day of a date (itself) or of an aware datetime."""
    if isinstance(value, datetime):
        return require_aware(value, "a time").astimezone(UK_TIME).date()
    return value


def to_uk_time(value: datetime) -> datetime:
    """The same instant expressed in UK local time."""
    return require_aware(value, "a time").astimezone(UK_TIME)


def epoch_us(value: datetime) -> int:
    """Microseconds since 1970-01-01 UTC of an aware datetime (exact integer arithmetic)."""
    return (require_aware(value, "a time") - _EPOCH) // timedelta(microseconds=1)


def local_dates(instants_us: npt.NDArray[np.int64]) -> npt.NDArray[np.datetime64]:
    """UK calendar days (``datetime64[D]``) of UTC instants given in microseconds since 1970.

    Vectorised twin of :func:`local_date`, built from the UK offset changes that ``zoneinfo``
    reports for the years involved, so both paths read the same time-zone database.
    """
    if instants_us.size == 0:
        return np.empty(0, dtype="datetime64[D]")
    first = _year_of_us(int(instants_us.min()))
    last = _year_of_us(int(instants_us.max()))
    starts, offsets = _offset_table(first - 1, last + 1)
    index = np.searchsorted(starts, instants_us, side="right") - 1
    local_us = instants_us + offsets[index]
    return (local_us // _US_PER_DAY).astype("datetime64[D]")


def _year_of_us(instant_us: int) -> int:
    return (_EPOCH + timedelta(microseconds=instant_us)).year


@lru_cache(maxsize=32)
def _offset_table(
    first_year: int, last_year: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Instants (us since epoch) from which each UK UTC offset (us) applies, over the years.

    The first entry stands for "since forever" so every instant in range finds an offset.
    """
    starts = [np.iinfo(np.int64).min]
    day = datetime(first_year, 1, 1, tzinfo=UTC)
    end = datetime(last_year + 1, 1, 1, tzinfo=UTC)
    offsets = [_offset_us(day)]
    while day < end:
        following = day + timedelta(days=1)
        if _offset_us(following) != offsets[-1]:
            change = _first_instant_with_new_offset(day, following, offsets[-1])
            starts.append(epoch_us(change))
            offsets.append(_offset_us(change))
        day = following
    return np.asarray(starts, dtype=np.int64), np.asarray(offsets, dtype=np.int64)


def _offset_us(instant: datetime) -> int:
    offset = instant.astimezone(UK_TIME).utcoffset()
    assert offset is not None  # UK_TIME always has an offset
    return offset // timedelta(microseconds=1)


def _first_instant_with_new_offset(low: datetime, high: datetime, old_offset: int) -> datetime:
    """Bisect to the second at which the offset stops being ``old_offset`` (at most one a day)."""
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        middle = middle.replace(microsecond=0)
        if _offset_us(middle) == old_offset:
            low = middle
        else:
            high = middle
    return high
