# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""HTTP as the emulator's handlers see it, whatever carries it: a request (method, path, raw
query, content type, and a coroutine that reads the body) and an answer (status, body, media
type, or "drop the connection"). The aiohttp server (:mod:`.server`) and the in-process httpx
transports (:mod:`.transport`) both translate to and from these, so every rule runs the same
way with or without a socket.

Also here: reading the service's parameters from a query string and a body (form-urlencoded,
multipart with files, or JSON), decoded in the request's ``charset``.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any, Callable
from urllib.parse import unquote_to_bytes

from .models import Attachment

__all__ = [
    "CHARSETS",
    "DEFAULT_CHARSET",
    "MAX_BODY",
    "HttpAnswer",
    "HttpRequest",
    "ServiceRequest",
    "json_answer",
    "read_params",
]

MAX_BODY = 64 * 1024 * 1024
# charset parameter -> (Python codec, name in the Content-Type of the answer)
CHARSETS = {
    "utf-8": ("utf-8", "utf-8"),
    "utf8": ("utf-8", "utf-8"),
    "koi8-r": ("koi8_r", "koi8-r"),
    "koi8r": ("koi8_r", "koi8-r"),
    "windows-1251": ("cp1251", "windows-1251"),
    "cp1251": ("cp1251", "windows-1251"),
}
DEFAULT_CHARSET = CHARSETS["windows-1251"]
_CREDENTIALS = ("login", "psw", "apikey")


async def _no_body() -> bytes:
    return b""


@dataclass
class HttpRequest:
    """One HTTP request: ``content_type`` is the whole header (boundary included); ``read``
    returns the body (awaiting it lets the server count the request while it arrives)."""

    method: str
    path: str
    query: str = ""
    content_type: str = ""
    read: Callable[[], Awaitable[bytes]] = _no_body

    @property
    def media_type(self) -> str:
        return self.content_type.split(";", 1)[0].strip().lower()


@dataclass
class HttpAnswer:
    """What to answer; with ``drop`` the connection is closed without any answer."""

    status: int = 200
    body: bytes = b""
    content_type: str = "text/plain"
    drop: bool = False


def json_answer(data: Any, status: int = 200) -> HttpAnswer:
    body = json.dumps(data, ensure_ascii=False).encode("utf-8")
    return HttpAnswer(status, body, "application/json; charset=utf-8")


@dataclass
class ServiceRequest:
    """A request's parameters (decoded in its charset), the raw bytes of each, and files."""

    params: dict[str, str]
    raw: dict[str, bytes] = field(default_factory=dict)
    files: list[Attachment] = field(default_factory=list)
    codec: str = DEFAULT_CHARSET[0]
    charset: str = DEFAULT_CHARSET[1]

    def flag(self, name: str) -> int:
        try:
            return int(self.params.get(name, "").strip())
        except ValueError:
            return 0

    def get(self, name: str) -> str | None:
        return self.params.get(name)

    def key(self) -> tuple[tuple[str, str], ...]:
        """What makes two requests identical (credentials aside)."""
        return tuple(sorted((k, v) for k, v in self.params.items() if k not in _CREDENTIALS))


def _pairs(query: str) -> dict[str, bytes]:
    pairs: dict[str, bytes] = {}
    for chunk in query.split("&"):
        if not chunk:
            continue
        name, _, value = chunk.partition("=")
        key = unquote_to_bytes(name.replace("+", " ")).decode("latin-1")
        pairs[key] = unquote_to_bytes(value.replace("+", " "))
    return pairs


def _json_value(value: Any) -> str:
    if value is None:
        return ""
    if value is True:
        return "1"
    if value is False:
        return "0"
    if isinstance(value, (list, tuple)):
        return ",".join(_json_value(v) for v in value)
    return str(value)


def _multipart(content_type: str, body: bytes) -> tuple[dict[str, bytes], list[Attachment]]:
    """Fields and files of a multipart/form-data body (the standard library's MIME parser)."""
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1")
    message = BytesParser(policy=HTTP).parsebytes(head + body)
    fields: dict[str, bytes] = {}
    files: list[Attachment] = []
    if not message.is_multipart():
        return fields, files
    for part in message.iter_parts():
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        filename = part.get_filename()
        if filename:
            files.append(
                Attachment(filename, len(data), str(part.get("Content-Type", "")), data=data)
            )
            continue
        name = part.get_param("name", header="content-disposition")
        if isinstance(name, str):
            fields[name] = data
    return fields, files


def read_params(query: str, content_type: str = "", body: bytes = b"") -> ServiceRequest:
    """Parameters from the query string and the body (the body wins), decoded in the
    ``charset`` the request names; files of a multipart body become attachments."""
    raw = _pairs(query)
    files: list[Attachment] = []
    json_params: dict[str, str] = {}
    media_type = content_type.split(";", 1)[0].strip().lower()
    if body:
        if media_type == "application/json":
            try:
                data = json.loads(body)
            except ValueError:
                data = {}
            if isinstance(data, dict):
                json_params = {str(k): _json_value(v) for k, v in data.items()}
        elif media_type.startswith("multipart/"):
            fields, files = _multipart(content_type, body)
            raw.update(fields)
        else:
            raw.update(_pairs(body.decode("latin-1")))
    charset_value = raw["charset"].decode("latin-1") if "charset" in raw else ""
    if json_params.get("charset"):
        charset_value = json_params["charset"]
    codec, charset = CHARSETS.get(charset_value.strip().lower(), DEFAULT_CHARSET)
    params = {k: v.decode(codec, errors="replace") for k, v in raw.items()}
    params.update(json_params)  # JSON is text already
    return ServiceRequest(params, raw, files, codec, charset)
