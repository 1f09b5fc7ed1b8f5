# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Every Python example of docs/smpp.md runs, against a local server instead of the service."""

from __future__ import annotations

import asyncio
import re
import textwrap
from pathlib import Path
from typing import Any

import pytest

from pysmsc.smpp import IncomingSms, SmppClient, SmppConfig
from pysmsc_emulator.smpp.memory import MemoryBackend

from .conftest import Harness

DOC = Path(__file__).parents[2] / "docs" / "smpp.md"
BLOCKS = re.findall(r"```python\n(.*?)```", DOC.read_text(), re.DOTALL)


def test_the_doc_has_examples() -> None:
    assert len(BLOCKS) >= 8


@pytest.mark.parametrize("index", range(len(BLOCKS)))
async def test_example_runs(
    index: int, smpp: Harness, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server, backend = await smpp.server(MemoryBackend({"login": "password", "demo": "demo"}))
    port = server.port
    code = BLOCKS[index]
    code = code.replace(
        'SmppConfig.smsc("login", "password")',
        f'SmppConfig("login", "password", host="127.0.0.1", port={port})',
    )
    code = code.replace("port=2775", f"port={port}")
    code = code.replace("/var/lib/alerts/smpp-sent.db", str(tmp_path / "sent.db"))
    code = code.replace("asyncio.run(main())", "await main()")
    seen: list[Any] = []

    async def handle_incoming(message: IncomingSms) -> None:
        seen.append(message)

    namespace: dict[str, Any] = {
        "config": smpp.config(server, login="login", password="password"),
        "handle_incoming": handle_incoming,
        "log_everything": seen.append,
    }
    if "client = SmppClient(config)" not in code:
        namespace["client"] = await smpp.client(server, login="login", password="password")
    exec(
        "async def example():\n" + textwrap.indent(code, "    ") + "\n    return locals()",
        namespace,
    )
    if "async for event in events" in code:
        # The receiving loop runs until the client closes: it gets one queued message first.
        backend.push_incoming("login", "79990001122", "100", "documented reply")
        task = asyncio.ensure_future(namespace["example"]())
        await asyncio.sleep(1.0)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        assert "79990001122 documented reply" in capsys.readouterr().out
        return
    result = await asyncio.wait_for(namespace["example"](), 10)
    for value in result.values():
        if isinstance(value, SmppClient):
            smpp.clients.append(value)
        if isinstance(value, SmppConfig):
            assert value.login
