# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""SmppClient against SmppServer on 127.0.0.1, real sockets."""

from __future__ import annotations

import asyncio
import datetime as dt
import socket
import ssl
import time
from pathlib import Path
from typing import Any

import pytest

from pysmsc.errors import ValidationError
from pysmsc.smpp import (
    BindMode,
    Call,
    ClientClosedError,
    CommandStatus,
    ConcatMethod,
    ConnectionState,
    DeliveryReceipt,
    Encoding,
    Hlr,
    HlrResult,
    IncomingSms,
    Mail,
    MessageState,
    SmppAuthenticationError,
    SmppClient,
    SmppConfig,
    SmppConnectionError,
    SubmitNotSentError,
    SubmitOutcomeUnknownError,
    SubmitRejectedError,
    SystemType,
    TelegramCode,
)
from pysmsc.smpp.pdu import BindTransceiverResp, DeliverSm, DeliverSmResp, GenericNack, SubmitSm
from pysmsc.smpp.receipts import build_receipt
from pysmsc.smpp.tlv import Tag, Tlv
from pysmsc.text import encode
from pysmsc_emulator.smpp.memory import MemoryBackend
from pysmsc_emulator.smpp.server import SubmitRequest, SubmitResult

from ..tls import self_signed_certificate
from .conftest import ACCOUNTS, Harness, RawPeer, eventually

PHONE = "79991234567"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def other_tasks() -> set[asyncio.Task[Any]]:
    return {t for t in asyncio.all_tasks() if t is not asyncio.current_task()}


# --- sending ----------------------------------------------------------------------------------


async def test_submit_receipt_correlated_by_tlv(smpp: Harness) -> None:
    server, backend = await smpp.server()
    client = await smpp.client(server)
    seen: list[Any] = []
    client.on_receipt(seen.append)
    stream = client.receipts()
    ids = await client.submit(PHONE, "hello", receipt=True, reference={"order": 1})
    assert ids == ["1000"]
    report = await client.wait_for_report(ids[0], timeout=3)
    assert isinstance(report, DeliveryReceipt)
    assert report.state is MessageState.DELIVERED
    assert report.sent is not None
    assert report.sent.reference == {"order": 1}
    assert report.sent.destination == PHONE
    assert await asyncio.wait_for(stream.__anext__(), 3) == report
    await eventually(lambda: len(seen) == 1)
    assert seen[0] == report
    assert backend.submits[0].pdu.registered_delivery == 1


async def test_receipt_correlated_by_text_id_without_tlv(smpp: Harness) -> None:
    server, backend = await smpp.server()
    backend.auto_receipt = False
    client = await smpp.client(server)
    (message_id,) = await client.submit(PHONE, "x", reference="ref")
    pdu = build_receipt(message_id, phone=PHONE)
    pdu.tlvs = [t for t in pdu.tlvs if t.tag != Tag.RECEIPTED_MESSAGE_ID]
    server.enqueue("user", pdu)
    report = await client.wait_for_report(message_id, timeout=3)
    assert report.message_id == message_id
    assert report.sent is not None
    assert report.sent.reference == "ref"


async def test_receipt_tlv_id_wins_over_text(smpp: Harness) -> None:
    server, backend = await smpp.server()
    backend.auto_receipt = False
    client = await smpp.client(server)
    (message_id,) = await client.submit(PHONE, "x", reference="mine")
    pdu = build_receipt("not-this-one", phone=PHONE)
    pdu.tlvs = [Tlv.cstring(Tag.RECEIPTED_MESSAGE_ID, message_id)]
    server.enqueue("user", pdu)
    report = await client.wait_for_report(message_id, timeout=3)
    assert report.sent is not None
    assert report.sent.reference == "mine"


