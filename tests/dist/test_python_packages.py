"""pysmsc and pysmsc-emulator from their wheels, in fresh virtual environments, as a user gets
them: the library, ``smsc --version``, the emulator started and a message sent through the CLI."""

from __future__ import annotations

import json

import pytest

from .conftest import Artefacts, RunningEmulator, Venv, assert_installed_from, start_emulator


@pytest.fixture(scope="module")
def pysmsc_env(dist: Artefacts, python313: str, tmp_path_factory: pytest.TempPathFactory) -> Venv:
    """The pysmsc wheel alone; its dependencies come from the package index."""
    venv = Venv.create(tmp_path_factory.mktemp("pysmsc-env"), python313)
    venv.pip(str(dist.pysmsc_wheel))
    return venv


def test_library_and_version_without_the_emulator(dist: Artefacts, pysmsc_env: Venv) -> None:
    assert_installed_from(pysmsc_env, dist.pysmsc_wheel)
    assert pysmsc_env.check([pysmsc_env.bin("smsc"), "--version"]).strip() == f"smsc {dist.version}"
    where = pysmsc_env.check(
        [pysmsc_env.python, "-c", "import pysmsc, sys; print(pysmsc.__version__, pysmsc.__file__)"]
    ).split()
    assert where[0] == dist.version
    assert where[1].startswith(str(pysmsc_env.path))  # not the repository's copy
    # The emulator is another distribution: said clearly, not a traceback.
    done = pysmsc_env.run([pysmsc_env.bin("smsc"), "emulator", "--http-port", "0"])
    assert done.returncode != 0
    assert "pysmsc-emulator" in done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    importing = pysmsc_env.run([pysmsc_env.python, "-c", "import pysmsc_emulator"])
    assert importing.returncode != 0
    # The relay needs its extra (pysmsc[relay]): said clearly, exit status 2.
    done = pysmsc_env.run([pysmsc_env.bin("smsc"), "relay", "--config", "relay.yaml"])
    assert done.returncode == 2
    assert "pip install 'pysmsc[relay]'" in done.stderr
    assert "Traceback" not in done.stderr


def test_emulator_wheel_brings_the_released_pysmsc(dist: Artefacts, emulator_env: Venv) -> None:
    assert_installed_from(emulator_env, dist.emulator_wheel)
    assert_installed_from(emulator_env, dist.pysmsc_wheel)


LIBRARY_SCRIPT = """
import asyncio, json, sys
from pysmsc import AsyncClient, Client

url = sys.argv[1]
with Client("demo", "demo", base_url=url) as smsc:
    sent = smsc.send("+79991234567", "dist: sync client")
    status = smsc.status(sent.id, "+79991234567")
    balance = smsc.balance()

async def main():
    async with AsyncClient(api_key="demo-api-key", base_url=url) as smsc:
        return await smsc.send("+79991234568", "dist: async client")

sent_async = asyncio.run(main())
print(json.dumps({"id": sent.id, "parts": sent.parts, "status": status.status.name,
                  "balance": str(balance.balance), "async_id": sent_async.id}))
"""


def test_library_and_cli_against_the_emulator(
    emulator_env: Venv, emulator: RunningEmulator
) -> None:
    result = json.loads(
        emulator_env.check([emulator_env.python, "-c", LIBRARY_SCRIPT, emulator.http_url])
    )
    assert result["id"] and result["async_id"] and result["parts"] == 1
    done = emulator_env.run(
        [emulator_env.bin("smsc"), "send", "--to", "+79991234569", "--text", "dist: the CLI"],
        env={"SMSC_LOGIN": "demo", "SMSC_PASSWORD": "demo", "SMSC_BASE_URL": emulator.http_url},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "demo" not in done.stdout.replace("demo-", "")  # no credential in the output
    texts = {m["text"]: m["phones"][0]["phone"] for m in emulator.messages()}
    assert texts == {
        "dist: sync client": "79991234567",
        "dist: async client": "79991234568",
        "dist: the CLI": "79991234569",
    }


def test_smsc_emulator_hands_over_to_pysmsc_emulator(emulator_env: Venv) -> None:
    """``smsc emulator`` (pysmsc's CLI) runs pysmsc-emulator's command: HTTP and SMPP."""
    command = [emulator_env.bin("smsc"), "emulator", "--http-port", "0", "--smpp-port", "0"]
    running = start_emulator(command, emulator_env)
    emulator = next(running)
    try:
        assert " smpp=127.0.0.1:" in emulator.ready
        assert emulator.control("smpp/sessions") == {"sessions": []}
        assert emulator.control("account")["login"] == "demo"
    finally:
        next(running, None)
