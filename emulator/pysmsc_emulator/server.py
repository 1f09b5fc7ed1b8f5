# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Running the emulator: :class:`Emulator` (async context manager on the caller's loop),
:class:`EmulatorThread` (its own loop in a background thread, for synchronous code), and
:func:`serve`/:func:`run` for the ``smsc emulator`` command. The HTTP API and the SMPP server
(either, or both) run over one :class:`~.state.EmulatorState`."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import ssl
import sys
import threading
from collections.abc import Coroutine
from dataclasses import dataclass, field
from decimal import Decimal
from types import TracebackType
from typing import TYPE_CHECKING, Any, Callable, TypeVar

from .accounts import DEFAULT_PRICES, AccountConfig
from .app import EmulatorApp
from .callbacks import CallbackSender
from .clock import Clock
from .control import ControlApp
from .faults import FaultInjector
from .http_api import ServiceApp
from .rules import ConcurrencyGuard
from .smpp.side import SmppSide
from .state import EmulatorState, Settings
from .wire import MAX_BODY, HttpAnswer, HttpRequest

try:
    from aiohttp import web
except ImportError:  # the Ansible side imports the package without aiohttp
    web = None  # type: ignore[assignment]

if TYPE_CHECKING:
    from .smpp.server import SmppServer

__all__ = [
    "AIOHTTP_MISSING",
    "Emulator",
    "EmulatorConfig",
    "EmulatorThread",
    "config_from_options",
    "ready_line",
    "run",
    "serve",
]

T = TypeVar("T")
logger = logging.getLogger(__name__)
AIOHTTP_MISSING = "the emulator needs aiohttp: pip install aiohttp"


def require_aiohttp() -> None:
    if web is None:
        raise RuntimeError(AIOHTTP_MISSING)


def aiohttp_app(app: EmulatorApp) -> web.Application:
    """``app`` served by aiohttp: every path goes to :meth:`EmulatorApp.handle`, and an answer
    is written before the handler returns (so a request counts as in flight until then)."""
    require_aiohttp()

    async def handle(request: web.Request) -> web.StreamResponse:
        written: list[web.StreamResponse] = []

        async def respond(answer: HttpAnswer) -> None:
            if answer.drop:
                if request.transport is not None:
                    request.transport.abort()
                written.append(web.Response(status=200))
                return
            response = web.Response(
                status=answer.status,
                body=answer.body,
                headers={"Content-Type": answer.content_type},
            )
            await response.prepare(request)
            await response.write_eof()
            written.append(response)

        http = HttpRequest(
            request.method,
            request.rel_url.path,
            request.rel_url.raw_query_string,
            request.headers.get("Content-Type", ""),
            request.read,
        )
        await app.handle(http, respond)
        return written[0] if written else web.Response(status=500)

    application = web.Application(client_max_size=MAX_BODY)
    application.router.add_route("*", "/{path:.*}", handle)
    return application


def _prices() -> dict[str, Decimal]:
    return dict(DEFAULT_PRICES)


@dataclass
class EmulatorConfig:
    """Where the emulator listens and how its account starts.

    ``http_port`` and ``smpp_port``: 0 picks a free port, None runs no such listener (by
    default HTTP on a free port and no SMPP). ``smpp_idle_timeout`` is the seconds an SMPP
    connection may stay silent before it is closed, ``smpp_throughput`` the submit_sm a second
    per login before ESME_RTHROTTLED (None or 0: no limit); with ``smpp_ssl_context`` the SMPP
    listener speaks TLS. ``status_delays`` are the seconds from sending to "passed to
    operator" and from there to "delivered"; ``latency`` the seconds every HTTP request takes;
    ``tick`` how often due status changes are applied.
    """

    host: str = "127.0.0.1"
    http_port: int | None = 0
    smpp_port: int | None = None
    login: str = "demo"
    password: str = field(default="demo", repr=False)
    api_key: str = field(default="demo-api-key", repr=False)
    balance: Decimal = Decimal("1000.00")
    currency: str = "RUB"
    credit: Decimal | None = None
    prices: dict[str, Decimal] = field(default_factory=_prices)
    default_sender: str = "SMSC"
    status_delays: tuple[float, float] = (1.0, 2.0)
    latency: float = 0.0
    tick: float = 0.05
    shutdown_timeout: float = 1.0
    smpp_idle_timeout: float = 120.0
    smpp_throughput: float | None = 30.0
    smpp_ssl_context: ssl.SSLContext | None = field(default=None, repr=False, compare=False)

    def account(self) -> AccountConfig:
        return AccountConfig(
            login=self.login,
            password=self.password,
            api_key=self.api_key,
            balance=Decimal(self.balance),
            currency=self.currency,
            credit=self.credit,
            prices=dict(self.prices),
            default_sender=self.default_sender,
        )


