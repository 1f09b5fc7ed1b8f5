# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""``smsc page``: page people until someone acknowledges, for alert scripts.

Two ways to run a page:

- **in the foreground** (the default): this process runs :class:`pysmsc.paging.PageRunner`
  and follows the page to its end. Replies acknowledge it (get.php is polled every 10 s, which
  works anywhere); key presses in the call cannot reach a process without a public URL, so the
  call asks for a reply instead of offering keys. The page lives as long as the process.
- **handed to a relay** (``--relay URL``): the relay stores the page and runs it, with key
  presses, restarts and resolutions; this process returns once it is stored (``--no-wait``,
  the default there) or follows its progress (``--wait``).

The exit status is the ``smsc send`` one, plus 5 when nobody acknowledged.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import http.client
import json
import signal
import ssl
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from .. import AsyncClient
from ..errors import ApiError, ValidationError
from ..inbox import IncomingPoller
from ..paging import (
    Contact,
    Escalation,
    MemoryPageStore,
    Page,
    PageReport,
    PageRunner,
    PageTexts,
    Phase,
    RunnerStats,
    parse_duration,
)
from . import (
    EXIT_BAD_INPUT,
    EXIT_INTERRUPTED,
    EXIT_MAYBE_SENT,
    EXIT_NOBODY_ACKNOWLEDGED,
    EXIT_NOT_SENT,
    EXIT_OK,
    EXIT_REFUSED,
)
from ._commands import read_text
from ._parser import account

if TYPE_CHECKING:
    from ..protocol import Operation
    from . import _Command

__all__ = ["run_page"]

RELAY_URL_ENV = "SMSC_RELAY_URL"
RELAY_TOKEN_ENV = "SMSC_RELAY_TOKEN"  # noqa: S105 - the name of a variable
RELAY_CONFIG_ENV = "SMSC_RELAY_CONFIG"
REPLY_POLL = 10.0  # seconds between get.php polls in the foreground
RELAY_POLL = 2.0  # seconds between looks at a page the relay runs
RELAY_PATIENCE = 60.0  # seconds the relay may be unreachable while --wait follows a page
DRAIN = 10.0
# Without a handler URL a key press reaches nobody: the call asks for a reply instead.
FOREGROUND_TEXTS = PageTexts(
    call_menu="{text}. To acknowledge, reply {code} to the text message. "
    "Press hash to hear this again."
)
_ENDED_WELL = (Phase.ACKNOWLEDGED, Phase.DELIVERED, Phase.RESOLVED)


@dataclass(frozen=True)
class _Request:
    key: str
    names: list[str]
    text: str
    deliver_within: float | None
    ack_within: float | None
    call: bool


def _names(args: argparse.Namespace) -> list[str]:
    return [name.strip() for item in args.to or [] for name in item.split(",") if name.strip()]


def _key(names: Sequence[str], text: str) -> str:
    """The same alert to the same people is the same page."""
    digest = hashlib.sha256("\n".join([*names, text]).encode("utf-8")).hexdigest()
    return f"page-{digest[:20]}"


def _request(args: argparse.Namespace) -> _Request:
    names = _names(args)
    if not names:
        raise ValidationError("--to", "name at least one contact or phone number")
    text = read_text(args)
    if text is None or not text.strip():
        raise ValidationError("--text", "the alert is required (--text or --text-file)")
    ack = None
    if args.ack_within.strip().lower() != "none":
        ack = parse_duration(args.ack_within, "--ack-within")
    key = args.key if args.key is not None else _key(names, text)
    if not key.strip() or len(key) > 400:
        raise ValidationError("--key", "must be 1-400 characters")
    return _Request(
        key=key,
        names=names,
        text=text,
        deliver_within=parse_duration(args.call_after, "--call-after"),
        ack_within=ack,
        call=not args.no_call,
    )


