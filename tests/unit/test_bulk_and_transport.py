"""Bulk planning (the list parameter) and the failover policy."""

from urllib.parse import parse_qs

import pytest

from pysmsc import protocol, transport
from pysmsc.errors import InsufficientFundsError, ValidationError
from pysmsc.models import BulkMessage, SendResult
from pysmsc.protocol import BulkLimits, Credentials


def test_list_lines_use_the_documented_format() -> None:
    batches = protocol.bulk_send(
        [
            BulkMessage("79991234567", "Hello\nworld"),
            BulkMessage("79990000000,79990000001", "Hi: there", sender="Shop", tz=2),
            BulkMessage("79990000002", "x", tz=-1),
        ],
        sender="Default",
    )
    assert len(batches) == 1
    fields = dict(batches[0].operation.request.fields)
    assert fields["list"].split("\n") == [
        "79991234567:Hello\\nworld",
        "Shop,2|79990000000,79990000001:Hi: there",
        ",-1|79990000002:x",
    ]
    assert fields["sender"] == "Default" and fields["cost"] == "3"
    assert batches[0].operation.request.sends_message


def test_split_by_count_and_by_size() -> None:
    messages = [BulkMessage(f"7999{i:07d}", f"message {i}") for i in range(2500)]
    by_count = protocol.bulk_send(messages, limits=BulkLimits(max_messages=1000))
    assert [len(b.messages) for b in by_count] == [1000, 1000, 500]
    by_size = protocol.bulk_send(messages, limits=BulkLimits(max_messages=10_000, max_bytes=10_000))
    assert sum(len(b.messages) for b in by_size) == 2500 and len(by_size) > 5
    for batch in by_size:
        body = dict(batch.operation.request.fields)["list"]
        assert len(protocol.form_fields(batch.operation.request, Credentials("a", "b"))) > 0
        assert len(body.encode()) <= 10_000
    assert [m for b in by_size for m in b.messages] == messages


def test_bad_message_fails_with_its_index_before_anything() -> None:
    messages = [BulkMessage("79991234567", "ok"), BulkMessage("12", "bad")]
    with pytest.raises(ValidationError) as info:
        protocol.bulk_send(messages)
    assert info.value.field == "messages[1].to"
    for bad, field in (
        (BulkMessage("79991234567", ""), "messages[0].text"),
        (BulkMessage("79991234567", "a\\nb"), "messages[0].text"),
        (BulkMessage("79991234567", "x", sender="A|B"), "messages[0].sender"),
        (BulkMessage("79991234567", "x", tz=40), "messages[0].tz"),
    ):
        with pytest.raises(ValidationError) as info:
            protocol.bulk_send([bad])
        assert info.value.field == field
    with pytest.raises(ValidationError, match="at least one"):
        protocol.bulk_send([])
    with pytest.raises(ValidationError, match="bulk sends support"):
        protocol.bulk_send([BulkMessage("79991234567", "x")], kind="mail")


def test_credentials_never_show() -> None:
    credentials = Credentials("me", "s3cret")
    assert "s3cret" not in repr(credentials) and "s3cret" not in str(credentials)
    assert "key123" not in repr(Credentials(api_key="key123"))
    with pytest.raises(ValidationError, match="not both"):
        Credentials("me", "x", api_key="k")
    with pytest.raises(ValidationError) as info:
        Credentials("me")
    assert info.value.field == "password"


def test_form_fields_put_credentials_in_the_body_with_json_and_utf8() -> None:
    request = protocol.balance().request
    body = protocol.form_fields(request, Credentials(api_key="k"))
    assert body[0] == ("apikey", "k") and ("fmt", "3") in body and ("charset", "utf-8") in body
    assert request.path == "/sys/balance.php"
    assert parse_qs("&".join(f"{k}={v}" for k, v in body))["cur"] == ["1"]


def test_backup_hosts_only_for_the_service() -> None:
    assert transport.backup_urls("https://smsc.ru") == [
        "https://www2.smsc.ru",
        "https://www3.smsc.ru",
        "https://www4.smsc.ru",
        "https://www5.smsc.ru",
    ]
    assert transport.backup_urls("https://www.smscentre.com/")[0] == "https://www2.smscentre.com"
    assert transport.backup_urls("http://127.0.0.1:8000") == []


@pytest.mark.parametrize(
    "bad", ["smsc.ru", "ftp://smsc.ru", "https://u:p@smsc.ru", "https://smsc.ru/?a=1"]
)
def test_base_url_rules(bad: str) -> None:
    with pytest.raises(ValidationError) as info:
        transport.check_base_url(bad)
    assert info.value.field == "base_url"


def test_a_bulk_request_can_be_priced_without_sending() -> None:
    [batch] = protocol.bulk_send([BulkMessage("79991234567", "x")], kind="viber")
    estimate = batch.cost()
    assert ("cost", "1") in estimate.request.fields
    assert ("cost", "3") not in estimate.request.fields
    assert not estimate.request.sends_message
    assert estimate.parse('{"cost": "0.90", "cnt": 1}').kind.value == "viber"


def _batches(count: int) -> list[protocol.BulkBatch]:
    messages = [BulkMessage(f"7999{i:07d}", f"message {i}") for i in range(count)]
    return protocol.bulk_send(messages, limits=BulkLimits(max_messages=1))


def test_one_bulk_rule_stops_at_the_first_failure() -> None:
    sent: list[str] = []
    refused = InsufficientFundsError("send.php", 3, "no money")

    def execute(operation: protocol.Operation[SendResult]) -> SendResult:
        if len(sent) == 2:
            raise refused
        sent.append(dict(operation.request.fields)["list"])
        return SendResult(id=str(len(sent)), count=1)

    outcomes = protocol.BulkProgress(_batches(5)).run(execute)
    assert [(o.sent, o.attempted) for o in outcomes] == [
        (True, True),
        (True, True),
        (False, True),
        (False, False),
        (False, False),
    ]
    assert outcomes[2].error is refused
    assert len(sent) == 2


def test_every_batch_must_be_accounted_for() -> None:
    progress = protocol.BulkProgress(_batches(2))
    with pytest.raises(RuntimeError, match="sent\\(\\) or failed\\(\\)"):
        for _batch in progress:
            pass  # neither sent() nor failed(): a transport bug, not a silent success
    with pytest.raises(RuntimeError):
        protocol.BulkProgress(_batches(1)).sent(SendResult(id="1", count=1))
