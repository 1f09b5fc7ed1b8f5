"""Every example of docs/cli.md runs, as written, against the emulator."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

DOC = Path(__file__).resolve().parents[2] / "docs" / "cli.md"
BIN = str(Path(sys.executable).parent)


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL)


def shell(emulator: Any, script: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "PATH": f"{BIN}:{os.environ['PATH']}",
        "SMSC_BASE_URL": emulator.http_url,
        "SMSC_LOGIN": "",
        "SMSC_PASSWORD": "",
        **env,
    }
    return subprocess.run(
        ["sh", "-c", script],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_first_examples_run_one_by_one(emulator: Any, tmp_path: Path) -> None:
    (tmp_path / "report.txt").write_text("db1: 3 disks above 90%\n", encoding="utf-8")
    emulator.control.add_contact_group(12, ["79990000012", "79990000013"], "ops")
    # The sender name "Ops", asked for and approved, as on a real account.
    env = {"SMSC_LOGIN": emulator.login, "SMSC_PASSWORD": emulator.password}
    assert shell(emulator, "smsc senders add --name Ops", tmp_path, **env).returncode == 0
    emulator.control.set_sender_status("Ops", 1)
    lines = blocks("sh")[0].strip().splitlines()
    assert lines[0].startswith("export SMSC_LOGIN=mylogin SMSC_PASSWORD=secret")
    account = f"export SMSC_LOGIN={emulator.login} SMSC_PASSWORD={emulator.password}\n"
    # The status example asks for message 1234: send it first.
    setup = "smsc send --to +79991234567 --text 'earlier alert' --id 1234\n"
    for line in lines[1:]:
        done = shell(emulator, account + setup + line, tmp_path)
        assert done.returncode == 0, (line, done.stdout, done.stderr)
        setup = ""
    assert json.loads(done.stdout)["balance"]  # the last one: smsc balance --json
    kinds = [message["kind"] for message in emulator.control.messages()]
    assert {"sms", "call", "mail"} <= set(kinds)


def test_the_json_failure_example_is_what_smsc_prints(emulator: Any, tmp_path: Path) -> None:
    documented = json.loads(blocks("json")[0])
    env = {"SMSC_LOGIN": emulator.login, "SMSC_PASSWORD": emulator.password}
    done = shell(emulator, "smsc send --to +99912345678 --text x --json", tmp_path, **env)
    assert done.returncode == 1
    assert json.loads(done.stdout) == documented


def test_the_alert_script_falls_back_only_when_the_call_surely_did_not_go_out(
    emulator: Any, tmp_path: Path
) -> None:
    script = blocks("sh")[1]
    env = {
        "SMSC_LOGIN": emulator.login,
        "SMSC_PASSWORD": emulator.password,
        "CONTACTPAGER": "+79991234567",
        "HOSTNAME": "db1",
        "HOSTSTATE": "DOWN",
    }
    done = shell(emulator, script, tmp_path, **env)
    assert done.returncode == 0, done.stderr
    assert [m["kind"] for m in emulator.control.messages()] == ["call"]
    # The call is refused by the service (no money for a call, enough for an SMS): fall back.
    emulator.control.reset()
    emulator.control.set_balance("1.50")
    done = shell(emulator, script, tmp_path, **env)
    assert done.returncode == 0, done.stderr
    assert [m["kind"] for m in emulator.control.messages()] == ["sms"]
    # The call may have gone out (its answer was lost): no second alert.
    emulator.control.reset()
    emulator.control.add_fault("send", "close", after_processing=True)
    done = shell(emulator, script, tmp_path, **env)
    assert done.returncode == 0
    assert [m["kind"] for m in emulator.control.messages()] == ["call"]
