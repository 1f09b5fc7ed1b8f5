# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The voice menu as the emulator reads it from a call's text (http-api.txt "Using the voice
menu (IVR)"), and send.php refusing a menu it cannot read."""

from __future__ import annotations

import pytest

from pysmsc_emulator.menu import MenuError, parse_menu

from .helpers import PHONE, Api

# The page's own example, in English.
PAGE_EXAMPLE = """Hello!

{menu: Press 1 for the first item, 2 for the second, 5 for an operator.
*: back
#: start
0: repeat
1: item 1, press 1 for sub-item 1, 2 for sub-item 2, 3 for sub-item 3
11: sub-item 1.1
12: sub-item 1.2
13: sub-item 1.3
2: item 2, press 1 for sub-item 2.1
21: sub-item 2.1
3: sms:79999999999,Sender,text
3: end
4: sms:$phone,Sender,Your number: $phone
4: end
5: url
5: call:79999999999,79999999998 wait=10 ok:end err:6
6: call:79999999997 wait=60 ok:end err:callerr record
7: Recording starts now, up to 10 seconds
7: record: 10
7: End of recording
err: wrong number, press 0 to repeat
callerr: Sorry, the operator cannot be reached, try again later}

Goodbye!"""


def test_the_pages_example_parses() -> None:
    menu = parse_menu(PAGE_EXAMPLE)
    assert menu is not None
    assert (menu.start_text, menu.end_text) == ("Hello!", "Goodbye!")
    assert menu.menu_text.startswith("Press 1 for the first item")
    assert sorted(menu.items) == sorted(
        ["*", "#", "0", "1", "11", "12", "13", "2", "21", "3", "4", "5", "6", "7"]
    )
    assert sorted(menu.labels) == ["callerr", "err"]
    assert [a.kind for a in menu.items["3"]] == ["sms", "end"]
    sms = menu.items["4"][0]
    assert (sms.phones, sms.sender, sms.text) == (("$phone",), "Sender", "Your number: $phone")
    url, call = menu.items["5"]
    assert (url.kind, url.url) == ("url", "")
    assert (call.phones, call.wait, call.ok_end, call.err, call.record) == (
        ("79999999999", "79999999998"),
        10,
        True,
        "6",
        False,
    )
    assert menu.items["6"][0].record and menu.items["6"][0].err == "callerr"
    assert [a.kind for a in menu.items["7"]] == ["say", "record", "say"]
    assert menu.items["7"][1].seconds == 10
    assert menu.has_children("1") and not menu.has_children("3")


def test_a_text_without_menu_has_none() -> None:
    assert parse_menu("Disk full on db1") is None


@pytest.mark.parametrize(
    ("menu", "rule"),
    [
        ("{menu: Press 1\n1: url", "closing"),
        ("{menu: Press 1\n10: url}", "no menu key"),
        ("{menu: Press 1\n12: url}", "no item 1"),
        ("{menu: x\n1: call:" + ",".join(["79161234567"] * 10) + "}", "1 to 9 numbers"),
        ("{menu: x\n1: call:79161234567 wait=121}", "wait"),
        ("{menu: x\n1: call:79161234567 err:nowhere}", "err:nowhere"),
        ("{menu: x\n1: call:79161234567 record ok:end}", "unknown option"),
        ("{menu: x\n1: call:12}", "not a phone number"),
        ("{menu: x\n*: start}", "back"),
        ("{menu: x\n1: sms:79161234567}", "phone,sender,message"),
        ("{menu: x\n1: record: ten}", "seconds"),
    ],
)
def test_menus_that_cannot_be_read(menu: str, rule: str) -> None:
    with pytest.raises(MenuError, match=rule):
        parse_menu(menu)


def test_send_refuses_an_unreadable_menu(api: Api, emulator) -> None:
    answer = api.send(call=1, mes="Alert\n{menu: Press 1\n10: url}")
    assert answer == {"error": "parameters error", "error_code": 1}
    assert emulator.control.messages() == []


def test_the_message_list_shows_the_menu_parsed(api: Api, emulator) -> None:
    assert api.send(call=1, mes=PAGE_EXAMPLE, phones=PHONE)["cnt"] > 0
    [message] = emulator.control.messages()
    assert message["kind"] == "call"
    assert message["menu"]["items"]["5"] == [
        {"kind": "url", "url": None},
        {
            "kind": "call",
            "phones": ["79999999999", "79999999998"],
            "wait": 10,
            "ok_end": True,
            "err": "6",
            "record": False,
        },
    ]
    assert emulator.control.calls()[0]["menu"] == message["menu"]
    assert api.send(mes="sms: {menu: is not parsed}", phones=PHONE)["cnt"] == 1
    assert emulator.control.messages()[-1]["menu"] is None
