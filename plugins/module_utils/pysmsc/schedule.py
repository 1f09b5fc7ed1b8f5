# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""When a message goes out: the ``time``, ``tz``, ``valid``, ``period`` and ``freq`` parameters.

``time`` accepts Python values and produces the service's formats:

- an aware :class:`~datetime.datetime` -> ``0<unix timestamp>`` (unambiguous whatever the
  account's time zone);
- a naive datetime -> ``DDMMYYhhmm``, read by the service in ``tz`` (relative to Moscow) or the
  account's zone;
- a :class:`~datetime.timedelta` -> ``+<minutes>`` (rounded up to a whole minute);
- an :class:`HourWindow` -> ``h1-h2`` (deliver only between these hours);
- a string already in one of the service's formats, checked before it is sent.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Union

from .errors import ValidationError

__all__ = [
    "HourWindow",
    "SendTime",
    "Validity",
    "format_freq",
    "format_period",
    "format_time",
    "format_tz",
    "format_validity",
]


@dataclass(frozen=True)
class HourWindow:
    """Deliver between ``start`` and ``end`` o'clock (0-24); outside it, wait for ``start``."""

    start: int
    end: int

    def __post_init__(self) -> None:
        for name, hour in (("start", self.start), ("end", self.end)):
            if isinstance(hour, bool) or not isinstance(hour, int) or not 0 <= hour <= 24:
                raise ValidationError(f"send_at.{name}", "must be an hour from 0 to 24")
        if self.start >= self.end:
            raise ValidationError("send_at", "the window's start hour must be before its end hour")


SendTime = Union[datetime, timedelta, HourWindow, str]
Validity = Union[int, timedelta]

_TIME_FORMATS = (
    re.compile(r"0"),  # now
    re.compile(r"\d{10}"),  # DDMMYYhhmm
    re.compile(r"\d{2}\.\d{2}\.\d{2} \d{1,2}:\d{2}"),  # DD.MM.YY hh:mm
    re.compile(r"\d{1,2}-\d{1,2}"),  # h1-h2
    re.compile(r"0\d{9,11}"),  # 0ts
    re.compile(r"\+\d{1,6}"),  # +m
)


def format_time(value: SendTime, field: str = "send_at") -> str:
    if isinstance(value, datetime):
        if value.tzinfo is not None and value.utcoffset() is not None:
            return f"0{int(value.timestamp())}"
        return value.strftime("%d%m%y%H%M")
    if isinstance(value, timedelta):
        minutes = math.ceil(value.total_seconds() / 60)
        if minutes < 1:
            raise ValidationError(field, "a delay must be positive")
        return f"+{minutes}"
    if isinstance(value, HourWindow):
        return f"{value.start}-{value.end}"
    if isinstance(value, str):
        text = value.strip()
        if any(pattern.fullmatch(text) for pattern in _TIME_FORMATS):
            return text
        raise ValidationError(
            field,
            f"{value!r} is not one of the service's time formats "
            "(DDMMYYhhmm, 'DD.MM.YY hh:mm', h1-h2, 0<timestamp>, +<minutes>)",
        )
    raise ValidationError(field, "must be a datetime, a timedelta, an HourWindow or a string")


def format_tz(value: int, field: str = "tz") -> str:
    """Hours relative to Moscow (UTC+3): from -15 (UTC-12) to +11 (UTC+14)."""
    if isinstance(value, bool) or not isinstance(value, int) or not -15 <= value <= 11:
        raise ValidationError(field, "must be whole hours relative to Moscow, from -15 to 11")
    return str(value)


def format_validity(value: Validity, field: str = "validity") -> str:
    """How long the operator keeps trying: 1-24 hours, or a timedelta from 1 minute to 24 hours."""
    if isinstance(value, timedelta):
        minutes = value.total_seconds() / 60
        if minutes != int(minutes) or not 1 <= minutes <= 24 * 60:
            raise ValidationError(field, "must be whole minutes from 00:01 to 24:00")
        hours, rest = divmod(int(minutes), 60)
        return f"{hours:02d}:{rest:02d}"
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 24:
        raise ValidationError(field, "must be from 1 to 24 hours")
    return str(value)


def format_period(value: float, field: str = "period") -> str:
    """Spread a mailing over 0.1 to 720 hours."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.1 <= value <= 720:
        raise ValidationError(field, "must be from 0.1 to 720 hours")
    return f"{value:g}"


def format_freq(value: int, field: str = "freq") -> str:
    """Send the next group of a spread mailing every 1 to 1440 minutes."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 1440:
        raise ValidationError(field, "must be from 1 to 1440 minutes")
    return str(value)
