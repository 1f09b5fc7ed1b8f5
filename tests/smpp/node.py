# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The npm package ``smpp`` as a peer: installed (pinned) into ``~/.cache/pysmsc-tests/node-smpp``,
outside the repository, the first time; without node/npm or the package the tests that use it are
skipped, saying why. ``peer/smsc_server.js`` is an SMSC for our client, ``peer/esme_client.js`` an
ESME for our server."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from .conftest import eventually

NODE_SMPP_VERSION = "0.6.0-rc.4"
CACHE = Path(
    os.environ.get("PYSMSC_NODE_CACHE", Path.home() / ".cache" / "pysmsc-tests" / "node-smpp")
)
PEER = Path(__file__).parent / "peer"


def _installed() -> bool:
    package = CACHE / "node_modules" / "smpp" / "package.json"
    try:
        return json.loads(package.read_text())["version"] == NODE_SMPP_VERSION
    except (OSError, ValueError, KeyError):
        return False


@pytest.fixture(scope="session")
def node_modules() -> Path:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.skip("node and npm are needed for the interoperability tests (not found on PATH)")
    if not _installed():
        CACHE.mkdir(parents=True, exist_ok=True)
        try:
            result = subprocess.run(
                [
                    npm,
                    "install",
                    "--no-save",
                    "--no-package-lock",
                    "--no-audit",
                    "--no-fund",
                    "--prefix",
                    str(CACHE),
                    f"smpp@{NODE_SMPP_VERSION}",
                ],
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
        except subprocess.TimeoutExpired:
            pytest.skip(f"npm install smpp@{NODE_SMPP_VERSION} took more than 5 minutes")
        if result.returncode != 0 or not _installed():
            pytest.skip(
                f"cannot install the npm package smpp@{NODE_SMPP_VERSION} into {CACHE}: "
                f"{(result.stderr or result.stdout).strip()[-300:]}"
            )
    return CACHE / "node_modules"


class NodePeer:
    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.events: list[dict[str, Any]] = []
        self._reader = asyncio.ensure_future(self._read())

    @classmethod
    async def start(cls, node_modules: Path, script: str, *args: str) -> NodePeer:
        node = shutil.which("node")
        assert node is not None
        process = await asyncio.create_subprocess_exec(
            node,
            str(PEER / script),
            *args,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            env={**os.environ, "NODE_PATH": str(node_modules)},
        )
        return cls(process)

    async def _read(self) -> None:
        assert self.process.stdout is not None
        async for line in self.process.stdout:
            self.events.append(json.loads(line))

    async def wait_for(
        self, event: str, count: int = 1, within: float = 10.0
    ) -> list[dict[str, Any]]:
        await eventually(lambda: len(self.of(event)) >= count, within=within)
        return self.of(event)

    def of(self, event: str) -> list[dict[str, Any]]:
        return [e for e in self.events if e["event"] == event]

    def send(self, **command: Any) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write((json.dumps(command) + "\n").encode())

    async def stop(self) -> None:
        if self.process.returncode is None:
            self.process.kill()
        await self.process.wait()
        await asyncio.wait([self._reader])
