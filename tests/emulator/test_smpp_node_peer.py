# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The emulator's SMPP side against an ESME nobody here wrote: the npm package ``smpp``
(``tests/smpp/peer/esme_client.js``), installed like the SMPP tests do (skipped, saying why,
without node/npm or the package)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from pysmsc_emulator import Emulator, EmulatorConfig

# The session fixture that installs the pinned npm package (or skips with the reason).
from ..smpp.node import NodePeer, node_modules  # noqa: F401
from .smpp_helpers import eventually

LONG = "Входящее сообщение " * 6  # UCS2, 114 characters: 2 parts


@pytest.fixture
async def emulator_for_node() -> AsyncIterator[Emulator]:
    # esme_client.js binds as user/secret
    config = EmulatorConfig(smpp_port=0, login="user", password="secret", status_delays=(0.1, 0.1))
    async with Emulator(config) as emulator:
        yield emulator


async def test_node_esme_against_the_emulator(
    emulator_for_node: Emulator,
    node_modules: Path,  # noqa: F811
) -> None:
    emulator = emulator_for_node
    assert emulator.smpp_port is not None
    state = emulator.state
    peer = await NodePeer.start(node_modules, "esme_client.js", str(emulator.smpp_port))
    try:
        (bound,) = await peer.wait_for("bound")
        assert (bound["status"], bound["system_id"]) == (0, "SMSC")
        # submit_sm with registered_delivery: the service's message, charged
        peer.send(cmd="submit", to="79161234567", text="Hello from node", receipt=True)
        (resp,) = await peer.wait_for("submit_resp")
        assert resp["status"] == 0
        message_id = resp["id"]
        [message] = state.all_messages()
        assert (str(message.id), message.text, message.source) == (
            message_id,
            "Hello from node",
            "smpp",
        )
        assert str(message.cost) == "1.40"
        # the receipt: the service's text and TLVs (0x2002 is one of the service's own)
        (receipt,) = await peer.wait_for("deliver_sm")
        assert receipt["esm_class"] == 4
        assert receipt["receipted_message_id"] == message_id
        assert receipt["message_state"] == 2
        assert receipt["smsc_parts"] == 1
        assert receipt["message"].startswith(f"id:{message_id} sub:001 dlvrd:001 submit date:")
        assert receipt["message"].endswith(" stat:DELIVRD err:000")
        # an incoming message injected into the emulator, long enough to need parts
        state.receive(state.account("user"), "79990001122", "100", LONG)
        parts = (await peer.wait_for("deliver_sm", 3))[1:]
        assert len(parts) == 2
        assert "".join(p["message"] for p in parts) == LONG
        assert all(p["source"] == "79990001122" for p in parts)
        assert all(p["udh"][0].startswith("0003") for p in parts)
        # query_sm, enquire_link, unbind
        peer.send(cmd="query", id=message_id)
        (query,) = await peer.wait_for("query_resp")
        assert (query["status"], query["state"]) == (0, 2)
        peer.send(cmd="enquire_link")
        (link,) = await peer.wait_for("enquire_link_resp")
        assert link["status"] == 0
        peer.send(cmd="unbind")
        (unbind,) = await peer.wait_for("unbind_resp")
        assert unbind["status"] == 0
        await peer.wait_for("close")
        server = emulator.smpp_server
        assert server is not None
        await eventually(lambda: server.connections == 0)
        assert not peer.of("error")
    finally:
        await peer.stop()
