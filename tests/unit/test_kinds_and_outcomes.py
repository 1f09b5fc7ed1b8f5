"""One vocabulary of message kinds, and the three outcomes of a failed send."""

from __future__ import annotations

import pytest

from pysmsc import Message, MessageKind
from pysmsc.errors import (
    ApiError,
    InsufficientFundsError,
    ResponseError,
    TransportError,
    ValidationError,
)


def test_kind_names_are_the_ones_users_write() -> None:
    assert [kind.value for kind in MessageKind] == [
        "sms", "flash", "binary", "push", "hlr", "ping", "mms",
        "email", "social", "viber", "whatsapp", "call",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("spelling", "kind"),
    [
        ("mail", MessageKind.EMAIL),
        ("E-Mail", MessageKind.EMAIL),
        ("bin", MessageKind.BINARY),
        ("soc", MessageKind.SOCIAL),
        (" SMS ", MessageKind.SMS),
    ],
)
def test_earlier_spellings_stay_aliases(spelling: str, kind: MessageKind) -> None:
    assert MessageKind(spelling) is kind
    assert MessageKind.MAIL is MessageKind.EMAIL and MessageKind.SOC is MessageKind.SOCIAL


def test_an_unknown_kind_names_the_field_and_the_choices() -> None:
    with pytest.raises(ValidationError) as info:
        Message("79991234567", "hi", kind="telegram")
    assert info.value.field == "kind" and "email" in info.value.rule


def test_the_service_flags_stay_the_services() -> None:
    fields = dict(
        Message("ops@example.com", "x", kind="email", subject="s", sender="a@b.cd").fields()
    )
    assert fields["mail"] == "1"
    assert dict(Message("79991234567", "0A0B", kind="binary").fields())["bin"] == "2"


def test_outcomes_of_failures() -> None:
    assert not ValidationError("to", "bad").may_have_been_sent
    assert not InsufficientFundsError("send.php", 3, "no money").may_have_been_sent
    assert not ApiError("send.php", 99, "?").may_have_been_sent
    never = TransportError("refused", maybe_received=False, sends_message=True)
    lost = TransportError("timeout", maybe_received=True, sends_message=True)
    read = TransportError("timeout", maybe_received=True, sends_message=False)
    assert (never.may_have_been_sent, lost.may_have_been_sent, read.may_have_been_sent) == (
        False,
        True,
        False,
    )
    assert ResponseError("send.php", "garbage", may_have_been_sent=True).may_have_been_sent
