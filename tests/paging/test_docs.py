"""Every Python example of docs/paging.md and of the paging sections of docs/library.md runs, in
order, against the emulator (its address replaces the documented one); the default call text
the docs write out is the one the policy sends."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from pysmsc import AsyncClient, Client
from pysmsc_emulator.pytest_plugin import EmulatorHandle

from .test_policy import DEFAULT_CALL

DOCS = Path(__file__).resolve().parents[2] / "docs"
DOCUMENTED_URL = "http://127.0.0.1:8000"
# The library.md sections this work added.
LIBRARY_SECTIONS = (
    "### Voice menus (IVR)",
    "### Viber buttons and pictures",
    "### Received messages (get.php)",
)


def blocks(text: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", text, re.DOTALL)


async def run(code: str, namespace: dict[str, Any], name: str) -> None:
    compiled = compile(code, name, "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    result = eval(compiled, namespace)  # top-level await, as in `python -m asyncio`
    if result is not None:
        await result


async def test_paging_md_examples_run(
    async_emulator: EmulatorHandle,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, Any] = {}
    text = (DOCS / "paging.md").read_text(encoding="utf-8")
    examples = blocks(text.replace(DOCUMENTED_URL, async_emulator.http_url))
    assert len(examples) == 4
    for index, code in enumerate(examples):
        await run(code, namespace, f"docs/paging.md example {index + 1}")
    out = capsys.readouterr().out
    assert re.match(r"[A-Z0-9]{4}\n", out), out
    assert "acknowledged by ops-console (api)" in out
    assert "QueryStatus(" in out
    # The aiohttp example serves the handler: a call with the token is taken, one without not.
    async with TestClient(TestServer(namespace["app"])) as http:
        token = namespace["token"]
        assert (
            await http.post(f"/smsc/{token}", data={"id": "1", "phone": "7999", "status": "1"})
        ).status == 200
        assert (await http.post("/smsc/guess-guess-guess-guess", data={"id": "1"})).status == 404
    sent = [m["text"] for m in await async_emulator.control.messages()]
    assert sent[0].startswith("ALERT ")
    assert [t for t in sent if t.startswith("RESOLVED ")], (
        "the closing messages are sent concurrently"
    )


def test_the_documented_call_is_the_one_sent() -> None:
    text = (DOCS / "paging.md").read_text(encoding="utf-8")
    assert f"```\n{DEFAULT_CALL}\n```" in text


async def test_library_md_paging_examples_run(
    async_emulator: EmulatorHandle,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    text = (DOCS / "library.md").read_text(encoding="utf-8")
    async with AsyncClient("demo", "demo", base_url=async_emulator.http_url) as async_smsc:
        sent: list[Any] = []

        class Smsc:
            """The blocking client's calls, recorded (the emulator runs on this loop)."""

            def send(self, *args: Any, **kwargs: Any) -> None:
                sent.append(("send", args, kwargs))

            def send_message(self, message: Any) -> None:
                sent.append(("send_message", message))

        namespace: dict[str, Any] = {"smsc": Smsc(), "async_smsc": async_smsc}
        for title in LIBRARY_SECTIONS:
            section = text.split(title, 1)[1].split("\n## ", 1)[0].split("\n### ", 1)[0]
            (code,) = blocks(section)
            if title.startswith("### Received"):
                # A reply the service dates after the poller starts: news to it.
                await async_emulator.control.advance(60)
                await async_emulator.control.receive("79991234567", "ack 4F2K")
            await run(code, namespace, f"docs/library.md {title}")
        out = capsys.readouterr().out
    printed_menu = (
        text.split("### Voice menus (IVR)", 1)[1]
        .split("prints\n\n```\n", 1)[1]
        .split("\n```", 1)[0]
    )
    assert printed_menu in out
    assert "Disk full on db1 {button,https://grafana.example.com/d/disk,Open dashboard}" in out
    assert "79991234567 ack 4F2K\n" in out
    assert [kind for kind, *_ in sent] == ["send", "send_message"]
    assert isinstance(Client, type)