async def test_long_message_one_id_parts_back_to_back(smpp: Harness) -> None:
    class Slow(MemoryBackend):
        async def submit(self, request: SubmitRequest) -> SubmitResult:
            await asyncio.sleep(0.3)
            return await super().submit(request)

    server, backend = await smpp.server(Slow(ACCOUNTS))
    client = await smpp.client(server)
    text = "Длинное сообщение " * 20  # UCS2, 360 characters: 6 parts
    started = time.perf_counter()
    ids = await client.submit(PHONE, text)
    elapsed = time.perf_counter() - started
    assert elapsed < 0.9  # all six parts were in flight together, not one after another
    assert len(ids) == 1
    parts = backend.submits
    assert len(parts) == 6
    assert {p.concat.reference for p in parts if p.concat} == {parts[0].concat.reference}  # type: ignore[union-attr]
    assert [p.concat.sequence for p in parts if p.concat] == [1, 2, 3, 4, 5, 6]
    assert all(p.pdu.esm_class & 0x40 and p.pdu.data_coding == 8 for p in parts)
    assert backend.messages[ids[0]].text == text


async def test_single_mode_one_id_per_part(smpp: Harness) -> None:
    server, backend = await smpp.server()
    client = await smpp.client(server, system_type=SystemType(single=True))
    ids = await client.submit(PHONE, "x" * 400)
    assert len(ids) == 3
    assert len(set(ids)) == 3
    assert backend.binds[-1].raw_system_type == "SINGLE"


@pytest.mark.parametrize("method", [ConcatMethod.SAR, ConcatMethod.PAYLOAD])
async def test_other_long_message_methods(smpp: Harness, method: ConcatMethod) -> None:
    server, backend = await smpp.server()
    client = await smpp.client(server, concat=method)
    text = "y" * 400
    ids = await client.submit(PHONE, text)
    assert len(ids) == 1
    assert backend.messages[ids[0]].text == text


async def test_encodings(smpp: Harness) -> None:
    server, backend = await smpp.server()
    client = await smpp.client(server)
    await client.submit(PHONE, "Hello {world} €")
    await client.submit(PHONE, "Привет")
    await client.submit(PHONE, "Hi", encoding=Encoding.UCS2)
    with pytest.raises(ValidationError) as info:
        await client.submit(PHONE, "café", encoding=Encoding.LATIN1)
    assert info.value.field == "encoding"
    assert [(s.pdu.data_coding, s.text) for s in backend.submits] == [
        (0, "Hello {world} €"),
        (8, "Привет"),
        (8, "Hi"),
    ]
    assert backend.submits[0].pdu.short_message == encode("Hello {world} €", Encoding.GSM7)


async def test_iso_mode(smpp: Harness) -> None:
    server, backend = await smpp.server()
    client = await smpp.client(server, system_type=SystemType(iso=True))
    await client.submit(PHONE, "café")
    await client.submit(PHONE, "Привет")
    assert [(s.pdu.data_coding, s.text) for s in backend.submits] == [(4, "café"), (8, "Привет")]
    assert backend.binds[-1].system_type.iso


async def test_typed_contents_reach_the_server_verbatim(smpp: Harness) -> None:
    server, backend = await smpp.server()
    client = await smpp.client(server, sender="MyShop")
    await client.submit("user@example.com", Mail("Body", subject="Hi"), comment="ticket 7")
    await client.submit(PHONE, Call("Code 1234"))
    await client.submit(PHONE, TelegramCode("4321"), sender="+79990000000")
    texts = [s.text for s in backend.submits]
    assert texts == [
        "__MAIL__: Body\nsubj:Hi\n~~~\nticket 7",
        "__CALL__: Code 1234",
        "__TGM__: 4321",
    ]
    mail, call, tgm = (s.pdu for s in backend.submits)
    assert (mail.destination_addr, mail.dest_addr_ton) == ("user@example.com", 0)
    assert (call.source_addr, call.source_addr_ton, call.source_addr_npi) == ("MyShop", 5, 0)
    assert (tgm.source_addr, tgm.source_addr_ton, tgm.source_addr_npi) == ("79990000000", 1, 1)
    assert (call.destination_addr, call.dest_addr_ton, call.dest_addr_npi) == (PHONE, 1, 1)


async def test_registered_delivery_on_request(smpp: Harness) -> None:
    server, backend = await smpp.server()
    backend.auto_receipt = False
    client = await smpp.client(server)
    await client.submit(PHONE, "a")
    await client.submit(PHONE, "b", receipt=True)
    await client.submit(PHONE, Hlr())
    await client.submit(PHONE, "c", validity=dt.timedelta(hours=1), priority=1)
    assert [s.pdu.registered_delivery for s in backend.submits] == [0, 1, 1, 0]
    assert backend.submits[3].pdu.validity_period == "000000010000000R"
    assert backend.submits[3].pdu.priority_flag == 1
    receipts_client = await smpp.client(
        server, registered_delivery=True, login="other", password="pw2"
    )
    await receipts_client.submit(PHONE, "d")
    assert backend.submits[-1].pdu.registered_delivery == 1


