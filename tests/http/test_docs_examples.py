"""The Python examples of docs/library.md's clients, bulk and sans-I/O sections run, in order,
against the emulator (the examples name the emulator's default address; the test's emulator
listens elsewhere). The voice menu, Viber and get.php sections run in tests/paging/test_docs.py."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pysmsc import protocol, stdlib_transport
from pysmsc.transport import Policy

DOC = Path(__file__).resolve().parents[2] / "docs" / "library.md"
SECTIONS = ("## Clients", "### Bulk", "## Sans-I/O")


def section(text: str, title: str) -> str:
    return text.split(f"\n{title}\n", 1)[1].split("\n## ", 1)[0].split("\n### ", 1)[0]


def test_the_library_examples_run(emulator: Any, capsys: Any) -> None:
    credentials = protocol.Credentials(emulator.login, emulator.password)
    policy = Policy.for_service(emulator.http_url)
    # The bulk example sends as "Shop": a sender name the account has and the service approved.
    stdlib_transport.execute(protocol.add_sender("Shop"), credentials, policy)
    emulator.control.set_sender_status("Shop", 1)
    text = DOC.read_text(encoding="utf-8")
    namespace: dict[str, Any] = {}
    for title in SECTIONS:
        (example,) = re.findall(r"```python\n(.*?)```", section(text, title), re.DOTALL)
        exec(example.replace("http://127.0.0.1:8000", emulator.http_url), namespace)
    assert all(outcome.sent for outcome in namespace["outcomes"])
    texts = [message["text"] for message in emulator.control.messages()]
    assert texts == ["Hi Anna, your code is 1234", "Hi Boris, your code is 5678", "Hi"]
    assert capsys.readouterr().out.strip() == f"{namespace['result'].id} 1.40"
    namespace["smsc"].close()
