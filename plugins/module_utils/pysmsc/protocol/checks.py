# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Checks of single values shared by several endpoints; each raises
:class:`~pysmsc.errors.ValidationError` naming the field and the rule."""

from __future__ import annotations

import re
from typing import Union

from .. import phones
from ..errors import ValidationError
from ..models import DialParams, MessageKind

__all__ = [
    "COMMENT_SEPARATOR",
    "MAX_TEXT_LENGTH",
    "VOICES",
    "MessageId",
    "check_dial",
    "check_message_id",
    "check_sender",
    "check_text",
    "check_voice",
]

COMMENT_SEPARATOR = "\n~~~\n"
MAX_TEXT_LENGTH = 1000
VOICES = ("m", "m2", "m3", "m4", "w", "w2", "w3", "w4")
MessageId = Union[int, str]

MAX_MESSAGE_ID = 2147483647

_MESSAGE_ID = re.compile(r"[A-Za-z0-9.\-_]{1,40}")
_VOICE = re.compile(r"([mw][234]?)(?:,([a-z]{2}))?")
_NUMERIC_SENDER = re.compile(r"\+?[0-9]{1,15}")
# "English letters, numbers, spaces, and some characters": printable ASCII.
_ALPHA_SENDER = re.compile(r"[ -~]{1,11}")


def check_message_id(value: MessageId) -> str:
    if isinstance(value, bool):
        raise ValidationError("message_id", "must be an integer or a string")
    if isinstance(value, int):
        if not 1 <= value <= MAX_MESSAGE_ID:
            raise ValidationError("message_id", f"must be from 1 to {MAX_MESSAGE_ID}")
        return str(value)
    if isinstance(value, str) and _MESSAGE_ID.fullmatch(value):
        if value.isdigit() and not 1 <= int(value) <= MAX_MESSAGE_ID:
            raise ValidationError("message_id", f"must be from 1 to {MAX_MESSAGE_ID}")
        return value
    raise ValidationError(
        "message_id", "must be 1-40 Latin letters, digits, '.', '-' or '_', or an integer"
    )


def check_sender(value: str, kind: MessageKind, field_name: str = "sender") -> str:
    if value in ("", "."):
        return value  # the service's way to send without the account's default sender
    if kind is MessageKind.EMAIL:
        if not phones.is_email(value):
            raise ValidationError(field_name, "an e-mail message needs an e-mail address")
        return value.strip()
    if _NUMERIC_SENDER.fullmatch(value):
        return value
    if kind is MessageKind.CALL:
        raise ValidationError(field_name, "a voice call's sender must be a phone number")
    if value.lstrip("+").isdigit():
        raise ValidationError(field_name, "a numeric sender has at most 15 digits")
    if not _ALPHA_SENDER.fullmatch(value):
        raise ValidationError(
            field_name, "at most 11 Latin letters, digits, spaces or punctuation (or 15 digits)"
        )
    return value


def check_voice(value: str) -> str:
    if not _VOICE.fullmatch(value):
        raise ValidationError(
            "voice", f"must be one of {', '.join(VOICES)}, optionally with ',<language>'"
        )
    return value


def check_dial(dial: DialParams) -> str:
    for name, low, high in (("wait", 0, 99), ("interval", 0, 3600), ("attempts", 0, 9)):
        value = getattr(dial, name)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValidationError(f"dial.{name}", f"must be an integer from {low} to {high}")
    return f"{dial.wait},{dial.interval},{dial.attempts}"


def check_text(text: str, field_name: str = "text") -> None:
    if COMMENT_SEPARATOR in text:
        raise ValidationError(field_name, "use the comment option instead of '\\n~~~\\n'")
    if len(text) > MAX_TEXT_LENGTH:
        raise ValidationError(field_name, f"at most {MAX_TEXT_LENGTH} characters, got {len(text)}")
