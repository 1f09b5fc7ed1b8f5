# Copyright (c) 2026, smsc-integrations contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run pysmsc's protocol operations over Ansible's own ``open_url``.

Shared by the modules (on managed hosts) and the ``notify`` callback (on the controller), so
neither needs anything beyond ansible-core: no httpx, no AnsibleModule here.

The rules are the library's (:class:`pysmsc.transport.Policy`, driven by
:func:`pysmsc.transport.run`): a request moves on to a backup host only when it surely never
arrived, or when it is a read that is safe to repeat; one operation has one deadline across all
hosts; reads refused by the service's rate limits (error 9) are tried again after a pause,
within ``rate_limit_wait`` seconds. This module only moves bytes and says how an attempt failed.
"""

from __future__ import annotations

import errno
import socket
import ssl
import time
from dataclasses import dataclass, field
from typing import Any, Callable, TypeVar
from urllib.error import HTTPError, URLError

from ansible.module_utils.urls import ConnectionError as AnsibleConnectionError
from ansible.module_utils.urls import SSLValidationError, open_url

from .pysmsc import __version__
from .pysmsc.protocol import Credentials, Operation, encode_body
from .pysmsc.transport import (
    DEFAULT_BASE_URL,
    Attempt,
    AttemptFailed,
    Failure,
    Policy,
    run,
)

__all__ = [
    "DEFAULT_BASE_URL",
    "USER_AGENT",
    "Connection",
    "execute",
]

T = TypeVar("T")
# The collection and the library are released together, with one version.
VERSION = __version__
USER_AGENT = f"smsc.messaging/{VERSION} (Ansible)"
# urllib wraps a timeout while connecting and one while sending the request alike; a body this
# small goes into the socket's buffer at once and cannot time out while being sent, so a
# timeout before the answer was awaited happened while connecting (TCP, TLS or a proxy).
_SMALL_BODY = 8 * 1024
_NEVER_CONNECTED_ERRNOS = frozenset(
    {errno.ECONNREFUSED, errno.ENETUNREACH, errno.EHOSTUNREACH, errno.EADDRNOTAVAIL}
)

Opener = Callable[..., Any]
Sleeper = Callable[[float], None]
Warn = Callable[[str], None]


@dataclass(frozen=True)
class Connection:
    """Where and how to reach the service. ``repr`` never shows a credential.

    ``timeout`` bounds one attempt, ``deadline`` (default twice ``timeout``) the whole operation
    across all hosts, not counting the pauses reads spend waiting out a rate limit (at most
    ``rate_limit_wait`` seconds). ``backup_urls``: the service's own backups by default.
    """

    credentials: Credentials
    base_url: str = DEFAULT_BASE_URL
    validate_certs: bool = True
    timeout: float = 30.0
    rate_limit_wait: float = 60.0
    deadline: float | None = None
    backup_urls: tuple[str, ...] | None = None
    policy: Policy = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        policy = Policy.for_service(
            self.base_url,
            backups=self.backup_urls,
            timeout=self.timeout,
            deadline=self.deadline,
            rate_limit_wait=self.rate_limit_wait,
        )
        object.__setattr__(self, "base_url", policy.urls[0])
        object.__setattr__(self, "policy", policy)

    @property
    def urls(self) -> tuple[str, ...]:
        return self.policy.urls

    @property
    def secrets(self) -> tuple[str, ...]:
        return self.credentials.secrets


def _classify(exc: BaseException, body_size: int) -> Failure:
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
        if isinstance(reason, (socket.timeout, TimeoutError)) and body_size <= _SMALL_BODY:
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
    never repeated once they may have arrived.
    """
    content_type, body = encode_body(operation.request, connection.credentials)
    headers = {"Content-Type": content_type, "Accept": "application/json"}

    def post(attempt: Attempt) -> tuple[int, str]:
        try:
            response = opener(
                attempt.url,
                data=body,
                headers=headers,
                method="POST",
                timeout=attempt.timeout,
                validate_certs=connection.validate_certs,
                http_agent=USER_AGENT,
                follow_redirects="safe",
                use_netrc=False,
            )
            raw = response.read()
        except HTTPError as exc:
            # An HTTP status the endpoint does not answer with; its body is no answer.
            raise AttemptFailed(Failure.BAD_STATUS, _describe(exc)) from None
        except Exception as exc:  # noqa: BLE001 - every failure is classified
            raise AttemptFailed(_classify(exc, len(body)), _describe(exc)) from None
        status = getattr(response, "status", None) or getattr(response, "code", None) or 200
        return int(status), raw.decode("utf-8", errors="replace")

    return run(
        operation,
        connection.policy,
        post,
        secrets=connection.secrets,
        note=warn,
        sleep=sleep,
    )
