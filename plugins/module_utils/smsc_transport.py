# Copyright (c) 2026, smsc-integrations contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run pysmsc's protocol operations over Ansible's own ``open_url``.

Shared by the modules (on managed hosts) and the ``notify`` callback (on the controller), so
neither needs anything beyond ansible-core: no httpx, no AnsibleModule here.

The failover policy is the library's (:mod:`pysmsc.transport`): a request moves on to a backup
host only when it surely never arrived, or when it is a read that is safe to repeat. Reads
refused by the service's rate limits (error 9) are tried again after a pause, within
``rate_limit_wait`` seconds.
"""

from __future__ import annotations

import errno
import socket
import ssl
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable, TypeVar
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode

from ansible.module_utils.urls import ConnectionError as AnsibleConnectionError
from ansible.module_utils.urls import SSLValidationError, open_url

from .pysmsc import __version__
from .pysmsc.errors import RateLimitError, ValidationError
from .pysmsc.protocol.base import Credentials, Operation, Request, form_fields
from .pysmsc.transport import (
    DEFAULT_BASE_URL,
    Failure,
    backup_urls,
    check_base_url,
    failure_error,
    may_try_next,
    scrub,
)

__all__ = [
    "DEFAULT_BASE_URL",
    "USER_AGENT",
    "Connection",
    "execute",
    "multipart_body",
]

T = TypeVar("T")
# The collection and the library are released together, with one version.
VERSION = __version__
USER_AGENT = f"smsc.messaging/{VERSION} (Ansible)"
# Pauses between attempts of a read refused by a rate limit; the windows are one minute.
_RATE_LIMIT_PAUSES = (5.0, 10.0, 15.0, 15.0, 15.0, 15.0)
_NEVER_CONNECTED_ERRNOS = frozenset(
    {errno.ECONNREFUSED, errno.ENETUNREACH, errno.EHOSTUNREACH, errno.EADDRNOTAVAIL}
)

Opener = Callable[..., Any]
Sleeper = Callable[[float], None]
Warn = Callable[[str], None]


@dataclass(frozen=True)
class Connection:
    """Where and how to reach the service. ``repr`` never shows a credential."""

    credentials: Credentials
    base_url: str = DEFAULT_BASE_URL
    validate_certs: bool = True
    timeout: float = 30.0
    rate_limit_wait: float = 60.0
    urls: tuple[str, ...] = field(init=False, default=())

    def __post_init__(self) -> None:
        base = check_base_url(self.base_url)
        if not self.timeout > 0:
            raise ValidationError("timeout", "must be a positive number of seconds")
        if self.rate_limit_wait < 0:
            raise ValidationError("rate_limit_wait", "must be zero or more seconds")
        object.__setattr__(self, "base_url", base)
        object.__setattr__(self, "urls", (base, *backup_urls(base)))

    @property
    def secrets(self) -> tuple[str, ...]:
        return self.credentials.secrets


def multipart_body(request: Request, credentials: Credentials) -> tuple[str, bytes]:
    """A ``multipart/form-data`` body with the form fields and the request's files."""
    boundary = f"smsc-{uuid.uuid4().hex}"
    chunks: list[bytes] = []
    for name, value in form_fields(request, credentials):
        header = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        chunks.append(header.encode() + value.encode("utf-8") + b"\r\n")
    for index, attachment in enumerate(request.files):
        filename = attachment.filename.replace('"', "")
        head = (
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="file{index}"; filename="{filename}"\r\n'
            f"Content-Type: {attachment.content_type}\r\n\r\n"
        )
        chunks.append(head.encode("utf-8") + attachment.content + b"\r\n")
    chunks.append(f"--{boundary}--\r\n".encode())
    return f"multipart/form-data; boundary={boundary}", b"".join(chunks)


def _body(request: Request, credentials: Credentials) -> tuple[str, bytes]:
    if request.files:
        return multipart_body(request, credentials)
    body = urlencode(form_fields(request, credentials)).encode("ascii")
    return "application/x-www-form-urlencoded", body


def _classify(exc: BaseException) -> Failure:
    """Whether the request surely never reached the service (``NOT_CONNECTED``)."""
    if isinstance(exc, HTTPError):
        return Failure.BAD_STATUS
    if isinstance(exc, SSLValidationError):
        return Failure.NOT_CONNECTED  # the handshake failed: nothing was sent
    if isinstance(exc, URLError):
        # urllib raises URLError for failures while connecting and sending the request; the
        # reason says which. Failures while waiting for the answer surface unwrapped.
        reason = exc.reason
        if isinstance(reason, (ConnectionRefusedError, socket.gaierror, ssl.SSLError)):
            return Failure.NOT_CONNECTED
        if isinstance(reason, OSError) and reason.errno in _NEVER_CONNECTED_ERRNOS:
            return Failure.NOT_CONNECTED
        if isinstance(reason, str):
            return Failure.NOT_CONNECTED  # e.g. "unknown url type", proxy refusals
        return Failure.NO_ANSWER
    if isinstance(exc, AnsibleConnectionError):
        return Failure.NOT_CONNECTED  # proxy tunnel or TLS set-up failed before the request
    return Failure.NO_ANSWER


def _describe(exc: BaseException) -> str:
    if isinstance(exc, HTTPError):
        return f"HTTP {exc.code}"
    if isinstance(exc, URLError):
        return str(exc.reason) or type(exc.reason).__name__
    return str(exc) or type(exc).__name__


def _post_once(
    operation: Operation[T], connection: Connection, opener: Opener, warn: Warn | None
) -> T:
    request = operation.request
    content_type, body = _body(request, connection.credentials)
    headers = {"Content-Type": content_type, "Accept": "application/json"}
    last = len(connection.urls) - 1
    for index, base in enumerate(connection.urls):
        url = base + request.path
        try:
            response = opener(
                url,
                data=body,
                headers=headers,
                method="POST",
                timeout=connection.timeout,
                validate_certs=connection.validate_certs,
                http_agent=USER_AGENT,
                follow_redirects="safe",
                use_netrc=False,
            )
            raw = response.read()
        except Exception as exc:  # noqa: BLE001 - every failure is classified below
            failure = _classify(exc)
            detail = scrub(_describe(exc), connection.secrets)
            if index == last or not may_try_next(request, failure):
                raise failure_error(request, failure, base, detail) from None
            if warn is not None:
                warn(f"{base}: {detail}; trying the next host")
            continue
        text = raw.decode("utf-8", errors="replace")
        return operation.parse(text)
    raise AssertionError("unreachable: the loop returns or raises")  # pragma: no cover


def execute(
    operation: Operation[T],
    connection: Connection,
    *,
    opener: Opener = open_url,
    sleep: Sleeper = time.sleep,
    warn: Warn | None = None,
) -> T:
    """POST ``operation`` and parse the answer; raises pysmsc's typed errors.

    A read refused with error 9 (rate limit) is tried again after a pause while the pauses add
    up to at most ``connection.rate_limit_wait`` seconds. Requests that change something are
    never repeated.
    """
    request = operation.request
    repeatable = request.idempotent and not request.sends_message
    waited = 0.0
    for pause in (*_RATE_LIMIT_PAUSES, None):
        try:
            return _post_once(operation, connection, opener, warn)
        except RateLimitError:
            if not repeatable or pause is None or waited + pause > connection.rate_limit_wait:
                raise
        if warn is not None:
            warn(
                f"{request.endpoint}: the service's rate limit refused the request; "
                f"trying again in {pause:g} s"
            )
        sleep(pause)
        waited += pause
    raise AssertionError("unreachable: the loop returns or raises")  # pragma: no cover
