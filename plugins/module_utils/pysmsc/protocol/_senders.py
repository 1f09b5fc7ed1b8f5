# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""senders.php: the account's sender names, and confirming a phone number as a sender."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import phones
from .._values import check_string
from ..errors import ResponseError, ValidationError
from ..models import MessageKind, Sender
from ._base import (
    Operation,
    Request,
    as_int,
    as_str,
    flag,
    load_answer,
    ok_answer,
    require_list,
    require_mapping,
)
from .checks import check_sender

__all__ = [
    "add_sender",
    "change_sender",
    "check_sender_code",
    "delete_sender",
    "send_sender_code",
    "senders",
]

ENDPOINT = "senders.php"
MAX_COMMENT_LENGTH = 500


def _check_name(name: str) -> str:
    check_string(name, "name", multiline=False)
    if not name or name in (".",):
        raise ValidationError("name", "must not be empty")
    return check_sender(name, MessageKind.SMS, "name")


def _check_number(number: str) -> str:
    if not isinstance(number, str) or not phones.is_phone(number):
        raise ValidationError("number", "must be a phone number in international format")
    return phones.normalize_phone(number).lstrip("+")


def _check_comment(comment: str) -> str:
    check_string(comment, "comment")
    if len(comment) > MAX_COMMENT_LENGTH:
        raise ValidationError("comment", f"at most {MAX_COMMENT_LENGTH} characters")
    return comment


def _selector(name: str | None, sender_id: int | None) -> tuple[str, str]:
    if (name is None) == (sender_id is None):
        raise ValidationError("sender_id", "give either the sender's name or its id")
    if sender_id is not None:
        if isinstance(sender_id, bool) or not isinstance(sender_id, int) or sender_id < 1:
            raise ValidationError("sender_id", "must be a positive integer")
        return ("id", str(sender_id))
    return ("sender", _check_name(name or ""))


def _sender(item: Mapping[str, Any]) -> Sender:
    status = item.get("status")
    operators = {
        key: as_int(ENDPOINT, key, value)
        for key, value in item.items()
        if key not in ("sender", "id", "status") and as_str(value).lstrip("-").isdigit()
    }
    return Sender(
        id=as_int(ENDPOINT, "id", item.get("id")),
        name=as_str(item.get("sender")),
        status=None if status in (None, "") else as_int(ENDPOINT, "status", status),
        operators=operators,
    )


def _parse_list(text: str) -> list[Sender]:
    data = load_answer(ENDPOINT, text)
    if data in ("", None):
        return []
    return [_sender(require_mapping(ENDPOINT, item)) for item in require_list(ENDPOINT, data)]


def _parse_id(text: str) -> int:
    data = require_mapping(ENDPOINT, load_answer(ENDPOINT, text))
    # Documented as {"sender": <id>}; accept {"id": <id>} too.
    for key in ("id", "sender"):
        if key in data:
            return as_int(ENDPOINT, key, data[key])
    raise ResponseError(ENDPOINT, f"no id in {str(dict(data))[:200]!r}")


def senders(*, with_status: bool = False, with_operators: bool = False) -> Operation[list[Sender]]:
    """The account's sender names; optionally with their status (``all=1``) or their
    registration state with each operator (``operators=1``)."""
    fields = [("get", "1")]
    if with_status:
        fields.append(("all", flag(with_status)))
    if with_operators:
        fields.append(("operators", flag(with_operators)))
    return Operation(Request(ENDPOINT, tuple(fields), idempotent=True), _parse_list)


def add_sender(name: str, comment: str | None = None) -> Operation[int]:
    """Ask for a new sender name; the result is its id (it starts awaiting moderation)."""
    fields = [("add", "1"), ("sender", _check_name(name))]
    if comment:
        fields.append(("cmt", _check_comment(comment)))
    return Operation(Request(ENDPOINT, tuple(fields)), _parse_id)


def change_sender(
    *, name: str | None = None, sender_id: int | None = None, comment: str = ""
) -> Operation[None]:
    """Change the comment of a sender name, chosen by ``name`` or ``sender_id``."""
    fields = [("chg", "1"), _selector(name, sender_id), ("cmt", _check_comment(comment))]
    return Operation(Request(ENDPOINT, tuple(fields)), ok_answer(ENDPOINT))


def delete_sender(*, name: str | None = None, sender_id: int | None = None) -> Operation[None]:
    """Delete a sender name, chosen by ``name`` or ``sender_id``."""
    request = Request(ENDPOINT, (("del", "1"), _selector(name, sender_id)))
    return Operation(request, ok_answer(ENDPOINT))


def send_sender_code(number: str) -> Operation[None]:
    """Send a confirmation code by SMS to ``number``, to use it as a sender name."""
    request = Request(
        ENDPOINT, (("send_code", "1"), ("sender", _check_number(number))), sends_message=True
    )
    return Operation(request, ok_answer(ENDPOINT))


def check_sender_code(number: str, code: str) -> Operation[None]:
    """Confirm ``number`` as a sender name with the ``code`` it received."""
    if not isinstance(code, str) or not code.strip().isalnum():
        raise ValidationError("code", "must be the letters and digits of the received code")
    fields = (("check_code", "1"), ("sender", _check_number(number)), ("code", code.strip()))
    return Operation(Request(ENDPOINT, fields), ok_answer(ENDPOINT))
