"""The voice menu builder: the page's own example rendered exactly, and every rule of the page
refused with the field and the rule."""

from __future__ import annotations

import pytest

import pysmsc.voice_menu
from pysmsc import BulkMessage, Message, ValidationError, protocol
from pysmsc.voice_menu import End, MenuItem, Record, Say, SendSms, Transfer, Url, VoiceMenu
from pysmsc_emulator.menu import parse_menu

# http-api.txt, "Using the voice menu (IVR)": the example, its Russian texts in English.
PAGE_EXAMPLE = """Hello!

{menu: Press 1 for the first item, 2 for the second, 3 to request a call back, 5 for an operator, hash for the start, 0 to repeat, star to go back.
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
7: Recording for up to 10 seconds now
7: record: 10
7: End of the recording
err: wrong number, press 0 to repeat
callerr: Sorry, the operator could not be reached, choose another item or try again later}

All the best!"""


def page_example() -> VoiceMenu:
    return VoiceMenu(
        start_text="Hello!",
        menu_text=(
            "Press 1 for the first item, 2 for the second, 3 to request a call back, "
            "5 for an operator, hash for the start, 0 to repeat, star to go back."
        ),
        items=[
            MenuItem(
                "1",
                "item 1, press 1 for sub-item 1, 2 for sub-item 2, 3 for sub-item 3",
                items=[
                    MenuItem("1", "sub-item 1.1"),
                    MenuItem("2", "sub-item 1.2"),
                    MenuItem("3", "sub-item 1.3"),
                ],
            ),
            MenuItem(
                "2", "item 2, press 1 for sub-item 2.1", items=[MenuItem("1", "sub-item 2.1")]
            ),
            MenuItem("3", [SendSms("79999999999", "Sender", "text"), End()]),
            MenuItem("4", [SendSms("$phone", "Sender", "Your number: $phone"), End()]),
            MenuItem(
                "5",
                [
                    Url(),
                    Transfer(
                        ["79999999999", "79999999998"], wait=10, end_after=True, on_failure="6"
                    ),
                ],
            ),
            MenuItem(
                "6",
                Transfer(
                    ["79999999997"], wait=60, end_after=True, on_failure="callerr", record=True
                ),
            ),
            MenuItem(
                "7",
                [
                    "Recording for up to 10 seconds now",
                    Record(10),
                    Say("End of the recording"),
                ],
            ),
        ],
        labels={
            "err": "wrong number, press 0 to repeat",
            "callerr": (
                "Sorry, the operator could not be reached, choose another item or try again later"
            ),
        },
        end_text="All the best!",
    )


def test_the_pages_example_renders_exactly() -> None:
    assert page_example().render() == PAGE_EXAMPLE
    assert str(page_example()) == PAGE_EXAMPLE


def test_a_menu_is_the_text_of_a_call() -> None:
    menu = VoiceMenu("Press 1 to acknowledge.", [MenuItem("1", [Url(), "Thank you.", End()])])
    message = Message("79991234567", menu.render(), kind="call")
    assert dict(message.fields())["mes"] == (
        "{menu: Press 1 to acknowledge.\n*: back\n#: start\n0: repeat\n"
        "1: url\n1: Thank you.\n1: end}"
    )


def test_navigation_keys_are_optional() -> None:
    menu = VoiceMenu("Press 1.", [MenuItem("1", "one")], back=False, restart=False, repeat=False)
    assert menu.render() == "{menu: Press 1.\n1: one}"


def test_numbers_are_normalised_in_commands() -> None:
    menu = VoiceMenu(
        "m",
        [
            MenuItem("1", Transfer(["+7 (999) 111-22-33"])),
            MenuItem("2", SendSms("8 999 111 22 33", "", "hi")),
        ],
        back=False,
        restart=False,
        repeat=False,
    )
    assert menu.render() == "{menu: m\n1: call:+79991112233\n2: sms:89991112233,,hi}"


