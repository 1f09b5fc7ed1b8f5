"""Unit tests of the glue between pysmsc and Ansible: the open_url transport, the module
helper, the send module's conversions and the callback's summary. No ansible-playbook here."""

from __future__ import annotations

import base64
import importlib
import io
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import parse_qsl

import pytest
import yaml

pytestmark = pytest.mark.usefixtures("collection_import")


def load(name: str) -> Any:
    """A module of the collection (importable once the collection_import fixture ran)."""
    return importlib.import_module(f"ansible_collections.smsc.messaging.plugins.{name}")


def errors() -> Any:
    return load("module_utils.pysmsc.errors")


class Answer(io.BytesIO):
    """What open_url returns: something with read()."""


class Opener:
    """A fake open_url: answers (or exceptions) in order, and remembers the calls."""

    def __init__(self, *answers: Any) -> None:
        self.answers = list(answers)
        self.calls: list[dict[str, Any]] = []

    def __call__(self, url: str, **kwargs: Any) -> Answer:
        self.calls.append({"url": url, **kwargs})
        answer = self.answers.pop(0)
        if isinstance(answer, BaseException):
            raise answer
        return Answer(answer.encode())

    def fields(self, index: int = 0) -> dict[str, str]:
        return dict(parse_qsl(self.calls[index]["data"].decode()))


@pytest.fixture
def transport() -> Any:
    return load("module_utils.smsc_transport")


@pytest.fixture
def protocol() -> Any:
    return load("module_utils.pysmsc.protocol")


def connection(transport: Any, protocol: Any, url: str = "https://smsc.ru", **kw: Any) -> Any:
    credentials = protocol.Credentials(login="me", password="s3cret-pass")
    return transport.Connection(credentials, base_url=url, **kw)


def test_post_body_and_answer(transport: Any, protocol: Any) -> None:
    opener = Opener('{"balance": "12.50", "currency": "RUB"}')
    result = transport.execute(protocol.balance(), connection(transport, protocol), opener=opener)
    assert result.balance == Decimal("12.50")
    call = opener.calls[0]
    assert call["url"] == "https://smsc.ru/sys/balance.php"
    assert call["method"] == "POST"
    assert call["use_netrc"] is False
    assert call["headers"]["Content-Type"] == "application/x-www-form-urlencoded"
    assert opener.fields() == {
        "login": "me",
        "psw": "s3cret-pass",
        "cur": "1",
        "fmt": "3",
        "charset": "utf-8",
    }


def test_a_send_that_never_connected_goes_to_the_backup_host(transport: Any, protocol: Any) -> None:
    refused = URLError(ConnectionRefusedError(111, "refused"))
    opener = Opener(refused, '{"id": 5, "cnt": 1, "cost": "1.40", "balance": "9.00"}')
    operation = protocol.send("+79991234567", "hi")
    result = transport.execute(operation, connection(transport, protocol), opener=opener)
    assert result.id == "5"
    assert [c["url"] for c in opener.calls] == [
        "https://smsc.ru/sys/send.php",
        "https://www2.smsc.ru/sys/send.php",
    ]


def test_a_send_that_may_have_arrived_is_never_repeated(transport: Any, protocol: Any) -> None:
    TransportError = errors().TransportError
    opener = Opener(TimeoutError("timed out"))
    with pytest.raises(TransportError) as caught:
        transport.execute(
            protocol.send("+79991234567", "hi"), connection(transport, protocol), opener=opener
        )
    assert caught.value.maybe_received is True
    assert "may have been sent" in str(caught.value)
    assert len(opener.calls) == 1


def test_a_read_moves_on_after_a_bad_status(transport: Any, protocol: Any) -> None:
    bad = HTTPError("https://smsc.ru/sys/balance.php", 502, "Bad Gateway", {}, None)
    opener = Opener(bad, '{"balance": "1.00"}')
    result = transport.execute(protocol.balance(), connection(transport, protocol), opener=opener)
    assert result.balance == Decimal("1.00")
    assert len(opener.calls) == 2


