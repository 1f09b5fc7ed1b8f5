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

A time in the past is refused: the service would send at once, silently. ``"0"`` (and
``"now"`` from :func:`parse_send_at`) says "now" explicitly. Without ``tz`` the library does not
know the account's time zone, so a wall-clock time is refused only when it has passed in every
zone the service knows.

Front ends that take the time as text (the CLI's ``--at``, Ansible's ``send_at``) read it with
:func:`parse_send_at`, and a validity with :func:`parse_validity`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Union

from ._values import check_string
from .errors import ValidationError

__all__ = [
    "PAST_TOLERANCE",
    "HourWindow",
    "SendTime",
    "Validity",
    "format_freq",
    "format_period",
    "format_time",
    "format_tz",
    "format_validity",
    "parse_send_at",
    "parse_validity",
]

# A time this close to now is "now" (a datetime.now() that took a moment to reach the check,
# the current minute in the service's minute-precision formats).
PAST_TOLERANCE = timedelta(minutes=1)
_MOSCOW_UTC_OFFSET = 3  # tz is relative to Moscow, UTC+3
# The zones the service knows, as tz: -15 (UTC-12) to 11 (UTC+14).
_TZ_RANGE = (-15, 11)


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

_NOW = "0"
_DDMMYYHHMM = re.compile(r"(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})")
_DOTTED = re.compile(r"(\d{2})\.(\d{2})\.(\d{2}) (\d{1,2}):(\d{2})")
_WINDOW = re.compile(r"(\d{1,2})-(\d{1,2})")
_TIMESTAMP = re.compile(r"0(\d{9,11})")
_DELAY = re.compile(r"\+(\d{1,6})")
_ISO = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?"
    r"\s*(?:(?P<utc>[Zz])|(?P<sign>[+-])(?P<oh>\d{2}):?(?P<om>\d{2}))?"
)
_HOURS_MINUTES = re.compile(r"(\d{1,2}):(\d{2})")
_FORMATS_HELP = (
    "ISO 8601 date and time, 'now', +<minutes>, <h1>-<h2>, DDMMYYhhmm, 'DD.MM.YY hh:mm' "
    "or 0<unix timestamp>"
)


def _utc_now(now: datetime | None) -> datetime:
    return datetime.now(timezone.utc) if now is None else now.astimezone(timezone.utc)


def _wall_clock(parts: tuple[str, ...], value: str, field: str) -> datetime:
    """A naive datetime from day, month, two-digit year, hour and minute."""
    day, month, year, hour, minute = (int(part) for part in parts)
    try:
        return datetime(2000 + year, month, day, hour, minute)
    except ValueError:
        raise ValidationError(field, f"{value!r} is not a real date and time") from None


def _check_not_past(moment: datetime, tz: int | None, now: datetime | None, field: str) -> None:
    """Refuse ``moment`` when it has passed: exactly for an aware datetime or a known ``tz``;
    for a wall-clock time in the account's unknown zone, when it has passed in every zone."""
    if moment.tzinfo is not None and moment.utcoffset() is not None:
        instant = moment.astimezone(timezone.utc)
    else:
        offset = _MOSCOW_UTC_OFFSET + (_TZ_RANGE[0] if tz is None else tz)
        instant = moment.replace(tzinfo=timezone(timedelta(hours=offset)))
    if instant < _utc_now(now) - PAST_TOLERANCE:
        raise ValidationError(
            field,
            f"{moment:%Y-%m-%d %H:%M} is in the past (the service would send at once); "
            "leave the time out, or give 0 or 'now', to send now",
        )


def _check_time_string(text: str, tz: int | None, now: datetime | None, field: str) -> str:
    if text == _NOW:
        return text
    match = _DDMMYYHHMM.fullmatch(text) or _DOTTED.fullmatch(text)
    if match:
        _check_not_past(_wall_clock(match.groups(), text, field), tz, now, field)
        return text
    match = _TIMESTAMP.fullmatch(text)
    if match:
        moment = datetime.fromtimestamp(int(match.group(1)), timezone.utc)
        _check_not_past(moment, None, now, field)
        return text
    match = _WINDOW.fullmatch(text)
    if match:
        window = HourWindow(int(match.group(1)), int(match.group(2)))
        return f"{window.start}-{window.end}"
    if _DELAY.fullmatch(text):
        return text
    raise ValidationError(
        field,
        f"{text!r} is not one of the service's time formats "
        "(DDMMYYhhmm, 'DD.MM.YY hh:mm', h1-h2, 0<timestamp>, +<minutes>, 0 for now)",
    )


