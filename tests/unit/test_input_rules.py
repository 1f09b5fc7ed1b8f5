"""Bad input an alert carries is refused before anything is sent, naming the field and the rule:
texts that would change the kind of message, control characters and non-text values,
impossible or past times, the same recipient twice, more recipients than one request takes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pysmsc import protocol, schedule
from pysmsc.errors import ValidationError
from pysmsc.models import BulkMessage, MessageKind
from pysmsc.protocol import Message
from pysmsc.protocol.checks import (
    MAX_RECIPIENTS,
    SERVICE_PREFIXES,
    check_recipients,
    check_sender,
    check_service_prefix,
    check_text,
    service_prefix,
)

PHONE = "79991234567"
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def refused(field: str, match: str, build: Any, *args: Any, **kwargs: Any) -> ValidationError:
    with pytest.raises(ValidationError, match=match) as info:
        build(*args, **kwargs)
    assert info.value.field == field
    return info.value


# --- 1. A text must not change the kind of message --------------------------------------------


@pytest.mark.parametrize("prefix", list(SERVICE_PREFIXES))
@pytest.mark.parametrize("lead", ["", "  ", "\n\t", "\u200b", "\ufeff "])
@pytest.mark.parametrize("case", [str.upper, str.lower, str.title])
def test_a_text_beginning_with_a_service_prefix_is_refused(
    prefix: str, lead: str, case: Any
) -> None:
    text = f"{lead}{case(prefix)}: wake up"
    error = refused("text", f"must not begin with {prefix}", Message, PHONE, text)
    assert "sms" in error.rule


@pytest.mark.parametrize(
    ("kind", "prefix"),
    [
        (MessageKind.CALL, "__CALL__"),
        (MessageKind.VIBER, "__VIBER__"),
        (MessageKind.SOCIAL, "__SOC__"),
    ],
)
def test_the_kinds_own_prefix_is_allowed_others_are_not(kind: MessageKind, prefix: str) -> None:
    assert Message(PHONE, f"{prefix}: hello", kind=kind).text
    other = "__HLR__" if kind is not MessageKind.CALL else "__VIBER__"
    refused("text", f"must not begin with {other}", Message, PHONE, f"{other}: x", kind=kind)


@given(
    st.sampled_from(list(SERVICE_PREFIXES)),
    st.text(alphabet=" \t\n", max_size=3),
    st.lists(st.booleans(), min_size=12, max_size=12),
    st.text(max_size=30),
)
def test_any_spelling_of_any_prefix_is_found(
    prefix: str, lead: str, upper: list[bool], rest: str
) -> None:
    spelled = "".join(c.upper() if up else c.lower() for c, up in zip(prefix, upper, strict=False))
    assert service_prefix(lead + spelled + rest) == prefix
    with pytest.raises(ValidationError):
        check_service_prefix(lead + spelled + rest, MessageKind.SMS)


@pytest.mark.parametrize(
    "text",
    [
        "db1: __CALL__ in the middle is text",
        "__CALLBACK__ failed",
        "__main__: worker crashed",
        "_CALL_: one underscore",
        "CALL: no underscores",
    ],
)
def test_texts_that_only_look_alike_are_sent(text: str) -> None:
    assert service_prefix(text) is None
    assert dict(Message(PHONE, text).fields())["mes"] == text


def test_every_text_the_service_reads_as_a_message_is_checked() -> None:
    refused(
        "messages[1].text",
        "__CALL__",
        protocol.bulk_send,
        [BulkMessage(PHONE, "ok"), BulkMessage("79990000000", " __call__: x")],
    )
    assert protocol.bulk_send([BulkMessage(PHONE, "__CALL__: x")], kind="call")
    refused("message", "__HLR__", protocol.add_template, "t", "__HLR__")
    assert protocol.add_template("t", "__CALL__: {x}", format="call")
    refused("message", "__VIBER__", protocol.change_template, 3, message="__VIBER__: x")
    # A task group's template may begin with {HOST}: a host name is untrusted text.
    refused("host", "__CALL__", protocol.ping, 1, host="__CALL__: pwned")
    # The comment follows the text, where the service reads no prefix.
    assert "\n~~~\n__CALL__" in dict(Message(PHONE, "x", comment="__CALL__").fields())["mes"]


# --- 4. Text values ----------------------------------------------------------------------------


@pytest.mark.parametrize("text", [" ", "\n\t ", "\u3000"])
def test_a_text_of_only_whitespace_is_refused(text: str) -> None:
    refused("text", "only whitespace", Message, PHONE, text)
    refused("messages[0].text", "only whitespace", protocol.bulk_send, [BulkMessage(PHONE, text)])


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\x9f"])
def test_control_characters_other_than_tab_and_newline_are_refused(char: str) -> None:
    error = refused("text", "control character", Message, PHONE, f"disk{char}full")
    assert "position 4" in error.rule
    refused("comment", "control character", Message, PHONE, "x", comment=char)
    refused("sender", "control character", Message, PHONE, "x", sender=f"Ops{char}")
    refused("to", "control character", Message, f"{PHONE}{char}", "x")
    refused("info", "control character", protocol.ping, 1, info=f"a{char}")


def test_tab_and_line_breaks_are_text() -> None:
    assert Message(PHONE, "a\tb\nc\r\nd").text == "a\tb\nc\r\nd"


def test_a_subject_is_one_line() -> None:
    refused(
        "subject",
        "control character",
        Message,
        "ops@example.com",
        "x",
        kind="email",
        sender="a@b.cd",
        subject="alert\nBcc: all@example.com",
    )


@pytest.mark.parametrize("value", [b"disk full", 42, 1.5, ["disk"], object()])
def test_values_that_are_not_text_are_refused_by_name(value: Any) -> None:
    error = refused("text", "must be text, not", Message, PHONE, value)
    assert type(value).__name__ in error.rule


@pytest.mark.parametrize(
    ("field", "options"),
    [
        ("to", {"to": b"79991234567"}),
        ("to", {"to": None}),
        ("to", {"to": 79991234567}),
        ("to", {"to": [79991234567]}),
        ("sender", {"sender": b"Ops"}),
        ("subject", {"kind": "mms", "subject": 5}),
        ("comment", {"comment": b"x"}),
        ("voice", {"kind": "call", "voice": b"m"}),
        ("file_url", {"kind": "viber", "file_url": b"https://x.io/a.png"}),
        ("user_ip", {"user_ip": 10}),
        ("files", {"kind": "mms", "files": [b"raw"]}),
        ("files", {"kind": "mms", "files": "a.png"}),
        ("kind", {"kind": b"sms"}),
        ("kind", {"kind": None}),
    ],
)
def test_non_text_values_in_any_field_are_validation_errors(
    field: str, options: dict[str, Any]
) -> None:
    options = {"to": PHONE, "text": "x", **options}
    refused(field, "", Message, **options)


@pytest.mark.parametrize("field", ["text", "sender", "to", "comment"])
def test_lone_surrogates_from_non_utf8_input_are_refused(field: str) -> None:
    broken = b"caf\xe9".decode("utf-8", "surrogateescape")
    options: dict[str, Any] = {"to": PHONE, "text": "x", field: broken}
    refused(field, "not UTF-8", Message, **options)


# --- 4. Recipients -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("to", "kind"),
    [
        ("+79991234567, 79991234567", MessageKind.SMS),
        (["7 (999) 123-45-67", "79991234567"], MessageKind.SMS),
        ("G12,g12", MessageKind.SMS),
        ("Ops@Example.com; ops@example.com", MessageKind.EMAIL),
    ],
)
def test_the_same_recipient_twice_is_refused(to: Any, kind: MessageKind) -> None:
    refused("to", "same recipient", check_recipients, to, kind)


def test_a_line_of_a_bulk_send_takes_each_recipient_once() -> None:
    refused(
        "messages[0].to",
        "same recipient",
        protocol.bulk_send,
        [BulkMessage(f"{PHONE},+{PHONE}", "x")],
    )
    # Two personalised texts to one person are two messages, not a duplicate.
    assert protocol.bulk_send([BulkMessage(PHONE, "one"), BulkMessage(PHONE, "two")])


def test_more_recipients_than_one_request_takes_are_refused_with_the_limit() -> None:
    numbers = [f"7999{i:07d}" for i in range(MAX_RECIPIENTS + 1)]
    assert len(Message(numbers[:MAX_RECIPIENTS], "x").recipients) == MAX_RECIPIENTS
    error = refused("to", f"at most {MAX_RECIPIENTS} recipients", Message, numbers, "x")
    assert "send_bulk" in error.rule


def test_checks_are_callable_without_building_a_message() -> None:
    assert check_recipients("ops@example.com, G3", MessageKind.EMAIL) == ("ops@example.com", "G3")
    assert check_sender("79991234567", MessageKind.CALL) == "79991234567"
    assert check_text("__VIBER__: x", MessageKind.VIBER)
    refused("sender", "phone number", check_sender, "Ops", MessageKind.CALL)


# --- 4. Times ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["3213262561", "32.13.26 25:61", "3002270900", "01.01.27 24:00", "0000000000"]
)
def test_impossible_dates_and_times_are_refused(value: str) -> None:
    refused("send_at", "not a real date and time", schedule.format_time, value, now=NOW)


@pytest.mark.parametrize("value", ["2027-02-30T09:00", "2027-01-01T25:00Z", "2027-01-01 9:61"])
def test_impossible_iso_times_are_refused(value: str) -> None:
    refused("send_at", "not a real date and time", schedule.parse_send_at, value)


@pytest.mark.parametrize(
    ("value", "tz"),
    [
        (datetime(2026, 6, 1, 11, 58, tzinfo=UTC), None),  # two minutes ago, exactly
        ("0" + str(int(datetime(2026, 5, 1, tzinfo=UTC).timestamp())), None),
        ("0106261400", 0),  # 14:00 Moscow = 11:00 UTC, an hour ago
        ("01.06.26 14:00", 0),
        ("3105262300", None),  # yesterday 23:00, past even in the last time zone (UTC-12)
        (datetime(2026, 5, 31, 23, 0), None),
    ],
)
def test_a_time_in_the_past_is_refused(value: Any, tz: int | None) -> None:
    refused("send_at", "in the past", schedule.format_time, value, tz=tz, now=NOW)


@pytest.mark.parametrize(
    ("value", "tz"),
    [
        ("0", None),  # "now", explicitly
        (datetime(2026, 6, 1, 11, 59, 30, tzinfo=UTC), None),  # datetime.now() a moment ago
        ("0106261530", 0),  # 15:30 Moscow = 12:30 UTC
        ("0106261400", None),  # past in Moscow, future in UTC-12: the account's zone decides
        ("+0", None),
        ("9-18", None),
    ],
)
def test_now_and_the_future_are_accepted(value: Any, tz: int | None) -> None:
    assert schedule.format_time(value, tz=tz, now=NOW)


def test_a_message_checks_its_time_in_its_own_tz() -> None:
    # 23:00 of yesterday in UTC+14 is past; refused whatever the account's zone.
    yesterday = (datetime.now(UTC) - timedelta(days=1)).strftime("%d%m%y2300")
    refused("send_at", "in the past", Message, PHONE, "x", send_at=yesterday, tz=11)
    soon = datetime.now(timezone(timedelta(hours=3))) + timedelta(hours=2)
    assert Message(PHONE, "x", send_at=soon.strftime("%d%m%y%H%M"), tz=0).fields()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("now", "0"),
        (" NOW ", "0"),
        ("2027-03-01T09:00:00+03:00", datetime(2027, 3, 1, 9, tzinfo=timezone(timedelta(hours=3)))),
        ("2027-03-01T06:00Z", datetime(2027, 3, 1, 6, tzinfo=UTC)),
        ("2027-03-01 09:05", datetime(2027, 3, 1, 9, 5)),
        ("2027-03-01T09:05:30.25-0230", datetime(2027, 3, 1, 9, 5, 30, tzinfo=timezone(timedelta(hours=-2, minutes=-30)))),
        ("9-18", schedule.HourWindow(9, 18)),
        ("+30", "+30"),
        ("0103270905", "0103270905"),
        ("01.03.27 9:05", "01.03.27 9:05"),
    ],
)  # fmt: skip
def test_send_at_as_people_write_it(text: str, expected: Any) -> None:
    assert schedule.parse_send_at(text) == expected


@pytest.mark.parametrize("text", ["tomorrow", "2027-03-01", "18-9", "25-26", "in 5 minutes", ""])
def test_send_at_that_is_no_time(text: str) -> None:
    with pytest.raises(ValidationError) as info:
        schedule.parse_send_at(text)
    assert info.value.field.startswith("send_at")


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2", 2), (3, 3), ("01:30", timedelta(minutes=90)), ("24:00", timedelta(hours=24))],
)
def test_validity_as_people_write_it(value: Any, expected: Any) -> None:
    assert schedule.parse_validity(value) == expected


@pytest.mark.parametrize("value", ["0", "25", "00:00", "24:01", "1.5", True, "2h"])
def test_validity_out_of_range(value: Any) -> None:
    refused("validity", "", schedule.parse_validity, value)


def test_a_bulk_send_checks_shared_options_by_their_rules() -> None:
    past = datetime(2020, 1, 1, tzinfo=UTC)
    refused("send_at", "in the past", protocol.bulk_send, [BulkMessage(PHONE, "x")], send_at=past)
    refused("sender", "at most 11", protocol.bulk_send, [BulkMessage(PHONE, "x")], sender="X" * 12)
    refused(
        "limits.max_messages",
        "positive",
        protocol.bulk_send,
        [BulkMessage(PHONE, "x")],
        limits=protocol.BulkLimits(max_messages=0),
    )


# --- Whatever a caller passes, the answer is a ValidationError or a request that encodes -------

_JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**40), max_value=2**40),
    st.floats(allow_nan=True),
    st.binary(max_size=8),
    st.text(max_size=12),
    st.text(alphabet=st.characters(codec="utf-8", categories=["Cc", "Cs", "Zs"]), max_size=4),
    st.lists(st.text(max_size=8), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
_SEND_OPTIONS = [
    "text", "kind", "sender", "subject", "message_id", "comment", "send_at", "tz", "period",
    "freq", "validity", "max_parts", "translit", "voice", "dial", "file_url", "files",
    "binary_pid", "binary_dcs", "captcha_code", "user_ip", "partner_id",
]  # fmt: skip


@settings(max_examples=500)
@given(st.one_of(_JUNK, st.just(PHONE)), st.dictionaries(st.sampled_from(_SEND_OPTIONS), _JUNK))
def test_any_junk_given_to_send_is_a_validation_error(to: Any, options: dict[str, Any]) -> None:
    try:
        operation = protocol.send(to, **options)
    except ValidationError:
        return
    protocol.encode_body(operation.request, protocol.Credentials("ops", "pw"))


@settings(max_examples=300)
@given(_JUNK, _JUNK, _JUNK)
def test_any_junk_given_to_the_other_operations_is_a_validation_error(
    first: Any, second: Any, third: Any
) -> None:
    calls = [
        lambda: protocol.add_template(first, second, sender=third),
        lambda: protocol.change_template(1, name=first, message=second, sender=third),
        lambda: protocol.ping(1, name=first, host=second, info=third),
        lambda: protocol.status(first, second),
        lambda: protocol.add_sender(first, second),
        lambda: protocol.add_operator_template(first, second, third),
        lambda: protocol.bulk_send([BulkMessage(first, second, third)]),
    ]
    for call in calls:
        try:
            operation = call()
        except ValidationError:
            continue
        protocol.encode_body(operation.request, protocol.Credentials("ops", "pw"))


@pytest.mark.parametrize("targets", [False, 3, b"mts_srv", {"mts_srv": 1}])
def test_operator_template_targets_that_are_not_a_list_name_the_field(targets: Any) -> None:
    # Found by the property test above: a bool was iterated and raised TypeError.
    with pytest.raises(ValidationError) as info:
        protocol.add_operator_template("SMSC", "Code {code}", targets)
    assert info.value.field == "targets"
