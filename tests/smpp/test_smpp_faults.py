# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Faults of the wild, with more messages queued than the window holds: a peer that closes the
connection normally, one killed with -9, one restarted; the npm peer where node is present.

Each run asserts what must hold whatever the machine's speed: every message ends with an id or
an explicit outcome-unknown, nothing is sent twice, nothing ends "not sent" when the link came
back within the submit timeout, and the event loop never stalls (the spin this file was written
for stalled it for the whole submit timeout; the bound here is far above any scheduling noise).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path

from pysmsc.smpp import ConnectionState, SmppClient

from .conftest import Harness, eventually
from .faults import LagProbe, StdlibPeer, Tally, campaign, logged_texts
from .node import NodePeer

# The old client spun for its whole submit timeout (60 s); a healthy loop wakes within
# milliseconds, far less than this even on a loaded machine.
STALL = 1.0


def _check(tally: Tally, count: int, received: Counter[str], window: int, drops: int) -> None:
    assert tally.total == count
    assert not tally.other, tally.other[:3]
    assert not tally.not_sent, "not sent although the link came back within the timeout"
    assert len(tally.unknown) <= window * drops  # only what was in flight at a drop
    duplicated = [text for text, n in received.items() if n > 1]
    assert not duplicated, f"reached the SMSC twice: {duplicated[:5]}"
    missing = [(text, ids) for text, ids in tally.sent.items() if received[text] != 1]
    assert not missing, f"an id for a message the SMSC never logged: {missing[:5]}"


async def test_peer_closes_normally_mid_window(smpp: Harness, tmp_path: Path) -> None:
    """The report of the issue: 1,000 messages at window 10, the server closes (FIN) at every
    100th submit without answering it."""
    log = tmp_path / "received.log"
    peer = await StdlibPeer.start(log, drop_every=100)
    try:
        client = await smpp.client(peer.port, window=10, submit_timeout=30)
        texts = [f"normal close {i}" for i in range(1000)]
        async with LagProbe() as probe:
            tally = await campaign(client, texts)
        _check(tally, 1000, logged_texts(log), window=10, drops=10)
        assert len(tally.unknown) >= 1  # the dropped submits: answered by nobody
        assert probe.worst < STALL, f"the event loop stalled for {probe.worst:.3f}s"
    finally:
        await peer.stop()


async def test_peer_killed_and_restarted(smpp: Harness, tmp_path: Path) -> None:
    log = tmp_path / "received.log"
    peer = await StdlibPeer.start(log, delay=0.002)
    try:
        client = await smpp.client(peer.port, window=10, submit_timeout=30)
        states: list[ConnectionState] = []
        client.on_state_change(states.append)
        texts = [f"killed {i}" for i in range(1000)]
        async with LagProbe() as probe:
            run = asyncio.ensure_future(campaign(client, texts))
            await eventually(lambda: peer.received() >= 300, within=30)
            await peer.kill()
            await eventually(lambda: not client.bound, within=5)  # seen at once, no stale state
            await asyncio.sleep(0.2)
            peer = await StdlibPeer.start(log, port=peer.port, delay=0.002)
            tally = await run
        _check(tally, 1000, logged_texts(log), window=10, drops=1)
        assert ConnectionState.DISCONNECTED in states
        assert probe.worst < STALL, f"the event loop stalled for {probe.worst:.3f}s"
    finally:
        await peer.stop()


async def test_nothing_comes_back_within_the_timeout_is_not_sent(
    smpp: Harness, tmp_path: Path
) -> None:
    """The other side of the rule: a peer that stays away fails what never left as not sent,
    and only when the submit timeout is over."""
    log = tmp_path / "received.log"
    peer = await StdlibPeer.start(log, delay=0.002)
    client = await smpp.client(peer.port, window=5, submit_timeout=1.0)
    texts = [f"away {i}" for i in range(200)]
    async with LagProbe() as probe:
        run = asyncio.ensure_future(campaign(client, texts))
        await eventually(lambda: peer.received() >= 20, within=10)
        await peer.kill()
        tally = await run
    assert tally.total == 200
    assert not tally.other
    assert tally.not_sent  # waited for a connection that never came
    assert len(tally.unknown) <= 5
    assert not [t for t, n in logged_texts(log).items() if n > 1]
    assert probe.worst < STALL


# --- the npm peer -------------------------------------------------------------------------------


async def _node_campaign(
    client: SmppClient, peer: NodePeer, texts: list[str]
) -> tuple[Tally, float]:
    async with LagProbe() as probe:
        tally = await campaign(client, texts)
    return tally, probe.worst


def _node_received(*peers: NodePeer) -> Counter[str]:
    return Counter(
        event["message"] for peer in peers for event in peer.events if event["event"] == "submit"
    )


async def test_node_peer_closes_normally(smpp: Harness, node_modules: Path) -> None:
    peer = await NodePeer.start(node_modules, "smsc_server.js", "0", "100")
    try:
        (listening,) = await peer.wait_for("listening")
        client = await smpp.client(listening["port"], login="user", window=10)
        texts = [f"node close {i}" for i in range(600)]
        tally, worst = await _node_campaign(client, peer, texts)
        _check(tally, 600, _node_received(peer), window=10, drops=6)
        assert peer.of("dropped")
        assert worst < STALL
    finally:
        await peer.stop()


async def test_node_peer_killed_and_restarted(smpp: Harness, node_modules: Path) -> None:
    first = await NodePeer.start(node_modules, "smsc_server.js")
    (listening,) = await first.wait_for("listening")
    port = listening["port"]
    second: NodePeer | None = None
    try:
        client = await smpp.client(port, login="user", window=10, submit_timeout=30)
        texts = [f"node restart {i}" for i in range(3000)]
        async with LagProbe() as probe:
            run = asyncio.ensure_future(campaign(client, texts))
            await first.wait_for("submit", 300, within=30)
            await first.stop()  # kill -9
            await eventually(lambda: not client.bound, within=5)
            second = await NodePeer.start(node_modules, "smsc_server.js", str(port))
            await second.wait_for("listening")
            tally = await run
        received = _node_received(first, second)
        _check(tally, 3000, received, window=10, drops=1)
        assert second.of("submit")  # the campaign went on after the restart
        assert probe.worst < STALL
    finally:
        await first.stop()
        if second is not None:
            await second.stop()