DEFAULT_HTTP_PORT = 8000


def tls_context(cert_file: str, key_file: str) -> ssl.SSLContext:
    """A server TLS context from PEM files; ValueError when they cannot be loaded."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    try:
        context.load_cert_chain(cert_file, key_file)
    except (OSError, ssl.SSLError) as error:
        raise ValueError(f"cannot load the TLS certificate and key: {error}") from None
    return context


def config_from_options(
    *,
    host: str = "127.0.0.1",
    http_port: int | None = None,
    smpp_port: int | None = None,
    login: str = "demo",
    password: str = "demo",  # noqa: S107 - the emulator's documented demo account
    api_key: str = "demo-api-key",
    balance: Any = "1000.00",
    smpp_tls_cert: str | None = None,
    smpp_tls_key: str | None = None,
) -> EmulatorConfig:
    """The configuration the ``smsc emulator`` options describe (``--host``, ``--http-port``,
    ``--smpp-port``, ``--smpp-tls-cert``, ``--smpp-tls-key``, ``--login``, ``--password``,
    ``--apikey``, ``--balance``). Without ``--http-port``, HTTP runs on 8000 unless
    ``--smpp-port`` is given (then SMPP runs alone); 0 picks a free port. Raises ValueError
    for a bad port, balance or certificate."""
    if http_port is None and smpp_port is None:
        http_port = DEFAULT_HTTP_PORT
    for name, port in (("http_port", http_port), ("smpp_port", smpp_port)):
        if port is not None and not 0 <= int(port) <= 65535:
            raise ValueError(f"{name} must be 0 to 65535")
    try:
        money = Decimal(str(balance))
    except ArithmeticError:
        raise ValueError(f"balance must be a number, not {balance!r}") from None
    if not money.is_finite():
        raise ValueError("balance must be a finite number")
    if (smpp_tls_cert is None) != (smpp_tls_key is None):
        raise ValueError("--smpp-tls-cert and --smpp-tls-key go together")
    if smpp_tls_cert is not None and smpp_port is None:
        raise ValueError("--smpp-tls-cert needs --smpp-port")
    context = None
    if smpp_tls_cert is not None and smpp_tls_key is not None:
        context = tls_context(smpp_tls_cert, smpp_tls_key)
    return EmulatorConfig(
        host=host,
        http_port=None if http_port is None else int(http_port),
        smpp_port=None if smpp_port is None else int(smpp_port),
        login=login,
        password=password,
        api_key=api_key,
        balance=money,
        smpp_ssl_context=context,
    )


class Emulator:
    """The emulator on the running event loop: ``async with Emulator(config) as emu:``.

    ``http_url`` is where the service paths answer (``{http_url}/sys/send.php``) and the
    control endpoints live (``{http_url}/_emulator/...``); ``smpp_port`` is where the SMPP
    server listens (on ``config.host``); ``state`` is the shared :class:`EmulatorState` (use it
    from this loop only).
    """

    def __init__(self, config: EmulatorConfig | None = None) -> None:
        self.config = config or EmulatorConfig()
        self.clock = Clock()
        self.state = EmulatorState(
            [self.config.account()],
            clock=self.clock,
            settings=Settings(status_delays=self.config.status_delays, latency=self.config.latency),
        )
        self.faults = FaultInjector()
        self.concurrency = ConcurrencyGuard()
        self.callbacks = CallbackSender(self.state)
        self.smpp: SmppSide | None = None
        if self.config.smpp_port is not None:
            self.smpp = SmppSide(
                self.state,
                host=self.config.host,
                port=self.config.smpp_port,
                ssl_context=self.config.smpp_ssl_context,
                idle_timeout=self.config.smpp_idle_timeout,
                throughput=self.config.smpp_throughput,
            )
        self._app: EmulatorApp | None = None
        self._runner: Any = None
        self._ticker: asyncio.Task[None] | None = None
        self._port: int | None = None

    @property
    def http_port(self) -> int:
        if self._port is None:
            if self.running:
                raise RuntimeError("the emulator runs no HTTP listener")
            raise RuntimeError("the emulator is not running")
        return self._port

    @property
    def smpp_port(self) -> int | None:
        """The port the SMPP server listens on (None when it does not run)."""
        if self.smpp is None or not self.smpp.running:
            return None
        return self.smpp.port

    @property
    def smpp_server(self) -> SmppServer | None:
        """The running :class:`~pysmsc.smpp.server.SmppServer` (None without SMPP)."""
        if self.smpp is None or not self.smpp.running:
            return None
        return self.smpp.server

    @property
    def http_url(self) -> str:
        host = self.config.host
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.http_port}"

    @property
    def running(self) -> bool:
        return self._ticker is not None

    def app(self) -> EmulatorApp:
        """Every HTTP path over this emulator's state, independent of any server."""
        if self._app is None:
            self._app = EmulatorApp(
                ServiceApp(self.state, self.faults, self.concurrency),
                ControlApp(self.state, self.faults, self.concurrency, self.smpp, self.callbacks),
            )
        return self._app

    def make_app(self) -> web.Application:
        """The aiohttp application serving :meth:`app`."""
        return aiohttp_app(self.app())

    async def start(self) -> None:
        config = self.config
        if config.http_port is None and config.smpp_port is None:
            raise ValueError("the emulator needs an HTTP or an SMPP port")
        if config.http_port is not None:
            require_aiohttp()
        if self.running:
            raise RuntimeError("the emulator is already running")
        try:
            if config.http_port is not None:
                await self._start_http(config.http_port)
            if self.smpp is not None:
                await self.smpp.start()
        except BaseException:
            await self.stop()
            raise
        self.callbacks.start()
        self._ticker = asyncio.get_running_loop().create_task(self._tick())

    async def _start_http(self, port: int) -> None:
        runner = web.AppRunner(
            self.make_app(),
            access_log=None,  # the request line holds passwords
            handle_signals=False,
            shutdown_timeout=self.config.shutdown_timeout,
        )
        await runner.setup()
        try:
            site = web.TCPSite(runner, self.config.host, port)
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        self._port = int(runner.addresses[0][1])

    async def stop(self) -> None:
        ticker, self._ticker = self._ticker, None
        if ticker is not None:
            ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await ticker
        await self.callbacks.stop()
        if self.smpp is not None:
            await self.smpp.stop()
        runner, self._runner = self._runner, None
        self._port = None
        if runner is not None:
            await runner.cleanup()

    async def _tick(self) -> None:
        """Apply due status changes every ``config.tick`` seconds, whatever happens."""
        while True:
            try:
                self.state.apply_due()
                self.callbacks.tick()
            except Exception:
                logger.exception("applying due status changes failed")
            await asyncio.sleep(self.config.tick)

    async def __aenter__(self) -> Emulator:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()


