"""Parsing the service's fmt=3 answers into typed results and typed errors."""

import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pysmsc import errors, protocol
from pysmsc.models import MessageStatus
from pysmsc.protocol import Operation

PHONE = "79991234567"


def test_send_result_with_details() -> None:
    answer = {
        "id": 12,
        "cnt": 2,
        "cost": "3.40",
        "balance": "996.60",
        "phones": [
            {"phone": PHONE, "mccmnc": "25001", "cost": "3.40", "status": "0", "error": "0"}
        ],
    }
    result = protocol.send(PHONE, "x", details=True).parse(json.dumps(answer))
    assert result.id == "12" and result.count == 2 and result.parts == 2
    assert result.cost == Decimal("3.40") and result.balance == Decimal("996.60")
    assert result.recipients[0].mccmnc == "25001" and result.recipients[0].status == 0


def test_call_count_is_seconds() -> None:
    result = protocol.send(PHONE, "x", kind="call").parse('{"id": 1, "cnt": 35}')
    assert result.seconds == 35 and result.parts is None


def test_cost_estimate() -> None:
    estimate = protocol.cost(PHONE, "x").parse('{"cost": "1.40", "cnt": 1}')
    assert estimate.cost == Decimal("1.40") and estimate.parts == 1


@pytest.mark.parametrize(
    ("endpoint_op", "code", "exception"),
    [
        (lambda: protocol.send(PHONE, "x"), 3, errors.InsufficientFundsError),
        (lambda: protocol.send(PHONE, "x"), 5, errors.InvalidDateError),
        (lambda: protocol.send(PHONE, "x"), 6, errors.ForbiddenMessageError),
        (lambda: protocol.send(PHONE, "x"), 7, errors.InvalidPhoneError),
        (lambda: protocol.send(PHONE, "x"), 8, errors.UndeliverableError),
        (lambda: protocol.send(PHONE, "x"), 9, errors.RateLimitError),
        (lambda: protocol.templates(), 3, errors.NotFoundError),
        (lambda: protocol.templates(), 5, errors.SaveError),
        (lambda: protocol.ping(1), 3, errors.NotFoundError),
        (lambda: protocol.senders(), 10, errors.CodeAlreadySentError),
        (lambda: protocol.senders(), 11, errors.InvalidCodeError),
        (lambda: protocol.status(1, PHONE), 5, errors.SaveError),
        (lambda: protocol.balance(), 2, errors.AuthenticationError),
        (lambda: protocol.operator_templates("Shop", "x"), 4, errors.IpBlockedError),
        (lambda: protocol.balance(), 1, errors.ParameterError),
    ],
)
def test_same_code_means_different_things_per_endpoint(
    endpoint_op: object, code: int, exception: type[errors.ApiError]
) -> None:
    operation: Operation[object] = endpoint_op()  # type: ignore[operator]
    with pytest.raises(exception) as info:
        operation.parse(json.dumps({"error": "server text", "error_code": code}))
    assert info.value.code == code
    assert info.value.endpoint == operation.request.endpoint
    assert str(code) in str(info.value) and "server text" in str(info.value)


def test_send_error_carries_the_message_id() -> None:
    with pytest.raises(errors.InvalidPhoneError) as info:
        protocol.send(PHONE, "x").parse('{"error": "invalid number", "error_code": 7, "id": 55}')
    assert info.value.message_id == "55"


def test_undocumented_code_still_raises_clearly() -> None:
    with pytest.raises(errors.ApiError, match="undocumented error code 42") as info:
        protocol.balance().parse('{"error": "?", "error_code": 42}')
    assert type(info.value) is errors.ApiError


def test_status_single_and_many() -> None:
    info = protocol.status(7, PHONE).parse(
        '{"status": 1, "last_date": "26.05.2017 21:39:27", "last_timestamp": 1495823967, "flag": 0, "err": 0}'
    )
    assert info.status is MessageStatus.DELIVERED and info.is_final
    assert info.last_date is not None and info.last_date.year == 2017
    op = protocol.statuses([(7, PHONE), ("b-2", "+79990000000")], full=2)
    assert dict(op.request.fields)["id"] == "7,b-2,"
    many = op.parse(
        '[{"id": 7, "phone": "79991234567", "status": -1, "err": 0},'
        ' {"id": "b-2", "phone": "79990000000", "status": 20, "err": 1, "country": "Russia", "zzz": 5}]'
    )
    assert [m.status for m in many] == [MessageStatus.WAITING, MessageStatus.UNDELIVERABLE]
    assert not many[0].is_final and many[1].error_meaning == "the subscriber does not exist"
    assert many[1].country == "Russia" and many[1].extra == {"zzz": "5"}


