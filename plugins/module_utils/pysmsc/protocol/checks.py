# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The input rules of the service, one function each, for every front end to call.

Each ``check_*`` function raises :class:`~pysmsc.errors.ValidationError` naming the field and
the rule, and returns the value as it goes to the service. :class:`~pysmsc.protocol.Message`
and the other operations call them; a front end that checks a value on its own (a form field,
a module option) calls the same function instead of building a throw-away message.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Union

from .. import phones
from .._values import check_string, type_name
from ..errors import ValidationError
from ..models import DialParams, MessageKind, TemplateFormat

__all__ = [
    "COMMENT_SEPARATOR",
    "DIAL_RANGES",
    "MAX_RECIPIENTS",
    "MAX_TEXT_LENGTH",
    "SERVICE_PREFIXES",
    "VOICES",
    "MessageId",
    "check_binary_options",
    "check_comment",
    "check_dial",
    "check_message_id",
    "check_recipients",
    "check_sender",
    "check_service_prefix",
    "check_string",
    "check_subject",
    "check_template_message",
    "check_template_name",
    "check_text",
    "check_voice",
    "service_prefix",
]

COMMENT_SEPARATOR = "\n~~~\n"
MAX_TEXT_LENGTH = 1000
# The service documents no limit on the recipients of one request; a request stays small with
# this many (about 16 kB of numbers). More go through send_bulk or a contact group (G<n>).
MAX_RECIPIENTS = 1000
VOICES = ("m", "m2", "m3", "m4", "w", "w2", "w3", "w4")
# ``param=wait,interval,attempts`` of a call: the operating ranges of the service's page.
# Outside them the service clamps the value or silently uses its defaults for all three.
DIAL_RANGES = {"wait": (10, 35), "interval": (10, 3600), "attempts": (1, 9)}
MessageId = Union[int, str]

MAX_MESSAGE_ID = 2147483647
MAX_TEMPLATE_NAME_LENGTH = 100

# Prefixes the service reads at the start of a text and that change what is sent (HTTP page
# "Using prefixes"; the SMPP page adds __MAIL__, __TGM__ and __BOT__, and the service reads one
# text format). Value: the kind whose own prefix it is (None: no kind of ours sends it).
SERVICE_PREFIXES: Mapping[str, MessageKind | None] = {
    "__CALL__": MessageKind.CALL,
    "__VIBER__": MessageKind.VIBER,
    "__SOC__": MessageKind.SOCIAL,
    "__MAIL__": MessageKind.EMAIL,
    "__PING__": MessageKind.PING,
    "__HLR__": MessageKind.HLR,
    "__TGM__": None,
    "__BOT__": None,
}
# Matched in any letter case, after any leading whitespace or invisible formatting character
# (the page does not say how strictly the service matches, so match as loosely as it might).
_PREFIX_NAMES = "|".join(name.strip("_") for name in SERVICE_PREFIXES)
_PREFIX = re.compile(
    r"[\s\u00ad\u180e\u200b-\u200f\u2060-\u2064\ufeff]*(__(?:" + _PREFIX_NAMES + r")__)",
    re.IGNORECASE,
)
_MESSAGE_ID = re.compile(r"[A-Za-z0-9.\-_]{1,40}")
_VOICE = re.compile(r"([mw][234]?)(?:,([a-z]{2}))?")
_NUMERIC_SENDER = re.compile(r"\+?[0-9]{1,15}")
# "English letters, numbers, spaces, and some characters": printable ASCII.
_ALPHA_SENDER = re.compile(r"[ -~]{1,11}")


def service_prefix(text: str) -> str | None:
    """The service prefix ``text`` begins with (``"__CALL__"``...), or None."""
    match = _PREFIX.match(text)
    return None if match is None else match.group(1).upper()


def check_service_prefix(text: str, kind: MessageKind | None, field: str = "text") -> None:
    """Refuse a text that begins with a service prefix (``__CALL__:``, ``__HLR__``...) unless
    it is ``kind``'s own: the service would otherwise send another kind of message than the one
    chosen, at another price (``kind=None``: no prefix is anyone's own)."""
    prefix = service_prefix(text)
    if prefix is None or (kind is not None and SERVICE_PREFIXES[prefix] is kind):
        return
    chosen = f"a {kind.value} message" if kind is not None else "this text"
    raise ValidationError(
        field,
        f"must not begin with {prefix}: the service reads it as a prefix and would send "
        f"something other than {chosen} (choose the message kind instead)",
    )


