# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The smpp34 side of the client comparison, run by an interpreter that has smpp34 (a scratch
virtual environment: smpp34 is no dependency of this project). Standard library + smpp34 only.

    python smpp34_sender.py PORT WINDOW DURATION WARMUP

Binds with smpp34's own ``window_size=WINDOW``, keeps WINDOW submit_sm in flight with as many
concurrent senders, and prints one JSON line: submits completed per second during DURATION
seconds after WARMUP, and the share of a core this process used meanwhile.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time


async def main(port: int, window: int, duration: float, warmup: float) -> None:
    import smpp34  # noqa: PLC0415 - only the scratch interpreter has it

    client = smpp34.Client("127.0.0.1", port, "bench", "bench", window_size=window)
    smsc = await client.connect()
    done = 0
    counting = False
    stop = False

    async def sender() -> None:
        nonlocal done
        while not stop:
            await smsc.submit_sm("79991234567", b"benchmark message")
            if counting:
                done += 1

    senders = [asyncio.ensure_future(sender()) for _ in range(window)]
    await asyncio.sleep(warmup)
    counting = True
    started, cpu = time.perf_counter(), time.process_time()
    await asyncio.sleep(duration)
    counting = False
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu
    stop = True
    await asyncio.gather(*senders)
    await smsc.unbind()
    await client.stop()
    print(json.dumps({"rate": done / elapsed, "cpu": cpu / elapsed, "version": smpp34.__version__}))


if __name__ == "__main__":
    port, window, duration, warmup = sys.argv[1:5]
    asyncio.run(main(int(port), int(window), float(duration), float(warmup)))
