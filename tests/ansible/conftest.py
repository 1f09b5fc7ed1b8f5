"""Fixtures of the Ansible tests: the collection on a collections path, and real
``ansible-playbook`` runs against the emulator (the ``emulator`` fixture of tests/conftest.py).

Every run writes its task results as JSON through the test callback ``record``
(tests/ansible/plugins/callback/record.py); :class:`Run` looks them up by task name.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from ..servers import silent_hosts

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
PYENV_VERSIONS = ("3.13.0", "3.12.1", "3.11.7", "3.10.13", "3.9.18")
PHONE = "+79991234567"
OTHER = "+79161234567"


def task(name: str, module: str, args: dict[str, Any] | None = None, **keywords: Any) -> dict:
    """A task of an smsc.messaging module, registered as ``out``."""
    return {"name": name, f"smsc.messaging.{module}": args or {}, "register": "out", **keywords}


def python_for(version: str) -> str | None:
    """The pyenv interpreter of ``version`` (e.g. "3.9.18"), or None when not installed."""
    minor = ".".join(version.split(".")[:2])
    try:
        found = subprocess.run(
            ["pyenv", "which", f"python{minor}"],
            env={**os.environ, "PYENV_VERSION": version},
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:
        return None
    path = found.stdout.strip()
    return path if found.returncode == 0 and path else None


@pytest.fixture(scope="session")
def collections_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A collections path whose ``ansible_collections/smsc/messaging`` is this repository."""
    root = tmp_path_factory.mktemp("collections")
    namespace = root / "ansible_collections" / "smsc"
    namespace.mkdir(parents=True)
    (namespace / "messaging").symlink_to(REPO, target_is_directory=True)
    return root


@pytest.fixture(scope="session")
def collection_import(collections_path: Path) -> Iterator[None]:
    """Make ``ansible_collections.smsc.messaging`` importable in the test process."""
    sys.path.insert(0, str(collections_path))
    yield
    sys.path.remove(str(collections_path))


@dataclass
class Run:
    """One ansible-playbook run: exit status, output and the recorded task results."""

    rc: int
    stdout: str
    stderr: str
    records: list[dict[str, Any]]

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def results(self, task: str) -> list[dict[str, Any]]:
        found = [r for r in self.records if r["task"] == task]
        assert found, f"no result for task {task!r}; tasks: {[r['task'] for r in self.records]}"
        return found

    def record(self, task: str, host: str = "localhost") -> dict[str, Any]:
        found = [r for r in self.results(task) if r["host"] == host]
        assert found, f"no result of {task!r} for {host}"
        return found[-1]

    def result(self, task: str, host: str = "localhost") -> dict[str, Any]:
        return self.record(task, host)["result"]

    def status(self, task: str, host: str = "localhost") -> str:
        return self.record(task, host)["status"]

    def __repr__(self) -> str:  # shown by pytest when an assertion fails: the failures first
        lines = self.output.splitlines()
        failures = [line[:400] for line in lines if line.startswith(("fatal:", "[ERROR]"))]
        return f"Run(rc={self.rc}, failures={failures}, tail={lines[-3:]})"


