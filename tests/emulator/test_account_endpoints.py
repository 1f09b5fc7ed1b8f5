# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""balance.php, templates.php, op_templates.php, senders.php and ping.php: every command in
every fmt, every error code, and the rate rules."""

from __future__ import annotations

import json
import re

import pytest

from .helpers import NO_ROUTE, PHONE, PHONE2, Api

RATE = {"error": "duplicate request, wait a minute", "error_code": 9}


def _parse(fmt: int, text: str) -> object:
    return json.loads(text) if fmt == 3 else text


# -- balance.php ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "cur", "expected"),
    [
        (0, 0, "1000.00"),
        (1, 0, "1000.00"),
        (2, 0, "<result><balance>1000.00</balance></result>"),
        (3, 0, {"balance": "1000.00"}),
        (0, 1, "1000.00 RUB"),
        (1, 1, "1000.00,RUB"),
        (2, 1, "<result><balance>1000.00</balance><currency>RUB</currency></result>"),
        (3, 1, {"balance": "1000.00", "currency": "RUB"}),
    ],
)
def test_balance(api: Api, fmt: int, cur: int, expected: object) -> None:
    assert _parse(fmt, api.text("balance", fmt=fmt, cur=cur)) == expected


def test_balance_follows_sends_and_control(api: Api, emulator) -> None:
    api.send(phones=f"{PHONE},{PHONE2}")
    assert api.json("balance") == {"balance": "997.20"}
    emulator.control.set_balance("12.3")
    assert api.text("balance", fmt=0) == "12.30"


def test_eleventh_balance_request_is_error_9(api: Api, emulator) -> None:
    for _ in range(10):
        assert "balance" in api.json("balance")
    assert api.json("balance") == RATE
    assert api.text("balance", fmt=0) == "ERROR = 9 (duplicate request, wait a minute)"
    emulator.control.advance(60)
    assert api.json("balance") == {"balance": "1000.00"}


# -- templates.php -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "created", "changed", "listing"),
    [
        (
            0,
            "ID - 1",
            "OK",
            "id = 1, name = Greeting, format = sms, sender = SMSC, flag = 1, message = Hi {name}",
        ),
        (1, "1", "OK", "1,Greeting,sms,SMSC,1,Hi {name}"),
        (
            2,
            "<template><id>1</id></template>",
            "<result>OK</result>",
            "<list><template><id>1</id><name>Greeting</name><format>sms</format>"
            "<sender>SMSC</sender><flag>1</flag><message>Hi {name}</message></template></list>",
        ),
        (
            3,
            {"id": 1},
            {"result": "OK"},
            [
                {
                    "id": 1,
                    "name": "Greeting",
                    "format": "sms",
                    "sender": "SMSC",
                    "flag": 1,
                    "message": "Hi {name}",
                }
            ],
        ),
    ],
)
def test_templates_in_every_format(
    api: Api, fmt: int, created: object, changed: object, listing: object
) -> None:
    add = api.text("templates", add=1, name="Hello", msg="Hi", fmt=fmt)
    assert _parse(fmt, add) == created
    change = api.text(
        "templates",
        chg=1,
        id=1,
        name="Greeting",
        msg="Hi {name}",
        format="sms",
        sender="SMSC",
        fmt=fmt,
        **{"fl[1]": 1},
    )
    assert _parse(fmt, change) == changed
    assert _parse(fmt, api.text("templates", get=1, fmt=fmt)) == listing
    assert _parse(fmt, api.text("templates", **{"del": 1}, id=1, fmt=fmt)) == changed
    assert api.json("templates", get=1, fmt=3) == []


def test_template_errors(api: Api) -> None:
    not_found = {"error": "record not found", "error_code": 3}
    params_error = {"error": "parameters error", "error_code": 1}
    save_error = {"error": "save or delete error", "error_code": 5}
    assert api.json("templates") == params_error
    assert api.json("templates", add=1, name="x") == params_error
    assert api.json("templates", add=1, msg="x") == params_error
    assert api.json("templates", add=1, name="x", msg="y", format="telegram") == params_error
    assert api.json("templates", chg=1, name="x") == params_error
    assert api.json("templates", chg=1, id="abc") == params_error
    assert api.json("templates", chg=1, id=5, name="x") == not_found
    assert api.json("templates", **{"del": 1}, id=5) == not_found
    assert api.json("templates", add=1, name="One", msg="1") == {"id": 1}
    assert api.json("templates", add=1, name="Two", msg="2") == {"id": 2}
    assert api.json("templates", add=1, name="one", msg="again") == save_error
    assert api.json("templates", chg=1, id=2, name="ONE") == save_error


def test_fourth_identical_template_request_is_error_9(api: Api, emulator) -> None:
    for _ in range(3):
        assert api.json("templates", get=1) == []
    assert api.json("templates", get=1) == RATE
    emulator.control.advance(60)
    assert api.json("templates", get=1) == []


# -- op_templates.php ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        (0, "mts_srv = 1, id = 1\nbee_trn = 1, id = 2"),
        (1, "mts_srv,1,1\nbee_trn,1,2"),
        (
            2,
            "<result><template><name>mts_srv</name><status>1</status><id>1</id></template>"
            "<template><name>bee_trn</name><status>1</status><id>2</id></template></result>",
        ),
        (3, [{"mts_srv": 1, "id": 1}, {"bee_trn": 1, "id": 2}]),
    ],
)
def test_operator_template_add(api: Api, fmt: int, expected: object) -> None:
    text = api.text(
        "op_templates", add=1, sender="SMSC", msg="Code: %d%", mts_srv=1, bee_trn=1, fmt=fmt
    )
    assert _parse(fmt, text) == expected


def test_operator_template_statuses(api: Api, emulator) -> None:
    add = {"sender": "SMSC", "msg": "Code: %d%"}
    assert api.json("op_templates", add=1, mega_auth=1, **add) == [{"mega_auth": 1, "id": 1}]
    assert api.json("op_templates", add=1, mega_auth=1, tele2_srv=1, **add) == [
        {"mega_auth": -2, "id": 0},
        {"tele2_srv": 1, "id": 2},
    ]
    assert api.json("op_templates", add=1, soc=1, sender="Unknown", msg="x") == [
        {"soc": -1, "id": 0}
    ]
    answer = api.json("op_templates", get=1, **add)
    assert len(answer) == 10
    assert {"mega_auth": 0, "id": 1} in answer
    assert {"mts_srv": -1, "id": 0} in answer
    emulator.control.set_op_template_status("SMSC", "Code: %d%", "tele2_srv", 2)
    assert api.json("op_templates", get=1, tele2_srv=1, **add) == [{"tele2_srv": 2, "id": 2}]
    assert api.text("op_templates", get=1, tele2_srv=1, fmt=0, **add) == "tele2_srv = 2, id = 2"


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"add": 1, "sender": "SMSC", "msg": "x"},
        {"add": 1, "msg": "x", "mts_srv": 1},
        {"add": 1, "sender": "SMSC", "mts_srv": 1},
        {"get": 1, "sender": "SMSC"},
    ],
)
def test_operator_template_parameters_error(api: Api, params: dict[str, object]) -> None:
    assert api.json("op_templates", **params) == {"error": "parameters error", "error_code": 1}


def test_eleventh_identical_operator_template_request_is_error_9(api: Api) -> None:
    for _ in range(10):
        assert len(api.json("op_templates", get=1, sender="SMSC", msg="x")) == 10
    assert api.json("op_templates", get=1, sender="SMSC", msg="x") == RATE
    assert len(api.json("op_templates", get=1, sender="SMSC", msg="y")) == 10


# -- senders.php ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "params", "expected"),
    [
        (0, {}, "name = SMSC, id = 1"),
        (1, {}, "SMSC,1"),
        (2, {}, '<list><sender id="1">SMSC</sender></list>'),
        (3, {}, [{"sender": "SMSC", "id": 1}]),
        (0, {"all": 1}, "name = SMSC, status = 1, id = 1\nname = Shop, status = 0, id = 2"),
        (1, {"all": 1}, "SMSC,1,1\nShop,0,2"),
        (
            2,
            {"all": 1},
            '<list><sender status="1" id="1">SMSC</sender>'
            '<sender status="0" id="2">Shop</sender></list>',
        ),
        (
            3,
            {"all": 1},
            [{"sender": "SMSC", "status": 1, "id": 1}, {"sender": "Shop", "status": 0, "id": 2}],
        ),
    ],
)
def test_sender_list(api: Api, fmt: int, params: dict[str, object], expected: object) -> None:
    assert api.json("senders", add=1, sender="Shop", cmt="our shop") == {"sender": 2}
    assert _parse(fmt, api.text("senders", get=1, fmt=fmt, **params)) == expected


@pytest.mark.parametrize("fmt", [0, 1, 2, 3])
def test_sender_list_with_operators(api: Api, fmt: int) -> None:
    text = api.text("senders", get=1, operators=1, fmt=fmt)
    if fmt == 3:
        [item] = json.loads(text)
        assert next(iter(item)) == "sender"
        assert list(item)[-1] == "id"
        assert item["id"] == "1"
        assert item["mts_step"] == "2"
        assert len(item) == 15
    elif fmt == 2:
        assert text.startswith('<list><sender mega_step="2" mega_int="2" bee_step="2"')
        assert text.endswith(' ua_int="2" id="1">SMSC</sender></list>')
    elif fmt == 1:
        assert text == "SMSC," + "2," * 13 + "1"
    else:
        assert text.startswith("name = SMSC, mega_step = 2, bee_step = 2, motiv_step = 2")
        assert text.endswith("mts_int = 2, id = 1")


@pytest.mark.parametrize(
    ("fmt", "created", "ok"),
    [
        (0, "ID = 2", "OK"),
        (1, "2", "OK"),
        (2, "<result><sender>2</sender></result>", "<result>OK</result>"),
        (3, {"sender": 2}, {"result": "OK"}),
    ],
)
def test_sender_add_change_delete(api: Api, fmt: int, created: object, ok: object) -> None:
    assert _parse(fmt, api.text("senders", add=1, sender="Shop", fmt=fmt)) == created
    assert _parse(fmt, api.text("senders", chg=1, sender="Shop", cmt="new", fmt=fmt)) == ok
    assert _parse(fmt, api.text("senders", chg=1, id=2, cmt="again", fmt=fmt)) == ok
    assert _parse(fmt, api.text("senders", **{"del": 1}, id=2, fmt=fmt)) == ok
    assert api.json("senders", get=1, all=1) == [{"sender": "SMSC", "status": 1, "id": 1}]


def test_sender_errors(api: Api) -> None:
    assert api.json("senders") == {"error": "parameters error", "error_code": 1}
    assert api.json("senders", add=1) == {"error": "parameters error", "error_code": 1}
    assert api.json("senders", add=1, sender="Much-too-long-name")["error_code"] == 1
    assert api.json("senders", add=1, sender="smsc") == {
        "error": "save or delete error",
        "error_code": 5,
    }
    assert api.json("senders", add=1, sender="12345") == {
        "error": "invalid number",
        "error_code": 7,
    }
    assert api.json("senders", chg=1, sender="Nobody") == {
        "error": "sender name not found",
        "error_code": 3,
    }
    assert api.json("senders", **{"del": 1}, id=99)["error_code"] == 3
    assert api.json("senders", **{"del": 1})["error_code"] == 1
    assert api.json("senders", send_code=1, sender="abc")["error_code"] == 7
    assert api.json("senders", send_code=1, sender=NO_ROUTE) == {
        "error": "code can't to deliver",
        "error_code": 8,
    }
    assert api.json("senders", check_code=1, sender=PHONE2, code="1")["error_code"] == 3


def test_numeric_sender_confirmation(api: Api, emulator) -> None:
    assert api.json("senders", send_code=1, sender="8" + PHONE2[1:]) == {"result": "OK"}
    [message] = emulator.control.messages()
    assert message["source"] == "service"
    assert message["phones"][0]["phone"] == PHONE2
    assert message["cost"] == "0.00"
    code = re.search(r"\d{6}", message["text"]).group(0)
    assert api.json("senders", get=1, all=1)[-1] == {"sender": PHONE2, "status": 0, "id": 2}
    assert api.json("senders", send_code=1, sender=PHONE2) == {
        "error": "code already sent, retry after 8 hours",
        "error_code": 10,
    }
    wrong = "000000" if code != "000000" else "111111"
    assert api.json("senders", check_code=1, sender=PHONE2, code=wrong) == {
        "error": "invalid code",
        "error_code": 11,
    }
    assert api.text("senders", check_code=1, sender=PHONE2, code=code, fmt=1) == "OK"
    assert api.json("senders", get=1)[-1] == {"sender": PHONE2, "id": 2}
    # The confirmed number can now send (a call from it, for example).
    assert api.send(call=1, mes="Hello", sender=PHONE2)["cnt"] == 10
    emulator.control.advance(8 * 3600)
    assert api.json("senders", send_code=1, sender=PHONE2) == {"result": "OK"}


def test_sender_rate_rules(api: Api, emulator) -> None:
    for _ in range(3):
        assert isinstance(api.json("senders", get=1), list)
    assert api.json("senders", get=1) == RATE
    assert isinstance(api.json("senders", get=1, all=1), list)
    for i in range(5):
        assert "sender" in api.json("senders", add=1, sender=f"Name{i}")
    assert api.json("senders", add=1, sender="Name5") == RATE
    emulator.control.advance(60)
    assert "sender" in api.json("senders", add=1, sender="Name5")


# -- ping.php ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [(0, "OK"), (1, "OK"), (2, "<result>OK</result>"), (3, {"result": "OK"})],
)
def test_ping(api: Api, fmt: int, expected: object) -> None:
    assert _parse(fmt, api.text("ping", id=1, name="web", fmt=fmt)) == expected


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        (0, "ERROR = 3 (task group not found)"),
        (1, "0,-3"),
        (2, "<result><error>task group not found</error><error_code>3</error_code></result>"),
        (3, {"error": "task group not found", "error_code": 3}),
    ],
)
def test_ping_unknown_group(api: Api, fmt: int, expected: object) -> None:
    assert _parse(fmt, api.text("ping", id=42, fmt=fmt)) == expected


def test_ping_without_id_is_error_1(api: Api) -> None:
    assert api.json("ping") == {"error": "parameters error", "error_code": 1}
    assert api.json("ping", id="first")["error_code"] == 1


def test_ping_notifies_the_group(api: Api, emulator) -> None:
    group = emulator.control.add_task_group(
        "Servers",
        [PHONE, "ops@example.com"],
        fail_text="{NAME} on {HOST} is down: {INFO}",
        ok_text="{NAME} on {HOST} is back",
    )
    assert group["id"] == 2
    assert api.json("ping", id=2, name="web", host="10.0.0.1", info="timeout") == {"result": "OK"}
    assert api.json("ping", id=2, name="web", host="10.0.0.1", ok=1) == {"result": "OK"}
    messages = emulator.control.messages()
    assert [(m["kind"], m["text"], m["phones"][0]["phone"]) for m in messages] == [
        ("sms", "web on 10.0.0.1 is down: timeout", PHONE),
        ("mail", "web on 10.0.0.1 is down: timeout", "ops@example.com"),
        ("sms", "web on 10.0.0.1 is back", PHONE),
        ("mail", "web on 10.0.0.1 is back", "ops@example.com"),
    ]
    assert {m["source"] for m in messages} == {"service"}
    assert api.json("balance") == {"balance": "997.00"}  # 2 x 1.40 + 2 x 0.10
    events = emulator.control.ping_events()
    assert [(e["group_id"], e["name"], e["host"], e["info"], e["ok"]) for e in events] == [
        (2, "web", "10.0.0.1", "timeout", False),
        (2, "web", "10.0.0.1", "", True),
    ]
    assert events[0]["message_seqs"] == [messages[0]["seq"], messages[1]["seq"]]


def test_ping_without_money_records_status_24(api: Api, emulator) -> None:
    emulator.control.set_balance("0")
    assert api.json("ping", id=1) == {"result": "OK"}
    [message] = emulator.control.messages()
    assert (message["phones"][0]["status"], message["phones"][0]["err"]) == (24, 224)


def test_sixth_identical_ping_is_error_9(api: Api, emulator) -> None:
    for _ in range(5):
        assert api.json("ping", id=1, name="db") == {"result": "OK"}
    assert api.json("ping", id=1, name="db") == RATE
    assert api.json("ping", id=1, name="web") == {"result": "OK"}
    emulator.control.advance(60)
    assert api.json("ping", id=1, name="db") == {"result": "OK"}
