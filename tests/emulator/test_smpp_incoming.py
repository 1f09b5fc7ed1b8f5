# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Incoming messages injected through the control API reach the login's SMPP receivers and
transceivers (long ones as concatenated parts), and wait for one when none is bound."""

from __future__ import annotations

import pytest

from pysmsc.smpp import BindMode, IncomingSms, SystemType

from .smpp_helpers import SmppClients, eventually, next_event, nothing_arrives

LONG = "Входящее сообщение от абонента. " * 5  # UCS2, 160 characters: 3 parts


@pytest.mark.parametrize("mode", [BindMode.RECEIVER, BindMode.TRANSCEIVER])
async def test_incoming_reaches_a_bound_receiver(smpp_clients: SmppClients, mode: BindMode) -> None:
    control = smpp_clients.handle.control
    client = await smpp_clients.open(bind_mode=mode)
    messages = client.messages()
    stored = await control.receive("+7 (916) 111-22-33", "Да, согласен", to="79001234567")
    message = await next_event(messages)
    assert isinstance(message, IncomingSms)
    assert (message.source, message.destination, message.text) == (
        "79161112233",
        "79001234567",
        "Да, согласен",
    )
    assert stored["phone"] == "79161112233"
    # a long one comes as parts with a UDH and is reassembled whole
    await control.receive("79161112233", LONG, to="79001234567")
    message = await next_event(messages)
    assert (message.text, message.parts, message.complete) == (LONG, 3, True)
    assert message.udh[:3] == b"\x05\x00\x03"


async def test_incoming_waits_for_a_receiver(smpp_clients: SmppClients) -> None:
    handle = smpp_clients.handle
    control = handle.control
    await control.receive("79161112233", "first")
    await control.receive("79161112233", LONG)
    # a transmitter receives nothing
    transmitter = await smpp_clients.open(bind_mode=BindMode.TRANSMITTER)
    assert await nothing_arrives(transmitter.messages(), 0.3)
    assert handle.emulator.smpp_server.pending("demo") == 4
    receiver = smpp_clients.make(bind_mode=BindMode.RECEIVER)
    messages = receiver.messages()  # before the bind: the queue comes right after it
    await receiver.open()
    assert (await next_event(messages)).text == "first"
    assert (await next_event(messages)).text == LONG
    await eventually(lambda: handle.emulator.smpp_server.pending("demo") == 0)


async def test_reset_clears_the_queue_but_keeps_the_connections(
    smpp_clients: SmppClients,
) -> None:
    handle = smpp_clients.handle
    transmitter = await smpp_clients.open(bind_mode=BindMode.TRANSMITTER)
    await handle.control.receive("79161112233", "before the reset")
    assert handle.emulator.smpp_server.pending("demo") == 1
    await handle.control.smpp_configure(throughput=5)
    await handle.control.reset()
    assert handle.emulator.smpp_server.pending("demo") == 0
    assert await handle.control.smpp_settings() == {"throughput": 30.0, "idle_timeout": 120.0}
    assert transmitter.bound
    assert len(await handle.control.smpp_sessions()) == 1
    receiver = await smpp_clients.open(
        bind_mode=BindMode.RECEIVER, system_type=SystemType(connections=2)
    )
    messages = receiver.messages()
    await handle.control.receive("79161112233", "after the reset")
    assert (await next_event(messages)).text == "after the reset"
    assert await nothing_arrives(messages, 0.3)
