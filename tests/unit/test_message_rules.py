"""Every input rule of send.php is checked before anything is sent, naming field and rule."""

from datetime import timedelta

import pytest

from pysmsc import protocol
from pysmsc.errors import ValidationError
from pysmsc.models import DialParams, MessageKind
from pysmsc.protocol import Attachment, Message

PHONE = "79991234567"


def fields(message: Message) -> dict[str, str]:
    return dict(message.fields())


def rejects(field: str, match: str, **kwargs: object) -> None:
    kwargs.setdefault("to", PHONE)
    with pytest.raises(ValidationError, match=match) as info:
        Message(**kwargs)  # type: ignore[arg-type]
    assert info.value.field == field


def test_plain_sms() -> None:
    assert fields(Message(PHONE, "Disk full")) == {"phones": PHONE, "mes": "Disk full"}


def test_text_rules() -> None:
    rejects("text", "must not be empty", text="")
    rejects("text", "at most 1000 characters, got 1001", text="a" * 1001)
    rejects("text", "comment option", text="a\n~~~\nb")
    assert Message(PHONE, "a" * 1000).text


def test_comment_is_appended_after_the_separator() -> None:
    assert fields(Message(PHONE, "Hi", comment="ticket 42"))["mes"] == "Hi\n~~~\nticket 42"


@pytest.mark.parametrize(
    ("sender", "ok"),
    [
        ("Shop", True),
        ("ABCDEFGHIJK", True),
        ("ABCDEFGHIJKL", False),
        ("123456789012345", True),
        ("1234567890123456", False),
        ("Магазин", False),
        (".", True),
    ],
)
def test_sender_length_rules(sender: str, ok: bool) -> None:
    if ok:
        assert fields(Message(PHONE, "x", sender=sender))["sender"] == sender
    else:
        rejects("sender", "at most", text="x", sender=sender)


def test_message_id_rules() -> None:
    assert fields(Message(PHONE, "x", message_id=2147483647))["id"] == "2147483647"
    assert fields(Message(PHONE, "x", message_id="order-17.a_b"))["id"] == "order-17.a_b"
    rejects("message_id", "from 1 to 2147483647", text="x", message_id=0)
    rejects("message_id", "from 1 to 2147483647", text="x", message_id=2147483648)
    rejects("message_id", "from 1 to 2147483647", text="x", message_id="2147483648")
    rejects("message_id", "1-40 Latin letters", text="x", message_id="a" * 41)
    rejects("message_id", "1-40 Latin letters", text="x", message_id="заказ")


def test_validity_period_freq() -> None:
    assert fields(Message(PHONE, "x", validity=timedelta(hours=2)))["valid"] == "02:00"
    rejects("validity", "1 to 24 hours", text="x", validity=25)
    rejects("freq", "only works together with period", text="x", freq=10)
    # "Used in conjunction with the freq parameter": the service answers error 1 without it.
    rejects("period", "needs freq", text="x", period=2)
    assert fields(Message(PHONE, "x", period=2, freq=10))["period"] == "2"
    rejects("period", "0.1 to 720", text="x", period=800, freq=10)
    rejects("freq", "1 to 1440", text="x", period=2, freq=0)


def test_call_options() -> None:
    message = Message(PHONE, "Server down", kind="call", voice="w2", dial=DialParams(20, 10, 3))
    assert fields(message) == {
        "phones": PHONE,
        "mes": "Server down",
        "call": "1",
        "voice": "w2",
        "param": "20,10,3",
    }
    assert fields(Message(PHONE, "x", kind="call", voice="m,en"))["voice"] == "m,en"
    rejects("voice", "must be one of", text="x", kind="call", voice="robot")
    # The service's operating ranges: outside them it clamps or falls back to its defaults.
    for good in (DialParams(10, 10, 1), DialParams(35, 3600, 9)):
        assert Message(PHONE, "x", kind="call", dial=good).fields()
    rejects("dial.wait", "10 to 35", text="x", kind="call", dial=DialParams(wait=99))
    rejects("dial.wait", "10 to 35", text="x", kind="call", dial=DialParams(wait=9))
    rejects("dial.interval", "10 to 3600", text="x", kind="call", dial=DialParams(interval=0))
    rejects("dial.interval", "10 to 3600", text="x", kind="call", dial=DialParams(interval=3601))
    rejects("dial.attempts", "1 to 9", text="x", kind="call", dial=DialParams(attempts=0))
    rejects("dial.attempts", "1 to 9", text="x", kind="call", dial=DialParams(attempts=10))
    rejects("dial", "must be DialParams", text="x", kind="call", dial={"wait": 20})
    rejects("voice", "only applies to messages of kind call", text="x", voice="m")
    rejects("sender", "phone number", text="x", kind="call", sender="Shop")


