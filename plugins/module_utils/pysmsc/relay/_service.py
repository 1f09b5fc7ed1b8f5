# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""``smsc relay``: the service's life — configuration, the page runner, the HTTP side, and a
shutdown that drains within a bound.

Start: the configuration is checked whole (nothing starts when it is wrong); the runner
resumes every stored page; then the relay listens and prints one ready line. Stop (SIGTERM or
SIGINT): it stops accepting connections, lets the requests under way finish (``drain``
seconds), lets the sends under way finish (``drain`` seconds more: any still running are
verified at the next start, never sent twice), and closes the state file. A kill -9 at any
point loses nothing: a webhook is answered 2xx only once its page is stored.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import sys
import time
from collections.abc import Sequence
from typing import Any, Callable

from .. import AsyncClient
from ..inbox import IncomingPoller
from ..paging import PageReport, PageRunner, Phase, SqlitePageStore
from ..redact import redact
from ._config import ConfigError, RelayConfig, load_config
from ._dispatch import Dispatcher
from ._metrics import HttpCounts
from ._store import RelayStore

__all__ = ["Relay", "main", "serve"]

_LOG = logging.getLogger("pysmsc.relay")
EXIT_OK = 0
EXIT_FAILED = 1
EXIT_CONFIG = 2
MISSING = (
    "smsc relay: the relay needs aiohttp and PyYAML: pip install 'pysmsc[relay]' "
    "(nothing was started)"
)


class _Redacting(logging.Filter):
    """Masks the configuration's secrets in every record, in any encoding."""

    def __init__(self, secrets: Sequence[str]) -> None:
        super().__init__()
        self._secrets = tuple(secrets)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info:
            message += "\n" + logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
            record.exc_text = None
        record.msg, record.args = redact(message, self._secrets), None
        return True


def _log_report(report: PageReport) -> None:
    if report.phase == Phase.ESCALATING:
        return
    _LOG.info(
        "page %s (%s): %s; reached %s, %d messages, %d calls, cost %s",
        report.code,
        report.key,
        report.reason,
        ", ".join(report.reached) or "nobody",
        report.messages,
        report.calls,
        report.cost,
    )


class Relay:
    """A running relay (what ``smsc relay`` serves). ``client`` is for tests; by default an
    :class:`~pysmsc.AsyncClient` of the configuration's account."""

    def __init__(self, config: RelayConfig, *, client: AsyncClient | None = None) -> None:
        self.config = config
        self._own_client = client is None
        self.client = client or AsyncClient(
            config.login,
            config.password,
            api_key=config.api_key,
            base_url=config.base_url,
            timeout=config.timeout,
        )
        pages = SqlitePageStore(config.state)
        incoming = (
            IncomingPoller(self.client, pages.cursor("incoming"), interval=config.poll_interval)
            if config.poll_replies
            else None
        )
        self.runner = PageRunner(
            self.client,
            pages,
            status_interval=config.status_interval,
            incoming=incoming,
            hourly_cost_cap=config.hourly_cost_cap,
            on_report=_log_report,
        )
        self.store = RelayStore(config.state)
        self.dispatcher = Dispatcher(self.runner, config, self.store)
        self.http = HttpCounts()
        self.started_at = time.time()
        self._site_runner: Any = None
        self.url = ""

    async def start(self) -> None:
        """Resume the stored pages, then listen."""
        from aiohttp import web  # noqa: PLC0415 - the relay's extra

        from ._http import make_app  # noqa: PLC0415

        config = self.config
        config.state.parent.mkdir(parents=True, exist_ok=True)
        await self.store.open(time.time())
        await self.runner.start()
        self.dispatcher.start()
        self._site_runner = web.AppRunner(
            make_app(self),
            access_log=None,  # the middleware logs, without the callback's token
            shutdown_timeout=config.drain,
            handle_signals=False,
        )
        await self._site_runner.setup()
        site = web.TCPSite(self._site_runner, config.host, config.port)
        await site.start()
        server = getattr(site, "_server", None)
        port = config.port
        if server is not None and server.sockets:
            port = server.sockets[0].getsockname()[1]
        host = f"[{config.host}]" if ":" in config.host else config.host
        self.url = f"http://{host}:{port}"

    async def stop(self) -> None:
        """Stop listening, let requests and sends under way finish (each within ``drain``),
        close the state file."""
        started = time.monotonic()
        if self._site_runner is not None:
            await self._site_runner.cleanup()
        await self.runner.close(drain=self.config.drain)
        await self.store.close()
        if self._own_client:
            await self.client.close()
        _LOG.info("stopped in %.1f s", time.monotonic() - started)


async def serve(
    config: RelayConfig,
    *,
    ready: Callable[[str], None] | None = None,
    stop: asyncio.Event | None = None,
) -> None:
    """Run the relay until SIGTERM or SIGINT (or ``stop`` is set)."""
    stopping = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):  # not the main thread
            loop.add_signal_handler(signum, stopping.set)
    relay = Relay(config)
    try:
        await relay.start()
        callbacks = "/smsc/***" if config.callback_token else "off (no callback_token)"
        pages = len(relay.runner.reports())
        (ready or _print)(f"smsc relay ready: {relay.url} (pages: {pages}, callbacks: {callbacks})")
        await stopping.wait()
        _LOG.info("stopping: draining for up to %g s", 2 * config.drain)
    finally:
        await relay.stop()


def _print(line: str) -> None:
    print(line, flush=True)


def _arguments(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="smsc relay",
        description="Turn Alertmanager, Grafana and other webhooks into pages (docs/relay.md).",
    )
    parser.add_argument("--config", required=True, metavar="FILE", help="the relay.yaml")
    parser.add_argument(
        "--check", action="store_true", help="check the configuration and exit (0: it is valid)"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str]) -> int:
    """``smsc relay``; returns the exit status: 0 stopped cleanly (or --check passed), 1 it
    failed while running, 2 the configuration or the installation is wrong."""
    try:
        import aiohttp  # noqa: F401, PLC0415
        import yaml  # noqa: F401, PLC0415
    except ImportError:
        print(MISSING, file=sys.stderr)
        return EXIT_CONFIG
    arguments = _arguments(argv)
    try:
        config = load_config(arguments.config)
    except ConfigError as exc:
        print(f"smsc relay: {exc} (nothing was started)", file=sys.stderr)
        return EXIT_CONFIG
    if arguments.check:
        print(f"smsc relay: {arguments.config}: valid ({len(config.routes)} routes, "
              f"{len(config.contacts)} contacts)")  # fmt: skip
        return EXIT_OK
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    handler.addFilter(_Redacting(config.secrets))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(config.log_level.upper())
    logging.getLogger("aiohttp.access").disabled = True
    logging.getLogger("httpx").setLevel(logging.WARNING)  # a line per request otherwise
    try:
        asyncio.run(serve(config))
    except OSError as exc:
        _LOG.error("cannot serve on %s:%d: %s", config.host, config.port, exc.strerror or exc)
        return EXIT_FAILED
    except Exception as exc:
        if os.environ.get("SMSC_DEBUG"):
            raise
        # One line, never a traceback: the state file, most likely (SMSC_DEBUG=1 shows more).
        _LOG.error("the relay stopped: %s: %s", type(exc).__name__, exc)
        return EXIT_FAILED
    return EXIT_OK
