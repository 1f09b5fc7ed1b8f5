# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The parts every endpoint shares: a request, the credentials, an operation, answer parsing.

An :class:`Operation` is a request plus the function that turns the service's answer into a
typed result. Transports (httpx in :mod:`pysmsc._client`, Ansible's ``open_url`` in the
collection) only move bytes: they call :func:`form_fields` to get what goes in the POST body
and ``operation.parse(text)`` on what comes back.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Callable, Generic, TypeVar
from urllib.parse import urlencode

from .._values import check_string
from ..errors import ResponseError, ValidationError, api_error
from ..redact import secret_forms

__all__ = [
    "Attachment",
    "Credentials",
    "Operation",
    "Request",
    "as_decimal",
    "as_int",
    "as_str",
    "encode_body",
    "form_fields",
    "load_answer",
]

T = TypeVar("T")

# Answers are short; anything quoted back in an error is cut to this many characters.
_SNIPPET = 200


@dataclass(frozen=True)
class Attachment:
    """A file sent with an MMS, e-mail or voice message (multipart POST)."""

    filename: str
    content: bytes = field(repr=False)
    content_type: str = "application/octet-stream"

    def __post_init__(self) -> None:
        check_string(self.filename, "files", multiline=False)
        if not self.filename or "/" in self.filename or "\\" in self.filename:
            raise ValidationError("files", f"{self.filename!r} is not a plain file name")
        if not isinstance(self.content, (bytes, bytearray)):
            raise ValidationError("files", f"{self.filename}: the content must be bytes")
        check_string(self.content_type, "files", multiline=False)


@dataclass(frozen=True)
class Request:
    """One call of an endpoint: ``/sys/<endpoint>`` with form ``fields``.

    ``sends_message`` marks requests that cause a message to go out: they are never repeated
    once they may have reached the service. ``idempotent`` marks reads that may be repeated.
    """

    endpoint: str
    fields: tuple[tuple[str, str], ...]
    files: tuple[Attachment, ...] = ()
    sends_message: bool = False
    idempotent: bool = False

    @property
    def path(self) -> str:
        return f"/sys/{self.endpoint}"


@dataclass(frozen=True)
class Credentials:
    """Login and password, or an API key. Never shown by ``repr`` or ``str``."""

    login: str | None = None
    password: str | None = field(default=None, repr=False)
    api_key: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.api_key:
            if self.login or self.password:
                raise ValidationError(
                    "api_key", "give either an API key or a login and password, not both"
                )
            return
        if not self.login:
            raise ValidationError("login", "a login and password, or an API key, is required")
        if not self.password:
            raise ValidationError("password", "is required with a login")

    def fields(self) -> list[tuple[str, str]]:
        if self.api_key:
            return [("apikey", self.api_key)]
        return [("login", self.login or ""), ("psw", self.password or "")]

    @property
    def secrets(self) -> tuple[str, ...]:
        """Values a transport must scrub from anything it logs or raises: the password, its MD5
        and the API key (:mod:`pysmsc.redact` finds them in any encoding)."""
        return secret_forms(self.password, self.api_key)


@dataclass(frozen=True)
class Operation(Generic[T]):
    """A request and the parser of its answer."""

    request: Request
    parse: Callable[[str], T] = field(repr=False)


def form_fields(request: Request, credentials: Credentials) -> list[tuple[str, str]]:
    """Everything that goes in the POST body: credentials, the request's fields, and the
    answer format (JSON) and charset (UTF-8) the parsers expect."""
    return [
        *credentials.fields(),
        *request.fields,
        ("fmt", "3"),
        ("charset", "utf-8"),
    ]


def encode_body(request: Request, credentials: Credentials) -> tuple[str, bytes]:
    """The POST body of ``request`` and its content type: urlencoded form fields, or
    ``multipart/form-data`` when the request carries files."""
    fields = form_fields(request, credentials)
    if not request.files:
        return "application/x-www-form-urlencoded", urlencode(fields).encode("ascii")
    boundary = f"smsc-{os.urandom(16).hex()}"
    chunks: list[bytes] = []
    for name, value in fields:
        chunks.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + value.encode("utf-8")
            + b"\r\n"
        )
    for index, attachment in enumerate(request.files):
        filename = attachment.filename.replace('"', "")
        head = (
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="file{index}"; filename="{filename}"\r\n'
            f"Content-Type: {attachment.content_type}\r\n\r\n"
        )
        chunks.append(head.encode("utf-8") + bytes(attachment.content) + b"\r\n")
    chunks.append(f"--{boundary}--\r\n".encode())
    return f"multipart/form-data; boundary={boundary}", b"".join(chunks)


def load_answer(endpoint: str, text: str) -> Any:
    """Decode a ``fmt=3`` answer, raising the typed error when it is an error answer."""
    try:
        data = json.loads(text, parse_float=Decimal)
    except ValueError:
        raise ResponseError(endpoint, f"not JSON: {text[:_SNIPPET]!r}") from None
    if isinstance(data, Mapping) and ("error_code" in data or "error" in data):
        raise _error_from(endpoint, data)
    return data


def _error_from(endpoint: str, data: Mapping[str, Any]) -> Exception:
    code = data.get("error_code")
    if isinstance(code, str) and code.lstrip("-").isdigit():
        code = int(code)
    if not isinstance(code, int) or isinstance(code, bool):
        return ResponseError(endpoint, f"error without a numeric code: {str(data)[:_SNIPPET]}")
    description = data.get("error")
    message_id = data.get("id")
    return api_error(
        endpoint,
        abs(code),
        description if isinstance(description, str) else "",
        None if message_id in (None, "", 0) else str(message_id),
    )


def as_decimal(endpoint: str, name: str, value: Any) -> Decimal:
    """A money amount: the service sends ``"1.40"`` or a bare number."""
    if isinstance(value, bool):
        raise ResponseError(endpoint, f"{name} is not a number: {value!r}")
    if isinstance(value, (int, Decimal)):
        return Decimal(value)
    if isinstance(value, str):
        try:
            return Decimal(value.strip().replace(",", "."))
        except InvalidOperation:
            pass
    raise ResponseError(endpoint, f"{name} is not a number: {str(value)[:_SNIPPET]!r}")


def as_int(endpoint: str, name: str, value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    raise ResponseError(endpoint, f"{name} is not an integer: {str(value)[:_SNIPPET]!r}")


def as_str(value: Any) -> str:
    """A text field; numbers (ids, phones) become their decimal form."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return str(int(value)) if value == value.to_integral_value() else str(value)
    return str(value)


def require_mapping(endpoint: str, data: Any) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise ResponseError(endpoint, f"expected an object, got {str(data)[:_SNIPPET]!r}")
    return data


def require_list(endpoint: str, data: Any) -> list[Any]:
    """List answers; a single object where a list was expected is taken as a list of one."""
    if isinstance(data, list):
        return data
    if isinstance(data, Mapping):
        return [data]
    raise ResponseError(endpoint, f"expected a list, got {str(data)[:_SNIPPET]!r}")


def flag(value: bool) -> str:
    return "1" if value else "0"


def ok_answer(endpoint: str) -> Callable[[str], None]:
    """Parser for answers that are ``{"result": "OK"}`` (or ``OK``) on success."""

    def parse(text: str) -> None:
        if text.strip().upper() == "OK":  # some commands answer a bare OK whatever fmt says
            return
        data = load_answer(endpoint, text)
        if isinstance(data, Mapping) and str(data.get("result", "")).upper() == "OK":
            return
        raise ResponseError(endpoint, f"expected OK, got {str(data)[:_SNIPPET]!r}")

    return parse
