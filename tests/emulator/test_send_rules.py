# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""send.php parameters: recipients, ids, texts and kinds, billing, schedule, list, and the
service's protective rules (duplicates, cost requests, flood)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from .helpers import NO_ROUTE, PHONE, PHONE2, Api, only_message

MSK = timezone(timedelta(hours=3))
PARAMETERS_ERROR = {"error": "parameters error", "error_code": 1}


# -- recipients ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("89161234567", "79161234567"),
        ("9161234567", "79161234567"),
        ("+7 (916) 123-45-67", "79161234567"),
        ("0079161234567", "79161234567"),
        ("380501234567", "380501234567"),
    ],
)
def test_numbers_are_auto_corrected(api: Api, emulator, given: str, stored: str) -> None:
    assert api.send(phones=given)["cnt"] == 1
    assert only_message(emulator.control)["phones"][0]["phone"] == stored


def test_plus_turns_the_correction_off(api: Api) -> None:
    # +8... is not a Russian number but country code 8x, which has no route.
    assert api.send(phones="+89161234567") == {
        "error": "can't to deliver",
        "error_code": 8,
        "id": 1,
    }


def test_comma_and_semicolon_separate_numbers(api: Api, emulator) -> None:
    assert api.send(phones=f"{PHONE};{PHONE2}, 89031234567")["cnt"] == 3
    phones = [p["phone"] for p in only_message(emulator.control)["phones"]]
    assert phones == [PHONE, PHONE2, "79031234567"]


def test_a_number_twice_is_sent_once(api: Api) -> None:
    assert api.send(phones=f"{PHONE},8{PHONE[1:]}")["cnt"] == 1


@pytest.mark.parametrize("phones", ["12345", "abc", "0123456789012", "7916123456"])
def test_no_valid_number_is_error_7(api: Api, phones: str) -> None:
    assert api.send(phones=phones) == {"error": "invalid number", "error_code": 7, "id": 1}


def test_no_route_is_error_8_but_some_route_is_enough(api: Api, emulator) -> None:
    assert api.send(phones=NO_ROUTE)["error_code"] == 8
    answer = api.send(phones=f"{NO_ROUTE},{PHONE}", mes="other", cost=2)
    assert answer == {"id": 2, "cnt": 1, "cost": "1.40"}
    statuses = {
        p["phone"]: (p["status"], p["err"]) for p in only_message(emulator.control)["phones"]
    }
    assert statuses == {"99912345678": (20, 248), PHONE: (-1, 0)}


def test_group_codes_expand_to_their_numbers(api: Api, emulator) -> None:
    emulator.control.add_contact_group(777, [PHONE, PHONE2])
    emulator.control.add_contact_group(888, ["89031234567"])
    assert api.send(phones="G777,g888", cost=2) == {"id": 1, "cnt": 3, "cost": "4.20"}


def test_an_unknown_group_has_no_numbers(api: Api) -> None:
    assert api.send(phones="G999")["error_code"] == 7


def test_missing_phones_or_text_is_error_1(api: Api) -> None:
    assert api.send(phones=None) == PARAMETERS_ERROR
    assert api.send(mes=None) == PARAMETERS_ERROR
    assert api.send(mes="   ") == PARAMETERS_ERROR


# -- ids -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "answered"),
    [
        ("2147483647", 2147483647),
        ("order-17.b_x", "order-17.b_x"),
        ("2147483648", "2147483648"),
        ("0", 1),
        ("bad id", 1),
        ("x" * 41, 1),
    ],
)
def test_client_ids(api: Api, given: str, answered: object) -> None:
    assert api.send(id=given)["id"] == answered


def test_automatic_ids_count_up(api: Api) -> None:
    assert [api.send(mes=f"m{i}")["id"] for i in range(3)] == [1, 2, 3]


# -- texts, kinds and billing --------------------------------------------------------------


def test_the_comment_is_stored_but_neither_sent_nor_billed(api: Api, emulator) -> None:
    answer = api.send(mes="Hello!\n~~~\n" + "c" * 400, cost=2)
    assert answer == {"id": 1, "cnt": 1, "cost": "1.40"}
    message = only_message(emulator.control)
    assert (message["text"], message["comment"]) == ("Hello!", "c" * 400)


@pytest.mark.parametrize(
    ("text", "parts"),
    [("a" * 160, 1), ("a" * 161, 2), ("я" * 70, 1), ("я" * 71, 2), ("{" * 80, 1), ("{" * 81, 2)],
)
def test_parts_follow_the_alphabet(api: Api, text: str, parts: int) -> None:
    assert api.send(mes=text)["cnt"] == parts


