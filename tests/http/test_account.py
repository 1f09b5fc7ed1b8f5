"""status, balance, templates, operator templates, sender names and ping through both clients."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from pysmsc import MessageStatus, OperatorTemplateTarget

PHONE = "79991234567"
OTHER = "79161234567"


async def test_status_follows_the_test_mode_progression(smsc: Any, emulator: Any) -> None:
    sent = await smsc.send(PHONE, "Status progression")
    assert (await smsc.status(sent.id, PHONE)).status is MessageStatus.WAITING
    emulator.control.advance(1.5)
    assert (await smsc.status(sent.id, PHONE)).status is MessageStatus.PASSED_TO_OPERATOR
    emulator.control.advance(2.5)
    final = await smsc.status(sent.id, PHONE, full=2)
    assert final.status is MessageStatus.DELIVERED
    assert final.is_final
    assert final.text == "Status progression"
    assert final.country
    assert final.cost == Decimal("1.40")


async def test_many_statuses_in_one_request(smsc: Any, emulator: Any) -> None:
    first = await smsc.send(PHONE, "one")
    second = await smsc.send(OTHER, "two")
    emulator.control.set_status(second.id, OTHER, 20, err=1)
    infos = await smsc.statuses([(first.id, PHONE), (second.id, OTHER)])
    assert [(i.id, i.phone) for i in infos] == [(first.id, PHONE), (second.id, OTHER)]
    assert infos[1].status is MessageStatus.UNDELIVERABLE
    assert infos[1].error_meaning == "the subscriber does not exist"


async def test_unknown_message_and_delete(smsc: Any) -> None:
    assert (await smsc.status(424242, PHONE)).status is MessageStatus.NOT_FOUND
    sent = await smsc.send(PHONE, "to be deleted")
    await smsc.delete_message(sent.id, PHONE)
    assert (await smsc.status(sent.id, PHONE)).status is MessageStatus.NOT_FOUND


async def test_balance_and_currency(smsc: Any, emulator: Any) -> None:
    emulator.control.set_balance("12.34")
    balance = await smsc.balance()
    assert balance.balance == Decimal("12.34")
    assert balance.currency == "RUB"


async def test_api_key_authentication(make_client: Any, emulator: Any) -> None:
    keyed = make_client(api_key=emulator.api_key)
    assert (await keyed.balance()).balance == Decimal("1000.00")


async def test_templates_lifecycle(smsc: Any) -> None:
    template_id = await smsc.add_template("disk", "Disk {1} full", format="sms", autosign=True)
    [template] = await smsc.templates()
    assert (template.id, template.name, template.autosign) == (template_id, "disk", True)
    await smsc.change_template(template_id, message="Disk {1} at {2}%")
    assert (await smsc.templates())[0].message == "Disk {1} at {2}%"
    await smsc.delete_template(template_id)
    assert await smsc.templates() == []


async def test_operator_templates(smsc: Any, emulator: Any) -> None:
    targets = [OperatorTemplateTarget.MTS_SERVICE, "bee_trn"]
    added = await smsc.add_operator_template("SMSC", "Your code {code}", targets)
    assert [(s.name, s.status) for s in added] == [("mts_srv", 1), ("bee_trn", 1)]
    again = await smsc.add_operator_template("SMSC", "Your code {code}", ["mts_srv"])
    assert again[0].status == -2
    emulator.control.set_op_template_status("SMSC", "Your code {code}", "mts_srv", 2)
    states = {s.name: s.status for s in await smsc.operator_templates("SMSC", "Your code {code}")}
    assert states["mts_srv"] == 2
    assert states["bee_trn"] == 0
    assert states["mega_srv"] == -1


async def test_sender_names_and_the_code_flow(smsc: Any, emulator: Any) -> None:
    assert [s.name for s in await smsc.senders()] == ["SMSC"]
    new_id = await smsc.add_sender("Ops", "our alerts")
    pending = {s.name: s.status for s in await smsc.senders(with_status=True)}
    assert pending == {"SMSC": 1, "Ops": 0}
    await smsc.change_sender(sender_id=new_id, comment="alerts of the ops team")
    await smsc.delete_sender(name="Ops")
    await smsc.send_sender_code("+79161234567")
    code_sms = emulator.control.messages()[-1]
    code = re.search(r"\d{4,}", code_sms["text"])
    assert code_sms["phones"][0]["phone"] == "79161234567"
    assert code is not None
    await smsc.check_sender_code("79161234567", code.group())
    assert "79161234567" in [s.name for s in await smsc.senders()]


async def test_ping_event_and_recovery(smsc: Any, emulator: Any) -> None:
    group = emulator.control.add_task_group(
        "web", ["79161234567"], fail_text="{NAME} down on {HOST}: {INFO}", ok_text="{NAME} back"
    )
    group_id = group["id"]
    await smsc.ping(group_id, name="nginx", host="web1", info="502")
    await smsc.ping(group_id, name="nginx", recovered=True)
    texts = [m["text"] for m in emulator.control.messages()]
    assert texts == ["nginx down on web1: 502", "nginx back"]
    assert len(emulator.control.ping_events()) == 2