def test_unknown_status_code_is_kept() -> None:
    info = protocol.status(7, PHONE).parse('{"status": 77, "err": 0}')
    assert info.status == 77 and info.meaning == "status 77"


def test_balance_with_currency_and_credit() -> None:
    balance = protocol.balance().parse('{"balance": "84.75", "currency": "KZT", "credit": "10"}')
    assert (balance.balance, balance.currency, balance.credit) == (
        Decimal("84.75"),
        "KZT",
        Decimal(10),
    )


def test_templates_list_and_add() -> None:
    items = protocol.templates().parse(
        '[{"id": 1, "name": "a", "format": "sms", "sender": "Shop", "flag": 1, "message": "hi"}]'
    )
    assert items[0].autosign and items[0].message == "hi"
    assert protocol.templates().parse("[]") == []
    assert protocol.add_template("a", "hi", autosign=True).parse('{"id": 9}') == 9
    assert ("fl[1]", "1") in protocol.add_template("a", "hi", autosign=True).request.fields


def test_operator_templates_both_shapes() -> None:
    op = protocol.add_operator_template("Shop", "Code {x}", ["mts_srv", "bee_trn"])
    assert ("mts_srv", "1") in op.request.fields and ("mega_srv", "1") not in op.request.fields
    keyed = op.parse('[{"mts_srv": 1, "id": 5}, {"bee_trn": -1, "id": 0}]')
    assert [(s.name, s.status, s.id) for s in keyed] == [("mts_srv", 1, 5), ("bee_trn", -1, None)]
    named = op.parse('[{"name": "mts_srv", "status": 2, "id": 5}]')
    assert named[0].status == 2


def test_senders_list_and_add() -> None:
    items = protocol.senders(with_operators=True).parse(
        '[{"sender": "Shop", "id": 3, "mts_step": "2", "tele2": "0"}]'
    )
    assert items[0].name == "Shop" and items[0].operators == {"mts_step": 2, "tele2": 0}
    assert protocol.add_sender("Shop").parse('{"sender": 17}') == 17
    assert protocol.add_sender("Shop").parse('{"id": 18}') == 18


def test_ok_answers() -> None:
    assert protocol.ping(1, recovered=True).parse('{"result": "OK"}') is None
    assert protocol.delete_message(1, PHONE).parse("OK") is None
    with pytest.raises(errors.ResponseError):
        protocol.ping(1).parse('{"result": "NO"}')


OPERATIONS = [
    lambda: protocol.send(PHONE, "x", details=True),
    lambda: protocol.cost(PHONE, "x"),
    lambda: protocol.status(1, PHONE, full=2),
    lambda: protocol.statuses([(1, PHONE)]),
    lambda: protocol.balance(),
    lambda: protocol.templates(),
    lambda: protocol.add_template("n", "m"),
    lambda: protocol.operator_templates("Shop", "m"),
    lambda: protocol.senders(with_status=True),
    lambda: protocol.add_sender("Shop"),
    lambda: protocol.ping(1),
    lambda: protocol.delete_template(1),
]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "id",
                    "cnt",
                    "cost",
                    "balance",
                    "status",
                    "err",
                    "error",
                    "error_code",
                    "phones",
                    "name",
                    "sender",
                    "result",
                    "currency",
                    "message",
                    "flag",
                    "last_date",
                    "mts_srv",
                ]
            )
            | st.text(max_size=5),
            children,
            max_size=6,
        )
    ),
    max_leaves=12,
)


@given(
    st.integers(0, len(OPERATIONS) - 1),
    st.one_of(st.text(max_size=200), json_values.map(json.dumps)),
)
def test_parsers_never_crash_on_arbitrary_answers(index: int, answer: str) -> None:
    operation = OPERATIONS[index]()
    try:
        operation.parse(answer)
    except errors.SmscError:
        pass  # a typed error is the right answer to garbage; anything else is a bug