async def test_validation_before_sending(smpp: Harness) -> None:
    server, backend = await smpp.server()
    client = await smpp.client(server)
    with pytest.raises(ValidationError):
        await client.submit("not a phone", "x")
    with pytest.raises(ValidationError):
        await client.submit(PHONE, Mail("x", subject="y"))  # a mail needs an e-mail address
    with pytest.raises(ValidationError):
        await client.submit(PHONE, "x", sender="Магазин")
    assert backend.submits == []


async def test_hlr_result_event(smpp: Harness) -> None:
    server, _ = await smpp.server()
    client = await smpp.client(server)
    (message_id,) = await client.submit(PHONE, Hlr())
    report = await client.wait_for_report(message_id, timeout=3)
    assert isinstance(report, HlrResult)
    assert report.country == "Russian Federation"
    assert report.sent is not None


async def test_query(smpp: Harness) -> None:
    server, _ = await smpp.server()
    client = await smpp.client(server)
    (message_id,) = await client.submit(PHONE, "q", receipt=True)
    await client.wait_for_report(message_id, timeout=3)
    status = await client.query(message_id)
    assert status.state is MessageState.DELIVERED
    with pytest.raises(Exception, match="ESME_RQUERYFAIL"):
        await client.query("999999")


# --- receiving --------------------------------------------------------------------------------


def _mo(text: str, **fields: Any) -> DeliverSm:
    return DeliverSm(
        source_addr="79990001122", destination_addr="100", short_message=text.encode(), **fields
    )


async def test_incoming_messages_every_method(smpp: Harness) -> None:
    server, backend = await smpp.server()
    client = await smpp.client(server)
    stream = client.messages()
    long_text = "Входящее " * 25
    backend.push_incoming("user", "79990001122", "100", "short")
    backend.push_incoming("user", "79990001122", "100", long_text, reference=5)
    backend.push_incoming(
        "user", "79990001122", "100", long_text, method=ConcatMethod.SAR, reference=300
    )
    backend.push_incoming("user", "79990001122", "100", long_text, method=ConcatMethod.PAYLOAD)
    # UDH with a 16-bit reference, parts out of order, GSM 7-bit with an escape
    gsm = "{" * 100 + "x" * 100
    data = encode(gsm, Encoding.GSM7)
    first, second = data[:152], data[152:]
    for seq, chunk in ((2, second), (1, first)):
        server.enqueue(
            "user",
            DeliverSm(
                source_addr="79990001122",
                destination_addr="100",
                esm_class=0x40,
                short_message=bytes((6, 8, 4, 0x12, 0x34, 2, seq)) + chunk,
            ),
        )
    server.enqueue(
        "user", DeliverSm(source_addr="7", data_coding=3, short_message="Grüße".encode("latin-1"))
    )
    server.enqueue(
        "user", DeliverSm(source_addr="7", data_coding=6, short_message="Щука".encode("iso8859_5"))
    )
    received = [await asyncio.wait_for(stream.__anext__(), 3) for _ in range(7)]
    assert [m.text for m in received] == [
        "short",
        long_text,
        long_text,
        long_text,
        gsm,
        "Grüße",
        "Щука",
    ]
    assert [m.parts for m in received[:5]] == [1, 4, 4, 1, 2]
    assert all(m.complete for m in received)
    assert received[0].source == "79990001122"
    assert received[0].destination == "100"


async def test_incomplete_message_reported_after_timeout(smpp: Harness) -> None:
    server, backend = await smpp.server()
    client = await smpp.client(server, reassembly_timeout=0.3)
    stream = client.messages()
    pdus = backend.push_incoming("user", "7999", "100", "z" * 300)
    assert len(pdus) == 2
    server._pending["user"].clear()
    server.enqueue("user", pdus[0])
    message = await asyncio.wait_for(stream.__anext__(), 3)
    assert not message.complete
    assert message.missing_parts == (2,)
    assert message.text == "z" * 153


