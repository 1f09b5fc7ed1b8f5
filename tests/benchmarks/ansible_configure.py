"""Ansible figure: re-running the ``smsc.messaging.configure`` role on an account it has just
converged, against the emulator, next to an ``ansible-playbook`` run of one no-op task (the
fixed cost of starting Ansible) in the same run.

    .venv/bin/python -m tests.benchmarks.ansible_configure [--templates 20] [--senders 5]

The target (issue 10): the re-run takes at most 5 s with 20 templates and 5 sender names. The
re-run comes right after the converging run, as it does when someone runs a playbook twice: the
service's rule of three identical list requests a minute applies across both runs.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
TARGET_SECONDS = 5.0


@contextmanager
def emulator() -> Iterator[str]:
    """The emulator in its own process, so that Ansible and the server each get a core."""
    process = subprocess.Popen(
        [str(BIN / "smsc-emulator"), "--http-port", "0"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        yield process.stdout.readline().split("http=", 1)[1].split()[0]
    finally:
        process.terminate()
        process.wait(timeout=10)


def declared(templates: int, senders: int) -> dict[str, Any]:
    return {
        "configure_templates": [
            {"name": f"alert-{n:02d}", "text": f"ALERT {n}: {{1}} on {{2}}", "kind": "sms"}
            for n in range(templates)
        ],
        "configure_senders": [{"name": f"Ops{n:02d}", "comment": "bench"} for n in range(senders)],
    }


def playbook(workdir: Path, url: str, variables: dict[str, Any] | None) -> Path:
    play: dict[str, Any] = {
        "name": "bench",
        "hosts": "localhost",
        "gather_facts": False,
        "module_defaults": {
            "group/smsc.messaging.smsc": {"api_url": url, "login": "demo", "password": "demo"}
        },
    }
    if variables is None:
        play["tasks"] = [{"name": "Nothing", "ansible.builtin.debug": {"msg": "no-op"}}]
    else:
        play["roles"] = [{"role": "smsc.messaging.configure", "vars": variables}]
    path = workdir / ("noop.yml" if variables is None else "configure.yml")
    path.write_text(yaml.safe_dump([play], sort_keys=False), encoding="utf-8")
    return path


def timed_run(workdir: Path, path: Path) -> tuple[float, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "SMSC_"))}
    env.update(
        ANSIBLE_COLLECTIONS_PATH=str(workdir / "collections"),
        ANSIBLE_COLLECTIONS_SCAN_SYS_PATH="false",
        ANSIBLE_HOME=str(workdir / "home"),
        ANSIBLE_LOCALHOST_WARNING="false",
        ANSIBLE_INVENTORY_UNPARSED_WARNING="false",
        ANSIBLE_PYTHON_INTERPRETER=sys.executable,
        ANSIBLE_NOCOLOR="1",
    )
    command = [str(BIN / "ansible-playbook"), "-i", "localhost,", "-c", "local", str(path)]
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"ansible-playbook failed:\n{done.stdout}\n{done.stderr}")
    return elapsed, done.stdout


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--templates", type=int, default=20)
    parser.add_argument("--senders", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch, emulator() as url:
        workdir = Path(scratch)
        namespace = workdir / "collections" / "ansible_collections" / "smsc"
        namespace.mkdir(parents=True)
        (namespace / "messaging").symlink_to(REPO, target_is_directory=True)
        noop, _ = timed_run(workdir, playbook(workdir, url, None))
        configure = playbook(workdir, url, declared(args.templates, args.senders))
        first, _ = timed_run(workdir, configure)
        rerun, output = timed_run(workdir, configure)
    if "changed=0" not in output:
        raise SystemExit(f"the re-run changed something:\n{output}")
    verdict = "meets" if rerun <= TARGET_SECONDS else "MISSES"
    print(
        f"ansible configure ({args.templates} templates, {args.senders} senders): "
        f"converge {first:.2f} s, re-run {rerun:.2f} s (changed=0), "
        f"no-op playbook {noop:.2f} s; re-run / no-op = {rerun / noop:.2f}x; "
        f"{verdict} the target of {TARGET_SECONDS:g} s"
    )


if __name__ == "__main__":
    main()
