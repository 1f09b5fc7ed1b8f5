# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""SmppServer seen from a bare socket: binds, errors, garbage, MCON, idle, throttling, window."""

from __future__ import annotations

import asyncio
import struct

from pysmsc.smpp import CommandStatus
from pysmsc.smpp.pdu import (
    BindReceiver,
    BindTransceiverResp,
    DeliverSm,
    DeliverSmResp,
    EnquireLink,
    EnquireLinkResp,
    GenericNack,
    QuerySm,
    QuerySmResp,
    SubmitSm,
    SubmitSmResp,
    Unbind,
    UnbindResp,
)
from pysmsc.smpp.tlv import Tag, find_tlv
from pysmsc_emulator.smpp.memory import MemoryBackend
from pysmsc_emulator.smpp.server import SubmitRequest, SubmitResult

from .conftest import ACCOUNTS, Harness, RawPeer, eventually


def submit(text: str = "hi") -> SubmitSm:
    return SubmitSm(destination_addr="79991234567", short_message=text.encode())


async def test_bind_outcomes(smpp: Harness) -> None:
    server, backend = await smpp.server()
    peer = await RawPeer.connect(server.port)
    resp = await peer.bind(password="wrong")
    assert resp.command_status == CommandStatus.ESME_RINVPASWD
    resp = await peer.bind(system_id="nobody")
    assert resp.command_status == CommandStatus.ESME_RINVSYSID
    await peer.send(submit())
    resp = await peer.read()
    assert (type(resp), resp.command_status) == (SubmitSmResp, CommandStatus.ESME_RINVBNDSTS)
    resp = await peer.bind()
    assert isinstance(resp, BindTransceiverResp)
    assert resp.command_status == 0
    assert resp.system_id == "SMSC"
    assert find_tlv(resp.tlvs, Tag.SC_INTERFACE_VERSION) is not None
    resp = await peer.bind()
    assert resp.command_status == CommandStatus.ESME_RALYBND
    assert "wrong" not in repr(backend.binds[0])
    await peer.close()


async def test_receiver_cannot_submit(smpp: Harness) -> None:
    server, _ = await smpp.server()
    peer = await RawPeer.connect(server.port)
    await peer.send(BindReceiver(system_id="user", password="secret"))
    assert (await peer.read()).command_status == 0
    await peer.send(submit())
    assert (await peer.read()).command_status == CommandStatus.ESME_RINVBNDSTS
    await peer.close()


async def test_generic_nack_on_garbage_and_the_session_goes_on(smpp: Harness) -> None:
    server, backend = await smpp.server()
    peer = await RawPeer.connect(server.port)
    await peer.bind()
    # an unknown command id
    await peer.send(struct.pack(">IIII", 16, 0x00000077, 0, 31))
    nack = await peer.read()
    assert isinstance(nack, GenericNack)
    assert (nack.sequence_number, nack.command_status) == (31, CommandStatus.ESME_RINVCMDID)
    # a submit_sm whose body is cut short
    body = submit().encode()[16:30]
    await peer.send(struct.pack(">IIII", 16 + len(body), 4, 0, 32) + body)
    nack = await peer.read()
    assert isinstance(nack, GenericNack)
    assert nack.sequence_number == 32
    assert nack.command_status == CommandStatus.ESME_RINVCMDLEN
    # a data_sm (not supported) and a deliver_sm (not for an SMSC)
    await peer.send(struct.pack(">IIII", 16, 0x00000103, 0, 33))
    assert (await peer.read()).command_status == CommandStatus.ESME_RINVCMDID
    await peer.send(DeliverSm(sequence_number=34))
    resp = await peer.read()
    assert (type(resp), resp.command_status) == (DeliverSmResp, CommandStatus.ESME_RINVCMDID)
    # the session still works
    await peer.send(EnquireLink(sequence_number=35))
    assert await peer.read() == EnquireLinkResp(sequence_number=35)
    await peer.send(submit("still here"))
    resp = await peer.read()
    assert resp.command_status == 0
    assert backend.submits[-1].text == "still here"
    await peer.close()


async def test_impossible_length_nacks_and_closes(smpp: Harness) -> None:
    server, _ = await smpp.server()
    peer = await RawPeer.connect(server.port)
    await peer.bind()
    await peer.send(struct.pack(">IIII", 8, 4, 0, 40))
    nack = await peer.read()
    assert isinstance(nack, GenericNack)
    assert nack.command_status == CommandStatus.ESME_RINVCMDLEN
    assert await peer.at_eof()
    peer2 = await RawPeer.connect(server.port)
    await peer2.send(struct.pack(">IIII", 10_000_000, 4, 0, 41))
    assert (await peer2.read()).command_status == CommandStatus.ESME_RINVCMDLEN
    assert await peer2.at_eof()


