"""The ``smsc`` command as alert scripts use it: real processes against the emulator."""

from __future__ import annotations

import json
import signal
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest

from .helpers import PHONE, SMSC, smsc


def test_send_prints_the_result_and_exits_0(emulator: Any) -> None:
    done = smsc(emulator, "send", "--to", PHONE, "--text", "Disk full", "--sender", "SMSC")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("sent: id 1, 1 part, cost 1.40, balance 998.60")
    assert emulator.control.messages()[0]["sender"] == "SMSC"


def test_json_output_for_scripts(emulator: Any) -> None:
    done = smsc(
        emulator,
        "send",
        "--to",
        PHONE,
        "--kind",
        "call",
        "--voice",
        "w",
        "--dial-attempts",
        "2",
        "--text",
        "Server down",
        "--details",
        "--json",
    )
    result = json.loads(done.stdout)
    assert result["kind"] == "call"
    assert result["seconds"] == result["count"]
    assert result["parts"] is None
    assert result["cost"] == "1.80"
    assert result["recipients"][0]["phone"] == PHONE
    received = emulator.control.messages()[0]
    assert received["options"] == {"call": "1", "voice": "w", "param": "25,10,2"}


def test_every_subcommand_talks_to_the_service(emulator: Any, tmp_path: Path) -> None:
    emulator.control.configure(status_delays=(600, 600))  # however slow the machine is
    body = tmp_path / "alert.txt"
    body.write_text("Multi-line\nalert", encoding="utf-8")
    sent = json.loads(
        smsc(emulator, "send", "--to", PHONE, "--text-file", str(body), "--json").stdout
    )
    assert emulator.control.messages()[0]["text"] == "Multi-line\nalert"
    assert "cost: 1.40 for 1 part" in smsc(emulator, "cost", "--to", PHONE, "--text", "x").stdout
    assert (
        "waiting to be sent"
        in smsc(emulator, "status", "--id", sent["id"], "--phone", PHONE).stdout
    )
    assert "balance 998.60, currency RUB" in smsc(emulator, "balance").stdout
    added = json.loads(
        smsc(emulator, "templates", "add", "--name", "t", "--text", "hi", "--json").stdout
    )
    assert "name t" in smsc(emulator, "templates", "list").stdout
    assert smsc(emulator, "templates", "delete", "--id", str(added["id"])).stdout.strip() == "OK"
    assert smsc(emulator, "senders", "add", "--name", "Ops").returncode == 0
    assert "name Ops, status 0" in smsc(emulator, "senders", "list", "--status").stdout
    ops = smsc(
        emulator,
        "op-templates",
        "add",
        "--sender",
        "SMSC",
        "--text",
        "code {x}",
        "--target",
        "mts_srv",
    )
    assert "name mts_srv, status 1" in ops.stdout
    assert smsc(emulator, "ping", "--task-group", "1", "--name", "web").stdout.strip() == "OK"


def test_api_key_from_the_environment(emulator: Any) -> None:
    done = smsc(
        emulator,
        "balance",
        env={"SMSC_LOGIN": "", "SMSC_PASSWORD": "", "SMSC_APIKEY": emulator.api_key},
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["send", "--to", "123", "--text", "x"], 2, "to: '123' is not a phone number"),
        (
            ["send", "--to", PHONE, "--text", "x", "--kind", "call", "--dial-wait", "100"],
            2,
            "--dial-wait: must be an integer from 10 to 35",
        ),
        (["send", "--to", PHONE, "--text", "x", "--at", "tomorrow"], 2, "--at: 'tomorrow'"),
        (["send", "--to", PHONE, "--text", "x", "--at", "32.13.26 25:61"], 2, "not a real date"),
        (["send", "--to", PHONE, "--text", "x", "--at", "3213262561"], 2, "not a real date"),
        (["send", "--to", PHONE, "--text", "x", "--at", "2020-01-01T09:00Z"], 2, "in the past"),
        (["send", "--to", PHONE, "--text", "x", "--validity", "25"], 2, "--validity"),
        (
            ["send", "--to", PHONE, "--text", "x", "--attach", "/nonexistent"],
            2,
            "--attach: cannot read",
        ),
        (["send", "--to", PHONE], 2, "text: must not be empty"),
        (["send", "--to", "+99912345678", "--text", "x"], 1, "send.php error 8"),
        (["templates", "delete", "--id", "99"], 1, "templates.php error 3: template not found"),
        (["status", "--id", "1,2", "--phone", PHONE], 2, "one recipient per message id"),
        (["send", "--to", PHONE, "--text", "x", "--nope"], 2, "unrecognized arguments"),
    ],
)
def test_exit_codes_and_one_line_errors(
    emulator: Any, args: list[str], code: int, message: str
) -> None:
    done = smsc(emulator, *args)
    assert done.returncode == code
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_bad_credentials_exit_1_without_showing_them(emulator: Any) -> None:
    done = smsc(emulator, "balance", env={"SMSC_PASSWORD": "wrong-secret-99"})
    assert done.returncode == 1
    assert "error 2" in done.stderr
    assert "wrong-secret-99" not in done.stderr + done.stdout


def test_unreachable_service_exits_3(emulator: Any) -> None:
    done = smsc(
        emulator, "send", "--to", PHONE, "--text", "x", env={"SMSC_BASE_URL": "http://127.0.0.1:9"}
    )
    assert done.returncode == 3
    assert "not connected" in done.stderr
    assert "nothing was sent: safe to retry or to fall back" in done.stderr


def test_missing_credentials_exit_2(emulator: Any) -> None:
    done = smsc(emulator, "balance", env={"SMSC_LOGIN": "", "SMSC_PASSWORD": ""})
    assert done.returncode == 2
    assert "login" in done.stderr


def test_emulator_subcommand_prints_one_ready_line_and_stops_on_sigterm() -> None:
    process = subprocess.Popen(
        [
            SMSC,
            "emulator",
            "--http-port",
            "0",
            "--login",
            "ci",
            "--password",
            "pw-123",
            "--balance",
            "5",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("smsc emulator ready: http=http://127.0.0.1:")
        assert "pw-123" not in line
        url = line.split("http=")[1].split()[0]
        answer = httpx.post(
            f"{url}/sys/balance.php", data={"login": "ci", "psw": "pw-123", "fmt": 3}
        )
        assert answer.json() == {"balance": "5.00"}
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0


def test_emulator_subcommand_refuses_a_bad_port() -> None:
    done = subprocess.run(
        [SMSC, "emulator", "--http-port", "70000"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 2
    assert "port" in done.stderr
