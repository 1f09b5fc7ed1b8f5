# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The pytest plugin and the in-process transports as our users get them: the example test
file of docs/emulator.md, run in a scratch virtual environment that has only pysmsc and
pysmsc-emulator installed from this repository (not the project's .venv, the repository not on
sys.path), and the transports driven by pysmsc's own clients."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

import pysmsc
from pysmsc_emulator import AsyncEmulatorTransport, EmulatorTransport

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "emulator" / "examples" / "test_alerts.py"
PHONE = "79161234567"


def test_the_docs_show_the_example_file_exactly() -> None:
    docs = (ROOT / "docs" / "emulator.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", docs, re.DOTALL)
    assert EXAMPLE.read_text(encoding="utf-8") in blocks


@pytest.mark.slow
def test_the_example_runs_in_a_scratch_environment(tmp_path: Path) -> None:
    """About 20 s: pip installs the two distributions from this repository and their
    dependencies (constraints.txt versions, from pip's cache or the local index)."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    install = [str(python), "-m", "pip", "install", "--quiet", "-c", str(ROOT / "constraints.txt")]
    packages = [str(ROOT), str(ROOT / "emulator"), "pytest", "pytest-asyncio"]
    subprocess.run([*install, *packages], check=True, cwd=tmp_path, env=env, timeout=600)
    project = tmp_path / "project"
    project.mkdir()
    (project / "test_alerts.py").write_bytes(EXAMPLE.read_bytes())
    run = subprocess.run(  # noqa: PLW1510 - the output explains a failure
        [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_alerts.py"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "6 passed" in run.stdout
    where = subprocess.run(
        [str(python), "-c", "import pysmsc_emulator; print(pysmsc_emulator.__file__)"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert where.stdout.startswith(str(venv)), "the emulator must come from the scratch venv"


# -- the in-process transports --------------------------------------------------------------


def test_the_sync_transport_serves_pysmsc_without_a_socket() -> None:
    with EmulatorTransport() as transport:
        http = httpx.Client(transport=transport)
        with pysmsc.Client("demo", "demo", base_url=transport.url, http_client=http) as client:
            result = client.send(PHONE, "disk full")
            assert client.balance().balance == transport.state.account("demo").balance
        transport.control.advance(10)
        [message] = transport.control.messages()
        assert (message["id"], message["phones"][0]["status"]) == (int(result.id), 1)
        transport.control.add_fault("send", "close", after_processing=True)
        with (
            pysmsc.Client("demo", "demo", base_url=transport.url, http_client=http) as client,
            pytest.raises(pysmsc.SmscError),
        ):
            client.send(PHONE, "lost answer")
        assert len(transport.control.messages()) == 2  # sent, though the answer was lost


def test_the_sync_transport_refuses_to_run_inside_an_event_loop() -> None:
    async def inside() -> None:
        with (
            EmulatorTransport() as transport,
            httpx.Client(transport=transport) as http,
            pytest.raises(RuntimeError, match="AsyncEmulatorTransport"),
        ):
            http.get(f"{transport.url}/_emulator/clock")  # noqa: ASYNC212 - the misuse tested

    asyncio.run(inside())


async def test_the_async_transport_serves_pysmsc_on_the_loop() -> None:
    transport = AsyncEmulatorTransport()
    async with (
        httpx.AsyncClient(transport=transport) as http,
        pysmsc.AsyncClient("demo", "demo", base_url=transport.url, http_client=http) as client,
    ):
        results = [await client.send(f"7916123456{i}", f"alert {i}") for i in range(3)]
    messages = await transport.control.messages()
    assert [m["id"] for m in messages] == [int(r.id) for r in results]
    await transport.aclose()


def test_transports_are_isolated_from_each_other() -> None:
    with EmulatorTransport() as first, EmulatorTransport() as second:
        first.control.set_balance("1.00")
        assert second.control.account()["balance"] == "1000.00"


def test_the_docs_example_without_a_socket_runs() -> None:
    docs = (ROOT / "docs" / "emulator.md").read_text(encoding="utf-8")
    section = docs.split("### Without a socket", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert code is not None
    namespace: dict[str, object] = {}
    exec(compile(code.group(1), "docs/emulator.md", "exec"), namespace)
    transport = namespace["transport"]
    assert isinstance(transport, EmulatorTransport)
    assert [m["text"] for m in transport.control.messages()] == ["disk full"]
    asyncio.run(namespace["main"]())  # type: ignore[operator]