async def test_handler_exceptions_still_answered(smpp: Harness) -> None:
    server, _ = await smpp.server()
    client = await smpp.client(server)
    calls: list[str] = []

    def broken(message: IncomingSms) -> None:
        calls.append("sync")
        raise RuntimeError("boom")

    async def broken_async(message: IncomingSms) -> None:
        calls.append("async")
        raise ValueError("boom")

    client.on_message(broken)
    client.on_message(broken_async)
    stream = client.messages()
    assert await server.deliver("user", _mo("one"))  # deliver_sm_resp with status 0 came
    assert await server.deliver("user", _mo("two"))
    assert calls == ["sync", "async", "sync", "async"]
    assert [(await stream.__anext__()).text for _ in range(2)] == ["one", "two"]


async def test_slow_handler_does_not_hold_the_answer_forever(smpp: Harness) -> None:
    server, _ = await smpp.server()
    client = await smpp.client(server, handler_timeout=0.2)

    async def stuck(message: IncomingSms) -> None:
        await asyncio.sleep(10)

    client.on_message(stuck)
    started = time.perf_counter()
    assert await server.deliver("user", _mo("one"))
    assert time.perf_counter() - started < 2


async def test_unsubscribe_and_stream_close(smpp: Harness) -> None:
    server, _ = await smpp.server()
    client = await smpp.client(server)
    seen: list[Any] = []
    unsubscribe = client.on_event(seen.append)
    async with client.events() as stream:
        assert await server.deliver("user", _mo("a"))
        assert (await stream.__anext__()).text == "a"
    unsubscribe()
    assert await server.deliver("user", _mo("b"))
    assert [e.text for e in seen] == ["a"]
    assert [e async for e in stream] == []


async def test_deliveries_wait_for_a_receiver(smpp: Harness) -> None:
    server, backend = await smpp.server()
    backend.push_incoming("user", "7999", "100", "queued while offline")
    client = SmppClient(smpp.config(server, bind_mode=BindMode.RECEIVER))
    smpp.clients.append(client)
    stream = client.messages()  # subscribed before open: nothing delivered at bind is missed
    await client.open()
    message = await asyncio.wait_for(stream.__anext__(), 3)
    assert message.text == "queued while offline"
    with pytest.raises(ValidationError):
        await client.submit(PHONE, "a receiver cannot send")


# --- connection ---------------------------------------------------------------------------------


async def test_state_changes_and_close_leaves_nothing(smpp: Harness) -> None:
    server, _ = await smpp.server()
    states: list[ConnectionState] = []
    client = SmppClient(smpp.config(server))
    client.on_state_change(states.append)
    stream = client.events()
    async with client:
        assert client.state is ConnectionState.BOUND
        await client.submit(PHONE, "x")
    assert states == [
        ConnectionState.CONNECTING,
        ConnectionState.BOUND,
        ConnectionState.UNBINDING,
        ConnectionState.CLOSED,
    ]
    assert [e async for e in stream] == []
    assert other_tasks() == set()
    await client.close()  # idempotent
    with pytest.raises(ClientClosedError):
        await client.submit(PHONE, "after close")
    await eventually(lambda: not server.sessions())
    assert await other_tasks_settle()


async def other_tasks_settle() -> bool:
    await asyncio.sleep(0.05)
    return all(t.done() for t in other_tasks())


async def test_graceful_unbind_from_client(smpp: Harness) -> None:
    server, _ = await smpp.server()
    client = await smpp.client(server)
    (session,) = server.sessions("user")
    await client.close()
    await session.session.wait_closed()
    assert session.session.close_reason == "unbound by the peer"


async def test_unbind_from_server_then_reconnect(smpp: Harness) -> None:
    server, backend = await smpp.server()
    client = await smpp.client(server)
    states: list[ConnectionState] = []
    client.on_state_change(states.append)
    server.unbind("user")
    await eventually(lambda: len(backend.binds) == 2 and client.bound)
    assert ConnectionState.DISCONNECTED in states
    assert await client.submit(PHONE, "after reconnect")


