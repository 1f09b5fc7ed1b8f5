"""The demo: a local emulator of SMSC, the Ansible collection and the ``smsc`` command.

Run it with ``make demo``. It starts ``smsc emulator`` on a free port, runs the demo playbook
(docs/demo/playbook.yml: configure templates and a sender name with the configure role, send
an alert SMS and a call with the alert role, read their status and the balance), then uses the
``smsc`` command for a Viber message, a cost estimate, a status and bad input, and shows what
the emulator received. Nothing leaves this machine.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SMSC = str(BIN / "smsc")
PHONE = "79991234567"


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


if __name__ == "__main__":
    main()
