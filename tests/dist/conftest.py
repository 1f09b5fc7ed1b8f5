"""The release artefacts, each proven on its own in a clean environment.

``make test-dist`` builds them from the working tree into build/dist-snapshot and runs these
tests with ``SMSC_DIST`` naming that folder (``make verify-dist`` does the same for dist/).
Everything they install comes from that folder and the package index; every command runs in a
fresh virtual environment, in a scratch directory, with an environment that names neither the
repository nor the project's .venv. The repository is read only to know which interpreters to
use and where pip's configuration is.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from email.parser import Parser
from pathlib import Path
from typing import Any
from urllib.request import Request, urlopen

import pytest

REPO = Path(__file__).resolve().parents[2]


def dist_dir() -> Path:
    value = os.environ.get("SMSC_DIST")
    if not value:
        pytest.fail("SMSC_DIST is not set: run make test-dist (or make verify-dist DIST=dist)")
    path = Path(value)
    if not path.is_dir():
        pytest.fail(f"SMSC_DIST={value} is not a folder: run make test-dist")
    return path


@dataclass(frozen=True)
class Artefacts:
    """The files of one release, found by their names."""

    folder: Path
    version: str

    def path(self, name: str) -> Path:
        found = self.folder / name
        assert found.is_file(), f"{name} is not in {self.folder}"
        return found

    @property
    def pysmsc_wheel(self) -> Path:
        return self.path(f"pysmsc-{self.version}-py3-none-any.whl")

    @property
    def emulator_wheel(self) -> Path:
        return self.path(f"pysmsc_emulator-{self.version}-py3-none-any.whl")

    @property
    def collection(self) -> Path:
        return self.path(f"smsc-messaging-{self.version}.tar.gz")

    @property
    def hacs_zip(self) -> Path:
        [found] = self.folder.glob("*.zip")
        return found

    def wheel_metadata(self, wheel: Path) -> Any:
        with zipfile.ZipFile(wheel) as archive:
            [name] = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
            return Parser().parsestr(archive.read(name).decode())

    def collection_file(self, name: str) -> bytes:
        with tarfile.open(self.collection) as archive:
            member = archive.extractfile(name)
            assert member is not None, name
            return member.read()


@pytest.fixture(scope="session")
def dist() -> Artefacts:
    folder = dist_dir()
    [wheel] = folder.glob("pysmsc-*-py3-none-any.whl")
    version = wheel.name.split("-")[1]
    return Artefacts(folder, version)


def clean_environ(
    extra: Mapping[str, str] | None = None, path: Sequence[Path] = ()
) -> dict[str, str]:
    """The environment of a user's shell: no virtual environment, no PYTHONPATH, no Ansible or
    SMSC settings; pip keeps this machine's configuration (index, certificates, cache)."""
    keep = ("HOME", "LANG", "USER", "TMPDIR", "PYENV_VERSION", "PYENV_ROOT", "SSL_CERT_FILE")
    env = {k: v for k, v in os.environ.items() if k in keep or k.startswith(("PIP_", "UV_"))}
    env.setdefault("LANG", "C.UTF-8")
    system = [p for p in os.environ.get("PATH", "").split(os.pathsep) if p and not _in_project(p)]
    env["PATH"] = os.pathsep.join([*(str(p) for p in path), *system])
    env.update(extra or {})
    return env


def _in_project(path: str) -> bool:
    try:
        Path(path).resolve().relative_to(REPO)
    except ValueError:
        return False
    return True


def find_python(minor: str) -> str:
    """An interpreter of Python ``minor`` (e.g. "3.12"): from PATH (pyenv shims resolve with
    PYENV_VERSION, which the Makefile sets), else from pyenv's versions."""
    candidates = [shutil.which(f"python{minor}", path=clean_environ()["PATH"])]
    pyenv_root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    candidates += sorted(
        (str(p) for p in pyenv_root.glob(f"versions/{minor}.*/bin/python{minor}")), reverse=True
    )
    for candidate in candidates:
        if (
            candidate
            and subprocess.run(
                [candidate, "-c", "pass"], env=clean_environ(), capture_output=True, check=False
            ).returncode
            == 0
        ):
            return candidate
    pytest.fail(f"Python {minor} is needed (PATH or pyenv)")


