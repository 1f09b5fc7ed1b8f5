# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Interoperability with an SMPP implementation nobody here wrote: the npm package ``smpp``.

The package is installed (pinned) into ``~/.cache/pysmsc-tests/node-smpp``, outside the
repository, the first time; without node/npm or the package the tests are skipped, saying why.
``peer/smsc_server.js`` is an SMSC for our client, ``peer/esme_client.js`` an ESME for our server.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from pysmsc import MessageKind
from pysmsc.smpp import DeliveryReceipt, SmppClient, SmppConfig, SystemType

from .conftest import Harness, eventually
from .node import NodePeer


@pytest.fixture
async def node_smsc(node_modules: Path) -> AsyncIterator[NodePeer]:
    peer = await NodePeer.start(node_modules, "smsc_server.js")
    try:
        yield peer
    finally:
        await peer.stop()


async def test_our_client_against_node_smsc(node_smsc: NodePeer) -> None:
    (listening,) = await node_smsc.wait_for("listening")
    config = SmppConfig(
        "user",
        "secret",
        host="127.0.0.1",
        port=listening["port"],
        throughput=None,
        enquire_link_interval=0.2,
        system_type=SystemType(single=True),
    )
    client = SmppClient(config)
    receipts = client.receipts()
    messages = client.messages()
    async with client:
        (bound,) = await node_smsc.wait_for("bound")
        assert bound["system_type"] == "SINGLE"
        # submit with a receipt: the node SMSC answers an id and sends a receipt with TLVs
        ids = await client.submit("79991234567", "Hello from pysmsc", receipt=True, reference="r1")
        report = await asyncio.wait_for(receipts.__anext__(), 5)
        assert isinstance(report, DeliveryReceipt)
        assert report.message_id == ids[0]
        assert report.delivered
        assert report.sent is not None
        assert report.sent.reference == "r1"
        assert str(report.cost) == "1.2500"
        assert report.flags is not None
        assert report.flags.kind is MessageKind.CALL
        assert report.flags.template
        assert report.parts == 1
        (submit,) = node_smsc.of("submit")
        assert (submit["message"], submit["data_coding"], submit["registered_delivery"]) == (
            "Hello from pysmsc",
            0,
            1,
        )
        (deliver_resp,) = await node_smsc.wait_for("deliver_resp")
        assert deliver_resp["status"] == 0
        # a long UCS2 message: parts with a concatenation UDH, one id each (SINGLE)
        text = "Длинный текст " * 12
        ids = await client.submit("79991234567", text)
        submits = await node_smsc.wait_for("submit", 1 + len(ids))
        parts = submits[1:]
        assert len(ids) == len(parts) == 3
        assert "".join(p["message"] for p in parts) == text
        assert all(p["udh"][0].startswith("0003") for p in parts)
        # an incoming message (MO) from the node SMSC
        node_smsc.send(cmd="mo", source="79990001122", destination="100", text="Ответ клиента")
        message = await asyncio.wait_for(messages.__anext__(), 5)
        assert (message.text, message.source, message.destination) == (
            "Ответ клиента",
            "79990001122",
            "100",
        )
        node_smsc.send(cmd="mo", source="79990001122", destination="100", text="plain ascii reply")
        assert (await asyncio.wait_for(messages.__anext__(), 5)).text == "plain ascii reply"
        # enquire_link both ways
        await node_smsc.wait_for("enquire_link")
        node_smsc.send(cmd="enquire_link")
        (resp,) = await node_smsc.wait_for("enquire_link_resp")
        assert resp["status"] == 0
        # unbind from the SMSC: the client reconnects by itself
        node_smsc.send(cmd="unbind")
        await node_smsc.wait_for("unbind_resp")
        await node_smsc.wait_for("bound", 2)
        await client.wait_bound(5)
        assert await client.submit("79991234567", "after the SMSC's unbind")
    # unbind from our side on close
    await node_smsc.wait_for("unbind")
    assert not node_smsc.of("error")
    assert not node_smsc.of("generic_nack")


async def test_node_esme_against_our_server(smpp: Harness, node_modules: Path) -> None:
    server, backend = await smpp.server(idle_timeout=5)
    peer = await NodePeer.start(node_modules, "esme_client.js", str(server.port))
    try:
        (bound,) = await peer.wait_for("bound")
        assert (bound["status"], bound["system_id"]) == (0, "SMSC")
        peer.send(cmd="submit", to="79991234567", text="Hello from node", receipt=True)
        (resp,) = await peer.wait_for("submit_resp")
        assert resp["status"] == 0
        message_id = resp["id"]
        assert backend.messages[message_id].text == "Hello from node"
        # the receipt (a deliver_sm with TLVs, one of them the service's own)
        (receipt,) = await peer.wait_for("deliver_sm")
        assert receipt["esm_class"] == 4
        assert receipt["receipted_message_id"] == message_id
        assert receipt["message_state"] == 2
        assert receipt["smsc_parts"] == 1
        assert f"id:{message_id} " in receipt["message"]
        # an incoming message, long enough to need parts
        backend.push_incoming("user", "79990001122", "100", "Входящее сообщение " * 6)
        parts = await peer.wait_for("deliver_sm", 3)
        assert "".join(p["message"] for p in parts[1:]) == "Входящее сообщение " * 6
        # query_sm
        peer.send(cmd="query", id=message_id)
        (query,) = await peer.wait_for("query_resp")
        assert (query["status"], query["state"]) == (0, 2)
        # enquire_link both ways
        peer.send(cmd="enquire_link")
        (link,) = await peer.wait_for("enquire_link_resp")
        assert link["status"] == 0
        # unbind from the ESME
        peer.send(cmd="unbind")
        (unbind,) = await peer.wait_for("unbind_resp")
        assert unbind["status"] == 0
        await peer.wait_for("close")
        await eventually(lambda: server.connections == 0)
        # and from the server: a second ESME is unbound when the server closes
        second = await NodePeer.start(node_modules, "esme_client.js", str(server.port))
        try:
            await second.wait_for("bound")
            server.unbind("user")
            await second.wait_for("unbind")
            await second.wait_for("close")
        finally:
            await second.stop()
        assert not peer.of("error")
    finally:
        await peer.stop()
