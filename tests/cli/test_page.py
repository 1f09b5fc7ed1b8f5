"""`smsc page` as alert scripts run it, against the emulator: in the foreground (acknowledged by
a reply, nobody acknowledged, refused, unreachable) and handed to a running relay (stored,
followed to a key press, resolved); exit status by outcome."""

from __future__ import annotations

import json
import os
import re
import subprocess
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from pysmsc_emulator.pytest_plugin import EmulatorHandle

from ..relay.process import CALLBACK, NEVER, TOKEN, RelayProcess, until
from .helpers import SMSC, smsc

ALICE, BOB = "79990000001", "79990000002"
pytestmark = pytest.mark.slow


def start(
    emulator: EmulatorHandle, *args: str, env: dict[str, str] | None = None
) -> subprocess.Popen[str]:
    environment = {
        **os.environ,
        "SMSC_BASE_URL": emulator.http_url,
        "SMSC_LOGIN": emulator.login,
        "SMSC_PASSWORD": emulator.password,
        **(env or {}),
    }
    return subprocess.Popen(
        [SMSC, "page", *args],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def code_of(emulator: EmulatorHandle) -> str:
    text = until(lambda: emulator.control.messages())[0]["text"]
    return re.match(r"ALERT (\w{4}):", text).group(1)


@pytest.fixture(autouse=True)
def undelivered(emulator: EmulatorHandle) -> None:
    emulator.control.configure(status_delays=NEVER)


def test_acknowledged_by_a_reply(emulator: EmulatorHandle) -> None:
    process = start(emulator, "--to", "+79990000001", "--text", "db1 is down")
    code = code_of(emulator)
    emulator.control.receive(ALICE, f"ok {code.lower()} on it")
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert out.startswith(
        f"acknowledged by +79990000001 (reply): page {code}, reached +79990000001, 1 messages, 0 calls"
    )
    assert f"page {code}: paging +79990000001 (reply {code} to acknowledge)" in err
    assert [m["kind"] for m in emulator.control.messages()] == ["sms"]


def test_nobody_acknowledged(emulator: EmulatorHandle) -> None:
    done = smsc(
        emulator,
        "page",
        "--to",
        "+79990000001,+79990000002",
        "--text",
        "db1 is down",
        "--call-after",
        "1s",
        "--ack-within",
        "3s",
        "--no-call",
        "--json",
    )
    assert done.returncode == 5, done.stderr
    assert "smsc: nobody acknowledged page" in done.stderr
    result = json.loads(done.stdout)
    assert result["exit_status"] == 5 and result["sent"] is True
    assert result["page"]["phase"] == "exhausted"
    assert result["page"]["reached"] == ["+79990000001", "+79990000002"]
    assert [m["phones"][0]["phone"] for m in emulator.control.messages()] == [ALICE, BOB]


def test_nothing_sent_refused_or_unreachable(emulator: EmulatorHandle) -> None:
    emulator.control.set_balance("0.00")
    done = smsc(emulator, "page", "--to", "+79990000001", "--text", "db1 is down")
    assert done.returncode == 1, done.stderr
    assert "refused by the service: nothing was sent" in done.stderr
    done = smsc(
        emulator,
        "page",
        "--to",
        "+79990000001",
        "--text",
        "db1 is down",
        env={"SMSC_BASE_URL": "http://127.0.0.1:9"},
    )
    assert done.returncode == 3, done.stderr
    assert emulator.control.messages() == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--to", "+79990000001", "--text", "x", "--no-wait"], "--no-wait: needs --relay"),
        (["--to", "alice", "--text", "x"], "--to: names need the relay's configuration"),
        (
            ["--to", "+79990000001", "--text", "x", "--call-after", "soon"],
            "--call-after: must be a duration",
        ),
        (["--to", "+79990000001"], "--text: the alert is required"),
        (["--text", "x"], "--to: name at least one"),
        (["--resolve", "--key", "k"], "--resolve: needs --relay"),
        (
            ["--to", "+79990000001", "--text", "x", "--relay", "http://127.0.0.1:9"],
            "SMSC_RELAY_TOKEN: is required",
        ),
    ],
)
def test_bad_input(emulator: EmulatorHandle, args: list[str], message: str) -> None:
    done = smsc(emulator, "page", *args, env={"SMSC_RELAY_TOKEN": "", "SMSC_RELAY_URL": ""})
    assert done.returncode == 2
    assert message in done.stderr, done.stderr
    assert emulator.control.messages() == []