@dataclass
class Venv:
    """A fresh virtual environment; commands run in ``workdir`` with a clean environment."""

    path: Path
    workdir: Path

    @classmethod
    def create(cls, where: Path, python: str) -> Venv:
        workdir = where / "work"
        workdir.mkdir(parents=True)
        venv = cls(where / "venv", workdir)
        venv.check([python, "-m", "venv", str(venv.path)])
        return venv

    @property
    def python(self) -> str:
        return str(self.path / "bin" / "python")

    def bin(self, name: str) -> str:
        return str(self.path / "bin" / name)

    def env(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        return clean_environ({"VIRTUAL_ENV": str(self.path), **(extra or {})}, [self.path / "bin"])

    def run(
        self, command: Sequence[str], *, env: Mapping[str, str] | None = None, timeout: float = 300
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            list(command),
            cwd=self.workdir,
            env=self.env(env),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def check(
        self, command: Sequence[str], *, env: Mapping[str, str] | None = None, timeout: float = 600
    ) -> str:
        done = self.run(command, env=env, timeout=timeout)
        assert done.returncode == 0, (
            f"{command} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
        )
        return done.stdout

    def pip(self, *args: str, timeout: float = 900) -> str:
        """``pip install``, as a user installs."""
        return self.check([self.python, "-m", "pip", "install", "--quiet", *args], timeout=timeout)

    def install_tools(self, *args: str, timeout: float = 900) -> str:
        """Install a large tool set (Home Assistant, galaxy-importer) with uv, Home Assistant's
        own installer, which is several times faster than pip; falls back to pip."""
        uv = shutil.which("uv", path=str(Path(sys.executable).parent))
        if uv is None:
            return self.pip(*args, timeout=timeout)
        command = [uv, "pip", "install", "--quiet", "--python", self.python, *args]
        return self.check(command, timeout=timeout)

    def site_packages(self) -> Path:
        return Path(
            self.check(
                [self.python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"]
            ).strip()
        )


def _record(text: str) -> set[tuple[str, str]]:
    """(path, hash) of a RECORD's package files (not its metadata, scripts or bytecode)."""
    rows = (line.split(",") for line in text.splitlines() if line)
    return {
        (row[0], row[1])
        for row in rows
        if ".dist-info/" not in row[0]
        and not row[0].startswith("..")
        and not row[0].endswith(".pyc")
    }


def assert_installed_from(venv: Venv, wheel: Path) -> None:
    """The distribution installed in ``venv`` is that wheel, file for file."""
    with zipfile.ZipFile(wheel) as archive:
        [record] = [n for n in archive.namelist() if n.endswith(".dist-info/RECORD")]
        built = archive.read(record).decode()
    installed = venv.site_packages() / record
    assert installed.is_file(), f"{wheel.name} is not what is installed"
    assert _record(installed.read_text()) == _record(built)


@dataclass
class RunningEmulator:
    """A ``smsc-emulator`` process of a clean environment."""

    process: subprocess.Popen[str]
    ready: str  # the line the command printed when ready
    http_url: str
    login: str = "demo"
    password: str = "demo"
    api_key: str = "demo-api-key"

    def control(self, path: str) -> Any:
        with urlopen(f"{self.http_url}/_emulator/{path}", timeout=10) as answer:
            return json.loads(answer.read())

    def post(self, path: str, body: Mapping[str, Any]) -> Any:
        request = Request(
            f"{self.http_url}/_emulator/{path}",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urlopen(request, timeout=10) as answer:
            return json.loads(answer.read())

    def messages(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self.control("messages")["messages"]
        return found


READY = re.compile(r"smsc emulator ready: http=(?P<http>\S+)")


def start_emulator(command: Sequence[str], venv: Venv) -> Iterator[RunningEmulator]:
    """Run ``command`` (which prints the ready line) until the test is done."""
    process = subprocess.Popen(
        list(command),
        cwd=venv.workdir,
        env=venv.env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    deadline = time.monotonic() + 60
    line = ""
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            break
        if match := READY.search(line):
            yield RunningEmulator(process, line.strip(), match.group("http"))
            break
    else:  # pragma: no cover - only when the emulator hangs
        process.kill()
        pytest.fail("the emulator printed no ready line within 60 s")
    if process.poll() is None:
        process.terminate()
        assert process.wait(timeout=30) == 0, "the emulator did not stop on SIGTERM"
    else:
        pytest.fail(
            f"the emulator stopped early ({process.returncode}): {line}{process.stdout.read()}"
        )


@pytest.fixture(scope="session")
def python313() -> str:
    return find_python("3.13")


@pytest.fixture(scope="session")
def emulator_env(dist: Artefacts, python313: str, tmp_path_factory: pytest.TempPathFactory) -> Venv:
    """pysmsc-emulator from its wheel; its pin of pysmsc finds the wheel beside it."""
    venv = Venv.create(tmp_path_factory.mktemp("emulator-env"), python313)
    venv.pip("--find-links", str(dist.folder), str(dist.emulator_wheel))
    return venv


@pytest.fixture
def emulator(emulator_env: Venv) -> Iterator[RunningEmulator]:
    """A fresh emulator per test (the service's rate rules count per minute)."""
    yield from start_emulator([emulator_env.bin("smsc-emulator"), "--http-port", "0"], emulator_env)
