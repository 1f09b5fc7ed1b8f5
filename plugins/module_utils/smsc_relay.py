# Copyright (c) 2026, smsc-integrations contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Hand a page to a running ``smsc relay`` (docs/relay.md): ``POST /alerts`` with its bearer
token, over Ansible's own ``open_url``.

A relay runs a page to its end - key presses in the call (the service calls the relay), restarts,
resolutions, escalations longer than a play should wait - which a module or a callback cannot.
The relay keeps one page per open ``key``, so handing the same alert over twice pages nobody
twice (the answer's ``action`` is then ``deduplicated``).

A hand-over ends in one of the three outcomes of a send: ``sent`` (the relay answered with what
it did), ``not_sent`` (never connected, or refused: 4xx, 503) or ``may_have_been_sent`` (the
request went out and no readable answer came back). It is never repeated here.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Callable
from urllib.error import HTTPError

from ansible.module_utils.urls import open_url

from .pysmsc.errors import ValidationError
from .pysmsc.redact import redact, secret_forms
from .pysmsc.transport import Failure, check_base_url
from .smsc_transport import USER_AGENT, classify, describe

__all__ = [
    "CHANGING_ACTIONS",
    "MAY_HAVE_BEEN_SENT",
    "NOT_SENT",
    "SENT",
    "Relay",
    "RelayError",
    "hand_over",
]

SENT = "sent"
NOT_SENT = "not_sent"
MAY_HAVE_BEEN_SENT = "may_have_been_sent"
# What the relay answers it did; these send messages (the others page nobody).
CHANGING_ACTIONS = frozenset({"opened", "folded", "resolved"})
ACTIONS = CHANGING_ACTIONS | {"deduplicated", "stale", "ignored"}
_TOKEN = re.compile(r"[\x21-\x7e]+")  # printable ASCII without spaces: a header value as is

Opener = Callable[..., Any]


class RelayError(Exception):
    """The hand-over failed: ``outcome`` says whether the relay may have the page all the same;
    ``status`` is the relay's HTTP status when it answered one."""

    def __init__(self, message: str, *, outcome: str, status: int | None = None) -> None:
        super().__init__(message)
        self.outcome = outcome
        self.status = status


@dataclass(frozen=True)
class Relay:
    """Where the relay listens (``https://relay.example.com``, its ``/alerts`` is added) and
    its bearer token. ``repr`` never shows the token."""

    url: str
    token: str
    validate_certs: bool = True
    timeout: float = 30.0

    def __post_init__(self) -> None:
        try:
            url = check_base_url(self.url)
        except ValidationError as exc:
            rule = exc.rule.replace("https://smsc.ru", "https://relay.example.com")
            raise ValidationError("relay_url", rule) from None
        object.__setattr__(self, "url", url)
        if not isinstance(self.token, str) or not _TOKEN.fullmatch(self.token):
            raise ValidationError(
                "relay_token", "is required with relay_url: the relay's token, without spaces"
            )

    def __repr__(self) -> str:
        return f"Relay(url={self.url!r})"

    @property
    def secrets(self) -> tuple[str, ...]:
        return tuple(secret_forms(self.token))


def _answer(raw: bytes) -> Any:
    try:
        return json.loads(raw.decode("utf-8"))
    except ValueError:
        return None


def _refusal(exc: HTTPError, relay: Relay) -> RelayError:
    """A relay's error answer: 4xx refused the alert, 503 could not store it (try again);
    another 5xx (a proxy's 502 or 504) may come after the relay took it."""
    try:
        data = _answer(exc.read() or b"")
    except Exception:  # noqa: BLE001 - an unreadable error body says nothing more
        data = None
    reason = data.get("error") if isinstance(data, dict) else None
    detail = f"HTTP {exc.code}" + (f": {reason}" if isinstance(reason, str) and reason else "")
    if exc.code == 401:
        detail += " (the relay refused relay_token)"
    refused = exc.code < 500 or exc.code == 503
    return RelayError(
        redact(f"the relay did not take the page: {detail}", relay.secrets),
        outcome=NOT_SENT if refused else MAY_HAVE_BEEN_SENT,
        status=exc.code,
    )


def hand_over(relay: Relay, alert: dict[str, Any], *, opener: Opener = open_url) -> dict[str, Any]:
    """POST ``alert`` (``{"key", "status", "summary", "labels", "to", "escalation"}``) to the
    relay's ``/alerts``; its answer ``{"action", "key", "page"}``. Raises :class:`RelayError`."""
    body = json.dumps(alert, ensure_ascii=False).encode("utf-8")
    headers = {
        "Authorization": f"Bearer {relay.token}",
        "Content-Type": "application/json",
        "Accept": "application/json",
    }
    try:
        response = opener(
            relay.url + "/alerts",
            data=body,
            headers=headers,
            method="POST",
            timeout=relay.timeout,
            validate_certs=relay.validate_certs,
            http_agent=USER_AGENT,
            follow_redirects="none",  # the token goes to this address only
            use_netrc=False,
        )
        raw = response.read()
    except HTTPError as exc:
        raise _refusal(exc, relay) from None
    except Exception as exc:  # noqa: BLE001 - every failure is classified
        never = classify(exc, len(body)) == Failure.NOT_CONNECTED
        message = redact(f"could not reach the relay: {describe(exc)}", relay.secrets)
        raise RelayError(message, outcome=NOT_SENT if never else MAY_HAVE_BEEN_SENT) from None
    answer = _answer(raw)
    if not isinstance(answer, dict) or answer.get("action") not in ACTIONS:
        raise RelayError(
            "the relay's answer is not the one of POST /alerts; the page may have been handed "
            "over all the same",
            outcome=MAY_HAVE_BEEN_SENT,
        )
    return answer