def test_names_come_from_the_relays_configuration(emulator: EmulatorHandle, tmp_path: Path) -> None:
    config = tmp_path / "relay.yaml"
    config.write_text(
        textwrap.dedent("""\
        contacts:
          alice: {phone: "+79990000001"}
        """)
    )
    process = start(
        emulator, "--to", "alice", "--text", "db1 is down", env={"SMSC_RELAY_CONFIG": str(config)}
    )
    code = code_of(emulator)
    emulator.control.receive(ALICE, code)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert out.startswith(f"acknowledged by alice (reply): page {code}")


# --- handed to a relay -----------------------------------------------------------------------


@pytest.fixture
def relay(emulator: EmulatorHandle, tmp_path: Path) -> Iterator[RelayProcess]:
    made = RelayProcess(emulator, tmp_path)
    made.start()
    yield made
    made.close()


def test_handed_to_the_relay(emulator: EmulatorHandle, relay: RelayProcess) -> None:
    env = {"SMSC_RELAY_TOKEN": TOKEN, "SMSC_RELAY_URL": relay.url}
    args = ("page", "--to", "alice", "--text", "db1 is down", "--key", "zabbix-4711")
    done = smsc(emulator, *args, env=env)
    assert done.returncode == 0, done.stderr
    assert re.fullmatch(r"handed to the relay: page \w{4} \(opened\)\n", done.stdout)
    again = smsc(emulator, *args, env=env)
    assert again.returncode == 0 and "(deduplicated)" in again.stdout
    until(lambda: emulator.control.messages())
    resolved = smsc(emulator, "page", "--resolve", "--key", "zabbix-4711", env=env)
    assert resolved.returncode == 0, resolved.stderr
    assert resolved.stdout == "resolved: zabbix-4711 (resolved)\n"
    until(lambda: len(emulator.control.messages()) == 2)
    texts = [m["text"] for m in emulator.control.messages()]
    assert texts[1].startswith("RESOLVED ")


def test_followed_through_the_relay_to_a_key_press(
    emulator: EmulatorHandle, relay: RelayProcess
) -> None:
    env = {"SMSC_RELAY_TOKEN": TOKEN}
    process = start(
        emulator,
        "--relay", relay.url, "--to", "alice,bob", "--text", "db1 is down", "--call-after", "2s", "--wait",
        env=env,
    )  # fmt: skip
    call = until(lambda: emulator.control.calls(), timeout=30)[0]
    emulator.control.press_key(call["id"], ALICE, "1")
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert out.startswith("acknowledged by alice (key press): page ")
    assert f"{CALLBACK}" not in out + err and TOKEN not in out + err


def test_nobody_acknowledged_through_the_relay(
    emulator: EmulatorHandle, relay: RelayProcess
) -> None:
    done = smsc(
        emulator,
        "page", "--relay", relay.url, "--to", "alice,bob", "--text", "db1 is down",
        "--call-after", "1s", "--ack-within", "3s", "--no-call", "--wait",
        env={"SMSC_RELAY_TOKEN": TOKEN},
    )  # fmt: skip
    assert done.returncode == 5, done.stderr
    assert done.stdout.startswith("nobody acknowledged: page ")


def test_the_relay_refuses_or_is_not_there(emulator: EmulatorHandle, relay: RelayProcess) -> None:
    args = ("page", "--to", "alice", "--text", "db1 is down", "--relay")
    wrong = smsc(emulator, *args, relay.url, env={"SMSC_RELAY_TOKEN": "wrong-token-0123456789"})
    assert wrong.returncode == 2
    assert "the relay refused the token: HTTP 401" in wrong.stderr
    assert "wrong-token" not in wrong.stderr
    unknown = smsc(emulator, *args, relay.url, "--to", "carol", env={"SMSC_RELAY_TOKEN": TOKEN})
    assert unknown.returncode == 2 and "'carol' is neither" in unknown.stderr
    gone = smsc(emulator, *args, "http://127.0.0.1:9", env={"SMSC_RELAY_TOKEN": TOKEN})
    assert gone.returncode == 3
    assert "the relay was not reached" in gone.stderr and "nothing was handed over" in gone.stderr
    assert emulator.control.messages() == []
