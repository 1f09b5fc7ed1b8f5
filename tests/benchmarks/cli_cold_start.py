"""The ``smsc send`` cold start against the emulator, next to the least a script can do: a
minimal Python script that makes the same POST with urllib. Both run as new processes of the
same interpreter, alternately, so that a busy machine slows both alike; the figure is the ratio
of their median wall times (the target is at most 2).

    .venv/bin/python -m tests.benchmarks.cli_cold_start [--runs 30]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from .http_bulk import emulator, reset

SMSC = str(Path(sys.executable).with_name("smsc"))
# What an alert script would write instead of calling smsc: the same POST, nothing else.
BASELINE = """\
import json, sys, urllib.parse, urllib.request
body = urllib.parse.urlencode({"login": "demo", "psw": "demo", "phones": sys.argv[2],
    "mes": sys.argv[3], "cost": 3, "fmt": 3, "charset": "utf-8"}).encode()
answer = json.loads(urllib.request.urlopen(sys.argv[1] + "/sys/send.php", body, 30).read())
print("sent: id", answer["id"])
"""


def _wall(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    assert done.returncode == 0, (command, done.stdout, done.stderr)
    return elapsed


def main(argv: Sequence[str] = ()) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    runs = parser.parse_args(argv).runs
    env = {**os.environ, "SMSC_LOGIN": "demo", "SMSC_PASSWORD": "demo"}
    with emulator() as url:
        reset(url)
        env["SMSC_BASE_URL"] = url
        baseline, cli = [], []
        for i in range(runs + 2):  # the first two of each warm the disk cache
            phone, text = f"7916{i:07d}", f"db{i} is down"
            b = _wall([sys.executable, "-c", BASELINE, url, phone, text], env)
            c = _wall([SMSC, "send", "--to", f"7926{i:07d}", "--text", text], env)
            if i >= 2:
                baseline.append(b)
                cli.append(c)
    base, ours = statistics.median(baseline), statistics.median(cli)
    print(
        f"cli cold start: smsc send {ours * 1000:.0f} ms, urllib script {base * 1000:.0f} ms "
        f"(medians of {runs}), ratio {ours / base:.2f} (target <= 2)"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
