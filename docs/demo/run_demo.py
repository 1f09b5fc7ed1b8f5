"""The demo: a local emulator of SMSC, the Ansible collection, the ``smsc`` command and a page.

Run it with ``make demo``. It starts ``smsc emulator`` on a free port, runs the demo playbook
(docs/demo/playbook.yml: configure templates and a sender name with the configure role, send
an alert SMS and a call with the alert role, read their status and the balance), then uses the
``smsc`` command for a Viber message, a cost estimate, a status and bad input, and shows what
the emulator received. Last, a page: ``smsc relay`` takes an Alertmanager alert, the SMS is not
delivered in time, so Alice gets a call with a voice menu, presses 1 (the emulator calls the
relay back as the service would), and the resolved alert sends one closing message. Nothing
leaves this machine.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from pysmsc_emulator import EmulatorControl

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SMSC = str(BIN / "smsc")
PHONE = "79991234567"
ALICE = "79990000001"


@contextmanager
def emulator() -> Iterator[str]:
    """Start ``smsc emulator`` and yield its URL once it prints its ready line."""
    process = subprocess.Popen(
        [SMSC, "emulator", "--http-port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        print(f"$ smsc emulator --http-port 0\n{line}\n")
        yield line.split("http=", 1)[1].split()[0]
    finally:
        process.terminate()
        process.wait(timeout=10)


def smsc(env: dict[str, str], *args: str, expect: int = 0) -> str:
    """Run one ``smsc`` command, show it and its answer, and return stdout."""
    print("$ smsc " + " ".join(f"'{a}'" if " " in a else a for a in args))
    done = subprocess.run([SMSC, *args], env=env, capture_output=True, text=True, check=False)
    print((done.stdout + done.stderr).rstrip() + f"\n(exit {done.returncode})\n")
    if done.returncode != expect:
        raise SystemExit(f"demo step failed: smsc {' '.join(args)}")
    return done.stdout


def collections_path() -> Path:
    """A collections directory holding this checkout as smsc.messaging."""
    root = REPO / "build" / "collections"
    link = root / "ansible_collections" / "smsc" / "messaging"
    link.parent.mkdir(parents=True, exist_ok=True)
    if not link.is_symlink():
        link.symlink_to(REPO, target_is_directory=True)
    return root


def playbook(url: str) -> None:
    command = [
        str(BIN / "ansible-playbook"),
        str(REPO / "docs" / "demo" / "playbook.yml"),
        "-e",
        f"smsc_api_url={url}",
        "-e",
        "smsc_login=demo",
        "-e",
        "smsc_password=demo",
    ]
    print("$ ansible-playbook docs/demo/playbook.yml -e smsc_api_url=... (the emulator)\n")
    env = {
        **os.environ,
        "ANSIBLE_COLLECTIONS_PATH": str(collections_path()),
        "ANSIBLE_LOCALHOST_WARNING": "false",
        "ANSIBLE_INVENTORY_UNPARSED_WARNING": "false",
        "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
    }
    if subprocess.run(command, env=env, check=False).returncode:
        raise SystemExit("demo step failed: the playbook")


RELAY_CONFIG = """\
listen: 127.0.0.1:0
account: {{base_url: "{url}", login: demo, password: demo}}
callback_token: "{callback}"
state: relay.sqlite
replies: {{poll: false}}
contacts:
  alice: "+79990000001"
  bob: "+79990000002"
routes:
  - match: {{severity: critical}}
    chain: [alice, bob]
    escalation: {{deliver_within: 3s, ack_within: 10m}}
  - chain: [bob]