def run_page(command: _Command, args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    """Run ``smsc page``; returns the exit status. Bad input raises ValidationError."""
    relay = args.relay or environ.get(RELAY_URL_ENV) or None
    if args.resolve:
        if relay is None:
            raise ValidationError("--resolve", f"needs --relay (or {RELAY_URL_ENV})")
        if args.key is None:
            raise ValidationError("--key", "is required with --resolve")
        body = {"key": args.key, "status": "resolved"}
        return _Relay(command, relay, environ).hand_over(args.key, body, wait=False)
    request = _request(args)
    wait = args.wait if args.wait is not None else relay is None
    if relay is not None:
        if args.sender is not None:
            raise ValidationError("--sender", "is the relay's own with --relay (its routes)")
        body = {
            "key": request.key,
            "status": "firing",
            "summary": request.text,
            "to": request.names,
            "escalation": {
                "deliver_within": request.deliver_within,
                "ack_within": request.ack_within,
                "call": request.call,
            },
        }
        return _Relay(command, relay, environ).hand_over(request.key, body, wait=wait)
    if not wait:
        raise ValidationError(
            "--no-wait", "needs --relay: without one, nobody follows the page once this ends"
        )
    return _Foreground(command, args, environ).run(request)


# --- in the foreground -------------------------------------------------------------------------


class _WatchedClient(AsyncClient):
    """The async client, noting why sends failed (for the exit status when nothing went out)."""

    refused = 0

    async def execute(self, operation: Operation[Any]) -> Any:
        try:
            return await super().execute(operation)
        except ApiError:
            if operation.request.sends_message:
                self.refused += 1
            raise


def _contacts(
    names: Sequence[str], args: argparse.Namespace, environ: Mapping[str, str]
) -> list[Contact]:
    from ..relay import ConfigError, contacts_of, load_contacts  # noqa: PLC0415

    known: dict[str, Contact] = {}
    if any(name[:1] not in "+0123456789" for name in names):
        path = args.config or environ.get(RELAY_CONFIG_ENV)
        if not path:
            raise ValidationError(
                "--to", f"names need the relay's configuration: --config (or {RELAY_CONFIG_ENV})"
            )
        try:
            known = load_contacts(path)
        except ConfigError as exc:
            raise ValidationError("--config", str(exc)) from None
    return contacts_of(names, known)


class _Foreground:
    def __init__(
        self, command: _Command, args: argparse.Namespace, environ: Mapping[str, str]
    ) -> None:
        self.command = command
        self.args = args
        self.environ = environ

    def run(self, request: _Request) -> int:
        args = self.args
        credentials, base_url = account(args, self.environ)
        self.command.secrets = credentials.secrets
        chain = _contacts(request.names, args, self.environ)
        escalation = Escalation(
            deliver_within=request.deliver_within,
            ack_within=request.ack_within,
            call=request.call,
            sender=args.sender,
            texts=FOREGROUND_TEXTS,
        )
        try:
            page = Page(request.key, request.text, chain, escalation)
        except ValidationError as exc:
            raise ValidationError(f"--{exc.field}", exc.rule) from None
        client = _WatchedClient(
            credentials.login,
            credentials.password,
            api_key=credentials.api_key,
            base_url=base_url,
            timeout=args.timeout,
        )
        try:
            final, stats = asyncio.run(self._follow(client, page))
        except (KeyboardInterrupt, asyncio.CancelledError):
            self.command.note(
                "interrupted: the page was not followed to its end "
                "(its messages may have been sent)"
            )
            return EXIT_INTERRUPTED
        return self._finish(final, stats, client.refused)

    async def _follow(self, client: AsyncClient, page: Page) -> tuple[PageReport, RunnerStats]:
        store = MemoryPageStore()
        poller = IncomingPoller(client, store.cursor("incoming"), interval=REPLY_POLL)
        runner = PageRunner(client, store, incoming=poller)
        task = asyncio.current_task()
        loop = asyncio.get_running_loop()
        if task is not None:
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(signal.SIGTERM, task.cancel)
        try:
            await runner.start()
            opened = await runner.page(page)
            first = page.contacts[0].name
            self.command.note(
                f"page {opened.code}: paging {first} (reply {opened.code} to acknowledge)"
            )
            final = await runner.wait(page.key)
        finally:
            await runner.close(drain=DRAIN)
            await client.close()
        return final, runner.stats

    def _finish(self, final: PageReport, stats: RunnerStats, refused: int) -> int:
        went_out = stats.messages_sent + stats.calls_sent + stats.send_uncertain
        if final.phase in _ENDED_WELL:
            code, sent = EXIT_OK, True
        elif went_out:
            code, sent = EXIT_NOBODY_ACKNOWLEDGED, stats.messages_sent + stats.calls_sent > 0
        else:
            code, sent = (EXIT_REFUSED if refused else EXIT_NOT_SENT), False
        return _show(self.command, final, code, sent)


# --- handed to a relay -------------------------------------------------------------------------


class _RelayUnreached(Exception):
    """The connection to the relay was never made: nothing was handed over."""


class _RelayLost(Exception):
    """The request went out and its answer was lost."""


class _Relay:
    def __init__(self, command: _Command, url: str, environ: Mapping[str, str]) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValidationError("--relay", "must be the relay's http(s) address")
        token = environ.get(RELAY_TOKEN_ENV)
        if not token:
            raise ValidationError(RELAY_TOKEN_ENV, "is required with --relay (the relay's token)")
        self.command = command
        self.command.secrets = (*command.secrets, token)
        self.parts = parts
        self.token = token
        self.timeout = float(command.args.timeout) if command.args is not None else 30.0

    def _call(self, method: str, path: str, body: bytes | None = None) -> tuple[int, Any]:
        parts = self.parts
        port = parts.port
        if parts.scheme == "https":
            connection: http.client.HTTPConnection = http.client.HTTPSConnection(
                parts.hostname or "",
                port,
                timeout=self.timeout,
                context=ssl.create_default_context(),
            )
        else:
            connection = http.client.HTTPConnection(
                parts.hostname or "", port, timeout=self.timeout
            )
        try:
            try:
                connection.connect()
            except OSError as exc:
                raise _RelayUnreached(str(exc)) from None
            headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
            if body is not None:
                headers["Content-Type"] = "application/json"
            try:
                connection.request(method, parts.path.rstrip("/") + path, body, headers)
                response = connection.getresponse()
                data = response.read()
            except (OSError, http.client.HTTPException) as exc:
                raise _RelayLost(str(exc) or type(exc).__name__) from None
        finally:
            connection.close()
        try:
            return response.status, json.loads(data)
        except ValueError:
            return response.status, {"error": data[:200].decode("utf-8", "replace")}

    def hand_over(self, key: str, body: dict[str, Any], *, wait: bool) -> int:
        payload = json.dumps(body).encode("utf-8")
        try:
            status, data = self._call("POST", "/alerts", payload)
        except _RelayUnreached as exc:
            self.command.note(f"the relay was not reached ({exc}): nothing was handed over")
            return EXIT_NOT_SENT
        except _RelayLost as exc:
            self.command.note(
                f"the relay's answer was lost ({exc}): the page may have been handed over "
                "(the relay pages one key once: the same command again is safe)"
            )
            return EXIT_MAYBE_SENT
        if status != 200:
            return self._refused(status, data)
        page = data.get("page")
        if body["status"] == "resolved":
            print(self.command.clean(f"resolved: {key} ({data.get('action', '')})"))
            return EXIT_OK
        if not wait or not isinstance(page, dict):
            code = page.get("code", "") if isinstance(page, dict) else ""
            print(self.command.clean(f"handed to the relay: page {code} ({data.get('action')})"))
            return EXIT_OK
        return self._follow(key, page)

    def _refused(self, status: int, data: Any) -> int:
        reason = data.get("error", "") if isinstance(data, dict) else ""
        if status == 503:
            self.command.note(f"the relay could not store it ({reason}): nothing was handed over")
            return EXIT_NOT_SENT
        if status in (400, 401, 404, 405, 413):
            meaning = "the relay refused the token" if status == 401 else "the relay refused it"
            self.command.note(f"{meaning}: HTTP {status} {reason} (nothing was handed over)")
            return EXIT_BAD_INPUT
        self.command.note(f"the relay answered HTTP {status} {reason}: it may have the page")
        return EXIT_MAYBE_SENT

    def _follow(self, key: str, page: dict[str, Any]) -> int:
        self.command.note(f"page {page.get('code')}: the relay is paging")
        trouble_since: float | None = None
        path = "/alerts?key=" + quote(key, safe="")
        try:
            while page.get("phase") == Phase.ESCALATING:
                time.sleep(RELAY_POLL)
                try:
                    status, data = self._call("GET", path)
                except (_RelayUnreached, _RelayLost) as exc:
                    trouble_since = trouble_since or time.monotonic()
                    if time.monotonic() - trouble_since > RELAY_PATIENCE:
                        self.command.note(f"lost the relay ({exc}); it still runs the page")
                        return EXIT_MAYBE_SENT
                    continue
                trouble_since = None
                if status == 200 and isinstance(data.get("page"), dict):
                    page = data["page"]
                elif status == 404:  # resolved and forgotten meanwhile
                    page = {**page, "phase": Phase.RESOLVED, "reason": "resolved"}
        except KeyboardInterrupt:
            self.command.note("interrupted: the relay still runs the page")
            return EXIT_INTERRUPTED
        ended_well = page.get("phase") in _ENDED_WELL
        code = EXIT_OK if ended_well else EXIT_NOBODY_ACKNOWLEDGED
        return _show_dict(self.command, page, code, True)


# --- output ------------------------------------------------------------------------------------


def _summary(page: Mapping[str, Any]) -> str:
    reached = ", ".join(page.get("reached") or ()) or "nobody"
    return (
        f"{page.get('reason')}: page {page.get('code')}, reached {reached}, "
        f"{page.get('messages')} messages, {page.get('calls')} calls, cost {page.get('cost')}"
    )


def _show_dict(command: _Command, page: Mapping[str, Any], code: int, sent: bool | str) -> int:
    if code == EXIT_NOBODY_ACKNOWLEDGED:
        print(f"smsc: nobody acknowledged page {page.get('code')}", file=sys.stderr)
    elif code in (EXIT_REFUSED, EXIT_NOT_SENT):
        meaning = (
            "refused by the service" if code == EXIT_REFUSED else "the service was not reached"
        )
        print(f"smsc: {meaning}: nothing was sent", file=sys.stderr)
    if command.json:
        out = {"page": dict(page), "exit_status": code, "sent": sent}
        print(command.clean(json.dumps(out, ensure_ascii=False, indent=2)))
    else:
        print(command.line(_summary(page)))
    return code


def _show(command: _Command, report: PageReport, code: int, sent: bool) -> int:
    return _show_dict(command, report.as_dict(), code, sent)