def _menu(*items: MenuItem, **options: object) -> VoiceMenu:
    return VoiceMenu("menu", list(items), **options)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("menu", "field", "rule"),
    [
        (_menu(MenuItem("0", "x")), "items[0].key", "1 to 9"),
        (_menu(MenuItem("10", "x")), "items[0].key", "1 to 9"),
        (_menu(MenuItem("1", "x"), MenuItem("1", "y")), "items[1].key", "twice"),
        (_menu(MenuItem("1", "x", items=[MenuItem("a", "y")])), "items[0].items[0].key", "1 to 9"),
        (_menu(MenuItem("1")), "items[0].actions", "at least one action"),
        (_menu(), "items", "at least one item"),
        (
            _menu(MenuItem("1", Transfer(["79990000001"], wait=121))),
            "items[0].actions[0].wait",
            "0 to 120",
        ),
        (
            _menu(MenuItem("1", Transfer(["79990000001"], wait=-1))),
            "items[0].actions[0].wait",
            "0 to 120",
        ),
        (
            _menu(MenuItem("1", Transfer([f"7999000000{i}" for i in range(10)]))),
            "items[0].actions[0].phones",
            "at most 9",
        ),
        (_menu(MenuItem("1", Transfer([]))), "items[0].actions[0].phones", "at least one"),
        (_menu(MenuItem("1", Transfer(["G1"]))), "items[0].actions[0].phones", "not groups"),
        (
            _menu(MenuItem("1", Transfer(["79990000001"], on_failure="nowhere"))),
            "items[0].actions[0].on_failure",
            "names no item or label",
        ),
        (_menu(MenuItem("1", "a {menu: b")), "items[0].actions[0]", "'{' or '}'"),
        (_menu(MenuItem("1", "two\n2: url")), "items[0].actions[0]", "one line"),
        (_menu(MenuItem("1", "x"), labels={"12": "y"}), "labels.12", "at least one letter"),
        (_menu(MenuItem("1", "x"), labels={"url": "y"}), "labels.url", "command word"),
        (_menu(MenuItem("1", "x"), labels={"a-b": "y"}), "labels.a-b", "Latin letters"),
        (
            _menu(MenuItem("1", SendSms("79990000001", "A,B", "x"))),
            "items[0].actions[0].sender",
            "no ','",
        ),
        (_menu(MenuItem("1", SendSms("nobody", "A", "x"))), "items[0].actions[0].phone", "$phone"),
        (_menu(MenuItem("1", Record(0))), "items[0].actions[0].seconds", "1 to 1800"),
        (_menu(MenuItem("1", Say(""))), "items[0].actions[0]", "must not be empty"),
        (_menu(MenuItem("1", "x" * 1000)), "menu", "at most 1000 characters"),
        (VoiceMenu("m", [MenuItem("1", "x")], start_text="{menu: x}"), "start_text", "'{'"),
        (VoiceMenu("two\nlines", [MenuItem("1", "x")]), "menu_text", "one line"),
    ],
)
def test_rules_of_the_page_are_checked(menu: VoiceMenu, field: str, rule: str) -> None:
    with pytest.raises(ValidationError) as raised:
        menu.render()
    assert raised.value.field == field
    assert rule in raised.value.rule


def test_a_transfer_may_fail_over_to_a_sub_item() -> None:
    transfer = Transfer(["79990000001"], on_failure="13")
    missing = _menu(MenuItem("1", "x", items=[MenuItem("2", transfer)]))
    with pytest.raises(ValidationError, match="names no item or label"):
        missing.render()
    present = _menu(MenuItem("1", "x", items=[MenuItem("2", transfer), MenuItem("3", "here")]))
    assert "12: call:79990000001 err:13" in present.render()


def test_the_whole_message_may_be_exactly_1000_characters() -> None:
    menu = _menu(MenuItem("1", "x"), back=False, restart=False, repeat=False)
    room = 1000 - len(menu.render())
    fits = VoiceMenu(
        "menu", [MenuItem("1", "x" * (1 + room))], back=False, restart=False, repeat=False
    )
    assert len(fits.render()) == 1000


def test_the_module_example_runs() -> None:
    example = (pysmsc.voice_menu.__doc__ or "").split("Send it as the text of a call::\n", 1)[1]
    sent = []

    class Smsc:
        def send(self, *args: object, **kwargs: object) -> None:
            sent.append(Message(*args, **kwargs))  # type: ignore[arg-type]

    namespace = {
        "VoiceMenu": VoiceMenu,
        "MenuItem": MenuItem,
        "Url": Url,
        "End": End,
        "smsc": Smsc(),
    }
    exec("\n".join(line[4:] for line in example.splitlines()), namespace)
    assert sent[0].text.startswith("Disk full on db1.\n\n{menu: Press 1 to acknowledge")


def test_the_emulators_independent_parser_reads_what_the_builder_writes() -> None:
    menu = parse_menu(page_example().render())
    assert menu is not None
    assert (menu.start_text, menu.end_text) == ("Hello!", "All the best!")
    assert sorted(menu.items) == [
        "#",
        "*",
        "0",
        "1",
        "11",
        "12",
        "13",
        "2",
        "21",
        "3",
        "4",
        "5",
        "6",
        "7",
    ]
    assert [a.kind for a in menu.items["5"]] == ["url", "call"]
    transfer = menu.items["5"][1]
    assert (transfer.phones, transfer.wait, transfer.ok_end, transfer.err) == (
        ("79999999999", "79999999998"),
        10,
        True,
        "6",
    )
    assert menu.items["6"][0].record and menu.items["6"][0].err == "callerr"
    assert [a.kind for a in menu.items["7"]] == ["say", "record", "say"] and menu.items["7"][
        1
    ].seconds == 10
    assert sorted(menu.labels) == ["callerr", "err"]


def test_a_menu_travels_in_a_bulk_send_too() -> None:
    menu = VoiceMenu(
        "Press 1.", [MenuItem("1", [Url(), End()])], back=False, restart=False, repeat=False
    )
    (batch,) = protocol.bulk_send([BulkMessage("79991234567", menu.render())], kind="call")
    fields = dict(batch.operation.request.fields)
    assert fields["call"] == "1"
    assert fields["list"] == "79991234567:{menu: Press 1.\\n1: url\\n1: end}"