def test_other_addresses_have_no_backups(transport: Any, protocol: Any) -> None:
    TransportError = errors().TransportError
    opener = Opener(URLError(ConnectionRefusedError(111, "refused")))
    local = connection(transport, protocol, "http://127.0.0.1:8000/")
    assert local.urls == ("http://127.0.0.1:8000",)
    with pytest.raises(TransportError) as caught:
        transport.execute(protocol.balance(), local, opener=opener)
    assert caught.value.maybe_received is False


def test_rate_limited_reads_wait_and_try_again(transport: Any, protocol: Any) -> None:
    limited = '{"error": "duplicate request", "error_code": 9}'
    opener = Opener(limited, limited, "[]")
    pauses: list[float] = []
    warnings: list[str] = []
    result = transport.execute(
        protocol.templates(),
        connection(transport, protocol),
        opener=opener,
        sleep=pauses.append,
        warn=warnings.append,
    )
    assert result == []
    assert pauses == [5.0, 10.0]
    assert len(warnings) == 2


def test_rate_limits_are_not_waited_for_beyond_the_budget(transport: Any, protocol: Any) -> None:
    RateLimitError = errors().RateLimitError
    limited = '{"error": "duplicate request", "error_code": 9}'
    pauses: list[float] = []
    with pytest.raises(RateLimitError):
        transport.execute(
            protocol.templates(),
            connection(transport, protocol, rate_limit_wait=0),
            opener=Opener(limited),
            sleep=pauses.append,
        )
    assert pauses == []
    with pytest.raises(RateLimitError):  # a send is never repeated
        transport.execute(
            protocol.send("+79991234567", "hi"),
            connection(transport, protocol),
            opener=Opener(limited),
            sleep=pauses.append,
        )
    assert pauses == []


def test_transport_errors_never_carry_credentials(transport: Any, protocol: Any) -> None:
    TransportError = errors().TransportError
    leak = URLError(OSError("proxy said: bad psw=s3cret-pass"))
    with pytest.raises(TransportError) as caught:
        transport.execute(
            protocol.balance(),
            connection(transport, protocol, "http://127.0.0.1:1"),
            opener=Opener(leak),
        )
    assert "s3cret-pass" not in str(caught.value)
    assert "***" in str(caught.value)
    assert "s3cret-pass" not in repr(connection(transport, protocol))


def test_multipart_body_with_files(transport: Any, protocol: Any) -> None:
    attachment = protocol.Attachment("a.txt", b"\x00\xffdata", "text/plain")
    operation = protocol.send(
        "+79991234567", "see file", kind="mms", subject="s", files=[attachment]
    )
    opener = Opener('{"id": 1, "cnt": 1}')
    transport.execute(operation, connection(transport, protocol), opener=opener)
    call = opener.calls[0]
    content_type = call["headers"]["Content-Type"]
    assert content_type.startswith("multipart/form-data; boundary=")
    body = call["data"]
    assert b'name="mms"\r\n\r\n1\r\n' in body
    assert b'name="file0"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\n\x00\xffdata' in body
    assert body.endswith(b"--\r\n")


def test_connection_checks_its_options(transport: Any, protocol: Any) -> None:
    ValidationError = errors().ValidationError
    with pytest.raises(ValidationError) as caught:
        connection(transport, protocol, "ftp://smsc.ru")
    assert caught.value.field == "base_url"
    with pytest.raises(ValidationError):
        connection(transport, protocol, timeout=0)


class FakeModule:
    def __init__(self) -> None:
        self.failed: dict[str, Any] = {}
        self.warnings: list[str] = []

    def fail_json(self, **result: Any) -> None:
        self.failed = result
        raise SystemExit(1)

    def warn(self, text: str) -> None:
        self.warnings.append(text)


@pytest.fixture
def smsc(transport: Any, protocol: Any) -> Any:
    SmscModule = load("module_utils.smsc_module").SmscModule
    helper = SmscModule.__new__(SmscModule)
    helper.module = FakeModule()
    helper.sends = False
    helper.fields = {"base_url": "api_url", "text": "message", "tz": "timezone"}
    helper.connection = connection(transport, protocol)
    return helper


def test_validation_errors_name_the_module_option(smsc: Any) -> None:
    assert smsc.option("text") == "message"
    assert smsc.option("messages[2].tz") == "messages[2].timezone"
    assert smsc.option("dial.wait") == "dial.wait"
    ValidationError = errors().ValidationError

    def bad() -> None:
        raise ValidationError("text", "must not be empty")

    with pytest.raises(SystemExit):
        smsc.check(bad)
    assert smsc.module.failed == {
        "msg": "message: must not be empty",
        "field": "message",
        "rule": "must not be empty",
    }