def check_text(text: object, kind: MessageKind = MessageKind.SMS, field: str = "text") -> str:
    """A message text of ``kind``: text, not blank, at most 1,000 characters, no comment
    separator (the comment has its own option) and no other kind's service prefix."""
    text = check_string(text, field)
    if not text.strip():
        raise ValidationError(field, "must not be empty or only whitespace")
    if COMMENT_SEPARATOR in text:
        raise ValidationError(field, "use the comment option instead of '\\n~~~\\n'")
    if len(text) > MAX_TEXT_LENGTH:
        raise ValidationError(field, f"at most {MAX_TEXT_LENGTH} characters, got {len(text)}")
    check_service_prefix(text, kind, field)
    return text


def check_comment(comment: object, field: str = "comment") -> str:
    """A note kept in the account's history after the text (never sent)."""
    comment = check_string(comment, field)
    if COMMENT_SEPARATOR in comment:
        raise ValidationError(field, "cannot contain '\\n~~~\\n'")
    if len(comment) > MAX_TEXT_LENGTH:
        raise ValidationError(field, f"at most {MAX_TEXT_LENGTH} characters, got {len(comment)}")
    return comment


def check_subject(subject: object, field: str = "subject") -> str:
    """The subject of an e-mail or MMS: one line."""
    subject = check_string(subject, field, multiline=False)
    if not subject.strip():
        raise ValidationError(field, "must not be empty or only whitespace")
    if len(subject) > MAX_TEXT_LENGTH:
        raise ValidationError(field, f"at most {MAX_TEXT_LENGTH} characters")
    return subject


def check_recipients(
    to: phones.Recipients, kind: MessageKind = MessageKind.SMS, field: str = "to"
) -> tuple[str, ...]:
    """The recipients of one request, normalised: numbers (or e-mail addresses for
    ``kind=EMAIL``) and ``G<n>`` groups, each once, at most :data:`MAX_RECIPIENTS`."""
    recipients = phones.parse(to, emails=kind is MessageKind.EMAIL, field=field)
    if len(recipients) > MAX_RECIPIENTS:
        raise ValidationError(
            field,
            f"at most {MAX_RECIPIENTS} recipients in one request, got {len(recipients)} "
            "(use send_bulk or a contact group G<n> for more)",
        )
    return recipients


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


def check_sender(value: object, kind: MessageKind, field_name: str = "sender") -> str:
    """A sender of ``kind``: a name (11 printable ASCII characters), a number (15 digits; the
    only choice for calls), an address for e-mail, or ``""``/``"."`` for none."""
    value = check_string(value, field_name, multiline=False)
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


def check_voice(value: object) -> str:
    if isinstance(value, str) and _VOICE.fullmatch(value):
        return value
    raise ValidationError(
        "voice", f"must be one of {', '.join(VOICES)}, optionally with ',<language>'"
    )


def check_dial(dial: object) -> str:
    """``param`` of a call, within the operating ranges the service documents, so that what is
    asked for is what happens (the service clamps or replaces anything else)."""
    if not isinstance(dial, DialParams):
        raise ValidationError("dial", f"must be DialParams, not {type_name(dial)}")
    for name, (low, high) in DIAL_RANGES.items():
        value = getattr(dial, name)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValidationError(f"dial.{name}", f"must be an integer from {low} to {high}")
    return f"{dial.wait},{dial.interval},{dial.attempts}"


def check_binary_options(pid: int | None, dcs: int | None) -> str | None:
    """What a binary message carries after its data: ``pid: <pid>, dcs: <dcs>``. The service
    reads the two together, so one without the other is refused."""
    for name, value in (("binary_pid", pid), ("binary_dcs", dcs)):
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 255
        ):
            raise ValidationError(name, "must be a byte value from 0 to 255")
    if pid is None and dcs is None:
        return None
    if pid is None or dcs is None:
        missing = "binary_pid" if pid is None else "binary_dcs"
        raise ValidationError(missing, "binary_pid and binary_dcs go together; give both")
    return f"pid: {pid}, dcs: {dcs}"


def check_template_name(name: object) -> str:
    name = check_string(name, "name", multiline=False)
    if not name.strip():
        raise ValidationError("name", "must not be empty")
    if len(name) > MAX_TEMPLATE_NAME_LENGTH:
        raise ValidationError("name", f"at most {MAX_TEMPLATE_NAME_LENGTH} characters")
    return name


def check_template_message(
    message: object, format: TemplateFormat | str = TemplateFormat.ANY, field: str = "message"
) -> str:
    """A template's text, by the rules of a text of the template's kind (a template of no
    particular kind may begin with no service prefix)."""
    try:
        kind: MessageKind | None = MessageKind(TemplateFormat(format).value or None)
    except ValueError:
        kind = None
    message = check_string(message, field)
    if not message.strip():
        raise ValidationError(field, "must not be empty or only whitespace")
    if len(message) > MAX_TEXT_LENGTH:
        raise ValidationError(field, f"at most {MAX_TEXT_LENGTH} characters, got {len(message)}")
    check_service_prefix(message, kind, field)
    return message
