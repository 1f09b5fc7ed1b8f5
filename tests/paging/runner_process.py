"""A paging runner in its own process, for the kill -9 tests: real time, an SQLite file, the
handler in aiohttp on a given port. It prints ``ready`` once it listens.

    python -m tests.paging.runner_process URL STATE PORT TOKEN [--open]
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from aiohttp import web

from pysmsc import AsyncClient
from pysmsc.paging import (
    Contact,
    Escalation,
    EscalationPolicy,
    Page,
    PageRunner,
    SqlitePageStore,
)

PAGE = Page(
    "disk",
    "Disk full on db1",
    [Contact("alice", "79990000001"), Contact("bob", "79990000002")],
    Escalation(deliver_within=4, ack_within=600, answer_within=600),
)
# Short waits so that a test sees a restart's decisions in seconds (the defaults are minutes).
POLICY = EscalationPolicy(verify_after=4, check_timeout=2, retry=1)


async def main(arguments: argparse.Namespace) -> None:
    async with AsyncClient("demo", "demo", base_url=arguments.url, timeout=10) as client:
        runner = PageRunner(
            client, SqlitePageStore(arguments.state), policy=POLICY, status_interval=None
        )
        handler = runner.handler(arguments.token)

        async def receive(request: web.Request) -> web.Response:
            body = await request.content.read(handler.max_body + 1)
            answer = await handler.handle(request.method, request.path_qs, request.headers, body)
            return web.Response(status=answer.status, body=answer.body)

        app = web.Application()
        app.router.add_route("*", "/smsc/{token}", receive)
        site_runner = web.AppRunner(app)
        await site_runner.setup()
        await web.TCPSite(site_runner, "127.0.0.1", arguments.port).start()
        await runner.start()
        if arguments.open:
            await runner.page(PAGE)
        print("ready", flush=True)
        await asyncio.Event().wait()  # until killed


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("state")
    parser.add_argument("port", type=int)
    parser.add_argument("token")
    parser.add_argument("--open", action="store_true")
    asyncio.run(main(parser.parse_args(sys.argv[1:])))
