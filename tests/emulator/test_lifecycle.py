# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Starting and stopping the emulator: ``Emulator``, ``EmulatorThread``, ``run`` (the CLI's
entry) in a subprocess, the configuration helpers, and the import without aiohttp."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pytest

from pysmsc_emulator import (
    Account,
    Emulator,
    EmulatorConfig,
    EmulatorThread,
    config_from_options,
    ready_line,
    run,
    server,
)

ROOT = Path(__file__).resolve().parents[2]
MODULE_UTILS = ROOT / "plugins" / "module_utils"
EMULATOR_ROOT = ROOT / "emulator"


def _balance(url: str, **auth: str) -> httpx.Response:
    return httpx.get(f"{url}/sys/balance.php", params={**auth, "fmt": 3})


async def test_emulator_starts_and_stops_cleanly() -> None:
    before = asyncio.all_tasks()
    emulator = Emulator(EmulatorConfig(password="s3cret", api_key="k3y"))
    with pytest.raises(RuntimeError):
        _ = emulator.http_url
    async with emulator:
        assert emulator.running
        assert emulator.http_url.startswith("http://127.0.0.1:")
        async with httpx.AsyncClient() as client:
            answer = await client.get(
                f"{emulator.http_url}/sys/balance.php",
                params={"apikey": "k3y", "fmt": 3},
            )
        assert answer.json() == {"balance": "1000.00"}
        with pytest.raises(RuntimeError):
            await emulator.start()
    assert not emulator.running
    assert asyncio.all_tasks() == before


async def test_emulator_can_start_again_after_a_stop() -> None:
    emulator = Emulator()
    await emulator.start()
    await emulator.stop()
    await emulator.stop()  # twice is harmless
    async with emulator:
        async with httpx.AsyncClient() as client:
            answer = await client.get(
                f"{emulator.http_url}/sys/balance.php", params={"apikey": "demo-api-key"}
            )
        assert answer.text == "1000.00"


async def test_a_busy_port_fails_the_start() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        emulator = Emulator(EmulatorConfig(http_port=port))
        with pytest.raises(OSError):
            await emulator.start()
        assert not emulator.running


async def test_async_fixture_runs_in_the_test_loop(async_emulator) -> None:
    assert isinstance(async_emulator.emulator, Emulator)
    async with httpx.AsyncClient(base_url=async_emulator.http_url) as client:
        await client.get(
            "/sys/send.php",
            params={**async_emulator.auth(), "phones": "79161234567", "mes": "hi"},
        )
    assert len(await async_emulator.control.messages()) == 1
    assert async_emulator.emulator.state.all_messages()[0].text == "hi"
    await async_emulator.control.advance(10)
    assert async_emulator.emulator.state.all_messages()[0].recipients[0].status == 1


def test_thread_starts_and_stops_cleanly() -> None:
    before = set(threading.enumerate())
    with EmulatorThread(EmulatorConfig(balance="12.50")) as emulator:
        assert _balance(emulator.http_url, login="demo", psw="demo").json() == {"balance": "12.50"}
        assert emulator.call(lambda: len(emulator.state.accounts)) == 1
        with pytest.raises(RuntimeError):
            emulator.start()
    assert set(threading.enumerate()) == before
    emulator.stop()  # again: nothing to do
    with pytest.raises(RuntimeError):
        emulator.call(lambda: None)


def test_thread_reports_a_failed_start() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        thread = EmulatorThread(EmulatorConfig(http_port=sock.getsockname()[1]))
        before = set(threading.enumerate())
        with pytest.raises(OSError):
            thread.start()
        assert set(threading.enumerate()) == before


def test_missing_aiohttp_gives_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(server, "web", None)
    with pytest.raises(RuntimeError, match=r"pip install aiohttp"):
        asyncio.run(Emulator().start())
    with pytest.raises(RuntimeError, match="needs aiohttp"):
        EmulatorThread().start()


def test_config_from_options() -> None:
    config = config_from_options(
        host="127.0.0.1",
        http_port=None,
        login="me",
        password="pw",
        api_key="key",
        balance="25.5",
    )
    assert (config.http_port, config.login, str(config.balance)) == (8000, "me", "25.5")
    assert Account(config.account()).check_password("pw")
    assert "pw" not in repr(config) and "key" not in repr(config)
    assert config_from_options(http_port=0, smpp_port=2775).smpp_port == 2775
    for bad in ({"http_port": 70000}, {"smpp_port": -1}, {"balance": "lots"}, {"balance": "nan"}):
        with pytest.raises(ValueError):
            config_from_options(**bad)


async def test_ready_line_names_no_secret() -> None:
    async with Emulator(EmulatorConfig(login="ops", password="s3cret", api_key="k3y")) as emu:
        line, url = ready_line(emu), emu.http_url
    assert line == f"smsc emulator ready: http={url} login=ops"


# -- the command's entry point, in a real process ------------------------------------------

RUN = (
    "import sys\n"
    "from pysmsc_emulator import config_from_options, run\n"
    "sys.exit(run(config_from_options(http_port=0, login='ops', password='s3cret',"
    " api_key='k3y', balance='7')))\n"
)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_run_prints_one_ready_line_and_stops_on_a_signal(signum: int) -> None:
    process = subprocess.Popen(
        [sys.executable, "-c", RUN],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("smsc emulator ready: http=http://127.0.0.1:")
        assert line.endswith(" login=ops\n")
        url = line.split("http=")[1].split()[0]
        assert _balance(url, login="ops", psw="s3cret").json() == {"balance": "7.00"}
        process.send_signal(signum)
        out, err = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0
    assert out == ""  # exactly one line in all
    assert "s3cret" not in err and "k3y" not in err
    assert "Traceback" not in err


# -- Python 3.9 without third-party packages -----------------------------------------------


@pytest.mark.skipif(shutil.which("python3.9") is None, reason="needs python3.9")
def test_imports_on_python_39_without_aiohttp() -> None:
    code = (
        "import sys; sys.path[:0] = sys.argv[1:]\n"
        "import pysmsc_emulator as e\n"
        "try:\n"
        "    e.run(e.EmulatorConfig())\n"
        "except RuntimeError as error:\n"
        "    print(error)\n"
        "state = e.EmulatorState()\n"
        "account = state.authenticate('demo', 'demo')\n"
        "print(state.send(account, e.build_send_request({'phones': '79161234567', 'mes': 'hi'})).cnt)\n"
    )
    env = {**os.environ, "PYENV_VERSION": "3.9.18", "PYTHONPATH": ""}
    result = subprocess.run(
        ["python3.9", "-I", "-c", code, str(MODULE_UTILS), str(EMULATOR_ROOT)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "the emulator needs aiohttp: pip install aiohttp",
        "1",
    ]


def test_run_returns_1_when_the_port_is_taken(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        assert run(EmulatorConfig(http_port=sock.getsockname()[1])) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("smsc emulator: ")