async def test_enquire_link_keeps_an_idle_connection(smpp: Harness) -> None:
    server, backend = await smpp.server(idle_timeout=0.4)
    client = await smpp.client(server, enquire_link_interval=0.1)
    await asyncio.sleep(1.5)
    assert client.bound
    assert len(backend.binds) == 1


async def test_idle_connection_is_closed_and_client_reconnects(smpp: Harness) -> None:
    server, backend = await smpp.server(idle_timeout=0.3)
    client = await smpp.client(server, enquire_link_interval=None)
    await eventually(lambda: len(backend.binds) >= 2)
    await eventually(lambda: client.bound)


async def test_dead_link_detected_by_enquire_link(smpp: Harness) -> None:
    """A peer that stops answering (but keeps the socket) is dropped after enquire_link."""
    silent = asyncio.Event()
    binds = 0

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal binds
        peer = RawPeer(reader, writer)
        bind = await peer.read()
        binds += 1
        await peer.send(BindTransceiverResp(sequence_number=bind.sequence_number, system_id="x"))
        await silent.wait()
        writer.close()

    fake = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = fake.sockets[0].getsockname()[1]
    try:
        client = await smpp.client(port, enquire_link_interval=0.1, response_timeout=0.2)
        await eventually(lambda: binds >= 2, within=5)
        await client.close()
    finally:
        silent.set()
        fake.close()
        await fake.wait_closed()


async def test_reconnect_mid_window_nothing_lost_or_duplicated(smpp: Harness) -> None:
    class Dropping(MemoryBackend):
        async def submit(self, request: SubmitRequest) -> SubmitResult:
            await asyncio.sleep(0.02)
            result = await super().submit(request)
            if len(self.submits) == 40:
                assert self.server is not None
                self.server.drop("user")
            return result

    server, backend = await smpp.server(Dropping(ACCOUNTS))
    client = await smpp.client(server, window=20)
    texts = [f"message {i}" for i in range(150)]
    results = await asyncio.gather(
        *(client.submit(PHONE, t) for t in texts), return_exceptions=True
    )
    assert len(backend.binds) >= 2
    at_server: dict[str, list[str]] = {}
    for message_id, stored in backend.messages.items():
        at_server.setdefault(stored.text, []).append(message_id)
    assert all(len(ids) == 1 for ids in at_server.values()), "a message reached the SMSC twice"
    unknown = 0
    for text, result in zip(texts, results, strict=True):
        if isinstance(result, SubmitOutcomeUnknownError):
            unknown += 1
            assert result.maybe_received
        else:
            assert isinstance(result, list), result
            assert at_server[text] == result  # delivered exactly once, with the id we got
    assert 1 <= unknown <= 20  # only what was in the window when the connection dropped
    assert len(at_server) >= len(texts) - unknown


async def test_failover_to_backup_host(smpp: Harness) -> None:
    server, _ = await smpp.server()
    dead = free_port()
    client = await smpp.client(dead, backup_host="127.0.0.1", backup_port=server.port)
    assert client.endpoint == ("127.0.0.1", server.port)
    assert await client.submit(PHONE, "via backup")


async def test_failover_when_primary_goes_away(smpp: Harness) -> None:
    primary, _ = await smpp.server()
    backup, backup_backend = await smpp.server()
    client = await smpp.client(primary, backup_host="127.0.0.1", backup_port=backup.port)
    assert client.endpoint == ("127.0.0.1", primary.port)
    await primary.close()
    await eventually(lambda: client.bound and client.endpoint == ("127.0.0.1", backup.port))
    await client.submit(PHONE, "after failover")
    assert backup_backend.submits[-1].text == "after failover"


async def test_bad_password_fails_open_and_leaves_nothing(smpp: Harness) -> None:
    server, _ = await smpp.server()
    client = SmppClient(smpp.config(server, password="wrong"))
    with pytest.raises(SmppAuthenticationError) as info:
        await client.open()
    assert info.value.status == CommandStatus.ESME_RINVPASWD
    assert "wrong" not in str(info.value)
    assert client.state is ConnectionState.CLOSED
    assert other_tasks() == set()


