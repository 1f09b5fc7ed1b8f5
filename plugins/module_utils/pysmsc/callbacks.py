# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The service's calls to the account's HTTP handler: delivery statuses, received messages and
voice-menu key presses, parsed into typed events, and a handler any web framework can mount.

The account names a URL in its settings; the service POSTs a form to it (JSON with the same
keys when the URL itself holds ``fmt=3``) on every status change and every received message,
and the voice menu's ``url`` command calls it on a key press. The handler must answer HTTP 200
``OK``; otherwise the service tries again later.

What is relied on, and what is a guess (docs/paging.md has the table):

- sure (seen in independent clients): ``id``, ``phone``, ``status``, ``err``, ``sender_id``,
  ``cost``, ``mes``, ``to``;
- guesses: ``cnt``, ``time``, ``sent``, ``key`` (the key-press call's fields), which kind of
  call is which (``key`` present: a key press; ``mes``: a received message; else ``status``),
  the charset of form bodies (UTF-8, else windows-1251), and the retry policy.

The service can sign its calls (``md5``/``sha1``/``crc32`` added to the URL), but the signed
string is not publicly documented, so it is not checked. The endpoint is protected instead by
an unguessable token as the last segment of its path (:func:`new_token`): the URL is the
secret, so keep it out of logs. The handler never writes the path anywhere.

A front end mounts :class:`CallbackHandler`::

    handler = CallbackHandler(token, sink=runner.feed)
    response = await handler.handle("POST", request.path, request.headers, body)
    # -> response.status, response.headers, response.body

Calls are answered ``OK`` only after ``sink`` has taken the event, so an event the sink could
not store is asked for again by the service rather than lost.
"""

from __future__ import annotations

import hmac
import json
import logging
import re
import secrets
from collections.abc import Awaitable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Callable, Union
from urllib.parse import parse_qsl

from .errors import ValidationError
from .models import MessageStatus, ReceivedMessage
from .protocol._incoming import unix_time

__all__ = [
    "DEFAULT_MAX_BODY",
    "CallbackError",
    "CallbackEvent",
    "CallbackHandler",
    "HttpResponse",
    "KeyPress",
    "OtherCall",
    "StatusUpdate",
    "decode_fields",
    "new_token",
    "parse_callback",
]

_LOG = logging.getLogger(__name__)
# Every call is a handful of short fields; a received message is at most a few SMS long.
DEFAULT_MAX_BODY = 16 * 1024
MIN_TOKEN_LENGTH = 16
_TOKEN = re.compile(rf"[A-Za-z0-9_\-]{{{MIN_TOKEN_LENGTH},128}}")
_KEY = re.compile(r"[0-9*#]{1,20}")


class CallbackError(ValueError):
    """A call that is not one of the service's: names the field and the rule."""

    def __init__(self, field_name: str, rule: str) -> None:
        super().__init__(f"{field_name}: {rule}")
        self.field = field_name
        self.rule = rule


@dataclass(frozen=True)
class StatusUpdate:
    """The delivery status of a sent message changed. ``message_id`` is the id the message
    was sent with (the client's own, when it chose one); ``status`` a :class:`MessageStatus`
    when documented, the raw number otherwise."""

    message_id: str
    phone: str
    status: int
    error: int = 0
    changed_at: datetime | None = None
    cost: Decimal | None = None
    count: int | None = None
    sender: str | None = None


@dataclass(frozen=True)
class KeyPress:
    """A key pressed in a call's voice menu, reported by the menu's ``url`` command. ``key``
    is the menu path: ``"1"``, or ``"12"`` for sub-item 2 of item 1."""

    message_id: str
    phone: str
    key: str
    pressed_at: datetime | None = None


@dataclass(frozen=True)
class OtherCall:
    """A call of a kind this library does not know (an incoming call, a future event): it is
    answered ``OK`` so that the service does not try again, and handed on as is."""

    fields: Mapping[str, str] = field(default_factory=dict)


CallbackEvent = Union[StatusUpdate, ReceivedMessage, KeyPress, OtherCall]


def new_token() -> str:
    """A new unguessable path token (192 random bits) for the handler's URL.

    Hex digits only: a token pasted into a shell, a command line or a YAML file never starts
    with ``-`` and never needs quoting.
    """
    return secrets.token_hex(24)


def _text(fields: Mapping[str, str], name: str, *, required: bool = True) -> str:
    value = fields.get(name, "").strip()
    if required and not value:
        raise CallbackError(name, "is required")
    return value


def _integer(fields: Mapping[str, str], name: str, default: int | None = None) -> int | None:
    raw = fields.get(name, "").strip()
    if not raw:
        return default
    if not re.fullmatch(r"-?[0-9]{1,19}", raw):
        raise CallbackError(name, "must be an integer")
    return int(raw)


def _phone(fields: Mapping[str, str]) -> str:
    phone = _text(fields, "phone")
    if len(phone) > 64:
        raise CallbackError("phone", "is too long")
    return phone


def _message_id(fields: Mapping[str, str]) -> str:
    value = _text(fields, "id")
    if not re.fullmatch(r"[A-Za-z0-9.\-_]{1,40}", value):
        raise CallbackError(
            "id", "must be a message id (1-40 Latin letters, digits, '.', '-', '_')"
        )
    return value


def _cost(fields: Mapping[str, str]) -> Decimal | None:
    raw = fields.get("cost", "").strip().replace(",", ".")
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise CallbackError("cost", "must be a number") from None
    if not value.is_finite():
        raise CallbackError("cost", "must be a number")
    return value


def _status(code: int) -> int:
    return MessageStatus(code) if code in MessageStatus._value2member_map_ else code


def parse_callback(fields: Mapping[str, str]) -> CallbackEvent:
    """The event a call's fields describe; :class:`CallbackError` when required fields are
    missing or malformed."""
    if "key" in fields:
        key = _text(fields, "key")
        if not _KEY.fullmatch(key):
            raise CallbackError("key", "must be the keys pressed (0-9, * and #)")
        return KeyPress(
            message_id=_message_id(fields),
            phone=_phone(fields),
            key=key,
            pressed_at=unix_time(fields.get("time")),
        )
    if "mes" in fields:
        message_id = _integer(fields, "id")
        if message_id is None:
            raise CallbackError("id", "is required")
        return ReceivedMessage(
            id=message_id,
            phone=_phone(fields),
            text=fields.get("mes", ""),
            to=_text(fields, "to", required=False),
            received_at=unix_time(fields.get("time")),
            sent_at=unix_time(fields.get("sent")),
        )
    if "status" in fields:
        status = _integer(fields, "status")
        if status is None:
            raise CallbackError("status", "is required")
        return StatusUpdate(
            message_id=_message_id(fields),
            phone=_phone(fields),
            status=_status(status),
            error=_integer(fields, "err", 0) or 0,
            changed_at=unix_time(fields.get("time")),
            cost=_cost(fields),
            count=_integer(fields, "cnt"),
            sender=fields.get("sender_id") or None,
        )
    return OtherCall(dict(fields))


def _form(raw: str) -> dict[str, str]:
    try:
        return dict(parse_qsl(raw, keep_blank_values=True, encoding="utf-8", errors="strict"))
    except UnicodeDecodeError:
        # The service's default charset is windows-1251 (an account setting may change it).
        return dict(parse_qsl(raw, keep_blank_values=True, encoding="cp1251"))


def _scalar(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (int, float, Decimal, str)):
        return str(value)
    raise CallbackError("body", "JSON values must be strings or numbers")


def decode_fields(body: bytes, content_type: str = "", query: str = "") -> dict[str, str]:
    """The fields of a call: the URL's query, overridden by the body (a form, or JSON when the
    content type says so or the body is a JSON object)."""
    fields = _form(query) if query else {}
    stripped = body.strip()
    if not stripped:
        return fields
    if "json" in content_type.lower() or stripped.startswith(b"{"):
        try:
            data = json.loads(stripped.decode("utf-8"), parse_float=Decimal)
        except (UnicodeDecodeError, ValueError):
            raise CallbackError("body", "is not valid JSON") from None
        if not isinstance(data, dict):
            raise CallbackError("body", "must be a JSON object")
        fields.update({str(name): _scalar(value) for name, value in data.items()})
        return fields
    try:
        text = stripped.decode("ascii")
    except UnicodeDecodeError:
        raise CallbackError("body", "a form body must be URL-encoded") from None
    fields.update(_form(text))
    return fields


@dataclass(frozen=True)
class HttpResponse:
    """What to answer: ``status``, ``headers`` and ``body``."""

    status: int
    body: bytes
    headers: tuple[tuple[str, str], ...] = (("Content-Type", "text/plain; charset=utf-8"),)


def _plain(status: int, text: str, *extra: tuple[str, str]) -> HttpResponse:
    headers = (("Content-Type", "text/plain; charset=utf-8"), *extra)
    return HttpResponse(status, text.encode("utf-8"), headers)


def _header(headers: Mapping[str, str], name: str) -> str:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return ""


Sink = Callable[[CallbackEvent], Awaitable[None]]


class CallbackHandler:
    """The account's HTTP handler, independent of any web framework.

    ``token`` is the last segment of the path the handler is mounted on (at least 16 URL-safe
    characters; :func:`new_token` makes one). ``sink`` receives every event and is awaited
    before the call is answered ``OK``; when it raises, the answer is 503 and the service
    tries again. ``max_body`` bounds what a front end should read: :meth:`handle` refuses
    anything longer (413), and front ends should stop reading at ``max_body + 1`` bytes.
    """

    def __init__(self, token: str, sink: Sink, *, max_body: int = DEFAULT_MAX_BODY) -> None:
        if not isinstance(token, str) or not _TOKEN.fullmatch(token):
            raise ValidationError(
                "token",
                f"must be {MIN_TOKEN_LENGTH}-128 letters, digits, '-' or '_' "
                "(pysmsc.callbacks.new_token() makes one)",
            )
        self._token = token.encode("ascii")
        self._sink = sink
        self.max_body = max_body

    def __repr__(self) -> str:
        return "CallbackHandler(token=***)"

    def path_matches(self, path: str) -> bool:
        """Whether the request path (query string allowed) ends in this handler's token."""
        segment = path.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
        return hmac.compare_digest(segment.encode("utf-8", "replace"), self._token)

    def too_large(self, headers: Mapping[str, str]) -> bool:
        """Whether the declared Content-Length is over the limit (check before reading)."""
        declared = _header(headers, "content-length").strip()
        return declared.isdigit() and int(declared) > self.max_body

    async def handle(
        self, method: str, path: str, headers: Mapping[str, str], body: bytes
    ) -> HttpResponse:
        """Answer one call: 200 ``OK`` once the sink has the event; 404 for a path without the
        token, 405 for a method other than POST or GET, 413 for a body over ``max_body``,
        400 naming the field for a malformed call, 503 when the sink failed."""
        if not self.path_matches(path):
            return _plain(404, "Not Found")
        if method.upper() not in ("POST", "GET"):
            return _plain(405, "Method Not Allowed", ("Allow", "POST, GET"))
        if self.too_large(headers) or len(body) > self.max_body:
            return _plain(413, f"Payload Too Large (at most {self.max_body} bytes)")
        query = path.split("?", 1)[1] if "?" in path else ""
        try:
            fields = decode_fields(body, _header(headers, "content-type"), query)
            event = parse_callback(fields)
        except CallbackError as exc:
            return _plain(400, f"Bad Request: {exc}")
        try:
            await self._sink(event)
        except Exception:  # noqa: BLE001 - whatever failed, the service must try again
            # Logged without the path: the token is the endpoint's only secret.
            _LOG.exception("the %s event could not be taken; answering 503", type(event).__name__)
            return _plain(503, "Service Unavailable, try again")
        return _plain(200, "OK")
