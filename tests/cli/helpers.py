"""Running the ``smsc`` command as a real process, as alert scripts do."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

SMSC = str(Path(sys.executable).with_name("smsc"))
PHONE = "79991234567"


def smsc(
    emulator: Any, *args: str | bytes, env: dict[str, str] | None = None, stdin: bytes = b""
) -> subprocess.CompletedProcess[str]:
    """``smsc ARGS`` against ``emulator``, its account in the environment (``env`` overrides;
    an empty value counts as unset). Output is decoded leniently, to be checked."""
    environment = {
        **os.environ,
        "SMSC_BASE_URL": emulator.http_url,
        "SMSC_LOGIN": emulator.login,
        "SMSC_PASSWORD": emulator.password,
        **(env or {}),
    }
    done = subprocess.run(
        [SMSC, *args], env=environment, input=stdin, capture_output=True, timeout=60, check=False
    )
    return subprocess.CompletedProcess(
        done.args,
        done.returncode,
        done.stdout.decode("utf-8", "backslashreplace"),
        done.stderr.decode("utf-8", "backslashreplace"),
    )
