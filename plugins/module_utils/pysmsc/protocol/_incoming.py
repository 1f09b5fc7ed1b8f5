# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""get.php ``get_answers=1``: messages received on the account's numbers.

The wire format (smsc-api-notes.md and the shared callbacks contract): ``after_id`` (only
messages with a greater id), ``hour`` (received in the last 1-720 hours; the service's default
is 1 when ``after_id`` is absent) and ``cnt`` (at most 1-1000 messages). The ``fmt=3`` answer
is a JSON array of ``{"id", "received", "phone", "to_phone", "sent", "message"}``. The order is
not relied on: the result is sorted by ``id``. The service allows about one such request in
five seconds (error 9 beyond; the interval is a guess).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

from ..errors import ResponseError, ValidationError
from ..models import MOSCOW, ReceivedMessage
from ._base import Operation, Request, as_int, as_str, load_answer, require_list, require_mapping

__all__ = ["MAX_COUNT", "MAX_HOURS", "incoming"]

ENDPOINT = "get.php"
MAX_HOURS = 720
MAX_COUNT = 1000
_DATE_FORMAT = "%d.%m.%Y %H:%M:%S"


def _bounded(name: str, value: int | None, low: int, high: int) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValidationError(name, f"must be an integer from {low} to {high}")
    return str(value)


def _moscow_date(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return datetime.strptime(value.strip(), _DATE_FORMAT).replace(tzinfo=MOSCOW)
    except ValueError:
        return None


def unix_time(value: Any) -> datetime | None:
    """A Unix timestamp field as an aware datetime; None when absent or not a number."""
    if value in (None, ""):
        return None
    try:
        return datetime.fromtimestamp(int(str(value).strip()), timezone.utc)
    except (ValueError, OverflowError, OSError):
        return None


def received_message(data: Mapping[str, Any]) -> ReceivedMessage:
    """One element of the answer."""
    if "id" not in data or "phone" not in data:
        raise ResponseError(ENDPOINT, f"no id or phone in {str(dict(data))[:200]!r}")
    return ReceivedMessage(
        id=as_int(ENDPOINT, "id", data["id"]),
        phone=as_str(data["phone"]),
        text=as_str(data.get("message")),
        to=as_str(data.get("to_phone")),
        received_at=_moscow_date(data.get("received")),
        sent_at=unix_time(data.get("sent")),
    )


def _parse(text: str) -> list[ReceivedMessage]:
    data = load_answer(ENDPOINT, text)
    if isinstance(data, Mapping) and not data:
        return []
    items = require_list(ENDPOINT, data)
    messages = [received_message(require_mapping(ENDPOINT, item)) for item in items]
    return sorted(messages, key=lambda message: message.id)


def incoming(
    *, after_id: int | None = None, hour: int | None = None, count: int | None = None
) -> Operation[list[ReceivedMessage]]:
    """Messages received on the account's numbers, oldest first: those with an id above
    ``after_id``, received in the last ``hour`` hours (1-720), at most ``count`` (1-1000)."""
    fields = [("get_answers", "1")]
    optional = (
        ("after_id", _bounded("after_id", after_id, 0, 2**63 - 1)),
        ("hour", _bounded("hour", hour, 1, MAX_HOURS)),
        ("cnt", _bounded("count", count, 1, MAX_COUNT)),
    )
    fields.extend((name, value) for name, value in optional if value is not None)
    return Operation(Request(ENDPOINT, tuple(fields), idempotent=True), _parse)