def test_service_errors_become_fail_json(smsc: Any) -> None:
    api_error = errors().api_error
    with pytest.raises(SystemExit):
        smsc.fail_error(api_error("templates.php", 3, "not found s3cret-pass"), changed=False)
    failed = smsc.module.failed
    assert failed["error_code"] == 3
    assert failed["error_meaning"] == "template not found"
    assert failed["endpoint"] == "templates.php"
    assert "s3cret-pass" not in str(failed)
    smsc.warn("psw=s3cret-pass")
    assert smsc.module.warnings == ["psw=***"]


def test_send_option_conversions() -> None:
    send = load("modules.send")
    # send_at and validity are read by pysmsc.schedule (tests/unit/test_input_rules.py).
    assert send.parse_send_at("2026-05-01T09:00:00Z") == datetime(2026, 5, 1, 9, tzinfo=UTC)
    assert send.parse_validity("00:45") == timedelta(minutes=45)
    content = base64.b64encode(b"hi").decode()
    item = send.attachment({"name": "x.png", "content": content}, 0)
    assert (item.filename, item.content, item.content_type) == ("x.png", b"hi", "image/png")


def test_callback_summary_groups_hosts_by_reason() -> None:
    notify = load("callback.notify")
    failures = {
        "web2": notify.Failure("Install", "No package matching 'foo'"),
        "db1": notify.Failure(None, "ssh: connect to host db1 port 22: Connection refused"),
        "web1": notify.Failure("Install", "No package matching 'foo'"),
        "app1": notify.Failure("Restart", "\x1b[31mexit 1\x1b[0m"),
    }
    failures["app1"].message = notify.clean(failures["app1"].message)
    text = notify.summary("site.yml (Deploy)", failures)
    assert text == (
        "Ansible site.yml (Deploy): 3 hosts failed, 1 unreachable. "
        "web1, web2 - Install: No package matching 'foo'; "
        "app1 - Restart: exit 1; "
        "db1 - unreachable (ssh: connect to host db1 port 22: Connection refused)"
    )
    assert notify.clean("a\x00b\r\nc\ud800d") == "a b c d"


def test_callback_summary_fits_one_part_with_less_detail() -> None:
    notify = load("callback.notify")
    segment = load("module_utils.pysmsc.text").segment
    reason = "No package matching 'nginx-module-geoip2' is available in the enabled repositories"
    failures = {f"web{n:02d}": notify.Failure("Install packages", reason) for n in range(30)}
    failures["db1"] = notify.Failure(None, "timed out")

    def one_part(text: str) -> bool:
        return segment(text).parts == 1

    text = notify.summary("site.yml", failures, fits=one_part, check_run=True)
    assert one_part(text)
    assert text.startswith("[check run] Ansible site.yml: 30 hosts failed, 1 unreachable. ")
    assert "web00, web01" in text
    assert "db1 - unreachable" in text
    cyrillic = {"web1": notify.Failure("Установка", "Пакет не найден " * 5)}
    text = notify.summary("site.yml", cyrillic, fits=one_part)
    assert one_part(text)
    assert "web1 - Установка" in text
    short = notify.summary("site.yml", failures, max_length=60)
    assert len(short) <= 60


@pytest.mark.parametrize(
    ("explicit", "environ", "chosen"),
    [
        # explicit login and password: SMSC_API_KEY never conflicts with them
        ({"login": "me", "password": "pw"}, {"SMSC_API_KEY": "k"}, ("me", "pw", None)),
        # an explicit API key: the environment's login and password are not its family
        ({"api_key": "k"}, {"SMSC_LOGIN": "x", "SMSC_PASSWORD": "y"}, (None, None, "k")),
        # the environment fills what is unset, in the family the options chose
        ({"login": "me"}, {"SMSC_PASSWORD": "pw", "SMSC_API_KEY": "k"}, ("me", "pw", None)),
        # nothing explicit: the environment decides
        ({}, {"SMSC_API_KEY": "k"}, (None, None, "k")),
        ({}, {"SMSC_LOGIN": "x", "SMSC_PASSWORD": "y"}, ("x", "y", None)),
        # empty values count as unset
        ({"login": "", "api_key": ""}, {"SMSC_API_KEY": "k"}, (None, None, "k")),
        # explicit conflicts stay, for the caller to refuse
        ({"login": "me", "api_key": "k"}, {}, ("me", None, "k")),
    ],
)
def test_explicit_credentials_beat_the_environment(
    explicit: dict[str, str], environ: dict[str, str], chosen: tuple[Any, Any, Any]
) -> None:
    resolve = load("module_utils.smsc_credentials").resolve_credentials
    found = resolve(explicit, environ)
    assert (found["login"], found["password"], found["api_key"]) == chosen