def test_more_than_1000_characters_is_error_1(api: Api) -> None:
    assert api.send(mes="a" * 1001) == PARAMETERS_ERROR
    assert api.send(mes="a" * 1000)["cnt"] == 7


def test_maxsms_truncates(api: Api, emulator) -> None:
    assert api.send(mes="b" * 500, maxsms=2)["cnt"] == 2
    assert len(only_message(emulator.control)["text"]) == 306
    assert api.send(mes="c" * 500, maxsms=1)["cnt"] == 1


@pytest.mark.parametrize(("mode", "expected"), [(1, "Privet, mir"), (2, "npuBem, Mup")])
def test_translit(api: Api, emulator, mode: int, expected: str) -> None:
    assert api.send(mes="Привет, мир", translit=mode)["cnt"] == 1
    assert only_message(emulator.control)["text"] == expected


def test_tinyurl_shortens_links(api: Api, emulator) -> None:
    api.send(mes="See https://example.com/a/very/long/path?with=query&and=more", tinyurl=1)
    text = only_message(emulator.control)["text"]
    assert text.startswith("See https://smsc.ru/s/")
    assert len(text) == len("See https://smsc.ru/s/") + 6


@pytest.mark.parametrize(
    ("params", "kind", "cnt", "cost"),
    [
        ({"flash": 1}, "flash", 1, "1.40"),
        ({"push": 1, "mes": "http://wap.ru\nWAP"}, "push", 1, "1.40"),
        ({"hlr": 1, "mes": None}, "hlr", 1, "0.20"),
        ({"ping": 1, "mes": None}, "ping", 1, "0.20"),
        ({"mms": 1, "subj": "S"}, "mms", 1, "6.00"),
        ({"viber": 1}, "viber", 1, "0.90"),
        ({"whatsapp": 1}, "whatsapp", 1, "0.90"),
        ({"soc": 1}, "soc", 1, "1.00"),
        ({"bin": 2, "mes": "0605040B8423F0" + "00" * 150}, "bin", 2, "2.80"),
        ({"call": 1, "mes": "x" * 130}, "call", 11, "1.80"),
        ({"call": 1, "mes": "x" * 1000}, "call", 84, "3.60"),
        ({"mes": "__CALL__: Privet"}, "call", 10, "1.80"),
        ({"mes": "__VIBER__: Hello"}, "viber", 1, "0.90"),
        ({"mes": "__SOC__: Hello"}, "soc", 1, "1.00"),
        ({"mes": "__PING__"}, "ping", 1, "0.20"),
        ({"mes": "__HLR__"}, "hlr", 1, "0.20"),
    ],
)
def test_message_kinds_and_their_prices(
    api: Api, emulator, params: dict[str, object], kind: str, cnt: int, cost: str
) -> None:
    answer = api.send(cost=2, **params)
    assert answer == {"id": 1, "cnt": cnt, "cost": cost}
    assert only_message(emulator.control)["kind"] == kind


def test_call_prefix_text_and_voice(api: Api, emulator) -> None:
    api.send(mes="__CALL__: Privet", voice="w2")
    message = only_message(emulator.control)
    assert (message["text"], message["options"]["voice"]) == ("Privet", "w2")


def test_bad_hex_and_bad_voice_are_error_1(api: Api) -> None:
    assert api.send(bin=2, mes="0G") == PARAMETERS_ERROR
    assert api.send(bin=2, mes="ABC") == PARAMETERS_ERROR
    assert api.send(call=1, voice="robot") == PARAMETERS_ERROR


def test_mail_needs_subject_and_sender_address(api: Api, emulator) -> None:
    base = {"mail": 1, "phones": "alex@example.com", "mes": "Hello"}
    assert api.send(**base, sender="me@example.com") == PARAMETERS_ERROR
    assert api.send(**base, subj="Hi") == PARAMETERS_ERROR
    assert api.send(**base, subj="Hi", sender="SMSC") == PARAMETERS_ERROR
    answer = api.send(**base, subj="Hi", sender="me@example.com", cost=2)
    assert answer == {"id": 1, "cnt": 1, "cost": "0.10"}
    message = only_message(emulator.control)
    assert (message["kind"], message["subject"], message["sender"]) == (
        "mail",
        "Hi",
        "me@example.com",
    )
    assert message["phones"][0]["phone"] == "alex@example.com"


def test_mail_to_a_bad_address_is_error_7(api: Api) -> None:
    answer = api.send(mail=1, phones="not-an-address", subj="S", sender="me@example.com")
    assert answer["error_code"] == 7


def test_fileurl_is_recorded(api: Api, emulator) -> None:
    api.send(viber=1, mes=None, fileurl="https://example.com/pic.jpg")
    files = only_message(emulator.control)["files"]
    assert files == [{"name": "pic.jpg", "size": 0, "url": "https://example.com/pic.jpg"}]


