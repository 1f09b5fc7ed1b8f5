# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The relay's HTTP side on aiohttp: the webhooks, the service's calls, health and metrics.

A webhook is answered 2xx only once its alert is stored (Alertmanager and Grafana send it
again on a 5xx, never on a 4xx), after these checks, in this order, so that nothing untrusted
is read before it has to be:

1. the bearer token (compared in constant time): 401, the body unread;
2. the declared Content-Length against ``max_body``: 413, the body unread; a body without a
   length is read up to ``max_body`` + 1 bytes and refused past it;
3. JSON, then the payload's shape: 400 naming the field and the rule;
4. stored: 200 with what it did; the store failed: 503 (try again).

No path is logged as it came: the service's calls carry the callback token in theirs.
"""

from __future__ import annotations

import hmac
import json
import logging
import time
from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any, Callable

from aiohttp import web

from ..callbacks import CallbackEvent, CallbackHandler, KeyPress, OtherCall, StatusUpdate
from ..models import ReceivedMessage
from ._metrics import CONTENT_TYPE, render
from ._payloads import PayloadError, parse_alertmanager, parse_generic, parse_grafana

if TYPE_CHECKING:
    from ._service import Relay

__all__ = ["make_app"]

_LOG = logging.getLogger("pysmsc.relay.http")
_ENDPOINTS = ("/alertmanager", "/grafana", "/alerts", "/healthz", "/metrics")
Parser = Callable[[Any], Any]


def _endpoint(path: str) -> str:
    """The endpoint's name for logs and metrics (never the callback's token)."""
    if path.startswith("/smsc/") or path == "/smsc":
        return "/smsc"
    return path if path in _ENDPOINTS else "other"


def _json(status: int, data: Any) -> web.Response:
    return web.Response(
        status=status,
        text=json.dumps(data, ensure_ascii=False),
        content_type="application/json",
    )


def _error(status: int, message: str) -> web.Response:
    return _json(status, {"error": message})


def _callback_kind(event: CallbackEvent) -> str:
    if isinstance(event, StatusUpdate):
        return "status"
    if isinstance(event, KeyPress):
        return "key_press"
    if isinstance(event, ReceivedMessage):
        return "reply"
    return "other" if isinstance(event, OtherCall) else "unknown"


def make_app(relay: Relay) -> web.Application:
    """The application serving ``relay``."""
    config = relay.config
    token = config.token.encode("utf-8")
    http = relay.http

    @web.middleware
    async def accounting(
        request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        started = time.perf_counter()
        endpoint = _endpoint(request.path)
        try:
            response = await handler(request)
        except web.HTTPException as exc:
            response = exc
        except Exception:  # noqa: BLE001 - a bug of ours: one line to the client, logged here
            _LOG.exception("%s %s failed", request.method, endpoint)
            response = _error(500, "internal error (see the relay's log)")
        http.requests[(endpoint, response.status)] += 1
        _LOG.info(
            "%s %s %d %.0f ms",
            request.method,
            endpoint,
            response.status,
            (time.perf_counter() - started) * 1000,
        )
        if isinstance(response, web.HTTPException):
            raise response
        return response

    def authorized(request: web.Request) -> bool:
        scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
        given = credentials.strip().encode("utf-8", "replace")
        same = hmac.compare_digest(given, token)
        return same and scheme.lower() == "bearer"

    async def read_body(request: web.Request) -> bytes | None:
        """The body, or None when it is over ``max_body`` (never read further)."""
        declared = request.content_length
        if declared is not None and declared > config.max_body:
            return None
        chunks: list[bytes] = []
        size = 0
        while True:
            chunk = await request.content.readany()
            if not chunk:
                return b"".join(chunks)
            size += len(chunk)
            if size > config.max_body:
                return None
            chunks.append(chunk)

    def refuse_large() -> web.Response:
        response = _error(413, f"the body is over {config.max_body} bytes (max_body)")
        response.force_close()  # the rest of the body is never read
        return response

    async def webhook(request: web.Request, parse: Parser) -> web.Response:
        started = time.perf_counter()
        if not authorized(request):
            response = _error(401, "a valid bearer token is required")
            response.headers["WWW-Authenticate"] = 'Bearer realm="smsc-relay"'
            if request.content_length is None or request.content_length > 0:
                response.force_close()
            return response
        body = await read_body(request)
        if body is None:
            return refuse_large()
        try:
            data = json.loads(body)
        except (ValueError, RecursionError) as exc:
            return _error(400, f"the body is not JSON: {exc}")
        try:
            notification = parse(data)
            outcome = await relay.dispatcher.handle(notification)
        except PayloadError as exc:
            return _error(400, str(exc))
        except Exception:  # noqa: BLE001 - not stored: the sender tries again on a 5xx
            _LOG.exception("%s: the alert could not be stored; answering 503", request.path)
            return _error(503, "the alert could not be stored; try again")
        http.webhook_seconds.observe(time.perf_counter() - started)
        return _json(200, outcome.as_dict())

    async def alertmanager(request: web.Request) -> web.Response:
        return await webhook(request, parse_alertmanager)

    async def grafana(request: web.Request) -> web.Response:
        return await webhook(request, parse_grafana)

    async def alerts(request: web.Request) -> web.Response:
        return await webhook(request, parse_generic)

    async def alert_report(request: web.Request) -> web.Response:
        if not authorized(request):
            return _error(401, "a valid bearer token is required")
        key = request.query.get("key", "")
        if not key:
            return _error(400, "key: is required (?key=...)")
        report = relay.dispatcher.report(f"alerts:{key}")
        if report is None:
            return _error(404, "no page with this key")
        return _json(200, {"key": f"alerts:{key}", "page": report.as_dict()})

    callback: CallbackHandler | None = None
    if config.callback_token is not None:

        async def sink(event: CallbackEvent) -> None:
            http.callbacks[_callback_kind(event)] += 1
            await relay.runner.feed(event)

        callback = CallbackHandler(config.callback_token, sink)

    async def smsc_calls(request: web.Request) -> web.Response:
        if callback is None:
            return web.Response(status=404, text="Not Found")
        if callback.too_large(request.headers):
            response = web.Response(status=413, text="Payload Too Large")
            response.force_close()
            return response
        body = await request.content.read(callback.max_body + 1)
        answer = await callback.handle(request.method, request.path_qs, request.headers, body)
        return web.Response(status=answer.status, body=answer.body, headers=dict(answer.headers))

    async def healthz(request: web.Request) -> web.Response:
        return _json(200, {"status": "ok", "pages": len(relay.runner.reports())})

    async def metrics(request: web.Request) -> web.Response:
        text = render(
            relay.runner.stats,
            reports=relay.runner.reports(),
            notifications=relay.dispatcher.counters(),
            folded=relay.dispatcher.folded,
            http=http,
            started_at=relay.started_at,
        )
        return web.Response(body=text.encode("utf-8"), headers={"Content-Type": CONTENT_TYPE})

    # client_max_size bounds request.read(); the webhooks read the stream themselves.
    app = web.Application(middlewares=[accounting], client_max_size=config.max_body)
    app.router.add_post("/alertmanager", alertmanager)
    app.router.add_post("/grafana", grafana)
    app.router.add_put("/grafana", grafana)
    app.router.add_post("/alerts", alerts)
    app.router.add_get("/alerts", alert_report)
    app.router.add_route("*", "/smsc/{token}", smsc_calls)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics)
    return app