async def test_connection_refused(smpp: Harness) -> None:
    client = SmppClient(smpp.config(free_port(), connect_timeout=1))
    with pytest.raises(SmppConnectionError):
        await client.open()
    assert other_tasks() == set()


async def test_background_open_and_submit_timeout(smpp: Harness) -> None:
    port = free_port()
    client = await smpp.client(port, wait=False)
    assert client.state in (ConnectionState.CONNECTING, ConnectionState.DISCONNECTED)
    with pytest.raises(SubmitNotSentError) as info:
        await client.submit(PHONE, "x", timeout=0.3)
    assert not info.value.maybe_received
    await eventually(lambda: client.last_error is not None)
    # a server appears on that port: the client binds by itself
    await smpp.server(port=port)
    await client.wait_bound(timeout=5)
    assert await client.submit(PHONE, "now")


# --- TLS ----------------------------------------------------------------------------------------


async def test_tls_checks_certificates_by_default(smpp: Harness, tmp_path: Path) -> None:
    cert, key = self_signed_certificate(tmp_path)
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(cert, key)
    server, backend = await smpp.server(ssl_context=server_context)
    untrusting = SmppClient(smpp.config(server, tls=True, connect_timeout=3))
    with pytest.raises(SmppConnectionError) as info:
        await untrusting.open()
    assert isinstance(info.value.__cause__, ssl.SSLCertVerificationError)
    trusting = ssl.create_default_context(cafile=str(cert))
    client = await smpp.client(server, tls=True, ssl_context=trusting)
    assert await client.submit(PHONE, "over TLS")
    assert backend.submits[-1].text == "over TLS"


def test_default_ports() -> None:
    assert SmppConfig("u", "p").endpoints() == [("smpp.smsc.ru", 3700)]
    assert SmppConfig.smsc("u", "p").endpoints() == [
        ("smpp.smsc.ru", 3443),
        ("smpp2.smsc.ru", 3443),
    ]
    assert "secret" not in repr(SmppConfig("u", "secret"))
    with pytest.raises(ValidationError):
        SmppConfig("u", "p", window=0)


# --- flow control -------------------------------------------------------------------------------


async def test_throttled_messages_slow_down_and_are_sent_again(smpp: Harness) -> None:
    server, backend = await smpp.server(throughput=20, throughput_burst=5)
    client = await smpp.client(server, throttle_pause=0.1)
    started = time.perf_counter()
    texts = [f"t{i}" for i in range(40)]
    results = await asyncio.gather(*(client.submit(PHONE, t) for t in texts))
    elapsed = time.perf_counter() - started
    assert all(len(r) == 1 for r in results)
    assert sorted(m.text for m in backend.messages.values()) == sorted(texts)  # each exactly once
    assert client.throttled_count >= 0
    assert client.throttled_count > 0
    assert elapsed >= 1.2  # 35 beyond the burst at 20/s


async def test_client_throughput_limit(smpp: Harness) -> None:
    server, _ = await smpp.server()
    client = await smpp.client(server, throughput=50)
    started = time.perf_counter()
    await asyncio.gather(*(client.submit(PHONE, f"r{i}") for i in range(50)))
    assert time.perf_counter() - started >= 0.8


async def test_window_limits_outstanding(smpp: Harness) -> None:
    release = asyncio.Event()
    peak = 0

    class Holding(MemoryBackend):
        in_progress = 0

        async def submit(self, request: SubmitRequest) -> SubmitResult:
            nonlocal peak
            self.in_progress += 1
            peak = max(peak, self.in_progress)
            await release.wait()
            self.in_progress -= 1
            return await super().submit(request)

    server, _ = await smpp.server(Holding(ACCOUNTS))
    client = await smpp.client(server, window=5)
    tasks = [asyncio.ensure_future(client.submit(PHONE, f"w{i}")) for i in range(20)]
    await eventually(lambda: peak == 5)
    await asyncio.sleep(0.2)
    assert peak == 5
    assert client.outstanding == 5
    release.set()
    assert len(await asyncio.gather(*tasks)) == 20
    assert peak == 5