def test_kinds_are_exclusive_by_construction_and_checked() -> None:
    rejects("kind", "is not one of", text="x", kind="telegram")
    for kind, flag in (
        ("flash", "flash"),
        ("viber", "viber"),
        ("whatsapp", "whatsapp"),
        ("soc", "soc"),
    ):
        produced = fields(Message(PHONE, "x", kind=kind))
        assert produced[flag] == "1"
        assert [
            k for k in produced if k in {"flash", "viber", "whatsapp", "soc", "call", "mail"}
        ] == [flag]


def test_hlr_and_ping_take_no_text() -> None:
    assert fields(Message(PHONE, kind="hlr")) == {"phones": PHONE, "hlr": "1"}
    rejects("text", "not used by ping", text="x", kind="ping")


def test_mail_needs_subject_sender_and_addresses() -> None:
    mail = Message(
        "ops@example.com", "Body", kind="mail", subject="Alert", sender="noc@example.com"
    )
    assert fields(mail)["mail"] == "1" and fields(mail)["subj"] == "Alert"
    rejects(
        "subject", "needs a subject", to="ops@example.com", text="x", kind="mail", sender="a@b.cd"
    )
    rejects("sender", "sender's address", to="ops@example.com", text="x", kind="mail", subject="s")
    rejects("to", "not an e-mail", text="x", kind="mail", subject="s", sender="a@b.cd")
    rejects(
        "sender", "e-mail address", to="a@b.cd", text="x", kind="mail", subject="s", sender="Shop"
    )


def test_binary_is_hex_and_carries_pid_dcs() -> None:
    message = Message(PHONE, "0605040B8423F0", kind="bin", binary_pid=1, binary_dcs=245)
    assert fields(message)["mes"] == "0605040B8423F0\n~~~\npid: 1, dcs: 245"
    assert fields(message)["bin"] == "2"
    rejects("text", "hex digits", text="0G", kind="bin")
    rejects("comment", "cannot carry a comment", text="00", kind="bin", comment="x")
    rejects("binary_pid", "byte value", text="00", kind="bin", binary_pid=256, binary_dcs=0)
    # The service reads "pid: x, dcs: y" together: one without the other is refused.
    rejects("binary_dcs", "give both", text="00", kind="bin", binary_pid=1)
    rejects("binary_pid", "give both", text="00", kind="bin", binary_dcs=245)


def test_push_is_a_link_and_a_title() -> None:
    assert fields(Message(PHONE, "http://wap.ru\nWAP.RU", kind="push"))["push"] == "1"
    rejects("text", "link, a newline and a title", text="hello", kind="push")


def test_files_only_for_mms_mail_call_and_within_limits() -> None:
    small = Attachment("a.wav", b"x" * 200, "audio/wav")
    message = Message(PHONE, "x", kind="call", files=[small])
    assert protocol.send_message(message).request.files == (small,)
    rejects("files", "only applies", text="x", files=[small])
    rejects("files", "at most 4 files", text="x", kind="call", files=[small] * 5)
    big = Attachment("big.wav", b"x" * (5 * 1024 * 1024 + 1))
    rejects("files", "over 5 MB", text="x", kind="call", files=[big])
    with pytest.raises(ValidationError, match="plain file name"):
        Attachment("../etc/passwd", b"")


def test_file_url_must_be_http() -> None:
    assert fields(Message(PHONE, kind="viber", file_url="https://x.io/a.jpg"))["fileurl"]
    rejects("file_url", "http", kind="viber", file_url="ftp://x.io/a.jpg")


def test_captcha_needs_user_ip() -> None:
    rejects("captcha_code", "user_ip", text="x", captcha_code="abc")
    assert fields(Message(PHONE, "x", captcha_code="abc", user_ip="10.0.0.1"))["imgcode"] == "abc"


def test_translit_and_misc_flags() -> None:
    produced = fields(
        Message(PHONE, "x", translit=2, shorten_links=True, max_parts=3, details=True)
    )
    assert produced["translit"] == "2" and produced["tinyurl"] == "1"
    assert produced["maxsms"] == "3" and produced["op"] == "1"
    rejects("translit", "0 \\(none\\), 1 or 2", text="x", translit=3)
    rejects("max_parts", "positive", text="x", max_parts=0)


def test_send_asks_for_cost_and_balance_cost_only_estimates() -> None:
    assert ("cost", "3") in protocol.send(PHONE, "x").request.fields
    assert protocol.send(PHONE, "x").request.sends_message
    estimate = protocol.cost(PHONE, "x").request
    assert ("cost", "1") in estimate.fields and not estimate.sends_message


def test_kind_enum_and_string_agree() -> None:
    assert (
        Message(PHONE, "x", kind=MessageKind.VIBER).fields()
        == Message(PHONE, "x", kind="viber").fields()
    )
