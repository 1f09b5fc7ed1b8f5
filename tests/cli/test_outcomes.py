"""What an alert script can act on: the exit status and ``"sent"`` say which of the outcomes
happened (sent; refused; bad input; surely not sent; may have been sent), bad input is one line
and sends nothing, explicit options beat the environment, and nothing printed carries a
credential, whatever the server echoes back."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ..servers import echoing_server, refused_url, silent_hosts
from ..unit.test_redact import NASTY, encodings
from .helpers import PHONE, smsc


def outcome(done: Any) -> dict[str, Any]:
    """The ``--json`` object of a finished command; stderr is one line, no traceback."""
    assert done.stderr.count("\n") <= 1, done.stderr
    assert "Traceback" not in done.stderr
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_sent(emulator: Any) -> None:
    done = smsc(emulator, "send", "--to", PHONE, "--text", "db1 down", "--json")
    assert done.returncode == 0
    assert outcome(done)["sent"] is True
    ping = smsc(emulator, "ping", "--task-group", "1", "--host", "db1", "--json")
    assert (ping.returncode, outcome(ping)) == (0, {"sent": True})


def test_refused_by_the_service_exits_1_and_nothing_was_sent(emulator: Any) -> None:
    done = smsc(emulator, "send", "--to", "+99912345678", "--text", "x", "--json")
    assert done.returncode == 1
    result = outcome(done)
    assert result["sent"] is False and result["error"]["code"] == 8
    assert "refused by the service, nothing was sent" in done.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--text", "__CALL__: wake up"], "--text: must not begin with __CALL__"),
        (["--text", " __hlr__"], "--text: must not begin with __HLR__"),
        (["--text", " \t "], "--text: must not be empty or only whitespace"),
        (["--text", "disk\x1b[2Jfull"], "--text: contains the control character '\\x1b'"),
        (["--text", b"caf\xe9"], "--text: contains bytes that are not UTF-8"),
        (["--sender", b"Op\xffs", "--text", "x"], "--sender: contains bytes that are not UTF-8"),
        (["--text", "x", "--kind", "sms", "--kind", "call"], "--kind is given twice"),
        (["--text", "x", "--text", "y"], "--text is given twice"),
        (["--text", "x", "--kind", "telegram"], "'telegram' is not one of"),
        (["--text", "x", "--period", "2"], "--period: needs freq"),
        (["--text", "x", "--kind", "call", "--dial-wait", "99"], "--dial-wait: must be"),
        (["--text", "00", "--kind", "bin", "--binary-pid", "1"], "--binary-dcs: binary_pid and"),
        (["--text", "x", "--at", "3213262561"], "--at: '3213262561' is not a real date"),
        (["--text", "x", "--at", "32.13.26 25:61"], "--at: '32.13.26 25:61' is not a real"),
        (["--text", "x", "--at", "2020-01-01T09:00+03:00"], "is in the past"),
        (["--text", "x", "--to", "+" + PHONE], "is the same recipient as"),
        (["--text", "x", "--timeout", "0"], "--timeout: must be positive"),
        (["--text", "x", "--tz", "two"], "argument --tz: invalid int value"),
    ],
)
def test_bad_input_exits_2_in_one_line_and_sends_nothing(
    emulator: Any, args: list[str | bytes], message: str
) -> None:
    done = smsc(emulator, "send", "--to", PHONE, *args, "--json")
    assert done.returncode == 2, done.stderr
    assert message in done.stderr
    assert done.stderr.startswith("smsc: ") and done.stderr.endswith("(nothing was sent)\n")
    assert outcome(done)["sent"] is False
    assert emulator.control.messages() == []


def test_more_recipients_than_one_request_takes(emulator: Any) -> None:
    numbers = ",".join(f"7999{i:07d}" for i in range(1001))
    done = smsc(emulator, "send", "--to", numbers, "--text", "x")
    assert done.returncode == 2
    assert "at most 1000 recipients" in done.stderr


def test_a_text_file_that_is_not_utf8(emulator: Any, tmp_path: Path) -> None:
    latin1 = tmp_path / "alert.txt"
    latin1.write_bytes("Störung".encode("latin-1"))
    done = smsc(emulator, "send", "--to", PHONE, "--text-file", str(latin1))
    assert (done.returncode, done.stderr.count("\n")) == (2, 1)
    assert "--text-file: is not UTF-8" in done.stderr
    piped = smsc(emulator, "send", "--to", PHONE, "--text-file", "-", stdin="Störung".encode())
    assert piped.returncode == 0
    assert emulator.control.messages()[0]["text"] == "Störung"


def test_the_kinds_users_write_and_the_services_spelling(emulator: Any) -> None:
    mail = ["--to", "ops@example.com", "--sender", "noc@example.com", "--subject", "db1"]
    for kind in ("email", "mail"):
        done = smsc(emulator, "send", *mail, "--kind", kind, "--text", f"via {kind}")
        assert done.returncode == 0, done.stderr
    assert {m["kind"] for m in emulator.control.messages()} == {"mail"}


def test_surely_not_sent_exits_3(emulator: Any) -> None:
    unreachable = {"SMSC_BASE_URL": refused_url()}
    done = smsc(emulator, "send", "--to", PHONE, "--text", "x", "--json", env=unreachable)
    assert done.returncode == 3
    assert outcome(done)["sent"] is False
    assert "safe to retry or to fall back" in done.stderr
    read = smsc(emulator, "balance", "--json", env=unreachable)
    assert read.returncode == 3 and "sent" not in outcome(read)
    assert "nothing was changed: safe to retry" in read.stderr


@pytest.mark.parametrize("fault", ["close", "http500", "garbage"])
def test_may_have_been_sent_exits_4_and_is_not_repeated(emulator: Any, fault: str) -> None:
    emulator.control.add_fault("send", fault, after_processing=True)
    done = smsc(emulator, "send", "--to", PHONE, "--text", "x", "--json")
    assert done.returncode == 4, done.stderr
    assert outcome(done)["sent"] == "unknown"
    assert "the message may have been sent: do not retry" in done.stderr
    assert len(emulator.control.messages()) == 1


def test_a_send_whose_answer_never_comes_exits_4_within_the_deadline(emulator: Any) -> None:
    with silent_hosts(1) as (url,):
        started = time.monotonic()
        done = smsc(emulator, "send", "--to", PHONE, "--text", "x", "--timeout", "0.5", env={
            "SMSC_BASE_URL": url})  # fmt: skip
        assert time.monotonic() - started < 5
    assert done.returncode == 4
    assert "no answer" in done.stderr


@pytest.mark.parametrize("fault", ["garbage", "http500", "close"])
def test_a_read_without_a_usable_answer_exits_3(emulator: Any, fault: str) -> None:
    emulator.control.add_fault("balance", fault)
    done = smsc(emulator, "balance")
    assert done.returncode == 3, done.stderr
    assert "nothing was changed: safe to retry" in done.stderr


def test_a_change_whose_answer_was_lost_exits_4(emulator: Any) -> None:
    emulator.control.add_fault("templates", "garbage", after_processing=True)
    done = smsc(emulator, "templates", "add", "--name", "t", "--text", "hi")
    assert done.returncode == 4
    assert "the change may have been made: check before retrying" in done.stderr


# --- Explicit options beat the environment ----------------------------------------------------


def test_an_api_key_in_the_environment_never_conflicts_with_an_explicit_login(
    emulator: Any,
) -> None:
    done = smsc(
        emulator,
        "balance",
        "--login",
        emulator.login,
        "--password",
        emulator.password,
        env={"SMSC_LOGIN": "", "SMSC_PASSWORD": "", "SMSC_APIKEY": "not-this-key"},
    )
    assert done.returncode == 0, done.stderr


def test_a_login_in_the_environment_never_conflicts_with_an_explicit_api_key(
    emulator: Any,
) -> None:
    done = smsc(emulator, "balance", "--apikey", emulator.api_key)  # SMSC_LOGIN/PASSWORD are set
    assert done.returncode == 0, done.stderr


def test_explicit_options_win_and_the_environment_fills_the_rest(emulator: Any) -> None:
    wrong = {"SMSC_LOGIN": "someone-else", "SMSC_BASE_URL": refused_url()}
    done = smsc(
        emulator, "balance", "--login", emulator.login, "--base-url", emulator.http_url, env=wrong
    )
    assert done.returncode == 0, done.stderr  # the password came from SMSC_PASSWORD
    both = smsc(emulator, "balance", "--apikey", "k", "--login", "x", "--password", "y")
    assert both.returncode == 2 and "not both" in both.stderr


# --- Nothing printed carries a credential -----------------------------------------------------


@pytest.fixture(params=["page", "page502", "answer"])
def echo_url(request: pytest.FixtureRequest) -> Iterator[str]:
    with echoing_server(request.param) as url:
        yield url


@pytest.mark.parametrize("how", ["environment", "arguments", "api key"])
def test_a_server_that_echoes_the_request_gets_no_secret_printed(
    emulator: Any, echo_url: str, how: str
) -> None:
    env = {"SMSC_BASE_URL": echo_url, "SMSC_LOGIN": "ops", "SMSC_PASSWORD": NASTY}
    args: list[str] = []
    if how == "arguments":
        env["SMSC_PASSWORD"] = ""
        args = ["--password", NASTY]
    if how == "api key":
        env.update(SMSC_LOGIN="", SMSC_PASSWORD="", SMSC_APIKEY=f"API-KEY-{NASTY}")
    for output in ("--json", None):
        done = smsc(emulator, "send", "--to", PHONE, "--text", "x", *args, *filter(None, [output]),
                    env=env)  # fmt: skip
        printed = done.stdout + done.stderr
        for form in encodings(NASTY):
            assert form not in printed, (form, printed)
        assert "API-KEY" not in printed
        assert done.returncode in (0, 4), printed  # a page instead of an answer: maybe sent
        if done.returncode == 0:
            assert "***" in printed  # the echoed body was printed, masked