@dataclass
class Ansible:
    """Runs playbooks against the emulator with the collection on the collections path."""

    collections: Path
    workdir: Path
    emulator: Any
    python: str = sys.executable
    counter: list[int] = field(default_factory=lambda: [0])

    @property
    def connection(self) -> dict[str, Any]:
        return {
            "api_url": self.emulator.http_url,
            "login": self.emulator.login,
            "password": self.emulator.password,
        }

    def secret_vars(self, connection: Mapping[str, Any]) -> tuple[dict[str, str], list[str]]:
        """module_defaults that name variables, and the ``-e @file`` arguments that set them,
        so that no credential is in the playbook (Ansible shows playbook lines in errors)."""
        self.counter[0] += 1
        path = self.workdir / f"connection-{self.counter[0]}.json"
        path.write_text(json.dumps({f"smsc_test_{k}": v for k, v in connection.items()}))
        defaults = {k: f"{{{{ smsc_test_{k} }}}}" for k in connection}
        return defaults, ["-e", f"@{path}"]

    def env(self, extra: Mapping[str, str | None] | None = None) -> dict[str, str]:
        """The environment of a run; a value of None in ``extra`` removes the variable."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "SMSC_"))}
        env.update(
            ANSIBLE_COLLECTIONS_PATH=str(self.collections),
            ANSIBLE_COLLECTIONS_SCAN_SYS_PATH="false",
            ANSIBLE_CALLBACK_PLUGINS=str(HERE / "plugins" / "callback"),
            ANSIBLE_CALLBACKS_ENABLED="record",
            ANSIBLE_NOCOLOR="1",
            ANSIBLE_HOME=str(self.workdir / "ansible-home"),
            ANSIBLE_LOCAL_TEMP=str(self.workdir / "ansible-tmp"),
            ANSIBLE_RETRY_FILES_ENABLED="false",
            ANSIBLE_HOST_KEY_CHECKING="false",
            ANSIBLE_INVENTORY_UNPARSED_WARNING="false",
            ANSIBLE_LOCALHOST_WARNING="false",
            PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        )
        for name, value in (extra or {}).items():
            if value is None:
                env.pop(name, None)
            else:
                env[name] = value
        return env

    def inventory(
        self,
        python: str | None = None,
        hosts: Sequence[str] = (),
        groups: Mapping[str, Sequence[str]] | None = None,
    ) -> Path:
        self.counter[0] += 1
        path = self.workdir / f"inventory-{self.counter[0]}.ini"
        lines = ["[all:vars]", "ansible_connection=local"]
        lines.append(f"ansible_python_interpreter={python or self.python}")
        lines += ["[all]", "localhost", *hosts]
        for group, members in (groups or {}).items():
            lines += [f"[{group}]", *members]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    def run(
        self,
        playbook: Path,
        *,
        args: Sequence[str] = (),
        env: Mapping[str, str | None] | None = None,
        python: str | None = None,
        hosts: Sequence[str] = (),
        groups: Mapping[str, Sequence[str]] | None = None,
        timeout: float = 240,
    ) -> Run:
        record = self.workdir / f"record-{self.counter[0] + 1}.json"
        inventory = self.inventory(python, hosts, groups)
        command = [str(BIN / "ansible-playbook"), "-i", str(inventory), str(playbook), *args]
        done = subprocess.run(
            command,
            cwd=self.workdir,
            env=self.env({"SMSC_TEST_RECORD": str(record), **(env or {})}),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        records = json.loads(record.read_text(encoding="utf-8")) if record.exists() else []
        return Run(done.returncode, done.stdout, done.stderr, records)

    def play(
        self,
        tasks: list[dict[str, Any]],
        *,
        check: bool = False,
        diff: bool = False,
        connection: Mapping[str, Any] | None = None,
        hosts: Sequence[str] = (),
        play_hosts: str = "localhost",
        play: Mapping[str, Any] | None = None,
        handlers: list[dict[str, Any]] | None = None,
        env: Mapping[str, str | None] | None = None,
        python: str | None = None,
        args: Sequence[str] = (),
    ) -> Run:
        """Run one play of ``tasks`` with the emulator's connection as module_defaults."""
        body: dict[str, Any] = {"name": "test", "hosts": play_hosts, "gather_facts": False}
        defaults, secret_args = self.secret_vars(
            self.connection if connection is None else connection
        )
        if defaults:
            body["module_defaults"] = {"group/smsc.messaging.smsc": defaults}
        body.update(play or {})
        body["tasks"] = tasks
        if handlers:
            body["handlers"] = handlers
        return self.run(
            self.write([body]),
            args=[
                *(["--check"] if check else []),
                *(["--diff"] if diff else []),
                *secret_args,
                *args,
            ],
            env=env,
            python=python,
            hosts=hosts,
        )

    def write(self, plays: list[dict[str, Any]], name: str = "playbook") -> Path:
        self.counter[0] += 1
        path = self.workdir / f"{name}-{self.counter[0]}.yml"
        path.write_text(yaml.safe_dump(plays, sort_keys=False), encoding="utf-8")
        return path


@pytest.fixture
def ansible(emulator: Any, collections_path: Path, tmp_path: Path) -> Ansible:
    return Ansible(collections_path, tmp_path, emulator)


@pytest.fixture
def silent_server() -> Iterator[str]:
    """``http://127.0.0.1:<port>`` of a server that accepts connections, takes the requests
    and never answers (a hung proxy or service)."""
    with silent_hosts(1) as [url]:
        yield url