async def test_server_window_full_is_retried(smpp: Harness) -> None:
    class Slow(MemoryBackend):
        async def submit(self, request: SubmitRequest) -> SubmitResult:
            await asyncio.sleep(0.05)
            return await super().submit(request)

    server, backend = await smpp.server(Slow(ACCOUNTS), window=2)
    client = await smpp.client(server, window=10, throttle_pause=0.05)
    results = await asyncio.gather(*(client.submit(PHONE, f"q{i}") for i in range(20)))
    assert len(results) == 20
    assert len(backend.messages) == 20
    assert client.throttled_count >= 0
    assert client.throttled_count > 0


async def test_permanent_error_fails_that_message(smpp: Harness) -> None:
    class Picky(MemoryBackend):
        async def submit(self, request: SubmitRequest) -> SubmitResult:
            if request.destination_addr == "70000000000":
                return SubmitResult.rejected(CommandStatus.ESME_RINVDSTADR)
            return await super().submit(request)

    server, _ = await smpp.server(Picky(ACCOUNTS))
    client = await smpp.client(server)
    with pytest.raises(SubmitRejectedError) as info:
        await client.submit("70000000000", "x")
    assert info.value.status == CommandStatus.ESME_RINVDSTADR
    assert info.value.status_name == "ESME_RINVDSTADR"
    assert await client.submit(PHONE, "the next one goes")


async def test_unanswered_submit_is_unknown_and_not_resent(smpp: Harness) -> None:
    never = asyncio.Event()

    class Mute(MemoryBackend):
        async def submit(self, request: SubmitRequest) -> SubmitResult:
            self.submits.append(request)
            await never.wait()
            return SubmitResult.accepted("late")

    server, backend = await smpp.server(Mute(ACCOUNTS))
    client = await smpp.client(server, response_timeout=0.3)
    with pytest.raises(SubmitOutcomeUnknownError) as info:
        await client.submit(PHONE, "lost in the void")
    assert info.value.maybe_received
    await asyncio.sleep(0.5)
    assert len(backend.submits) == 1
    never.set()


async def test_garbage_from_the_smsc_gets_generic_nack(smpp: Harness) -> None:
    """A fake SMSC sends unparsable and unknown PDUs: the client nacks them and stays bound."""
    answers: asyncio.Queue[Any] = asyncio.Queue()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        peer = RawPeer(reader, writer)
        bind = await peer.read()
        await peer.send(BindTransceiverResp(sequence_number=bind.sequence_number, system_id="x"))
        truncated = DeliverSm(short_message=b"abc").encode()[:-2]
        truncated = (
            len(truncated).to_bytes(4, "big")
            + truncated[4:8]
            + b"\x00\x00\x00\x00"
            + (7).to_bytes(4, "big")
            + truncated[16:]
        )
        writer.write(truncated)
        writer.write(
            (16).to_bytes(4, "big") + (0x103).to_bytes(4, "big") + bytes(4) + (8).to_bytes(4, "big")
        )
        await peer.send(_mo("valid after garbage", sequence_number=9))
        try:
            while True:
                await answers.put(await peer.read(within=5))
        except (asyncio.IncompleteReadError, TimeoutError, ConnectionError):
            pass

    fake = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = fake.sockets[0].getsockname()[1]
    try:
        client = SmppClient(smpp.config(port))
        stream = client.messages()
        await client.open()
        message = await asyncio.wait_for(stream.__anext__(), 3)
        assert message.text == "valid after garbage"
        got = [await asyncio.wait_for(answers.get(), 3) for _ in range(3)]
        by_seq = {p.sequence_number: p for p in got}
        assert isinstance(by_seq[7], GenericNack)
        assert isinstance(by_seq[8], GenericNack)
        assert by_seq[8].command_status == CommandStatus.ESME_RINVCMDID
        assert isinstance(by_seq[9], DeliverSmResp)
        assert client.bound
        await client.close()
    finally:
        fake.close()
        await fake.wait_closed()


async def test_submit_sm_pdu_fields(smpp: Harness) -> None:
    client = SmppClient(smpp.config(1, sender="Shop"))
    (pdu,) = client.build_submit(PHONE, "x", flash=True, schedule=dt.timedelta(minutes=5))
    assert isinstance(pdu, SubmitSm)
    assert pdu.data_coding == 0x10
    assert pdu.schedule_delivery_time == "000000000500000R"
    assert pdu.source_addr == "Shop"