def format_time(
    value: SendTime,
    field: str = "send_at",
    *,
    tz: int | None = None,
    now: datetime | None = None,
) -> str:
    """The service's ``time`` for ``value``; refuses impossible dates and times in the past
    (``tz``: the zone a wall-clock time is in, relative to Moscow; ``now``: for tests)."""
    if isinstance(value, datetime):
        _check_not_past(value, tz, now, field)
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
        check_string(value, field, multiline=False)
        return _check_time_string(value.strip(), tz, now, field)
    raise ValidationError(field, "must be a datetime, a timedelta, an HourWindow or a string")


def parse_send_at(value: Any, field: str = "send_at") -> SendTime | None:
    """A send time written as text: ISO 8601 (``2026-12-01T09:00+03:00``, ``...Z``; without an
    offset it is wall-clock time in ``tz`` or the account's zone), ``now``, ``+<minutes>``,
    ``<h1>-<h2>``, or the service's own formats. None stays None. Checked as
    :func:`format_time` checks it when the message is built."""
    if value is None:
        return None
    text = check_string(value, field, multiline=False).strip()
    if text.lower() == "now":
        return _NOW
    match = _ISO.fullmatch(text)
    if match:
        year, month, day, hour, minute, second = (int(part or 0) for part in match.groups()[:6])
        zone = None
        if match.group("utc"):
            zone = timezone.utc
        elif match.group("sign"):
            offset = timedelta(hours=int(match.group("oh")), minutes=int(match.group("om")))
            if offset >= timedelta(hours=24):
                raise ValidationError(field, f"{value!r} has an impossible UTC offset")
            zone = timezone(-offset if match.group("sign") == "-" else offset)
        try:
            return datetime(year, month, day, hour, minute, second, tzinfo=zone)
        except ValueError:
            raise ValidationError(field, f"{value!r} is not a real date and time") from None
    window = _WINDOW.fullmatch(text)
    if window:
        return HourWindow(int(window.group(1)), int(window.group(2)))
    if re.fullmatch(r"[0-9.: +]+", text):
        return text  # one of the service's formats, checked by format_time
    raise ValidationError(field, f"{value!r} is in none of the time formats: {_FORMATS_HELP}")


def parse_validity(value: Any, field: str = "validity") -> Validity | None:
    """A validity written as whole hours (``2``, ``"2"``) or ``"hh:mm"``; None stays None.
    Checked as :func:`format_validity` checks it."""
    if value is None or isinstance(value, timedelta):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        format_validity(value, field)
        return value
    if isinstance(value, str):
        text = value.strip()
        if text.isdigit():
            hours = int(text)
            format_validity(hours, field)
            return hours
        match = _HOURS_MINUTES.fullmatch(text)
        if match:
            delta = timedelta(hours=int(match.group(1)), minutes=int(match.group(2)))
            format_validity(delta, field)
            return delta
    raise ValidationError(field, "whole hours from 1 to 24, or hh:mm from 00:01 to 24:00")


def format_tz(value: int, field: str = "tz") -> str:
    """Hours relative to Moscow (UTC+3): from -15 (UTC-12) to +11 (UTC+14)."""
    low, high = _TZ_RANGE
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValidationError(
            field, f"must be whole hours relative to Moscow, from {low} to {high}"
        )
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
    """Spread a mailing over 0.1 to 720 hours (with ``freq``, which the service needs)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.1 <= value <= 720:
        raise ValidationError(field, "must be from 0.1 to 720 hours")
    return f"{value:g}"


def format_freq(value: int, field: str = "freq") -> str:
    """Send the next group of a spread mailing every 1 to 1440 minutes."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 1440:
        raise ValidationError(field, "must be from 1 to 1440 minutes")
    return str(value)
