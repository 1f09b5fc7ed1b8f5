# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""What a submit_sm carries besides a plain SMS, as typed options.

The service reads special prefixes in the text of a submit_sm (seeds/smpp-protocol.txt):
``__CALL__: <text>\\nvoice:<voice>``, ``__MAIL__: <text>\\nsubj:<subject>``, ``__VIBER__: <text>``,
``__SOC__: <text>``, ``__TGM__: <4-8 digit code>``, ``__BOT__: <text>\\nbot:@<name>``,
``__HLR__`` and ``__PING__``; and a comment for the account's history after ``\\n~~~\\n``.
:func:`render` builds the exact text from these classes so that nobody assembles it by hand.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from typing import Union

from ..errors import ValidationError

__all__ = [
    "COMMENT_SEPARATOR",
    "Call",
    "Content",
    "Hlr",
    "Mail",
    "Ping",
    "Social",
    "TelegramBot",
    "TelegramCode",
    "Viber",
    "Voice",
    "render",
]

COMMENT_SEPARATOR = "\n~~~\n"
_BOT_NAME = re.compile(r"^@?([A-Za-z0-9_]{1,64})$")


class Voice(str, enum.Enum):
    """Voices for calls: m..m4 male, w..w4 female."""

    M = "m"
    M2 = "m2"
    M3 = "m3"
    M4 = "m4"
    W = "w"
    W2 = "w2"
    W3 = "w3"
    W4 = "w4"


@dataclass(frozen=True)
class Call:
    """A voice call reading ``text``. ``language`` (``"en"``, ``"fr"``...) needs a ``voice``.
    ``wait`` (seconds to pick up, 10-35), ``interval`` (seconds between attempts, 10-3600) and
    ``attempts`` (1-9) go together as the call's ``param`` after ``\\n~~~\\n``."""

    text: str
    voice: Voice | None = None
    language: str | None = None
    wait: int | None = None
    interval: int | None = None
    attempts: int | None = None


@dataclass(frozen=True)
class Mail:
    """An e-mail (the destination is an e-mail address)."""

    text: str
    subject: str


@dataclass(frozen=True)
class Viber:
    text: str


@dataclass(frozen=True)
class Social:
    """A message to Odnoklassniki, VKontakte or Mail.Ru Agent users."""

    text: str


@dataclass(frozen=True)
class TelegramCode:
    """A confirmation code (4 to 8 digits) sent through Telegram."""

    code: str


@dataclass(frozen=True)
class TelegramBot:
    """A message through the Telegram bot ``bot`` (``@name`` or ``name``)."""

    text: str
    bot: str


@dataclass(frozen=True)
class Hlr:
    """An HLR request; its result comes as an :class:`~pysmsc.smpp.receipts.HlrResult`."""


@dataclass(frozen=True)
class Ping:
    """A Ping-SMS (a silent SMS that tells whether the phone is on)."""


Content = Union[str, Call, Mail, Viber, Social, TelegramCode, TelegramBot, Hlr, Ping]


def _no_separator(field: str, value: str) -> None:
    if COMMENT_SEPARATOR in value:
        raise ValidationError(field, "must not contain '\\n~~~\\n' (pass comment= instead)")


def _render_call(call: Call) -> tuple[str, str | None]:
    _no_separator("text", call.text)
    text = f"__CALL__: {call.text}"
    if call.language is not None and call.voice is None:
        raise ValidationError("language", "a language needs a voice")
    if call.voice is not None:
        voice = Voice(call.voice).value
        if call.language is not None:
            if not re.fullmatch(r"[a-z]{2}", call.language):
                raise ValidationError("language", "two lower-case letters, like 'en'")
            voice += f",{call.language}"
        text += f"\nvoice:{voice}"
    params = (call.wait, call.interval, call.attempts)
    if all(p is None for p in params):
        return text, None
    if any(p is None for p in params):
        raise ValidationError("wait/interval/attempts", "give all three or none")
    wait, interval, attempts = (int(p) for p in params if p is not None)
    if not 0 <= wait <= 99:
        raise ValidationError("wait", "seconds from 0 to 99 (the service uses 10-35)")
    if not 0 <= interval <= 3600:
        raise ValidationError("interval", "seconds from 0 to 3600")
    if not 0 <= attempts <= 9:
        raise ValidationError("attempts", "from 0 to 9")
    return text, f"param={wait},{interval},{attempts}"


def render(content: Content, comment: str | None = None) -> str:
    """The submit_sm text for ``content``, with ``comment`` after ``\\n~~~\\n``."""
    trailer: str | None = None
    if isinstance(content, str):
        _no_separator("text", content)
        text = content
    elif isinstance(content, Call):
        text, trailer = _render_call(content)
    elif isinstance(content, Mail):
        _no_separator("text", content.text)
        if "\n" in content.subject:
            raise ValidationError("subject", "must be one line")
        text = f"__MAIL__: {content.text}\nsubj:{content.subject}"
    elif isinstance(content, Viber):
        _no_separator("text", content.text)
        text = f"__VIBER__: {content.text}"
    elif isinstance(content, Social):
        _no_separator("text", content.text)
        text = f"__SOC__: {content.text}"
    elif isinstance(content, TelegramCode):
        code = str(content.code)
        if not (code.isdigit() and code.isascii() and 4 <= len(code) <= 8):
            raise ValidationError("code", "4 to 8 digits")
        text = f"__TGM__: {code}"
    elif isinstance(content, TelegramBot):
        _no_separator("text", content.text)
        match = _BOT_NAME.match(content.bot)
        if match is None:
            raise ValidationError("bot", "a Telegram bot name: letters, digits and '_'")
        text = f"__BOT__: {content.text}\nbot:@{match.group(1)}"
    elif isinstance(content, Hlr):
        text = "__HLR__"
    elif isinstance(content, Ping):
        text = "__PING__"
    else:
        raise ValidationError("message", f"unsupported content {type(content).__name__}")
    if comment is not None:
        if trailer is not None:
            raise ValidationError("comment", "a call with wait/interval/attempts takes no comment")
        trailer = comment
    if trailer is not None:
        text += COMMENT_SEPARATOR + trailer
    return text
