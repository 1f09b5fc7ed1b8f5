# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Tools for fault runs, shared by the tests and the fault benchmark: a lag probe of the event
loop, SMSC peers in processes of their own (killable with -9), and the tally of a campaign."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pysmsc.smpp import (
    SmppClient,
    SubmitNotSentError,
    SubmitOutcomeUnknownError,
)

PEER = Path(__file__).parent / "peer"


class LagProbe:
    """Measures the event loop's longest stall: a task that asks to wake every ``interval``
    seconds and records how late it woke. ``async with LagProbe() as probe: ...; probe.worst``."""

    def __init__(self, interval: float = 0.005) -> None:
        self.interval = interval
        self.worst = 0.0
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            started = loop.time()
            await asyncio.sleep(self.interval)
            self.worst = max(self.worst, loop.time() - started - self.interval)

    async def __aenter__(self) -> LagProbe:
        self._task = asyncio.get_running_loop().create_task(self._run())
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        assert self._task is not None
        self._task.cancel()
        await asyncio.gather(self._task, return_exceptions=True)


class StdlibPeer:
    """``peer/stdlib_smsc.py`` in a process of its own, logging what it receives to ``log``."""

    def __init__(self, process: asyncio.subprocess.Process, port: int, log: Path) -> None:
        self.process = process
        self.port = port
        self.log = log

    @classmethod
    async def start(
        cls,
        log: Path,
        *,
        port: int = 0,
        drop_every: int = 0,
        delay: float = 0.0,
        supervise: bool = False,
    ) -> StdlibPeer:
        """The peer; with ``supervise``, under a supervisor process that :meth:`restart` asks
        to kill it with -9 and start it again (the caller's process then never forks)."""
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            str(PEER / "stdlib_smsc.py"),
            "--port",
            str(port),
            "--drop-every",
            str(drop_every),
            "--delay",
            str(delay),
            "--log",
            str(log),
            *(["--supervise"] if supervise else []),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )
        assert process.stdout is not None
        line = await asyncio.wait_for(process.stdout.readline(), 30)
        return cls(process, int(line), log)

    def received(self) -> int:
        """submit_sm logged so far (by every run that shared the log)."""
        try:
            with self.log.open("rb") as handle:
                return sum(1 for _ in handle)
        except FileNotFoundError:
            return 0

    async def restart(self) -> None:
        """Kill the supervised peer with -9 and start it again on the same port."""
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self.process.stdin.write(b"restart\n")
        assert (await asyncio.wait_for(self.process.stdout.readline(), 30)).strip() == b"restarted"

    async def kill(self) -> None:
        """kill -9: no FIN from an orderly close, no answer to what it holds."""
        if self.process.returncode is None:
            os.kill(self.process.pid, signal.SIGKILL)
        await self.process.wait()

    async def stop(self) -> None:
        if self.process.returncode is None:
            assert self.process.stdin is not None
            self.process.stdin.close()
            try:
                await asyncio.wait_for(self.process.wait(), 5)
            except TimeoutError:
                await self.kill()


def logged_texts(log: Path) -> Counter[str]:
    """How often each text reached a stdlib peer (over all its runs)."""
    counts: Counter[str] = Counter()
    if log.exists():
        for line in log.read_text(encoding="latin-1").splitlines():
            counts[line.split(" ", 1)[1]] += 1
    return counts


@dataclass
class Tally:
    """How the submits of a campaign ended."""

    sent: dict[str, list[str]] = field(default_factory=dict)  # text -> ids
    unknown: list[str] = field(default_factory=list)
    not_sent: list[str] = field(default_factory=list)
    other: list[tuple[str, BaseException]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.sent) + len(self.unknown) + len(self.not_sent) + len(self.other)


async def campaign(
    client: SmppClient,
    texts: Sequence[str],
    phone: str = "79991234567",
    *,
    senders: int | None = None,
) -> Tally:
    """Submit every text (the window and the rate pace them); how each ended. All at once, or
    from ``senders`` tasks (a large campaign: starting 10,000 coroutines in one turn of the loop
    would stall it by itself)."""
    results: list[object] = [None] * len(texts)

    async def send(index: int) -> None:
        try:
            results[index] = await client.submit(phone, texts[index])
        except Exception as exc:
            results[index] = exc

    if senders is None:
        await asyncio.gather(*(send(i) for i in range(len(texts))))
    else:
        indexes = iter(range(len(texts)))

        async def worker() -> None:
            for index in indexes:
                await send(index)

        await asyncio.gather(*(worker() for _ in range(senders)))
    tally = Tally()
    for text, result in zip(texts, results, strict=False):
        if isinstance(result, list):
            tally.sent[text] = result
        elif isinstance(result, SubmitOutcomeUnknownError):
            tally.unknown.append(text)
        elif isinstance(result, SubmitNotSentError):
            tally.not_sent.append(text)
        elif isinstance(result, BaseException):
            tally.other.append((text, result))
    return tally