def test_both_credential_families_in_the_environment_are_refused() -> None:
    resolve = load("module_utils.smsc_credentials").resolve_credentials
    with pytest.raises(errors().ValidationError) as caught:
        resolve({}, {"SMSC_API_KEY": "k", "SMSC_LOGIN": "x", "SMSC_PASSWORD": "y"})
    assert "SMSC_API_KEY" in caught.value.rule


# Options whose documentation states a range, and what else a message needs for them to apply.
_RANGE_CONTEXT: dict[str, dict[str, Any]] = {
    "timezone": {"send_at": "2030-05-01T09:00:00"},
    "period": {"interval": 10},
    "interval": {"period": 2},
    "dial.wait": {"kind": "call"},
    "dial.interval": {"kind": "call"},
    "dial.attempts": {"kind": "call"},
    "protocol_id": {"kind": "binary", "text": "0B05040B8423F0", "data_coding": 4},
    "data_coding": {"kind": "binary", "text": "0B05040B8423F0", "protocol_id": 0},
}
_RANGE = re.compile(r"\(?(?:from )?(-?\d+(?:\.\d+)?) to (-?\d+(?:\.\d+)?)\b")


def documented_ranges(module: Any) -> dict[str, tuple[float, float]]:
    options = yaml.safe_load(module.DOCUMENTATION)["options"]
    found = {}
    for name, spec in options.items():
        children = [(f"{name}.{k}", v) for k, v in (spec.get("suboptions") or {}).items()]
        for path, option in [(name, spec), *children]:
            if option.get("type") not in ("int", "float", "raw", "str"):
                continue
            text = option["description"]
            text = " ".join(text) if isinstance(text, list) else text
            match = _RANGE.search(text)
            if match:
                found[path] = (float(match.group(1)), float(match.group(2)))
    return found


def test_the_documented_ranges_are_the_validated_ones() -> None:
    """Every range the send module's documentation states is the one its input is checked
    against: both ends accepted, one step beyond each refused, naming the option."""
    send = load("modules.send")
    ValidationError = errors().ValidationError
    ranges = documented_ranges(send)
    assert set(ranges) >= {
        "message_id", "timezone", "period", "interval", "validity", "dial.wait",
        "dial.interval", "dial.attempts", "protocol_id", "data_coding",
    }  # fmt: skip
    defaults = {name: spec.get("default") for name, spec in send.ARGUMENT_SPEC.items()}
    dial_defaults = {k: v["default"] for k, v in send.ARGUMENT_SPEC["dial"]["options"].items()}

    def build(path: str, value: float) -> Any:
        params = {**defaults, "to": ["+79991234567"], "text": "x", "send_at": None}
        params.update(_RANGE_CONTEXT.get(path, {}))
        head, _, child = path.partition(".")
        if child:
            params[head] = {**dial_defaults, child: value}
        else:
            params[head] = str(int(value)) if path in ("message_id", "validity") else value
        return send.single_message(params)

    for path, (low, high) in ranges.items():
        integer = low.is_integer() and high.is_integer()
        step = 1 if integer else low / 2
        convert = int if integer else float
        for value in (low, high):
            build(path, convert(value))
        for value in (low - step, high + step):
            if path == "message_id" and value > high:
                continue  # a longer id is a text id, which the documentation allows
            with pytest.raises(ValidationError) as caught:
                build(path, convert(value))
            library_name = {option: field for field, option in send.FIELDS.items()}
            assert caught.value.field == library_name.get(path, path), (path, value)