class EmulatorThread:
    """The emulator on its own event loop in a background thread: ``with EmulatorThread()
    as emu:`` for synchronous tests, Ansible tests and scripts. Use :meth:`call` to touch
    ``state`` from another thread."""

    def __init__(self, config: EmulatorConfig | None = None) -> None:
        self.emulator = Emulator(config)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None

    @property
    def http_url(self) -> str:
        return self.emulator.http_url

    @property
    def smpp_port(self) -> int | None:
        return self.emulator.smpp_port

    @property
    def state(self) -> EmulatorState:
        return self.emulator.state

    @property
    def config(self) -> EmulatorConfig:
        return self.emulator.config

    def start(self, timeout: float = 10.0) -> None:
        if self.config.http_port is not None:
            require_aiohttp()
        if self._thread is not None:
            raise RuntimeError("the emulator thread is already running")
        self._ready.clear()
        self._thread = threading.Thread(target=self._main, name="smsc-emulator", daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout):
            raise RuntimeError("the emulator did not start in time")
        if self._error is not None:
            self._thread.join()
            self._thread = None
            raise self._error

    def _main(self) -> None:
        self._error = None
        loop = asyncio.new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)
        try:
            try:
                loop.run_until_complete(self.emulator.start())
            except Exception as error:  # noqa: BLE001 - start() raises it in the caller
                self._error = error
                return
            finally:
                self._ready.set()
            loop.run_forever()
            loop.run_until_complete(self.emulator.stop())
            loop.run_until_complete(loop.shutdown_asyncgens())
        finally:
            asyncio.set_event_loop(None)
            loop.close()
            self._loop = None

    def call(self, func: Callable[[], T], timeout: float = 10.0) -> T:
        """Run ``func`` on the emulator's loop (where the state lives) and return its result."""
        loop = self._loop
        if loop is None:
            raise RuntimeError("the emulator thread is not running")

        async def run() -> T:
            return func()

        return asyncio.run_coroutine_threadsafe(run(), loop).result(timeout)

    def run_coroutine(self, coro: Coroutine[Any, Any, T], timeout: float = 10.0) -> T:
        loop = self._loop
        if loop is None:
            coro.close()
            raise RuntimeError("the emulator thread is not running")
        return asyncio.run_coroutine_threadsafe(coro, loop).result(timeout)

    def stop(self, timeout: float = 10.0) -> None:
        thread, loop = self._thread, self._loop
        if thread is None:
            return
        if loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # closed meanwhile: already stopping
                loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout)
        if thread.is_alive():
            raise RuntimeError("the emulator thread did not stop in time")
        self._thread = None

    def __enter__(self) -> EmulatorThread:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def ready_line(emulator: Emulator) -> str:
    """The one line the command prints when ready (no password, no API key), naming the
    listeners that run: ``smsc emulator ready: http=http://127.0.0.1:8000
    smpp=127.0.0.1:2775 login=demo``."""
    words = ["smsc emulator ready:"]
    if emulator.config.http_port is not None:
        words.append(f"http={emulator.http_url}")
    if emulator.smpp_port is not None:
        host = emulator.config.host
        words.append(f"smpp={f'[{host}]' if ':' in host else host}:{emulator.smpp_port}")
    words.append(f"login={emulator.config.login}")
    return " ".join(words)


async def serve(
    config: EmulatorConfig | None = None,
    *,
    ready: Callable[[str], None] | None = None,
    stop: asyncio.Event | None = None,
) -> None:
    """Run until SIGINT/SIGTERM (or ``stop`` is set). ``ready`` receives the ready line
    (default: print it and flush)."""
    stopping = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    installed: list[signal.Signals] = []
    for signum in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(signum, stopping.set)
            installed.append(signum)
        except (NotImplementedError, RuntimeError, ValueError):
            pass  # not the main thread, or Windows: KeyboardInterrupt still stops run()
    try:
        async with Emulator(config) as emulator:
            line = ready_line(emulator)
            if ready is None:
                print(line, flush=True)
            else:
                ready(line)
            await stopping.wait()
    finally:
        for signum in installed:
            loop.remove_signal_handler(signum)


def run(config: EmulatorConfig | None = None) -> int:
    """Serve until SIGINT/SIGTERM and return the exit status (0 on a clean stop)."""
    if config is None or config.http_port is not None:
        require_aiohttp()
    try:
        asyncio.run(serve(config))
    except KeyboardInterrupt:
        pass
    except OSError as error:
        print(f"smsc emulator: {error}", file=sys.stderr)
        return 1
    return 0
