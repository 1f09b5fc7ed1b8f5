# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""send.php answers in every fmt and cost mode, errors with and without an id, op=1/err=1,
the JSON endpoint, authentication and request encodings."""

from __future__ import annotations

import hashlib
import json

import httpx
import pytest

from .helpers import NO_ROUTE, PHONE, PHONE2, Api, only_message

SUCCESS = [
    (0, 0, "OK - 1 SMS, ID - 1"),
    (0, 1, "1.40 (1 SMS)"),
    (0, 2, "OK - 1 SMS, ID - 1, COST - 1.40"),
    (0, 3, "OK - 1 SMS, ID - 1, COST - 1.40, BALANCE - 998.60"),
    (1, 0, "1,1"),
    (1, 1, "1.40,1"),
    (1, 2, "1,1,1.40"),
    (1, 3, "1,1,1.40,998.60"),
    (2, 0, "<result><id>1</id><cnt>1</cnt></result>"),
    (2, 1, "<result><cost>1.40</cost><cnt>1</cnt></result>"),
    (2, 2, "<result><id>1</id><cnt>1</cnt><cost>1.40</cost></result>"),
    (
        2,
        3,
        "<result><id>1</id><cnt>1</cnt><cost>1.40</cost><balance>998.60</balance></result>",
    ),
    (3, 0, {"id": 1, "cnt": 1}),
    (3, 1, {"cost": "1.40", "cnt": 1}),
    (3, 2, {"id": 1, "cnt": 1, "cost": "1.40"}),
    (3, 3, {"id": 1, "cnt": 1, "cost": "1.40", "balance": "998.60"}),
]


@pytest.mark.parametrize(("fmt", "cost", "expected"), SUCCESS)
def test_success_in_every_format(api: Api, fmt: int, cost: int, expected: object) -> None:
    text = api.text("send", phones=PHONE, mes="Hello", fmt=fmt, cost=cost)
    if fmt == 3:
        assert json.loads(text) == expected
    else:
        assert text == expected


def test_cost_request_sends_nothing_and_charges_nothing(api: Api, emulator) -> None:
    assert api.send(cost=1) == {"cost": "1.40", "cnt": 1}
    assert emulator.control.messages() == []
    assert api.json("balance") == {"balance": "1000.00"}


ERRORS_WITH_ID = [
    (0, "ERROR = 7 (invalid number), ID - 1"),
    (1, "1,-7"),
    (2, "<result><error>invalid number</error><error_code>7</error_code><id>1</id></result>"),
    (3, {"error": "invalid number", "error_code": 7, "id": 1}),
]
ERRORS_WITHOUT_ID = [
    (0, "ERROR = 2 (authorise error)"),
    (1, "0,-2"),
    (2, "<result><error>authorise error</error><error_code>2</error_code></result>"),
    (3, {"error": "authorise error", "error_code": 2}),
]


@pytest.mark.parametrize(("fmt", "expected"), ERRORS_WITH_ID)
def test_error_with_message_id(api: Api, fmt: int, expected: object) -> None:
    text = api.text("send", phones="12345", mes="Hello", fmt=fmt)
    assert (json.loads(text) if fmt == 3 else text) == expected


@pytest.mark.parametrize(("fmt", "expected"), ERRORS_WITHOUT_ID)
def test_error_without_message_id(api: Api, fmt: int, expected: object) -> None:
    text = api.text("send", phones=PHONE, mes="Hello", fmt=fmt, psw="wrong")
    assert (json.loads(text) if fmt == 3 else text) == expected


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        (0, "ERROR = 3 (no money), ID - 7"),
        (1, "7,-3"),
        (2, "<result><error>no money</error><error_code>3</error_code><id>7</id></result>"),
        (3, {"error": "no money", "error_code": 3, "id": 7}),
    ],
)
def test_insufficient_funds_names_the_client_id(
    api: Api, emulator, fmt: int, expected: object
) -> None:
    emulator.control.set_balance("1.00")
    text = api.text("send", phones=PHONE, mes="Hello", id=7, fmt=fmt)
    assert (json.loads(text) if fmt == 3 else text) == expected
    assert emulator.control.messages() == []


def test_balance_can_reach_exactly_zero(api: Api, emulator) -> None:
    emulator.control.set_balance("1.40")
    assert api.send(cost=3)["balance"] == "0.00"
    assert api.send(mes="again")["error_code"] == 3


def test_credit_lets_the_balance_go_negative(emulator, api: Api) -> None:
    emulator.control.set_balance("1.00", credit="5.00")
    assert api.send(cost=3)["balance"] == "-0.40"
    assert api.json("balance") == {"balance": "-0.40", "credit": "5.00"}


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        (
            0,
            f"OK - 1 SMS, ID - 1\n{PHONE},25001,1.40,-1,0\n12345,,0.00,22,249\n"
            "99912345678,,0.00,20,248",
        ),
        (1, f"1,1\n{PHONE},25001,1.40,-1,0\n12345,,0.00,22,249\n99912345678,,0.00,20,248"),
        (
            2,
            '<result><id>1</id><cnt>1</cnt><phones><phone mccmnc="25001" cost="1.40" '
            f'status="-1" error="0">{PHONE}</phone><phone mccmnc="" cost="0.00" status="22" '
            'error="249">12345</phone><phone mccmnc="" cost="0.00" status="20" error="248">'
            "99912345678</phone></phones></result>",
        ),
        (
            3,
            {
                "id": 1,
                "cnt": 1,
                "phones": [
                    {
                        "phone": PHONE,
                        "mccmnc": "25001",
                        "cost": "1.40",
                        "status": "-1",
                        "error": "0",
                    },
                    {
                        "phone": "12345",
                        "mccmnc": "",
                        "cost": "0.00",
                        "status": "22",
                        "error": "249",
                    },
                    {
                        "phone": "99912345678",
                        "mccmnc": "",
                        "cost": "0.00",
                        "status": "20",
                        "error": "248",
                    },
                ],
            },
        ),
    ],
)
def test_op_lists_every_recipient(api: Api, fmt: int, expected: object) -> None:
    text = api.text("send", phones=f"{PHONE},12345,{NO_ROUTE}", mes="Hi", op=1, fmt=fmt)
    assert (json.loads(text) if fmt == 3 else text) == expected


@pytest.mark.parametrize("fmt", [0, 1, 2, 3])
def test_err_lists_only_the_failed_recipients(api: Api, fmt: int) -> None:
    text = api.text("send", phones=f"{PHONE},12345", mes="Hi", err=1, fmt=fmt)
    assert "12345" in text
    assert PHONE not in text
    plain = api.text("send", phones=f"{PHONE},12345", mes="Hi again", fmt=fmt)
    assert "12345" not in plain


def test_err_without_failures_adds_nothing(api: Api) -> None:
    assert api.text("send", phones=PHONE, mes="Hi", err=1, fmt=0) == "OK - 1 SMS, ID - 1"
    assert api.send(mes="Other", err=1) == {"id": 2, "cnt": 1, "phones": []}


def test_op_with_cost_request(api: Api) -> None:
    text = api.text("send", phones=f"{PHONE},{PHONE2}", mes="Hi", cost=1, op=1, fmt=1)
    assert text == f"2.80,2\n{PHONE},25001,1.40,-1,0\n{PHONE2},25002,1.40,-1,0"


# -- /rest/send/ ---------------------------------------------------------------------------


def test_rest_send_answers_json_with_numbers(emulator) -> None:
    body = {
        "login": emulator.login,
        "psw": emulator.password,
        "phones": PHONE,
        "mes": "Привет",
        "cost": 3,
        "fmt": 3,
    }
    response = httpx.post(f"{emulator.http_url}/rest/send/", json=body)
    assert response.text == '{"id": 1, "cnt": 1, "cost": 1.40, "balance": 998.60}'
    assert only_message(emulator.control)["text"] == "Привет"


def test_rest_send_error_puts_the_id_first(emulator) -> None:
    emulator.control.set_balance("0")
    body = {"apikey": emulator.api_key, "phones": [PHONE, PHONE2], "mes": "x", "id": 42}
    response = httpx.post(f"{emulator.http_url}/rest/send", json=body)
    assert response.text == '{"id": 42, "error": "no money", "error_code": 3}'
    bad = httpx.post(f"{emulator.http_url}/rest/send/", json={"login": "demo", "psw": "x"})
    assert bad.json() == {"error": "authorise error", "error_code": 2}


# -- authentication ----------------------------------------------------------------------

ENDPOINTS = [
    ("send", {"phones": PHONE, "mes": "Hello"}),
    ("status", {"phone": PHONE, "id": "1"}),
    ("balance", {}),
    ("templates", {"get": 1}),
    ("op_templates", {"get": 1, "sender": "SMSC", "msg": "x"}),
    ("senders", {"get": 1}),
    ("ping", {"id": 1}),
]


@pytest.mark.parametrize(("endpoint", "params"), ENDPOINTS)
@pytest.mark.parametrize(
    "credentials",
    [
        {"login": "demo", "psw": "wrong"},
        {"login": "nobody", "psw": "demo"},
        {"apikey": "wrong-key"},
        {"login": "", "psw": "wrong-key"},
        {},
        {"login": "demo", "psw": hashlib.md5(b"demo").hexdigest().upper()},
    ],
)
def test_bad_credentials_are_error_2_everywhere(
    api: Api, endpoint: str, params: dict[str, object], credentials: dict[str, str]
) -> None:
    answer = api.json(endpoint, auth=False, **params, **credentials)
    assert answer == {"error": "authorise error", "error_code": 2}


@pytest.mark.parametrize(("endpoint", "params"), ENDPOINTS)
@pytest.mark.parametrize(
    "credentials",
    [
        {"login": "demo", "psw": "demo"},
        {"login": "DEMO", "psw": hashlib.md5(b"demo").hexdigest()},
        {"apikey": "demo-api-key"},
        {"login": "", "psw": "demo-api-key"},
    ],
)
def test_every_way_to_log_in_works_everywhere(
    api: Api, endpoint: str, params: dict[str, object], credentials: dict[str, str]
) -> None:
    answer = api.json(endpoint, auth=False, **params, **credentials)
    assert not (isinstance(answer, dict) and answer.get("error_code") == 2), answer


# -- request encodings ---------------------------------------------------------------------


def test_post_form_body_and_query_string_merge(api: Api, emulator) -> None:
    response = api.client.post(
        "/sys/send.php?fmt=3&charset=utf-8",
        data={**emulator.auth(), "phones": PHONE, "mes": "Тело"},
    )
    assert response.json() == {"id": 1, "cnt": 1}
    assert only_message(emulator.control)["text"] == "Тело"


def test_windows_1251_is_the_default_charset(api: Api, emulator) -> None:
    query = "login=demo&psw=demo&fmt=3&phones=79161234567&mes=" + "".join(
        f"%{b:02X}" for b in "Привет".encode("cp1251")
    )
    assert api.client.get(f"/sys/send.php?{query}").json() == {"id": 1, "cnt": 1}
    assert only_message(emulator.control)["text"] == "Привет"


def test_koi8_r_is_understood_and_answers_are_encoded_back(api: Api, emulator) -> None:
    body = "login=demo&psw=demo&charset=koi8-r&phones=79161234567&mes=" + "".join(
        f"%{b:02X}" for b in "Ёлка".encode("koi8_r")
    )
    response = api.client.post(
        "/sys/send.php",
        content=body,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.text == "OK - 1 SMS, ID - 1"
    assert only_message(emulator.control)["text"] == "Ёлка"
    status = api.client.get(
        "/sys/status.php",
        params={
            "login": "demo",
            "psw": "demo",
            "charset": "koi8-r",
            "id": 1,
            "phone": PHONE,
            "all": 1,
        },
    )
    assert "koi8-r" in status.headers["content-type"]
    assert "Ожидает отправки" in status.content.decode("koi8_r")


def test_multipart_files_are_attachments(api: Api, emulator) -> None:
    files = [
        ("file0", ("photo.jpg", b"\xff\xd8" + b"x" * 200, "image/jpeg")),
        ("file1", ("song.mp3", b"ID3" + b"y" * 50, "audio/mpeg")),
    ]
    data = {
        **api.params(),
        "phones": PHONE,
        "mes": "See attached",
        "subj": "Hi",
        "mms": "1",
        "fmt": "3",
    }
    response = api.client.post("/sys/send.php", data=data, files=files)
    assert response.json() == {"id": 1, "cnt": 1}
    message = only_message(emulator.control)
    assert message["kind"] == "mms"
    assert message["files"] == [
        {"name": "photo.jpg", "size": 202, "content_type": "image/jpeg"},
        {"name": "song.mp3", "size": 53, "content_type": "audio/mpeg"},
    ]


def test_mail_with_too_many_attachments_is_error_1(api: Api) -> None:
    files = [(f"file{i}", (f"{i}.txt", b"x", "text/plain")) for i in range(21)]
    data = {
        **api.params(),
        "phones": "a@example.com",
        "mes": "Hi",
        "subj": "S",
        "sender": "me@example.com",
        "mail": "1",
        "fmt": "3",
    }
    response = api.client.post("/sys/send.php", data=data, files=files)
    assert response.json() == {"error": "parameters error", "error_code": 1}


def test_unknown_path_is_404(api: Api) -> None:
    assert api.client.get("/sys/nothing.php").status_code == 404