"""


def alertmanager(status: str) -> dict[str, Any]:
    """An Alertmanager webhook (version 4) for one group of one alert."""
    alert = {
        "status": status,
        "labels": {"alertname": "DiskFull", "severity": "critical", "instance": "db1"},
        "annotations": {"summary": "Disk full on db1: /var at 98%"},
        "startsAt": "2026-11-30T10:00:00Z",
        "endsAt": "0001-01-01T00:00:00Z",
        "fingerprint": "demo-db1",
    }
    return {
        "version": "4",
        "groupKey": '{}:{alertname="DiskFull"}',
        "status": status,
        "receiver": "smsc-relay",
        "groupLabels": {"alertname": "DiskFull"},
        "commonLabels": {"alertname": "DiskFull", "severity": "critical"},
        "commonAnnotations": {},
        "externalURL": "http://alertmanager:9093",
        "alerts": [alert],
    }


def wait_for(what: str, done: Callable[[], Any], timeout: float = 30) -> Any:
    deadline = time.monotonic() + timeout
    while not (value := done()):
        if time.monotonic() > deadline:
            raise SystemExit(f"demo step failed: {what}")
        time.sleep(0.1)
    return value


def page(url: str) -> None:
    """An alert through ``smsc relay``: SMS, no delivery, a call, key 1, resolved."""
    token, callback = secrets.token_hex(16), secrets.token_hex(16)
    control = EmulatorControl(url)
    control.configure(status_delays=(86400.0, 86400.0))  # the SMS will not be delivered
    with tempfile.TemporaryDirectory() as directory:
        config = Path(directory) / "relay.yaml"
        config.write_text(RELAY_CONFIG.format(url=url, callback=callback))
        env = {**os.environ, "SMSC_RELAY_TOKEN": token}
        print("$ smsc relay --config relay.yaml   (chain: alice, then bob; a call after 3 s)")
        relay = subprocess.Popen(
            [SMSC, "relay", "--config", str(config)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        try:
            assert relay.stdout is not None
            ready = relay.stdout.readline().strip()
            print(ready.replace(callback, "***") + "\n")
            base = ready.split("ready: ", 1)[1].split()[0]
            control.set_callback_url(f"{base}/smsc/{callback}")  # the account's handler URL
            headers = {"Authorization": f"Bearer {token}"}

            def post(status: str) -> dict[str, Any]:
                print(f"$ curl -X POST {base}/alertmanager   (Alertmanager: DiskFull {status})")
                answer = httpx.post(
                    f"{base}/alertmanager", json=alertmanager(status), headers=headers, timeout=10
                ).json()
                print(f"{answer['action']}: page {answer['page']['code']}")
                return answer  # type: ignore[no-any-return]

            def to_alice(kind: str) -> list[dict[str, Any]]:
                return [
                    m
                    for m in control.messages()
                    if m["kind"] == kind and m["phones"][0]["phone"] == ALICE
                ]

            code = post("firing")["page"]["code"]
            sms = wait_for("the SMS", lambda: to_alice("sms"))[0]
            print(f"SMS to alice: {sms['text']!r}")
            print("... not delivered within 3 s, so the page calls her:")
            call = wait_for("the call", lambda: to_alice("call"))[0]
            print(f"call to alice, its voice menu: {call['menu']['menu_text']!r}")
            print("Alice presses 1; the service calls the relay's handler:")
            control.press_key(call["id"], call["phones"][0]["phone"], "1")
            control.flush_callbacks()
            wait_for(
                "the acknowledgement",
                lambda: (
                    "smsc_relay_acknowledgements_total 1"
                    in httpx.get(f"{base}/metrics", timeout=10).text
                ),
            )
            print("\nAlertmanager repeats the group (every repeat_interval); nothing is sent:")
            page = post("firing")["page"]
            print(
                f"page {code} {page['phase']} by {page['acknowledged_by']} "
                f"({page['acknowledged_via']}); bob was not paged\n"
            )
            print("The alert resolves:")
            post("resolved")
            closing = wait_for(
                "the resolved message",
                lambda: (
                    control.messages()[-1]["text"].startswith("RESOLVED") and control.messages()[-1]
                ),
            )
            print(f"SMS to alice: {closing['text']!r}")
        finally:
            relay.terminate()
            relay.wait(timeout=20)
    control.close()


def main() -> None:
    with emulator() as url:
        playbook(url)
        env = {**os.environ, "SMSC_BASE_URL": url, "SMSC_LOGIN": "demo", "SMSC_PASSWORD": "demo"}
        print("The same account from the shell, with the smsc command:\n")
        sms = json.loads(
            smsc(
                env,
                "send",
                "--to",
                PHONE,
                "--text",
                "db1: disk 95% full",
                "--sender",
                "SMSC",
                "--json",
            )
        )
        smsc(env, "send", "--to", PHONE, "--kind", "viber", "--text", "Backups finished")
        smsc(env, "cost", "--to", f"{PHONE},79990000000", "--text", "Привет из демо: " + "ы" * 70)
        smsc(env, "status", "--id", sms["id"], "--phone", PHONE)
        print("... 4 s while the emulator delivers (waiting, passed to operator, delivered)\n")
        time.sleep(4)
        smsc(env, "status", "--id", sms["id"], "--phone", PHONE, "--full", "1")
        smsc(env, "balance")
        smsc(env, "send", "--to", "12345", "--text", "bad input is refused, nothing sent", expect=2)
        received = httpx.get(f"{url}/_emulator/messages", timeout=10).json()["messages"]
        print(f"The emulator received {len(received)} messages (status 1 = delivered):")
        for message in received:
            phones = ", ".join(f"{r['phone']} (status {r['status']})" for r in message["phones"])
            print(
                f"  #{message['id']} {message['kind']:<5} cost {message['cost']:>5} "
                f"to {phones}: {message['text']!r}"
            )
        print("\nA page, from an Alertmanager alert to an acknowledgement:\n")
        page(url)


if __name__ == "__main__":
    main()