# -- sender names --------------------------------------------------------------------------


def test_unregistered_sender_is_error_6(api: Api) -> None:
    assert api.send(sender="Unknown", id=5) == {
        "error": "message is denied",
        "error_code": 6,
        "id": 5,
    }


def test_a_sender_name_must_be_approved(api: Api, emulator) -> None:
    assert api.json("senders", add=1, sender="MyShop")["sender"] == 2
    assert api.send(sender="MyShop")["error_code"] == 6
    emulator.control.set_sender_status("MyShop", 1)
    assert api.send(sender="MyShop")["cnt"] == 1
    assert only_message(emulator.control)["sender"] == "MyShop"


def test_default_sender_is_smsc(api: Api, emulator) -> None:
    api.send()
    assert only_message(emulator.control)["sender"] == "SMSC"


# -- schedule ------------------------------------------------------------------------------


def _send_time(emulator) -> float:
    return only_message(emulator.control)["send_time"]


def _now(emulator) -> float:
    return emulator.control.clock()["now"]


@pytest.mark.parametrize("time", ["+30", "h"])
def test_time_formats(api: Api, emulator, time: str) -> None:
    now = _now(emulator)
    target = datetime.fromtimestamp(now + 7200, MSK).replace(second=0, microsecond=0)
    if time == "h":
        time = target.strftime("%d%m%y%H%M")
    assert api.send(time=time)["cnt"] == 1
    expected = now + 1800 if time == "+30" else target.timestamp()
    assert _send_time(emulator) == pytest.approx(expected, abs=2)


def test_dotted_date_and_timestamp_formats(api: Api, emulator) -> None:
    now = _now(emulator)
    target = datetime.fromtimestamp(now + 86400, MSK).replace(second=0, microsecond=0)
    api.send(time=target.strftime("%d.%m.%y %H:%M"))
    api.send(mes="second", time=f"0{int(now) + 600}")
    sends = [m["send_time"] for m in emulator.control.messages()]
    assert sends == [target.timestamp(), int(now) + 600]


def test_tz_shifts_the_time(api: Api, emulator) -> None:
    now = _now(emulator)
    target = datetime.fromtimestamp(now + 86400, MSK).replace(second=0, microsecond=0)
    api.send(time=target.strftime("%d%m%y%H%M"), tz=2)
    assert _send_time(emulator) == target.timestamp() - 7200
    assert only_message(emulator.control)["tz"] == 2


def test_hour_window(api: Api, emulator) -> None:
    now = _now(emulator)
    hour = datetime.fromtimestamp(now, MSK).hour
    api.send(time=f"{hour}-{hour + 1}")  # the current hour: now
    assert _send_time(emulator) == pytest.approx(now, abs=2)
    emulator.control.clear_messages()
    later = (hour + 2) % 24
    api.send(mes="later", time=f"{later}-{later + 1 if later < 23 else 24}")
    expected = datetime.fromtimestamp(now, MSK).replace(minute=0, second=0, microsecond=0)
    expected += timedelta(hours=2)
    assert _send_time(emulator) == expected.timestamp()


@pytest.mark.parametrize("time", ["0", "0101200000", "01.01.20 00:00", "0946684800"])
def test_zero_and_past_times_mean_now(api: Api, emulator, time: str) -> None:
    now = _now(emulator)
    api.send(time=time)
    assert _send_time(emulator) == pytest.approx(now, abs=2)


@pytest.mark.parametrize(
    "time", ["tomorrow", "3102251200", "25-26", "32.01.25 10:00", "+", "12:00", "2025-01-01"]
)
def test_bad_time_is_error_5(api: Api, time: str) -> None:
    assert api.send(time=time) == {"error": "invalid date format", "error_code": 5}


def test_scheduled_message_waits(api: Api, emulator) -> None:
    api.send(time="+10")
    emulator.control.advance(300)
    assert api.json("status", id=1, phone=PHONE)["status"] == -1
    emulator.control.advance(303)
    assert api.json("status", id=1, phone=PHONE)["status"] == 1


def test_period_and_freq_spread_the_recipients(api: Api, emulator) -> None:
    phones = ",".join(f"7916000000{i}" for i in range(4))
    api.send(phones=phones, period=1, freq=30)  # two groups, 30 minutes apart
    pending = [p["pending"][0]["at"] for p in only_message(emulator.control)["phones"]]
    assert pending[1] == pending[0]
    assert pending[2] - pending[0] == pytest.approx(1800)
    assert pending[3] == pending[2]


