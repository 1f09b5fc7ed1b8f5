# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Starting the emulator's SMPP side: with or without HTTP, from Python, in a thread, and as
``smsc emulator --smpp-port`` in a real process (ready line, TLS options, SIGTERM)."""

from __future__ import annotations

import asyncio
import signal
import socket
import ssl
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from pysmsc.smpp import SmppClient, SmppConfig
from pysmsc_emulator import (
    Emulator,
    EmulatorConfig,
    EmulatorControl,
    EmulatorThread,
    config_from_options,
    ready_line,
)

from ..tls import self_signed_certificate

SMSC = str(Path(sys.executable).with_name("smsc"))
PHONE = "79161234567"


async def _send(port: int, text: str, **options: object) -> list[str]:
    config = SmppConfig("demo", "demo", host="127.0.0.1", port=port, throughput=None, **options)
    async with SmppClient(config) as client:
        return await client.submit(PHONE, text)


def test_config_from_options_for_smpp(tmp_path: Path) -> None:
    assert config_from_options().http_port == 8000  # unchanged: HTTP alone on 8000
    alone = config_from_options(smpp_port=2775)
    assert (alone.http_port, alone.smpp_port) == (None, 2775)  # --smpp-port alone: no HTTP
    both = config_from_options(http_port=0, smpp_port=0)
    assert (both.http_port, both.smpp_port, both.smpp_ssl_context) == (0, 0, None)
    cert, key = self_signed_certificate(tmp_path)
    tls = config_from_options(smpp_port=0, smpp_tls_cert=str(cert), smpp_tls_key=str(key))
    assert isinstance(tls.smpp_ssl_context, ssl.SSLContext)
    for bad in (
        {"smpp_port": 0, "smpp_tls_cert": str(cert)},
        {"smpp_port": 0, "smpp_tls_key": str(key)},
        {"smpp_tls_cert": str(cert), "smpp_tls_key": str(key)},
        {"smpp_port": 0, "smpp_tls_cert": str(tmp_path / "none.pem"), "smpp_tls_key": str(key)},
        {"smpp_port": 0, "smpp_tls_cert": str(key), "smpp_tls_key": str(key)},
    ):
        with pytest.raises(ValueError):
            config_from_options(**bad)  # type: ignore[arg-type]


async def test_http_and_smpp_together_and_restart() -> None:
    before = asyncio.all_tasks()
    emulator = Emulator(EmulatorConfig(smpp_port=0))
    assert (emulator.smpp_port, emulator.smpp_server) == (None, None)
    async with emulator:
        assert emulator.smpp_port is not None
        assert emulator.smpp_server is not None
        assert ready_line(emulator) == (
            f"smsc emulator ready: http={emulator.http_url} "
            f"smpp=127.0.0.1:{emulator.smpp_port} login=demo"
        )
        assert await _send(emulator.smpp_port, "first run") == ["1"]
    assert (emulator.running, emulator.smpp_port) == (False, None)
    async with emulator:  # again, on a new port
        assert emulator.smpp_port is not None
        assert await _send(emulator.smpp_port, "second run") == ["2"]
    assert asyncio.all_tasks() == before


async def test_smpp_alone() -> None:
    async with Emulator(EmulatorConfig(http_port=None, smpp_port=0)) as emulator:
        assert emulator.running
        with pytest.raises(RuntimeError, match="no HTTP"):
            _ = emulator.http_url
        assert ready_line(emulator) == (
            f"smsc emulator ready: smpp=127.0.0.1:{emulator.smpp_port} login=demo"
        )
        assert emulator.smpp_port is not None
        await _send(emulator.smpp_port, "no HTTP needed")
        assert emulator.state.all_messages()[0].source == "smpp"


async def test_no_listener_at_all_is_an_error() -> None:
    with pytest.raises(ValueError):
        await Emulator(EmulatorConfig(http_port=None)).start()


async def test_a_busy_smpp_port_fails_the_start_and_leaves_nothing() -> None:
    before = asyncio.all_tasks()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        emulator = Emulator(EmulatorConfig(smpp_port=sock.getsockname()[1]))
        with pytest.raises(OSError):
            await emulator.start()
    assert not emulator.running
    with pytest.raises(RuntimeError):
        _ = emulator.http_url
    assert asyncio.all_tasks() == before


def test_thread_with_smpp() -> None:
    with EmulatorThread(EmulatorConfig(smpp_port=0)) as thread:
        assert thread.smpp_port is not None
        assert asyncio.run(_send(thread.smpp_port, "from another thread")) == ["1"]
        with EmulatorControl(thread.http_url) as control:
            assert [m["source"] for m in control.messages()] == ["smpp"]
            assert control.smpp_sessions() == []


# -- smsc emulator --smpp-port, in a real process ------------------------------------------


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen[str]]]:
    processes: list[subprocess.Popen[str]] = []
    yield processes
    for process in processes:
        if process.poll() is None:
            process.kill()
            process.wait()


def _start(processes: list[subprocess.Popen[str]], *args: str) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [SMSC, "emulator", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    processes.append(process)
    assert process.stdout is not None
    return process, process.stdout.readline()


def _stop(process: subprocess.Popen[str]) -> str:
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=10)
    assert process.returncode == 0, err
    assert out == ""  # one line in all
    assert "Traceback" not in err
    return err


def test_smsc_emulator_smpp_port_alone(processes: list[subprocess.Popen[str]]) -> None:
    process, line = _start(processes, "--smpp-port", "0", "--password", "s3cret")
    assert line.startswith("smsc emulator ready: smpp=127.0.0.1:"), line
    assert line.endswith(" login=demo\n")
    assert "http=" not in line
    assert "s3cret" not in line
    port = int(line.split("smpp=127.0.0.1:")[1].split()[0])
    config = SmppConfig("demo", "s3cret", host="127.0.0.1", port=port, throughput=None)

    async def send() -> list[str]:
        async with SmppClient(config) as client:
            return await client.submit(PHONE, "to a separate process")

    assert asyncio.run(send()) == ["1"]
    assert "s3cret" not in _stop(process)


def test_smsc_emulator_http_and_smpp_over_tls(
    processes: list[subprocess.Popen[str]], tmp_path: Path
) -> None:
    cert, key = self_signed_certificate(tmp_path)
    process, line = _start(
        processes,
        "--http-port",
        "0",
        "--smpp-port",
        "0",
        "--smpp-tls-cert",
        str(cert),
        "--smpp-tls-key",
        str(key),
    )
    assert line.startswith("smsc emulator ready: http=http://127.0.0.1:"), line
    words = dict(word.split("=", 1) for word in line.split()[3:])
    port = int(words["smpp"].rsplit(":", 1)[1])
    trusting = ssl.create_default_context(cafile=str(cert))
    assert asyncio.run(_send(port, "over TLS", tls=True, ssl_context=trusting)) == ["1"]
    answer = httpx.get(f"{words['http']}/_emulator/messages")
    assert [m["text"] for m in answer.json()["messages"]] == ["over TLS"]
    _stop(process)


def test_smsc_emulator_refuses_a_bad_certificate(tmp_path: Path) -> None:
    done = subprocess.run(
        [SMSC, "emulator", "--smpp-port", "0", "--smpp-tls-cert", str(tmp_path / "x.pem")],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 2
    assert "--smpp-tls-key" in done.stderr
    key = tmp_path / "key.pem"
    key.write_text("not a key")
    done = subprocess.run(
        [
            SMSC,
            "emulator",
            "--smpp-port",
            "0",
            "--smpp-tls-cert",
            str(key),
            "--smpp-tls-key",
            str(key),
        ],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 2
    assert "TLS" in done.stderr
    assert "Traceback" not in done.stderr
