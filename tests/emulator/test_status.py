# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""status.php: the test-mode progression, every fmt and ``all`` level, several messages at
once, deletion, the rate rules, and statuses set through the control API."""

# The service answers in Russian.
# ruff: noqa: RUF001

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta, timezone

import pytest

from .helpers import PHONE, PHONE2, Api, only_message

MSK = timezone(timedelta(hours=3))


def _date(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, MSK).strftime("%d.%m.%Y %H:%M:%S")


@pytest.fixture
def slow(emulator) -> None:
    """Status steps of 10 s and 20 s, so only the test moves statuses on."""
    emulator.control.configure(status_delays=[10, 20])


@pytest.mark.usefixtures("slow")
def test_test_mode_progression(api: Api, emulator) -> None:
    api.send()
    created = only_message(emulator.control)["created"]
    first = api.json("status", id=1, phone=PHONE)
    assert (first["status"], first["err"], first["last_timestamp"]) == (-1, 0, int(created))
    emulator.control.advance(10)
    assert api.json("status", id=1, phone=PHONE)["status"] == 0
    emulator.control.advance(20)
    delivered = api.json("status", id=1, phone=PHONE)
    assert delivered == {
        "status": 1,
        "last_date": _date(created + 30),
        "last_timestamp": int(created + 30),
        "flag": 0,
        "err": 0,
    }


def test_progression_runs_on_its_own(api: Api, emulator) -> None:
    emulator.control.configure(status_delays=[0.05, 0.05])
    api.send()
    for _ in range(100):
        if emulator.control.messages()[0]["phones"][0]["status"] == 1:
            break
        time.sleep(0.02)
    assert emulator.control.messages()[0]["phones"][0]["status"] == 1


@pytest.mark.usefixtures("slow")
@pytest.mark.parametrize(
    ("params", "kind"),
    [
        ({"hlr": 1}, "hlr"),
        ({"ping": 1}, "ping"),
        ({"call": 1}, "call"),
        ({"mail": 1, "phones": "a@example.com", "subj": "S", "sender": "me@example.com"}, "mail"),
    ],
)
def test_every_kind_goes_through_the_same_steps(
    api: Api, emulator, params: dict[str, object], kind: str
) -> None:
    api.send(**params)
    phone = str(params.get("phones", PHONE))
    statuses = []
    for _ in range(3):
        answer = api.json("status", id=1, phone=phone)
        statuses.append((answer["status"], answer["flag"]))
        emulator.control.advance(15)
    flag = {"hlr": 4, "ping": 5, "call": 7, "mail": 8}[kind]
    assert statuses == [(-1, flag), (0, flag), (1, flag)]


@pytest.mark.usefixtures("slow")
def test_status_in_every_format(api: Api, emulator) -> None:
    api.send()
    created = only_message(emulator.control)["created"]
    date, stamp = _date(created), int(created)
    assert api.text("status", id=1, phone=PHONE) == f"Status = -1, check_time = {date}, err = 0"
    assert api.text("status", id=1, phone=PHONE, fmt=1) == f"-1,{stamp},0"
    assert api.text("status", id=1, phone=PHONE, fmt=2) == (
        f"<result><status>-1</status><last_date>{date}</last_date>"
        f"<last_timestamp>{stamp}</last_timestamp><flag>0</flag><err>0</err></result>"
    )


@pytest.mark.usefixtures("slow")
def test_all_1_and_all_2(api: Api, emulator) -> None:
    api.send(mes="Привет, мир", cost=0)
    created = only_message(emulator.control)["created"]
    date, stamp = _date(created), int(created)
    full = api.json("status", id=1, phone="8" + PHONE[1:], all=2)
    assert full == {
        "status": -1,
        "last_date": date,
        "last_timestamp": stamp,
        "flag": 0,
        "err": 0,
        "id": 1,
        "send_date": date,
        "send_timestamp": stamp,
        "phone": PHONE,
        "cost": "1.40",
        "sender_id": "SMSC",
        "status_name": "Ожидает отправки",
        "message": "Привет, мир",
        "country": "Россия",
        "operator": "МТС",
        "region": "Москва",
    }
    assert api.text("status", id=1, phone=PHONE, all=1, fmt=1) == (
        f"-1,{stamp},0,{stamp},{PHONE},1.40,SMSC,Ожидает отправки,Привет, мир"
    )
    assert api.text("status", id=1, phone=PHONE, all=2, fmt=0) == (
        f"Status = -1, check_time = {date}, err = 0, send_date = {date}, phone = {PHONE}, "
        "cost = 1.40, sender_id = SMSC, status_name = Ожидает отправки, country = Россия, "
        "operator = МТС, region = Москва, message = Привет, мир"
    )
    xml = api.text("status", id=1, phone=PHONE, all=1, fmt=2)
    assert "<status_name>Ожидает отправки</status_name><message>Привет, мир</message>" in xml
    assert "<country>" not in xml


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        (0, "Status = -3, check_time = , err = 0"),
        (1, "-3,0,0"),
        (
            2,
            "<result><status>-3</status><last_date></last_date>"
            "<last_timestamp>0</last_timestamp><err>0</err></result>",
        ),
        (3, {"status": -3}),
    ],
)
def test_unknown_message_is_status_minus_3(api: Api, fmt: int, expected: object) -> None:
    text = api.text("status", id=99, phone=PHONE, fmt=fmt)
    assert (json.loads(text) if fmt == 3 else text) == expected


@pytest.mark.usefixtures("slow")
def test_several_messages_at_once(api: Api, emulator) -> None:
    api.send()
    api.send(phones=PHONE2, mes="other")
    created = emulator.control.messages()[0]["created"]
    answer = api.json("status", id="1,2,3", phone=f"{PHONE},{PHONE2},{PHONE}")
    assert answer == [
        {
            "status": -1,
            "last_date": _date(created),
            "last_timestamp": int(created),
            "flag": 0,
            "err": 0,
            "id": 1,
            "phone": PHONE,
        },
        {
            "status": -1,
            "last_date": answer[1]["last_date"],
            "last_timestamp": answer[1]["last_timestamp"],
            "flag": 0,
            "err": 0,
            "id": 2,
            "phone": PHONE2,
        },
        {"status": -3, "id": 3, "phone": PHONE},
    ]


@pytest.mark.usefixtures("slow")
@pytest.mark.parametrize("fmt", [0, 1, 2, 3])
def test_trailing_comma_forces_the_list_format(api: Api, emulator, fmt: int) -> None:
    api.send()
    created = only_message(emulator.control)["created"]
    date, stamp = _date(created), int(created)
    text = api.text("status", id="1,", phone=PHONE, fmt=fmt)
    expected = {
        0: f"id = 1, phone = {PHONE}, status = -1, check_time = {date}, err = 0",
        1: f"1,{PHONE},-1,{stamp},0",
        2: f"<list><sms><id>1</id><phone>{PHONE}</phone><status>-1</status>"
        f"<last_date>{date}</last_date><last_timestamp>{stamp}</last_timestamp>"
        "<flag>0</flag><err>0</err></sms></list>",
        3: json.dumps(
            [
                {
                    "status": -1,
                    "last_date": date,
                    "last_timestamp": stamp,
                    "flag": 0,
                    "err": 0,
                    "id": 1,
                    "phone": PHONE,
                }
            ]
        ),
    }[fmt]
    assert text == expected


def test_the_answer_echoes_the_phone_as_given(api: Api) -> None:
    api.send()
    answer = api.json("status", id="1,", phone="8" + PHONE[1:] + ",")
    assert answer[0]["phone"] == "8" + PHONE[1:]
    assert answer[0]["status"] == -1


@pytest.mark.parametrize(
    "params",
    [
        {"id": "1"},
        {"phone": PHONE},
        {"id": "1,2,3", "phone": f"{PHONE},{PHONE2}"},
        {"id": ",", "phone": PHONE},
    ],
)
def test_missing_or_mismatched_ids_are_error_1(api: Api, params: dict[str, str]) -> None:
    assert api.json("status", **params) == {"error": "parameters error", "error_code": 1}


@pytest.mark.usefixtures("slow")
def test_delete(api: Api, emulator) -> None:
    api.send(phones=f"{PHONE},{PHONE2}")
    assert api.text("status", id=1, phone=PHONE, **{"del": 1}) == "OK"
    assert api.json("status", id=1, phone=PHONE)["status"] == -3
    assert api.json("status", id=1, phone=PHONE2)["status"] == -1
    assert api.json("status", id=1, phone=PHONE2, fmt=3, **{"del": 1}) == {"result": "OK"}
    assert emulator.control.messages() == []
    assert api.text("status", id=1, phone=PHONE, fmt=2, **{"del": 1}) == (
        "<result><error>delete error</error><error_code>5</error_code></result>"
    )


def test_sixth_request_for_one_message_is_error_9(api: Api, emulator) -> None:
    api.send()
    for _ in range(5):
        assert api.json("status", id=1, phone=PHONE)["status"] in (-1, 0, 1)
    assert api.json("status", id=1, phone=PHONE) == {
        "error": "duplicate request, wait a minute",
        "error_code": 9,
    }
    assert api.json("status", id=2, phone=PHONE)["status"] == -3  # another message
    emulator.control.advance(60)
    assert api.json("status", id=1, phone=PHONE)["status"] == 1


def test_second_mass_request_in_a_minute_is_error_9(api: Api, emulator) -> None:
    api.send()
    assert isinstance(api.json("status", id="1,", phone=PHONE), list)
    assert api.json("status", id="5,6", phone=PHONE)["error_code"] == 9
    emulator.control.advance(60)
    assert isinstance(api.json("status", id="5,6", phone=PHONE), list)


def test_a_status_set_through_control(api: Api, emulator) -> None:
    api.send(phones=f"{PHONE},{PHONE2}")
    emulator.control.set_status(1, PHONE, 20, err=1)
    emulator.control.advance(60)  # nothing scheduled moves it on
    answer = api.json("status", id=1, phone=PHONE, all=1)
    assert (answer["status"], answer["err"], answer["status_name"]) == (
        20,
        1,
        "Невозможно доставить",
    )
    assert api.json("status", id=1, phone=PHONE2)["status"] == 1


def test_ids_need_not_be_unique(api: Api, emulator) -> None:
    emulator.control.configure(status_delays=[10, 20])
    api.send(id="order-1", mes="first")
    emulator.control.advance(40)
    api.send(id="order-1", mes="second")
    answer = api.json("status", id="order-1", phone=PHONE, all=1)
    assert (answer["id"], answer["message"], answer["status"]) == ("order-1", "second", -1)