@pytest.mark.parametrize(
    "params",
    [
        {"period": 0.05, "freq": 10},
        {"period": 800, "freq": 10},
        {"period": 1, "freq": 0},
        {"period": 1},
        {"valid": 25},
        {"valid": "00:00"},
        {"tz": 30},
        {"cost": 4},
        {"maxsms": 0},
    ],
)
def test_out_of_range_parameters_are_error_1(api: Api, params: dict[str, object]) -> None:
    assert api.send(**params) == PARAMETERS_ERROR


def test_valid_is_accepted(api: Api) -> None:
    assert api.send(valid="01:30")["cnt"] == 1
    assert api.send(mes="two", valid=24)["cnt"] == 1


# -- list ----------------------------------------------------------------------------------


def test_list_sends_one_text_per_line_under_one_id(api: Api, emulator) -> None:
    listing = f"{PHONE}:Hello!\n{PHONE2},89031234567:Hello\\nworld!"
    assert api.send(list=listing, phones=None, mes=None, cost=2) == {
        "id": 1,
        "cnt": 3,
        "cost": "4.20",
    }
    messages = emulator.control.messages()
    assert [(m["id"], m["text"]) for m in messages] == [(1, "Hello!"), (1, "Hello\nworld!")]
    assert [p["phone"] for p in messages[1]["phones"]] == [PHONE2, "79031234567"]


def test_list_comments_sender_and_tz(api: Api, emulator) -> None:
    emulator.control.set_sender_status("SMSC", 1)
    api.json("senders", add=1, sender="Shop")
    emulator.control.set_sender_status("Shop", 1)
    listing = f"Shop,2|{PHONE}:Hello1!\\n~~~\\nComment1\nSMSC|{PHONE2};Hello2!"
    assert api.send(list=listing, phones=None)["cnt"] == 2
    first, second = emulator.control.messages()
    assert (first["sender"], first["tz"], first["text"], first["comment"]) == (
        "Shop",
        2,
        "Hello1!",
        "Comment1",
    )
    assert (second["sender"], second["tz"], second["text"]) == ("SMSC", 0, "Hello2!")


def test_list_with_nl_keeps_real_line_breaks(api: Api, emulator) -> None:
    listing = f"{PHONE}:first line\nsecond line\n{PHONE2}:other"
    assert api.send(list=listing, phones=None, nl=1)["cnt"] == 2
    texts = [m["text"] for m in emulator.control.messages()]
    assert texts == ["first line\nsecond line", "other"]


def test_list_line_without_separator_is_error_1(api: Api) -> None:
    assert api.send(list=f"{PHONE} Hello", phones=None) == PARAMETERS_ERROR


def test_list_with_an_unknown_sender_is_error_6(api: Api) -> None:
    answer = api.send(list=f"Nobody|{PHONE}:Hi", phones=None)
    assert answer == {"error": "message is denied", "error_code": 6, "id": 1}


# -- protective rules ----------------------------------------------------------------------


def test_identical_send_within_a_minute_is_error_9(api: Api, emulator) -> None:
    assert api.send()["id"] == 1
    assert api.send() == {"error": "duplicate request, wait a minute", "error_code": 9}
    assert api.send(mes="different")["id"] == 2
    emulator.control.advance(61)
    assert api.send()["id"] == 3


def test_a_refused_send_is_not_a_duplicate(api: Api, emulator) -> None:
    emulator.control.set_balance("0")
    assert api.send()["error_code"] == 3
    emulator.control.set_balance("10")
    assert api.send()["id"] == 2  # the refused one used id 1


def test_sixth_identical_cost_request_is_error_9(api: Api, emulator) -> None:
    for _ in range(5):
        assert api.send(cost=1) == {"cost": "1.40", "cnt": 1}
    assert api.send(cost=1)["error_code"] == 9
    assert api.send(cost=1, mes="other") == {"cost": "1.40", "cnt": 1}
    emulator.control.advance(60)
    assert api.send(cost=1) == {"cost": "1.40", "cnt": 1}


def test_flood_to_one_number_blocks_the_51st(api: Api, emulator) -> None:
    for i in range(51):
        assert api.send(mes=f"m{i}")["cnt"] == 1
        emulator.control.advance(10)
    messages = emulator.control.messages()
    last = messages[-1]["phones"][0]
    assert (last["status"], last["err"], last["cost"]) == (20, 251, "0.00")
    assert messages[-2]["phones"][0]["err"] == 0
    assert api.json("balance") == {"balance": "930.00"}
    emulator.control.advance(40)  # 50 s since the last one, under the HTTP page's 60 s
    api.send(mes="within the run")
    assert emulator.control.messages()[-1]["phones"][0]["err"] == 251
    emulator.control.advance(60)  # a pause of 60 s ends the run
    api.send(mes="after the pause")
    assert emulator.control.messages()[-1]["phones"][0]["pending"]
