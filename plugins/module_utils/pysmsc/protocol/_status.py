# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""status.php: the delivery status of one or many messages, and deleting a sent message."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from .. import phones
from ..errors import ResponseError, ValidationError
from ..models import MessageStatus, StatusInfo
from ._base import (
    Operation,
    Request,
    as_decimal,
    as_int,
    as_str,
    load_answer,
    ok_answer,
    require_list,
    require_mapping,
)
from .checks import MessageId, check_message_id

__all__ = ["delete_message", "status", "statuses"]

ENDPOINT = "status.php"
_DATE_FORMAT = "%d.%m.%Y %H:%M:%S"
# Fields of an all=1/2 answer that StatusInfo names; the rest go to ``extra``.
_KNOWN = {
    "id",
    "phone",
    "status",
    "err",
    "last_date",
    "last_timestamp",
    "flag",
    "send_date",
    "send_timestamp",
    "cost",
    "sender_id",
    "message",
    "status_name",
    "type",
    "country",
    "operator",
    "region",
}


def _check_phone(value: str, field: str = "phone") -> str:
    value = value.strip() if isinstance(value, str) else value
    if not isinstance(value, str) or not (phones.is_phone(value) or phones.is_email(value)):
        raise ValidationError(field, "must be the phone number or e-mail the message went to")
    return phones.normalize_phone(value) if phones.is_phone(value) else value


def _check_full(full: int) -> str:
    if full not in (0, 1, 2) or isinstance(full, bool):
        raise ValidationError("full", "must be 0 (status), 1 (message details) or 2 (and region)")
    return str(full)


def _date(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return datetime.strptime(value.strip(), _DATE_FORMAT)
    except ValueError:
        return None


def _optional_int(name: str, value: Any) -> int | None:
    return None if value in (None, "") else as_int(ENDPOINT, name, value)


def _status_code(value: int) -> int:
    known = MessageStatus._value2member_map_
    return MessageStatus(value) if value in known else value


def _info(data: Mapping[str, Any], message_id: str, phone: str) -> StatusInfo:
    if "status" not in data:
        raise ResponseError(ENDPOINT, f"no status in {str(dict(data))[:200]!r}")
    cost = data.get("cost")
    return StatusInfo(
        id=as_str(data.get("id", message_id)) or message_id,
        phone=as_str(data.get("phone", phone)) or phone,
        status=_status_code(as_int(ENDPOINT, "status", data["status"])),
        error=_optional_int("err", data.get("err")) or 0,
        last_date=_date(data.get("last_date")),
        last_timestamp=_optional_int("last_timestamp", data.get("last_timestamp")),
        flag=_optional_int("flag", data.get("flag")),
        send_date=_date(data.get("send_date")),
        send_timestamp=_optional_int("send_timestamp", data.get("send_timestamp")),
        cost=None if cost in (None, "") else as_decimal(ENDPOINT, "cost", cost),
        sender=None if data.get("sender_id") is None else as_str(data.get("sender_id")),
        text=None if data.get("message") is None else as_str(data.get("message")),
        status_name=None if data.get("status_name") is None else as_str(data["status_name"]),
        type=_optional_int("type", data.get("type")),
        country=None if data.get("country") is None else as_str(data["country"]),
        operator=None if data.get("operator") is None else as_str(data["operator"]),
        region=None if data.get("region") is None else as_str(data["region"]),
        extra={k: as_str(v) for k, v in data.items() if k not in _KNOWN},
    )


def status(message_id: MessageId, phone: str, *, full: int = 0) -> Operation[StatusInfo]:
    """The status of message ``message_id`` to ``phone``; ``full=1``/``2`` adds its details."""
    mid = check_message_id(message_id)
    number = _check_phone(phone)
    request = Request(
        ENDPOINT, (("id", mid), ("phone", number), ("all", _check_full(full))), idempotent=True
    )

    def parse(text: str) -> StatusInfo:
        data = load_answer(ENDPOINT, text)
        if isinstance(data, list) and len(data) == 1:
            data = data[0]
        return _info(require_mapping(ENDPOINT, data), mid, number)

    return Operation(request, parse)


def statuses(
    messages: Iterable[tuple[MessageId, str]], *, full: int = 0
) -> Operation[list[StatusInfo]]:
    """The statuses of several (id, phone) pairs in one request.

    The service allows one such request a minute; the trailing commas make it answer in the
    multi-message form even for a single pair.
    """
    pairs = [
        (check_message_id(mid), _check_phone(phone, f"messages[{i}].phone"))
        for i, (mid, phone) in enumerate(messages)
    ]
    if not pairs:
        raise ValidationError("messages", "at least one (id, phone) pair is required")
    ids = "".join(f"{mid}," for mid, _phone in pairs)
    numbers = "".join(f"{phone}," for _mid, phone in pairs)
    request = Request(
        ENDPOINT, (("id", ids), ("phone", numbers), ("all", _check_full(full))), idempotent=True
    )

    def parse(text: str) -> list[StatusInfo]:
        items = require_list(ENDPOINT, load_answer(ENDPOINT, text))
        result = []
        for index, item in enumerate(items):
            mid, phone = pairs[index] if index < len(pairs) else ("", "")
            result.append(_info(require_mapping(ENDPOINT, item), mid, phone))
        return result

    return Operation(request, parse)


def delete_message(message_id: MessageId, phone: str) -> Operation[None]:
    """Delete a sent message from the account's history (``del=1``)."""
    request = Request(
        ENDPOINT,
        (("id", check_message_id(message_id)), ("phone", _check_phone(phone)), ("del", "1")),
    )
    return Operation(request, ok_answer(ENDPOINT))
