"""`make demo` as a new user runs it: the whole script, in its own process, against its own
emulator — the playbook, the smsc command, and a page through `smsc relay`."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def test_the_demo_runs_and_pages_until_acknowledged() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "docs" / "demo" / "run_demo.py")],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
        cwd=ROOT,
    )
    out = done.stdout
    assert done.returncode == 0, out[-3000:] + done.stderr[-3000:]
    assert "(exit 2)" in out  # bad input refused, nothing sent
    code = re.search(r"opened: page (\w+)", out)
    assert code, out
    assert f"page {code[1]} acknowledged by alice (key press); bob was not paged" in out
    assert re.search(rf"SMS to alice: 'RESOLVED {code[1]} after \d+ s", out)
    assert "Press 1 to acknowledge" in out
    assert "Traceback" not in out + done.stderr
