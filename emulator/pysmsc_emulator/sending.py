# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""A send request, whichever front end it came from, and how its text is read and billed.

:func:`build_send_request` reads send.php parameters (the HTTP side and ``/rest/send/``);
:func:`smpp_send_request` builds the same request from what an SMPP ``submit_sm`` carries.
:func:`prepare_text` applies the service's rules to a text: kind prefixes (``__CALL__:``...),
the ``\\n~~~\\n`` comment, transliteration, short links, ``maxsms``, and the billing count.
"""

from __future__ import annotations

import binascii
import math
import re
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field

from pysmsc.text import Encoding, Segmentation, encode_gsm7, segment

from .codes import ServiceError
from .menu import MenuError, VoiceMenu, parse_menu
from .models import Attachment, MessageId
from .phones import is_email
from .schedule import parse_period, parse_tz, parse_valid
from .transliterate import shorten_links, transliterate

__all__ = [
    "COMMENT_MARK",
    "KINDS",
    "ListEntry",
    "PreparedText",
    "SendRequest",
    "build_send_request",
    "call_seconds",
    "parse_list",
    "parse_message_id",
    "prepare_text",
    "smpp_send_request",
]

KINDS = (
    "sms",
    "flash",
    "bin",
    "push",
    "hlr",
    "ping",
    "mms",
    "mail",
    "call",
    "viber",
    "whatsapp",
    "soc",
)
# When a request sets several kind flags, the first one in this order wins.
_FLAG_ORDER = (
    "hlr",
    "ping",
    "mail",
    "call",
    "mms",
    "viber",
    "whatsapp",
    "soc",
    "push",
    "bin",
    "flash",
)
COMMENT_MARK = "\n~~~\n"
MAX_TEXT = 1000
BINARY_OCTETS = 140  # octets in one binary SMS
CALL_CHARS_PER_SECOND = 12
CALL_MIN_SECONDS = 10
CALL_FILE_SECONDS = 30
MAIL_MAX_FILES = 20
MAIL_MAX_FILE_SIZE = 10 * 1024 * 1024
VOICES = ("m", "m2", "m3", "m4", "w", "w2", "w3", "w4")

_ID_NUMBER = re.compile(r"^[1-9][0-9]{0,9}$")
_ID_STRING = re.compile(r"^[A-Za-z0-9.\-_]{1,40}$")
_SENDER_SPLIT = re.compile(r"^([^|]*)\|(.*)$", re.DOTALL)
# With nl=1, a line starts a new entry when it opens with a sender prefix and/or a list of
# numbers, group codes or e-mail addresses followed by the separator.
_LIST_HEAD = re.compile(
    r"^(?:[^|:;]*\|)?\s*(?:[-+0-9Gg\s().,]+|[^\s:;|@,]+@[^\s:;|,]+(?:\s*,\s*[^\s:;|@,]+@[^\s:;|,]+)*)[:;]"
)
# Parameters that only shape the answer or authenticate: not part of what was sent.
_ANSWER_ONLY = frozenset({"login", "psw", "apikey", "fmt", "op", "err", "charset", "cost"})


@dataclass
class ListEntry:
    """One line of the ``list`` parameter: its numbers, its text, optionally its own sender
    name and time zone."""

    phones: str
    text: str
    sender: str | None = None
    tz: int | None = None


@dataclass
class SendRequest:
    """Everything a send carries, already checked for well-formed parameters.

    ``text`` is the message as given (kind prefix and comment included); ``entries`` replace
    ``phones``/``text`` for a ``list`` request. ``time`` stays raw: it is resolved against
    the emulator's clock when the request is processed (a bad format is error 5 then).
    ``fingerprint`` identifies identical requests for the duplicate rules. ``source`` is
    ``"http"`` or ``"smpp"``; ``encoding`` (SMPP data coding) overrides the billing alphabet.
    """

    phones: str = ""
    text: str = ""
    entries: list[ListEntry] | None = None
    message_id: MessageId | None = None
    sender: str | None = None
    kind: str = "sms"
    bin_mode: int = 0
    translit: int = 0
    tinyurl: bool = False
    time: str | None = None
    tz: int | None = None
    period: tuple[float, int] | None = None
    valid: int | None = None
    maxsms: int | None = None
    subject: str = ""
    voice: str = ""
    param: str = ""
    fileurl: str = ""
    files: list[Attachment] = field(default_factory=list)
    cost: int = 0
    source: str = "http"
    registered_delivery: bool = False
    encoding: Encoding | None = None
    options: dict[str, str] = field(default_factory=dict)
    fingerprint: Hashable = ()


@dataclass
class PreparedText:
    """A text after the service's rules: its kind, what is sent, the comment, and per
    recipient the billed ``units`` (SMS parts, started call minutes, or 1) and ``count``
    (what ``cnt`` reports: SMS parts, call seconds, or 1)."""

    kind: str
    text: str
    comment: str
    subject: str
    voice: str
    units: int
    count: int
    encoding: str
    menu: VoiceMenu | None = None


def _int(params: Mapping[str, str], name: str, default: int = 0) -> int:
    """An integer flag the way the service reads it: anything unreadable is the default."""
    raw = params.get(name, "").strip()
    try:
        return int(raw)
    except ValueError:
        return default


def parse_message_id(raw: str | None) -> MessageId | None:
    """A client id: a number 1-2147483647, or 1-40 Latin letters, digits and ``.-_``.
    None (the service assigns one) when absent, zero or malformed."""
    if raw is None:
        return None
    text = raw.strip()
    if text in ("", "0"):
        return None
    if _ID_NUMBER.match(text) and int(text) <= 2147483647:
        return int(text)
    if _ID_STRING.match(text):
        return text
    return None


def parse_list(raw: str, multiline: bool) -> list[ListEntry]:
    """Lines of ``[sender[,tz]|]phones:text``; ``\\n`` in a text is a line break. With
    ``multiline`` (``nl=1``) a line that does not start a new entry continues the text of the
    previous one. Raises ValueError for a line without a phones/text separator."""
    lines = raw.replace("\r\n", "\n").split("\n")
    chunks: list[str] = []
    for line in lines:
        if multiline and chunks and not _LIST_HEAD.match(line):
            chunks[-1] += "\n" + line
        elif line.strip():
            chunks.append(line)
    entries: list[ListEntry] = []
    for chunk in chunks:
        colon, semicolon = chunk.find(":"), chunk.find(";")
        cut = colon if colon >= 0 else semicolon
        if cut < 0:
            raise ValueError("a list line needs phones:message")
        head, text = chunk[:cut], chunk[cut + 1 :]
        sender: str | None = None
        tz: int | None = None
        prefix = _SENDER_SPLIT.match(head)
        if prefix:
            name, _, zone = prefix.group(1).partition(",")
            sender = name.strip() or None
            tz = parse_tz(zone, 0) if zone.strip() else None
            head = prefix.group(2)
        if not head.strip():
            raise ValueError("a list line needs phones")
        entries.append(ListEntry(head.strip(), text.replace("\\n", "\n"), sender, tz))
    return entries


def _fingerprint(params: Mapping[str, str], files: Sequence[Attachment], login: str) -> Hashable:
    items = tuple(sorted((k, v) for k, v in params.items() if k not in ("login", "psw", "apikey")))
    attached = tuple((f.name, f.size, hash(f.data)) for f in files)
    return (login, items, attached)


def build_send_request(
    params: Mapping[str, str],
    files: Sequence[Attachment] = (),
    *,
    login: str = "",
    source: str = "http",
    raw_text: bytes | None = None,
) -> SendRequest:
    """Read send.php parameters. ``raw_text`` is the undecoded ``mes`` for ``bin=1``.

    Raises :class:`ServiceError` 1 for missing or malformed parameters.
    """
    fail = ServiceError.of("send", 1)
    kind = "sms"
    for flag in _FLAG_ORDER:
        value = _int(params, flag)
        if value == 1 or (flag == "bin" and value == 2):
            kind = flag
            break
    bin_mode = _int(params, "bin") if kind == "bin" else 0
    text = params.get("mes", "")
    if bin_mode == 1 and raw_text is not None:
        text = raw_text.decode("latin-1")
    entries: list[ListEntry] | None = None
    if params.get("list", "").strip():
        try:
            entries = parse_list(params["list"], _int(params, "nl") == 1)
        except ValueError:
            raise fail from None
        if not entries:
            raise fail
    elif not params.get("phones", "").strip():
        raise fail
    try:
        tz = parse_tz(params.get("tz"), 0) if params.get("tz", "").strip() else None
        period = parse_period(params.get("period"), params.get("freq"))
        valid = parse_valid(params.get("valid"))
    except ValueError:
        raise fail from None
    maxsms: int | None = None
    if params.get("maxsms", "").strip():
        maxsms = _int(params, "maxsms")
        if maxsms < 1:
            raise fail
    cost = _int(params, "cost")
    if cost not in (0, 1, 2, 3):
        raise fail
    voice = params.get("voice", "").strip()
    if voice and voice.split(",")[0] not in VOICES:
        raise fail
    files = list(files)
    fileurl = params.get("fileurl", "").strip()
    if kind == "mail" and (
        len(files) > MAIL_MAX_FILES or any(f.size > MAIL_MAX_FILE_SIZE for f in files)
    ):
        raise fail
    recorded = {
        k: v
        for k, v in params.items()
        if k not in _ANSWER_ONLY and k not in ("phones", "mes", "list", "id", "sender", "subj")
    }
    return SendRequest(
        phones=params.get("phones", ""),
        text=text,
        entries=entries,
        message_id=parse_message_id(params.get("id")),
        sender=params.get("sender", "").strip() or None,
        kind=kind,
        bin_mode=bin_mode,
        translit=_int(params, "translit"),
        tinyurl=_int(params, "tinyurl") == 1,
        time=params.get("time"),
        tz=tz,
        period=period,
        valid=valid,
        maxsms=maxsms,
        subject=params.get("subj", ""),
        voice=voice,
        param=params.get("param", ""),
        fileurl=fileurl,
        files=files,
        cost=cost,
        source=source,
        options=recorded,
        fingerprint=_fingerprint(params, files, login),
    )


def smpp_send_request(
    destination: str,
    text: str,
    *,
    sender: str = "",
    login: str = "",
    encoding: Encoding | None = None,
    registered_delivery: bool = False,
    flash: bool = False,
    message_id: MessageId | None = None,
) -> SendRequest:
    """The request an SMPP ``submit_sm`` makes: one destination, the (reassembled) text with
    any service prefix (``__CALL__:``, ``__MAIL__:``, ``__HLR__``...), the source address as
    sender name, the alphabet its data_coding selects, and whether a receipt is wanted."""
    params = {"phones": destination, "mes": text}
    if sender:
        params["sender"] = sender
    if flash:
        params["flash"] = "1"
    request = build_send_request(params, login=login, source="smpp")
    request.encoding = encoding
    request.registered_delivery = registered_delivery
    request.message_id = message_id
    request.fingerprint = ("smpp", login, destination, text, sender, flash)
    return request


def call_seconds(text: str, files: int) -> int:
    """The estimated length of a call: text read at 12 characters a second (10 s at least),
    plus 30 s for every audio file or file URL."""
    seconds = max(CALL_MIN_SECONDS, math.ceil(len(text) / CALL_CHARS_PER_SECOND)) if text else 0
    seconds += CALL_FILE_SECONDS * files
    return max(seconds, CALL_MIN_SECONDS)


def _strip_prefix(text: str) -> tuple[str | None, str, str, str]:
    """(kind or None, text, subject, voice) after a leading service prefix."""
    body = text.lstrip()
    for prefix, kind in (
        ("__CALL__:", "call"),
        ("__VIBER__:", "viber"),
        ("__SOC__:", "soc"),
        ("__MAIL__:", "mail"),
    ):
        if body.startswith(prefix):
            rest = body[len(prefix) :].lstrip(" ")
            subject = voice = ""
            if kind == "mail":
                match = re.search(r"\nsubj:(.*)$", rest)
                if match:
                    subject, rest = match.group(1).strip(), rest[: match.start()]
            if kind == "call":
                match = re.search(r"\nvoice:(.*)$", rest)
                if match:
                    voice, rest = match.group(1).strip(), rest[: match.start()]
            return kind, rest, subject, voice
    for prefix, kind in (("__PING__", "ping"), ("__HLR__", "hlr")):
        if body.startswith(prefix):
            return kind, "", "", ""
    return None, text, "", ""


def _truncate(text: str, maxsms: int, encoding: Encoding | None) -> str:
    """The longest beginning of ``text`` that fits ``maxsms`` parts."""
    if _segment(text, encoding).parts <= maxsms:
        return text
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if _segment(text[:middle], encoding).parts <= maxsms:
            low = middle
        else:
            high = middle - 1
    return text[:low]


# Units in a one-part message, read from the library's own rule (an empty text has them all).
_SINGLE_GSM7 = segment("", Encoding.GSM7).per_part


def _segment(text: str, encoding: Encoding | None) -> Segmentation:
    if encoding is not None:
        try:
            return segment(text, encoding)
        except ValueError:
            pass
    # The common case, a short text in the GSM alphabet, in one C call instead of one Python
    # call per character (bulk lists of 10,000 texts); anything else goes to the library.
    septets = encode_gsm7(text)
    if septets is not None and len(septets) <= _SINGLE_GSM7:
        length = len(septets)
        return Segmentation(Encoding.GSM7, length, 1, _SINGLE_GSM7, _SINGLE_GSM7 - length)
    return segment(text)


def _bad() -> ServiceError:
    return ServiceError.of("send", 1)


def prepare_text(raw: str, request: SendRequest, sender: str = "") -> PreparedText:
    """Apply the service's text rules to one message of ``request``.

    Raises :class:`ServiceError` 1 when the text is missing, too long, or not valid for the
    kind (bad hex for ``bin=2``, an e-mail without subject or sender address...).
    """
    kind = request.kind
    found, text, subject, voice = (
        _strip_prefix(raw) if request.bin_mode == 0 else (None, raw, "", "")
    )
    if found is not None:
        kind = found
    subject = subject or request.subject
    voice = voice or request.voice
    comment = ""
    mark = text.find(COMMENT_MARK)
    if mark >= 0:
        text, comment = text[:mark], text[mark + len(COMMENT_MARK) :]
    attachments = len(request.files) + (1 if request.fileurl else 0)
    if kind in ("hlr", "ping"):
        text = ""
    if kind == "bin":
        data = _binary(text, request.bin_mode)
        if data is None:
            raise _bad()
        units = max(1, math.ceil(len(data) / BINARY_OCTETS))
        return PreparedText(kind, text, comment, subject, voice, units, units, "binary")
    if request.translit:
        text = transliterate(text, request.translit)
    if request.tinyurl:
        text = shorten_links(text)
    if len(text) > MAX_TEXT:
        raise _bad()
    if kind in ("sms", "flash", "push", "soc", "whatsapp") and not text.strip():
        raise _bad()
    if kind in ("viber", "call") and not text.strip() and not attachments:
        raise _bad()
    if kind == "mms" and not text.strip() and not subject.strip():
        raise _bad()
    if kind == "mail" and (not text.strip() or not subject.strip() or not is_email(sender)):
        raise _bad()
    if kind == "call":
        try:
            menu = parse_menu(text)
        except MenuError:
            raise _bad() from None
        seconds = call_seconds(text, attachments)
        return PreparedText(
            kind, text, comment, subject, voice or "m4", math.ceil(seconds / 60), seconds, "", menu
        )
    if kind in ("sms", "flash", "push"):
        if request.maxsms is not None:
            text = _truncate(text, request.maxsms, request.encoding)
        seg = _segment(text, request.encoding)
        return PreparedText(
            kind, text, comment, subject, voice, seg.parts, seg.parts, seg.encoding.value
        )
    encoding = _segment(text, request.encoding).encoding.value if text else ""
    return PreparedText(kind, text, comment, subject, voice, 1, 1, encoding)


def _binary(text: str, mode: int) -> bytes | None:
    if mode == 2:
        compact = re.sub(r"\s", "", text)
        if len(compact) % 2:
            return None
        try:
            return binascii.unhexlify(compact)
        except (binascii.Error, ValueError):
            return None
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError:
        return text.encode("utf-8")
