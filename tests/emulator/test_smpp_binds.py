# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The emulator's SMPP binds: the account's credentials, one connection per login unless
MCONn, the session list of the control API."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from pysmsc.smpp import (
    BindError,
    BindMode,
    CommandStatus,
    ConnectionState,
    SmppAuthenticationError,
    SystemType,
)
from pysmsc.smpp.pdu import BindTransceiverResp
from pysmsc_emulator import EmulatorConfig, EmulatorControlError
from pysmsc_emulator.pytest_plugin import EmulatorHandle

from ..smpp.conftest import RawPeer
from .smpp_helpers import SmppClients, eventually


async def test_bind_with_the_login_and_password(smpp_clients: SmppClients) -> None:
    control = smpp_clients.handle.control
    client = await smpp_clients.open()
    assert client.state is ConnectionState.BOUND
    [session] = await control.smpp_sessions()
    assert (session["login"], session["mode"], session["system_type"]) == (
        "demo",
        "transceiver",
        "",
    )
    assert session["remote"].startswith("127.0.0.1:")
    await client.close()
    await eventually(lambda: not smpp_clients.handle.emulator.smpp_server.sessions())


async def test_the_password_may_be_its_md5(smpp_clients: SmppClients) -> None:
    md5 = hashlib.md5(b"demo", usedforsecurity=False).hexdigest()
    client = await smpp_clients.open(password=md5, bind_mode=BindMode.RECEIVER)
    assert client.bound
    [session] = await smpp_clients.handle.control.smpp_sessions()
    assert session["mode"] == "receiver"


@pytest.mark.parametrize(
    ("login", "password", "status"),
    [
        ("demo", "wrong", CommandStatus.ESME_RINVPASWD),
        ("nobody", "demo", CommandStatus.ESME_RINVSYSID),
        ("demo", "demo-api-key", CommandStatus.ESME_RINVPASWD),  # an API key is no password
        ("demo-api-key", "demo-api-key", CommandStatus.ESME_RINVSYSID),
        ("DEMO", "demo", CommandStatus.ESME_RINVSYSID),  # the login exactly as the account has it
    ],
)
async def test_bad_credentials_are_refused(
    smpp_clients: SmppClients, login: str, password: str, status: int
) -> None:
    with pytest.raises(SmppAuthenticationError) as info:
        await smpp_clients.open(login=login, password=password)
    assert info.value.status == status
    assert await smpp_clients.handle.control.smpp_sessions() == []


async def test_an_api_key_alone_is_refused(async_smpp_emulator: Any) -> None:
    peer = await RawPeer.connect(async_smpp_emulator.smpp_port)
    try:
        resp = await peer.bind(system_id="", password="demo-api-key")
        assert resp.command_status == CommandStatus.ESME_RINVSYSID
        resp = await peer.bind(system_id="demo", password="demo")
        assert isinstance(resp, BindTransceiverResp)
        assert (resp.command_status, resp.system_id) == (0, "SMSC")
    finally:
        await peer.close()


async def test_a_blocked_ip_cannot_bind(smpp_clients: SmppClients) -> None:
    await smpp_clients.handle.control.block_ip(True)
    with pytest.raises(BindError) as info:
        await smpp_clients.open()
    assert info.value.status == CommandStatus.ESME_RBINDFAIL
    assert not isinstance(info.value, SmppAuthenticationError)


async def test_one_connection_per_login(smpp_clients: SmppClients) -> None:
    control = smpp_clients.handle.control
    first = await smpp_clients.open(reconnect=False)
    second = await smpp_clients.open(reconnect=False)
    # the new bind ends the older connection, as the service does
    await eventually(lambda: first.state is ConnectionState.DISCONNECTED)
    assert second.bound
    sessions = await control.smpp_sessions()
    assert len(sessions) == 1
    assert await second.submit("79161234567", "the newer connection works")


async def test_mcon_allows_that_many_connections(smpp_clients: SmppClients) -> None:
    control = smpp_clients.handle.control
    mcon2 = SystemType(connections=2)
    a = await smpp_clients.open(system_type=mcon2, reconnect=False)
    b = await smpp_clients.open(system_type=mcon2, reconnect=False)
    assert a.bound
    assert b.bound
    sessions = await control.smpp_sessions()
    assert [s["system_type"] for s in sessions] == ["MCON2", "MCON2"]
    c = await smpp_clients.open(system_type=SystemType(connections=2, iso=True), reconnect=False)
    await eventually(lambda: a.state is ConnectionState.DISCONNECTED)  # the oldest goes
    assert b.bound
    assert c.bound
    sessions = await control.smpp_sessions()
    assert [s["system_type"] for s in sessions] == ["MCON2", "MCON2,ISO"]


async def test_drop_cuts_connections_without_unbind(smpp_clients: SmppClients) -> None:
    control = smpp_clients.handle.control
    client = await smpp_clients.open(reconnect=False)
    assert await control.smpp_drop(login="nobody") == {"dropped": 0}
    assert client.bound
    assert await control.smpp_drop(login="demo") == {"dropped": 1}
    await eventually(lambda: client.state is ConnectionState.DISCONNECTED)
    assert await control.smpp_sessions() == []
    # a client that reconnects is back by itself
    again = await smpp_clients.open()
    assert await control.smpp_drop() == {"dropped": 1}
    await eventually(lambda: not again.bound)
    await again.wait_bound(5)
    assert len(await control.smpp_sessions()) == 1


async def test_smpp_control_endpoints_without_smpp() -> None:
    async with EmulatorHandle.running(EmulatorConfig()) as handle:
        with pytest.raises(EmulatorControlError) as info:
            await handle.control.smpp_sessions()
        assert info.value.status == 404
        assert "SMPP" in str(info.value)
