# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""When a message goes out: the ``time``, ``tz``, ``period``/``freq`` and ``valid`` parameters.

``time`` formats: ``DDMMYYhhmm``, ``DD.MM.YY hh:mm``, ``h1-h2`` (an hour window), ``0ts`` (a
Unix timestamp after a zero) and ``+m`` (minutes from now); ``0`` or a past time means now.
Dates and hours are read in Moscow time shifted by ``tz`` hours.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

__all__ = [
    "parse_period",
    "parse_tz",
    "parse_valid",
    "resolve_send_time",
]

_RELATIVE = re.compile(r"^\+([0-9]{1,6})$")
_WINDOW = re.compile(r"^([0-9]{1,2})-([0-9]{1,2})$")
_COMPACT = re.compile(r"^([0-9]{2})([0-9]{2})([0-9]{2})([0-9]{2})([0-9]{2})$")
_DOTTED = re.compile(
    r"^([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{2}|[0-9]{4})\s+([0-9]{1,2})\s*:\s*([0-9]{2})$"
)
_TIMESTAMP = re.compile(r"^0([0-9]{1,12})$")
_VALID_HHMM = re.compile(r"^([0-9]{1,2}):([0-9]{2})$")


def _zone(tz: int) -> timezone:
    return timezone(timedelta(hours=3 + tz))


def _date(fields: tuple[int, ...], tz: int) -> float:
    day, month, year, hour, minute = fields
    if year < 100:
        year += 2000
    try:
        moment = datetime(year, month, day, hour, minute, tzinfo=_zone(tz))
    except ValueError:
        raise ValueError("no such date") from None
    return moment.timestamp()


def _window(first: int, last: int, now: float, tz: int) -> float:
    if not (0 <= first <= 24 and 0 <= last <= 24):
        raise ValueError("hours must be 0 to 24")
    local = datetime.fromtimestamp(now, _zone(tz))
    hour = local.hour
    inside = first <= hour < last if first <= last else (hour >= first or hour < last)
    if inside:
        return now
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    start = midnight + timedelta(hours=first)
    if start.timestamp() <= now:
        start += timedelta(days=1)
    return start.timestamp()


def resolve_send_time(raw: str | None, tz: int, now: float) -> float:
    """The moment (Unix time) a message with this ``time`` value goes out.

    Raises ValueError for a value in none of the formats (the service's error 5).
    """
    text = (raw or "").strip()
    if text in ("", "0"):
        return now
    when: float | None = None
    relative = _RELATIVE.match(text)
    window = _WINDOW.match(text)
    compact = _COMPACT.match(text)
    dotted = _DOTTED.match(text)
    if relative:
        when = now + int(relative.group(1)) * 60
    elif window:
        when = _window(int(window.group(1)), int(window.group(2)), now, tz)
    elif compact:
        try:
            when = _date(tuple(int(part) for part in compact.groups()), tz)
        except ValueError:
            # Ten digits that are no date: "0" and a timestamp before September 2001.
            if not text.startswith("0"):
                raise
            when = float(int(text[1:]))
    elif dotted:
        when = _date(tuple(int(part) for part in dotted.groups()), tz)
    elif _TIMESTAMP.match(text):
        when = float(int(text[1:]))
    if when is None:
        raise ValueError(f"time {text!r} is in none of the formats")
    return max(when, now)


def parse_tz(raw: str | None, default: int) -> int:
    """Hours relative to Moscow, -24 to 24; the account's setting when absent."""
    if raw is None or raw.strip() == "":
        return default
    value = int(raw.strip())
    if not -24 <= value <= 24:
        raise ValueError("tz must be -24 to 24")
    return value


def parse_period(period: str | None, freq: str | None) -> tuple[float, int] | None:
    """``(period hours, freq minutes)`` when both stretch a mailing; freq alone is ignored."""
    if period is None or period.strip() == "":
        return None
    hours = float(period)
    if not 0.1 <= hours <= 720:
        raise ValueError("period must be 0.1 to 720 hours")
    minutes = int(freq) if freq is not None and freq.strip() else 0
    if not 1 <= minutes <= 1440:
        raise ValueError("freq must be 1 to 1440 minutes")
    return hours, minutes


def parse_valid(raw: str | None) -> int | None:
    """The message lifetime in seconds: ``1``-``24`` hours or ``hh:mm`` from 00:01 to 24:00."""
    if raw is None or raw.strip() == "":
        return None
    text = raw.strip()
    match = _VALID_HHMM.match(text)
    if match:
        minutes = int(match.group(1)) * 60 + int(match.group(2))
        if not 1 <= minutes <= 24 * 60 or int(match.group(2)) > 59:
            raise ValueError("valid must be 00:01 to 24:00")
        return minutes * 60
    hours = int(text)
    if not 1 <= hours <= 24:
        raise ValueError("valid must be 1 to 24 hours")
    return hours * 3600