async def test_unbind_from_the_esme(smpp: Harness) -> None:
    server, _ = await smpp.server()
    peer = await RawPeer.connect(server.port)
    await peer.bind()
    await peer.send(Unbind(sequence_number=50))
    assert await peer.read() == UnbindResp(sequence_number=50)
    assert await peer.at_eof()
    await eventually(lambda: server.connections == 0)


async def test_one_connection_per_login_unless_mcon(smpp: Harness) -> None:
    server, _ = await smpp.server()
    first = await RawPeer.connect(server.port)
    await first.bind()
    second = await RawPeer.connect(server.port)
    await second.bind()
    assert isinstance(await first.read(), Unbind)  # the older connection is ended
    assert await first.at_eof()
    assert len(server.sessions("user")) == 1
    # MCON2: two connections live side by side; a third ends the oldest
    a = await RawPeer.connect(server.port)
    await a.bind(system_type="MCON2")
    await asyncio.sleep(0.1)
    assert len(server.sessions("user")) == 2
    b = await RawPeer.connect(server.port)
    await b.bind(system_type="MCON2")
    assert isinstance(await second.read(), Unbind)
    await eventually(lambda: len(server.sessions("user")) == 2)
    c = await RawPeer.connect(server.port)
    await c.bind(system_type="MCON2,ISO")
    assert isinstance(await a.read(), Unbind)
    await eventually(lambda: len(server.sessions("user")) == 2)
    # other logins are not affected
    other = await RawPeer.connect(server.port)
    assert (await other.bind("other", "pw2")).command_status == 0
    assert len(server.sessions("user")) == 2
    for peer in (first, second, a, b, c, other):
        await peer.close()


async def test_idle_connection_is_unbound(smpp: Harness) -> None:
    server, _ = await smpp.server(idle_timeout=0.3)
    peer = await RawPeer.connect(server.port)
    await peer.bind()
    assert isinstance(await peer.read(within=2), Unbind)
    assert await peer.at_eof()


async def test_throttling_above_the_rate(smpp: Harness) -> None:
    server, _ = await smpp.server(throughput=3, throughput_burst=3)
    peer = await RawPeer.connect(server.port)
    await peer.bind()
    for i in range(10):
        await peer.send(submit(f"m{i}"))
    statuses = sorted([(await peer.read()).command_status for _ in range(10)])
    assert statuses == [0] * 3 + [CommandStatus.ESME_RTHROTTLED] * 7
    await peer.close()


async def test_server_window(smpp: Harness) -> None:
    release = asyncio.Event()

    class Holding(MemoryBackend):
        async def submit(self, request: SubmitRequest) -> SubmitResult:
            await release.wait()
            return await super().submit(request)

    server, _ = await smpp.server(Holding(ACCOUNTS), window=2)
    peer = await RawPeer.connect(server.port)
    await peer.bind()
    for i in range(3):
        await peer.send(submit(f"m{i}"))
    full = await peer.read()
    assert full.command_status == CommandStatus.ESME_RMSGQFUL
    release.set()
    assert [(await peer.read()).command_status for _ in range(2)] == [0, 0]
    await peer.close()


async def test_query_sm(smpp: Harness) -> None:
    server, _ = await smpp.server()
    peer = await RawPeer.connect(server.port)
    await peer.bind()
    await peer.send(submit())
    message_id = (await peer.read()).message_id  # type: ignore[attr-defined]
    await peer.send(QuerySm(message_id=message_id))
    resp = await peer.read()
    assert isinstance(resp, QuerySmResp)
    assert (resp.command_status, resp.message_id, resp.message_state) == (0, message_id, 1)
    await peer.send(QuerySm(message_id="nope"))
    assert (await peer.read()).command_status == CommandStatus.ESME_RQUERYFAIL
    await peer.close()


async def test_deliver_sm_retried_after_temporary_error(smpp: Harness) -> None:
    server, backend = await smpp.server(retry_delay=0.05)
    peer = await RawPeer.connect(server.port)
    await peer.bind()
    backend.push_incoming("user", "7999", "100", "hello")
    first = await peer.read()
    assert isinstance(first, DeliverSm)
    await peer.send(DeliverSmResp(sequence_number=first.sequence_number, command_status=0x64))
    again = await peer.read()
    assert isinstance(again, DeliverSm)
    assert again.short_message == first.short_message
    await peer.send(DeliverSmResp(sequence_number=again.sequence_number))
    await eventually(lambda: server.pending("user") == 0)
    await peer.close()


async def test_enquire_link_from_server_side_peer(smpp: Harness) -> None:
    server, _ = await smpp.server()
    peer = await RawPeer.connect(server.port)
    await peer.send(EnquireLink(sequence_number=60))  # allowed before bind too
    assert await peer.read() == EnquireLinkResp(sequence_number=60)
    await peer.close()
