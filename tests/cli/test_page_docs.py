"""The Zabbix media type script and the Nagios/Icinga notification commands of docs/cli.md,
invoked as Zabbix, Nagios and Icinga invoke them (their argument conventions, their macros
filled in), against a running relay and the emulator; and the Nagios one in the foreground."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from pysmsc_emulator.pytest_plugin import EmulatorHandle

from ..relay.process import NEVER, TOKEN, RelayProcess, until

DOC = Path(__file__).resolve().parents[2] / "docs" / "cli.md"
BIN = str(Path(sys.executable).parent)
ALICE = "79990000001"
pytestmark = pytest.mark.slow


def block(language: str, marker: str) -> str:
    """The one ``language`` block of docs/cli.md whose first two lines hold ``marker``."""
    found = [
        text
        for text in re.findall(
            rf"```{language}\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL
        )
        if marker in "\n".join(text.splitlines()[:2])
    ]
    assert len(found) == 1, marker
    return found[0]


def script(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    path.chmod(0o755)
    return path


@pytest.fixture
def relay(emulator: EmulatorHandle, tmp_path: Path) -> Iterator[RelayProcess]:
    emulator.control.configure(status_delays=NEVER)
    made = RelayProcess(emulator, tmp_path)
    made.start()
    yield made
    made.close()


def environment(relay: RelayProcess | None, emulator: EmulatorHandle) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SMSC_RELAY", "NAGIOS_"))
    }
    env["PATH"] = f"{BIN}:{os.environ['PATH']}"
    if relay is not None:
        env.update(SMSC_RELAY_URL=relay.url, SMSC_RELAY_TOKEN=TOKEN)
    else:
        env.update(
            SMSC_BASE_URL=emulator.http_url,
            SMSC_LOGIN=emulator.login,
            SMSC_PASSWORD=emulator.password,
        )
    return env


def texts(emulator: EmulatorHandle) -> list[str]:
    return [m["text"] for m in emulator.control.messages()]


def test_the_zabbix_media_type_script(
    emulator: EmulatorHandle, relay: RelayProcess, tmp_path: Path
) -> None:
    path = script(tmp_path, "smsc-page", block("sh", "# smsc-page: Zabbix script media type."))
    env = environment(relay, emulator)
    # Zabbix runs the script with {ALERT.SENDTO} {ALERT.SUBJECT} {ALERT.MESSAGE}, the subject
    # from the media type's message templates.
    problem = [
        str(path),
        "alice",
        "PROBLEM 4711: Disk full on db1",
        "Disk full on db1: /var at 98%",
    ]
    done = subprocess.run(problem, env=env, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert "handed to the relay" in done.stdout
    until(lambda: texts(emulator))
    assert "Disk full on db1: /var at 98%" in texts(emulator)[0]
    # Zabbix retries a failed alert, and repeats escalation steps: the same event pages once.
    again = subprocess.run(
        problem, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert again.returncode == 0 and "(deduplicated)" in again.stdout
    recovery = [str(path), "alice", "RESOLVED 4711: Disk full on db1", "Resolved in 5m"]
    done = subprocess.run(
        recovery, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    until(lambda: len(texts(emulator)) == 2)
    assert texts(emulator)[1].startswith("RESOLVED ")
    assert [m["phones"][0]["phone"] for m in emulator.control.messages()] == [ALICE, ALICE]


def nagios_command(tmp_path: Path, name: str, macros: dict[str, str]) -> str:
    """The command_line of ``name``, its macros filled in as Nagios does."""
    config = block("cfg", "define command {")
    lines = re.findall(r"command_name\s+(\S+)\n\s+command_line\s+(.+)", config)
    command = dict(lines)[name]
    path = script(tmp_path, "smsc-page-nagios", block("sh", "# smsc-page-nagios TYPE WHAT STATE"))
    command = command.replace("/usr/local/bin/smsc-page-nagios", str(path))
    return re.sub(r"\$([A-Z]+)\$", lambda m: macros[m.group(1)], command)


SERVICE = {
    "NOTIFICATIONTYPE": "PROBLEM",
    "HOSTNAME": "db1",
    "SERVICEDESC": "disk",
    "SERVICESTATE": "CRITICAL",
    "CONTACTPAGER": "alice",
    "SERVICEOUTPUT": "DISK CRITICAL - /var at 98%",
}


def test_the_nagios_command_through_the_relay(
    emulator: EmulatorHandle, relay: RelayProcess, tmp_path: Path
) -> None:
    env = environment(relay, emulator)
    command = nagios_command(tmp_path, "notify-service-by-smsc-page", SERVICE)
    # Nagios runs a command line holding shell characters through /bin/sh -c.
    done = subprocess.run(
        ["/bin/sh", "-c", command], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    until(lambda: texts(emulator))
    assert "db1/disk is CRITICAL: DISK CRITICAL - /var at 98%" in texts(emulator)[0]
    ack = nagios_command(
        tmp_path, "notify-service-by-smsc-page", {**SERVICE, "NOTIFICATIONTYPE": "ACKNOWLEDGEMENT"}
    )
    assert subprocess.run(["/bin/sh", "-c", ack], env=env, timeout=60, check=False).returncode == 0
    recovery = nagios_command(
        tmp_path,
        "notify-service-by-smsc-page",
        {**SERVICE, "NOTIFICATIONTYPE": "RECOVERY", "SERVICESTATE": "OK"},
    )
    done = subprocess.run(
        ["/bin/sh", "-c", recovery],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    until(lambda: len(texts(emulator)) == 2)
    assert texts(emulator)[1].startswith("RESOLVED ")


def test_the_nagios_host_command_in_the_foreground(
    emulator: EmulatorHandle, tmp_path: Path
) -> None:
    emulator.control.configure(status_delays=NEVER)
    env = environment(None, emulator)
    macros = {
        "NOTIFICATIONTYPE": "PROBLEM",
        "HOSTNAME": "db1",
        "HOSTSTATE": "DOWN",
        "CONTACTPAGER": "+79990000001",
        "HOSTOUTPUT": "PING CRITICAL - Packet loss = 100%",
    }
    command = nagios_command(tmp_path, "notify-host-by-smsc-page", macros)
    process = subprocess.Popen(
        ["/bin/sh", "-c", command],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    text = until(lambda: texts(emulator))[0]
    assert "db1 is DOWN: PING CRITICAL - Packet loss = 100%" in text
    emulator.control.receive(ALICE, "ack")
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert out.startswith("acknowledged by +79990000001 (reply)")
    recovery = nagios_command(
        tmp_path, "notify-host-by-smsc-page", {**macros, "NOTIFICATIONTYPE": "RECOVERY"}
    )
    assert (
        subprocess.run(["/bin/sh", "-c", recovery], env=env, timeout=60, check=False).returncode
        == 0
    )


def test_the_icinga_notification_command(
    emulator: EmulatorHandle, relay: RelayProcess, tmp_path: Path
) -> None:
    config = block("icinga", 'object NotificationCommand "smsc-page-service" {')
    arguments = shlex.split(re.search(r"command = \[(.*?)\]", config).group(1).replace(",", " "))
    path = script(tmp_path, "smsc-page-nagios", block("sh", "# smsc-page-nagios TYPE WHAT STATE"))
    macros = {
        "notification.type": "PROBLEM",
        "host.name": "db1",
        "service.name": "disk",
        "service.state": "CRITICAL",
        "user.pager": "alice",
        "service.output": "DISK CRITICAL - /var at 98%",
    }
    argv = [re.sub(r"\$([a-z.]+)\$", lambda m: macros[m.group(1)], a) for a in arguments]
    argv[0] = argv[0].replace("/usr/local/bin/smsc-page-nagios", str(path))
    env_block = re.search(r"env = \{(.*?)\}", config).group(1)
    assert 'SMSC_RELAY_URL = "http://127.0.0.1:9099"' in env_block and "SmscRelayToken" in env_block
    env = environment(relay, emulator)  # Icinga execs the arguments, no shell
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    until(lambda: texts(emulator))
    assert "db1/disk is CRITICAL: DISK CRITICAL - /var at 98%" in texts(emulator)[0]
