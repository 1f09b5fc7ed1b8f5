"""Paging end to end against the emulator: real HTTP both ways. The runner sends through
``AsyncClient``; the emulator calls the runner's handler (mounted in aiohttp on loopback) for
every status, reply and key press, and parses the call's voice menu with its own parser. The
runner's clock is manual; the emulator keeps its own."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest_asyncio
from aiohttp import web

from pysmsc import AsyncClient
from pysmsc.callbacks import CallbackHandler, new_token
from pysmsc.inbox import IncomingPoller
from pysmsc.paging import (
    Contact,
    Escalation,
    ManualClock,
    Page,
    PageRunner,
    Phase,
    SqlitePageStore,
)
from pysmsc_emulator.pytest_plugin import EmulatorHandle

ALICE = Contact("alice", "79990000001")
BOB = Contact("bob", "79990000002")
NEVER = [86400.0, 86400.0]  # status delays: nothing is delivered during a test


async def serve(handler: CallbackHandler) -> tuple[web.AppRunner, str]:
    """The handler in aiohttp, as a front end mounts it."""

    async def receive(request: web.Request) -> web.Response:
        if handler.too_large(request.headers):
            return web.Response(status=413)
        body = await request.content.read(handler.max_body + 1)
        answer = await handler.handle(request.method, request.path_qs, request.headers, body)
        return web.Response(status=answer.status, body=answer.body, headers=dict(answer.headers))

    app = web.Application()
    app.router.add_route("*", "/smsc/{token}", receive)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://127.0.0.1:{port}"


@dataclass
class Paging:
    emulator: EmulatorHandle
    runner: PageRunner
    clock: ManualClock
    client: AsyncClient

    @property
    def control(self) -> Any:
        return self.emulator.control

    async def idle(self) -> None:
        """Until the runner has nothing under way and the emulator has made its calls."""
        for _ in range(3):
            await self.control.flush_callbacks()
            quiet = 0
            while quiet < 3:
                await asyncio.sleep(0.005)
                quiet = quiet + 1 if not self.runner._tasks else 0

    async def advance(self, seconds: float) -> None:
        """Both clocks move together, as time does."""
        await self.control.advance(seconds)
        self.clock.advance(seconds)
        await self.idle()

    async def sent(self) -> list[dict[str, Any]]:
        """What the emulator received: kind, phone, id, text, menu."""
        return [
            {
                "kind": m["kind"],
                "phone": m["phones"][0]["phone"],
                "id": str(m["id"]),
                "text": m["text"],
                "menu": m["menu"],
            }
            for m in await self.control.messages()
        ]


@pytest_asyncio.fixture
async def paging(
    async_emulator: EmulatorHandle, tmp_path: Path
) -> AsyncIterator[Callable[..., Any]]:
    made: list[tuple[PageRunner, AsyncClient, web.AppRunner]] = []

    async def make(
        *, callback: bool = True, incoming: bool = False, store: Path | None = None
    ) -> Paging:
        clock = ManualClock((await async_emulator.control.clock())["now"])  # the emulator's time
        client = AsyncClient("demo", "demo", base_url=async_emulator.http_url)
        poller = None
        sqlite = SqlitePageStore(store or tmp_path / "pages.sqlite")
        if incoming:
            poller = IncomingPoller(client, sqlite.cursor("incoming"), interval=5, clock=clock.now)
        runner = PageRunner(client, sqlite, clock=clock, status_interval=None, incoming=poller)
        token = new_token()
        site, url = await serve(runner.handler(token))
        if callback:
            await async_emulator.control.set_callback_url(f"{url}/smsc/{token}")
        await runner.start()
        made.append((runner, client, site))
        return Paging(async_emulator, runner, clock, client)

    yield make
    for runner, client, site in made:
        await runner.close(drain=0)
        await client.close()
        await site.cleanup()


async def test_an_undelivered_sms_is_followed_by_a_call_and_key_1_stops_the_page(
    paging: Any,
) -> None:
    p: Paging = await paging()
    await p.control.configure(status_delays=NEVER)
    report = await p.runner.page(
        Page(
            "disk", "Disk full on db1", [ALICE, BOB], Escalation(deliver_within=120, ack_within=300)
        )
    )
    await p.idle()
    (sms,) = await p.sent()
    assert sms["kind"] == "sms" and sms["phone"] == ALICE.phone
    assert (
        sms["text"] == f"ALERT {report.code}: Disk full on db1\nReply {report.code} to acknowledge"
    )
    await p.advance(119)
    assert len(await p.sent()) == 1
    await p.advance(1)
    sms, call = await p.sent()
    assert sms["kind"] == "sms"
    assert call["kind"] == "call" and call["phone"] == ALICE.phone
    # The emulator's own parser reads the menu the policy wrote.
    menu = call["menu"]
    assert menu["start_text"] == "Alert."
    assert menu["menu_text"].startswith("Disk full on db1. Press 1 to acknowledge, 2 to pass")
    assert [a["kind"] for a in menu["items"]["1"]] == ["url", "say", "end"]
    assert [a["kind"] for a in menu["items"]["2"]] == ["url", "say", "end"]

    await p.control.press_key(call["id"], ALICE.phone, "1")
    await p.idle()
    final = await asyncio.wait_for(p.runner.wait("disk"), 5)
    assert final.phase == Phase.ACKNOWLEDGED
    assert (final.acknowledged_by, final.acknowledged_via) == ("alice", "key press")
    deliveries = [c for c in await p.control.callbacks() if c["kind"] == "keypress"]
    assert [c["state"] for c in deliveries] == ["delivered"], "the handler answered OK"
    await p.advance(3600)
    assert len(await p.sent()) == 2, "nothing after the acknowledgement"


async def test_key_2_moves_to_the_next_contact(paging: Any) -> None:
    p: Paging = await paging()
    await p.control.configure(status_delays=NEVER)
    await p.runner.page(Page("disk", "Disk full on db1", [ALICE, BOB], Escalation(channel=None)))
    await p.idle()
    (call,) = await p.sent()
    await p.control.press_key(call["id"], ALICE.phone, "2")
    await p.idle()
    sent = await p.sent()
    assert [(m["kind"], m["phone"]) for m in sent] == [("call", ALICE.phone), ("call", BOB.phone)]
    # Bob acknowledges on his call; alice, reached, is told.
    await p.control.press_key(sent[1]["id"], BOB.phone, "1")
    await p.idle()
    final = p.runner.report("disk")
    assert final is not None and final.acknowledged_by == "bob"
    told = (await p.sent())[-1]
    assert (told["kind"], told["phone"]) == ("sms", ALICE.phone)
    assert told["text"].endswith("acknowledged by bob: Disk full on db1")


async def test_a_delivered_sms_and_a_reply_ack_through_the_handler(paging: Any) -> None:
    p: Paging = await paging()
    await p.control.configure(status_delays=[0.1, 0.1])
    report = await p.runner.page(Page("disk", "Disk full on db1", [ALICE, BOB]))
    await asyncio.sleep(0.5)
    await p.idle()
    state = next(iter(p.runner._states.values()))
    assert state.messages[0].status == 1, "the delivery came through the handler"
    await p.control.receive(ALICE.phone, f"ack {report.code}", "79000000001")
    await p.idle()
    final = await asyncio.wait_for(p.runner.wait("disk"), 5)
    assert final.phase == Phase.ACKNOWLEDGED and final.acknowledged_via == "reply"
    await p.advance(3600)
    assert [m["kind"] for m in await p.sent()] == ["sms"]


async def test_a_reply_ack_through_get_php_without_a_handler(paging: Any) -> None:
    p: Paging = await paging(callback=False, incoming=True)
    await p.control.configure(status_delays=NEVER)
    await p.runner.page(Page("disk", "Disk full on db1", [ALICE, BOB]))
    await p.idle()
    await p.control.receive(ALICE.phone, "ack", "79000000001")
    for _ in range(3):  # the poller's interval is 5 s on the runner's clock
        await p.advance(5)
    final = await asyncio.wait_for(p.runner.wait("disk"), 5)
    assert final.phase == Phase.ACKNOWLEDGED and final.acknowledged_by == "alice"


async def test_resolved_tells_whoever_was_reached(paging: Any) -> None:
    p: Paging = await paging()
    await p.control.configure(status_delays=NEVER)
    await p.runner.page(
        Page("disk", "Disk full on db1", [ALICE, BOB], Escalation(channel=None, answer_within=60))
    )
    await p.idle()
    (call,) = await p.sent()
    await p.control.set_status(call["id"], ALICE.phone, 20, err=237)  # alice does not answer
    await p.idle()
    await p.advance(10)
    p.clock.advance(12 * 60)
    await p.runner.resolve("disk")
    await p.idle()
    sent = await p.sent()
    assert [(m["kind"], m["phone"]) for m in sent] == [
        ("call", ALICE.phone),
        ("call", BOB.phone),
        ("sms", BOB.phone),
    ], "alice's call failed: she was never reached"
    assert sent[-1]["text"].startswith("RESOLVED ")
