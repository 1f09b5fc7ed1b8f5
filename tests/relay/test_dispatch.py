"""From notifications to pages, against the emulator: one page per alert group, updated and
never repeated; resolved once; stale and unknown resolutions open nothing; the per-contact
rate limit folds a storm into one overflow page. The runner's clock is manual."""

from __future__ import annotations

import asyncio
import textwrap
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest_asyncio

from pysmsc import AsyncClient
from pysmsc.paging import ManualClock, MemoryPageStore, PageRunner, Phase
from pysmsc.relay import load_config, parse_alertmanager, parse_generic, parse_grafana
from pysmsc.relay._dispatch import Dispatcher, Outcome
from pysmsc.relay._store import RelayStore
from pysmsc_emulator.pytest_plugin import EmulatorHandle

from .payloads import alertmanager, am_alert, grafana

NEVER = [86400.0, 86400.0]
ALICE, BOB = "79990000001", "79990000002"

CONFIG = """\
token: "webhook-token-0123456789"
account: {{base_url: "{url}", login: demo, password: demo}}
state: relay.sqlite
contacts:
  alice: "+79990000001"
  bob: "+79990000002"
rate_limit: {{pages: 3, per: 10m}}
routes:
  - match: {{severity: critical}}
    chain: [alice, bob]
    escalation: {{deliver_within: 2m, ack_within: 5m}}
  - chain: [bob]
"""


@dataclass
class Relaying:
    emulator: EmulatorHandle
    runner: PageRunner
    dispatcher: Dispatcher
    store: RelayStore
    clock: ManualClock

    async def alertmanager(self, payload: dict[str, Any]) -> Outcome:
        outcome = await self.dispatcher.handle(parse_alertmanager(payload))
        await self.settle()
        return outcome

    async def settle(self) -> None:
        for _ in range(3):
            await self.emulator.control.flush_callbacks()
            if self.runner._tasks:
                await asyncio.wait(set(self.runner._tasks))

    async def sent(self) -> list[tuple[str, str, str]]:
        return [
            (m["kind"], m["phones"][0]["phone"], m["text"])
            for m in await self.emulator.control.messages()
        ]


@pytest_asyncio.fixture
async def relaying(async_emulator: EmulatorHandle, tmp_path: Path) -> AsyncIterator[Relaying]:
    await async_emulator.control.configure(status_delays=NEVER)
    path = tmp_path / "relay.yaml"
    path.write_text(textwrap.dedent(CONFIG.format(url=async_emulator.http_url)))
    config = load_config(path, {})
    clock = ManualClock()
    client = AsyncClient("demo", "demo", base_url=async_emulator.http_url)
    runner = PageRunner(client, MemoryPageStore(), clock=clock, status_interval=None)
    store = RelayStore(config.state)
    await store.open(clock.now())
    await runner.start()
    dispatcher = Dispatcher(runner, config, store, clock=clock.now)
    dispatcher.start()
    yield Relaying(async_emulator, runner, dispatcher, store, clock)
    await runner.close()
    await store.close()
    await client.close()


async def test_one_page_per_group_updated_never_repeated(relaying: Relaying) -> None:
    first = await relaying.alertmanager(alertmanager(am_alert("db1")))
    assert first.action == "opened" and first.report is not None
    # Alertmanager's repeat_interval, and the second Alertmanager of an HA pair: the same.
    for _ in range(3):
        again = await relaying.alertmanager(alertmanager(am_alert("db1")))
        assert again.action == "deduplicated"
        assert again.report is not None and again.report.code == first.report.code
    # The group grows: the open page takes the new text, nobody is paged again.
    grown = await relaying.alertmanager(alertmanager(am_alert("db1"), am_alert("db2")))
    assert grown.action == "deduplicated"
    sent = await relaying.sent()
    assert [(kind, phone) for kind, phone, _ in sent] == [("sms", ALICE)]
    assert "Disk full on db1" in sent[0][2]
    state = relaying.runner._states[relaying.runner._active[first.key]]
    assert state.page.text.startswith("DiskFull, 2 alerts: Disk full on db1")
    assert relaying.dispatcher.counters()[("alertmanager", "deduplicated")] == 4


async def test_resolved_once_and_a_late_firing_opens_nothing(relaying: Relaying) -> None:
    opened = await relaying.alertmanager(alertmanager(am_alert("db1")))
    resolved = await relaying.alertmanager(alertmanager(am_alert("db1", status="resolved")))
    assert resolved.action == "resolved"
    assert resolved.report is not None and resolved.report.phase == Phase.RESOLVED
    texts = [text for _, _, text in await relaying.sent()]
    assert len(texts) == 2 and texts[1].startswith(f"RESOLVED {opened.report.code} after")
    # Resolved again (Alertmanager's retry): nothing more.
    again = await relaying.alertmanager(alertmanager(am_alert("db1", status="resolved")))
    assert again.action == "ignored"
    # The firing an HA peer sent before the resolution, arriving after it: stale.
    stale = await relaying.alertmanager(alertmanager(am_alert("db1")))
    assert stale.action == "stale"
    assert len(await relaying.sent()) == 2
    # The same alert firing again later is a new incident.
    new = await relaying.alertmanager(
        alertmanager(am_alert("db1", starts_at="2026-11-30T11:00:00Z"))
    )
    assert new.action == "opened" and new.report.code != opened.report.code
    assert len(await relaying.sent()) == 3


