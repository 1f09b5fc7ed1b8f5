# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Hypothesis: arbitrary bytes never crash the decoder, a session, the server or the client."""

from __future__ import annotations

import asyncio
import struct
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pysmsc.smpp import SmppClient, SmppConfig
from pysmsc.smpp.errors import PduDecodeError
from pysmsc.smpp.pdu import (
    HEADER,
    BindTransceiverResp,
    DeliverSm,
    Pdu,
    SubmitSm,
    decode_pdu,
)
from pysmsc.smpp.session import SmppSession
from pysmsc.smpp.status import CommandId
from pysmsc.smpp.tlv import Tlv
from pysmsc_emulator.smpp.memory import MemoryBackend
from pysmsc_emulator.smpp.server import ServerConfig, SmppServer

from .conftest import ACCOUNTS, RawPeer

FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
COMMAND_IDS = st.sampled_from([int(c) for c in CommandId] + [0x7777, 0x80007777])


def frame(command_id: int, status: int, seq: int, body: bytes) -> bytes:
    return HEADER.pack(16 + len(body), command_id, status, seq) + body


@FUZZ
@given(st.binary(max_size=400))
def test_decoder_on_arbitrary_bytes(data: bytes) -> None:
    try:
        pdu = decode_pdu(data)
    except PduDecodeError as exc:
        assert exc.status > 0  # noqa: PT017
    else:
        assert isinstance(pdu, Pdu)


@FUZZ
@given(COMMAND_IDS, st.integers(0, 2**32 - 1), st.integers(0, 2**32 - 1), st.binary(max_size=300))
def test_decoder_on_every_command_with_random_body(
    command_id: int, status: int, seq: int, body: bytes
) -> None:
    try:
        pdu = decode_pdu(frame(command_id, status, seq, body))
    except PduDecodeError as exc:
        assert exc.sequence_number == seq  # noqa: PT017
    else:
        assert pdu.sequence_number == seq
        pdu.encode()  # whatever was decoded can be encoded again


@FUZZ
@given(
    st.text(st.characters(max_codepoint=255, blacklist_characters="\0"), max_size=20),
    st.integers(0, 255),
    st.binary(max_size=254),
    st.lists(st.tuples(st.integers(0, 0xFFFF), st.binary(max_size=40)), max_size=4),
)
def test_submit_sm_round_trip(
    address: str, byte: int, message: bytes, tlvs: list[tuple[int, bytes]]
) -> None:
    pdu = SubmitSm(
        sequence_number=7,
        source_addr=address,
        destination_addr=address,
        esm_class=byte,
        data_coding=byte,
        short_message=message,
        tlvs=[Tlv(tag, value) for tag, value in tlvs],
    )
    assert decode_pdu(pdu.encode()) == pdu


class _Transport(asyncio.Transport):
    def __init__(self) -> None:
        super().__init__()
        self.written = bytearray()
        self.closed = False

    def write(self, data: Any) -> None:
        self.written += data

    def close(self) -> None:
        self.closed = True

    def abort(self) -> None:
        self.closed = True

    def is_closing(self) -> bool:
        return self.closed

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return default


class _Handler:
    def __init__(self) -> None:
        self.requests: list[Pdu] = []

    def request_received(self, session: SmppSession, pdu: Pdu) -> None:
        self.requests.append(pdu)
        session.send_response(pdu.response())

    def session_closed(self, session: SmppSession, exc: BaseException | None) -> None:
        pass


def _frames(data: bytes) -> list[bytes]:
    frames = []
    while len(data) >= 16:
        length = struct.unpack(">I", data[:4])[0]
        frames.append(data[:length])
        data = data[length:]
    assert data == b""
    return frames


@FUZZ
@given(
    st.lists(
        st.one_of(
            st.binary(max_size=64),
            st.builds(
                frame,
                COMMAND_IDS,
                st.integers(0, 255),
                st.integers(1, 1000),
                st.binary(max_size=80),
            ),
        ),
        max_size=12,
    )
)
def test_session_on_arbitrary_stream(chunks: list[bytes]) -> None:
    async def scenario() -> None:
        handler = _Handler()
        session = SmppSession(handler)
        transport = _Transport()
        session.connection_made(transport)
        session.bound = True
        for chunk in chunks:
            session.data_received(chunk)
        await asyncio.sleep(0)
        for written in _frames(bytes(transport.written)):
            decode_pdu(written)  # everything the session answered is a valid PDU
        session.connection_lost(None)
        await session.wait_closed()

    asyncio.run(scenario())


@settings(deadline=None, max_examples=25, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.binary(min_size=1, max_size=200), min_size=1, max_size=5))
def test_live_server_survives_garbage(chunks: list[bytes]) -> None:
    async def scenario() -> None:
        backend = MemoryBackend(ACCOUNTS)
        server = SmppServer(backend, ServerConfig(throughput=None))
        backend.attach(server)
        async with server:
            peer = await RawPeer.connect(server.port)
            await peer.bind()
            for chunk in chunks:
                peer.writer.write(chunk)
            await peer.writer.drain()
            await asyncio.sleep(0.01)
            await peer.close()
            config = SmppConfig(
                "user", "secret", host="127.0.0.1", port=server.port, throughput=None
            )
            async with SmppClient(config) as client:
                assert await client.submit("79991234567", "after garbage")
        assert {t for t in asyncio.all_tasks() if t is not asyncio.current_task()} == set()

    asyncio.run(scenario())


@settings(deadline=None, max_examples=25, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(
            st.binary(min_size=1, max_size=120),
            st.builds(
                lambda body, seq: frame(CommandId.DELIVER_SM, 0, seq, body),
                st.binary(max_size=120),
                st.integers(1, 1000),
            ),
            st.builds(
                lambda m: DeliverSm(sequence_number=5, esm_class=0x44, short_message=m).encode(),
                st.binary(max_size=100),
            ),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_live_client_survives_garbage(chunks: list[bytes]) -> None:
    async def scenario() -> None:
        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            peer = RawPeer(reader, writer)
            try:
                bind = await peer.read()
                await peer.send(BindTransceiverResp(sequence_number=bind.sequence_number))
                for chunk in chunks:
                    writer.write(chunk)
                await writer.drain()
                await asyncio.sleep(0.05)
            except (ConnectionError, asyncio.IncompleteReadError):
                pass
            finally:
                writer.close()

        fake = await asyncio.start_server(handle, "127.0.0.1", 0)
        port = fake.sockets[0].getsockname()[1]
        events: list[Any] = []
        client = SmppClient(
            SmppConfig(
                "user", "secret", host="127.0.0.1", port=port, reconnect_delay=5, handler_timeout=1
            )
        )
        client.on_event(events.append)
        await client.open()
        await asyncio.sleep(0.1)
        await client.close()
        fake.close()
        await fake.wait_closed()
        assert {t for t in asyncio.all_tasks() if t is not asyncio.current_task()} == set()

    asyncio.run(scenario())