async def test_a_resolution_of_a_group_never_paged_sends_nothing(relaying: Relaying) -> None:
    outcome = await relaying.alertmanager(alertmanager(am_alert("db9", status="resolved")))
    assert outcome.action == "ignored"
    assert await relaying.sent() == []


async def test_routes_choose_the_chain(relaying: Relaying) -> None:
    await relaying.alertmanager(
        alertmanager(am_alert("web1", severity="warning"), severity="warning", group_key="w")
    )
    assert [(kind, phone) for kind, phone, _ in await relaying.sent()] == [("sms", BOB)]


async def test_the_rate_limit_folds_a_storm_into_one_overflow_page(relaying: Relaying) -> None:
    outcomes = []
    for index in range(6):
        payload = alertmanager(am_alert(f"db{index}"), group_key=f"g{index}")
        outcomes.append(await relaying.alertmanager(payload))
    assert [o.action for o in outcomes] == ["opened"] * 3 + ["folded"] * 3
    overflow = outcomes[3].key
    assert overflow == "overflow:alice,bob" and {o.key for o in outcomes[3:]} == {overflow}
    sent = await relaying.sent()
    assert len(sent) == 4, "three pages and one overflow page, not six"
    assert "1 alert held back by the rate limit: Disk full on db3" in sent[3][2]
    state = relaying.runner._states[relaying.runner._active[overflow]]
    assert state.page.text.startswith("3 alerts held back by the rate limit")
    # A folded group repeated stays folded; resolving two of three keeps the overflow open.
    assert (
        await relaying.alertmanager(alertmanager(am_alert("db4"), group_key="g4"))
    ).action == "folded"
    for index in (3, 4):
        payload = alertmanager(am_alert(f"db{index}", status="resolved"), group_key=f"g{index}")
        assert (await relaying.alertmanager(payload)).action == "resolved"
    assert relaying.dispatcher.is_open(overflow)
    assert relaying.runner._states[relaying.runner._active[overflow]].page.text.startswith(
        "1 alert held back"
    )
    last = await relaying.alertmanager(
        alertmanager(am_alert("db5", status="resolved"), group_key="g5")
    )
    assert last.action == "resolved" and not relaying.dispatcher.is_open(overflow)
    assert [t for _, _, t in await relaying.sent()][-1].startswith("RESOLVED")
    # The window passes: a new group pages on its own again.
    relaying.clock.advance(601)
    fresh = await relaying.alertmanager(alertmanager(am_alert("db7"), group_key="g7"))
    assert fresh.action == "opened"


async def test_folds_survive_a_restart(relaying: Relaying) -> None:
    for index in range(4):
        await relaying.alertmanager(alertmanager(am_alert(f"db{index}"), group_key=f"g{index}"))
    again = RelayStore(relaying.store.path)
    await again.open(relaying.clock.now())
    assert [f.group_key for f in again.folded_into("overflow:alice,bob")] == ["alertmanager:g3"]
    assert again.was_resolved("alertmanager:g0", frozenset({"x"}), relaying.clock.now()) is False
    await again.close()


async def test_grafana_and_the_relays_own_payload(relaying: Relaying) -> None:
    opened = await relaying.dispatcher.handle(parse_grafana(grafana()))
    assert opened.action == "opened" and opened.key.startswith("grafana/1:")
    assert (await relaying.dispatcher.handle(parse_grafana(grafana()))).action == "deduplicated"
    assert (
        await relaying.dispatcher.handle(parse_grafana(grafana("resolved")))
    ).action == "resolved"
    own = await relaying.dispatcher.handle(
        parse_generic(
            {
                "key": "backup",
                "status": "firing",
                "summary": "Backup failed",
                "to": ["bob", "+79990000003"],
                "escalation": {"deliver_within": 60, "ack_within": None, "call": False},
            }
        )
    )
    assert own.action == "opened"
    await relaying.settle()
    state = relaying.runner._states[relaying.runner._active["alerts:backup"]]
    assert [c.name for c in state.page.contacts] == ["bob", "+79990000003"]
    assert (state.page.escalation.deliver_within, state.page.escalation.ack_within) == (60.0, None)
    assert state.page.escalation.call is False
    kinds = [(kind, phone) for kind, phone, _ in await relaying.sent()]
    assert kinds[-1] == ("sms", BOB)
