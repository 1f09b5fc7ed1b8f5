# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""A minimal SMSC in one file of standard-library Python, run as a process of its own.

It shares no code with pysmsc (its own struct parsing), so that the client is tested against
something it did not write, and it can be killed with -9 and started again on the same port.

    python stdlib_smsc.py [--port N] [--drop-every N] [--delay S] [--log FILE] [--supervise]

It prints its port on the first line of stdout, binds any login, answers submit_sm with ids
(``--delay`` seconds later), enquire_link and unbind. ``--drop-every N``: the Nth, 2Nth...
submit_sm gets no answer: the server closes that connection normally (FIN) instead. ``--log``:
every submit_sm received is appended as ``<id or -> <short_message as latin-1>``, flushed at
once, so that a test can count what reached the server even after a kill -9.

``--supervise``: run the server as a child process and read commands on stdin: ``restart``
kills the child with -9 and starts another on the same port (answering ``restarted``), so that
the process that measures never forks (a fork of a large process stalls its event loop).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import signal
import struct
import subprocess
import sys

HEADER = struct.Struct(">IIII")
BINDS = {0x1, 0x2, 0x9}
SUBMIT_SM = 0x4
ENQUIRE_LINK = 0x15
UNBIND = 0x6


def _cstring(body: bytes, pos: int) -> tuple[bytes, int]:
    end = body.index(b"\0", pos)
    return body[pos:end], end + 1


def short_message(body: bytes) -> bytes:
    """The short_message of a submit_sm body (SMPP 3.4, 4.4.1)."""
    pos = 0
    _, pos = _cstring(body, pos)  # service_type
    pos += 2
    _, pos = _cstring(body, pos)  # source_addr
    pos += 2
    _, pos = _cstring(body, pos)  # destination_addr
    pos += 3  # esm_class, protocol_id, priority_flag
    _, pos = _cstring(body, pos)  # schedule_delivery_time
    _, pos = _cstring(body, pos)  # validity_period
    pos += 4  # registered_delivery, replace_if_present_flag, data_coding, sm_default_msg_id
    length = body[pos]
    return body[pos + 1 : pos + 1 + length]


class Smsc:
    def __init__(self, drop_every: int, delay: float, log: str | None) -> None:
        self.drop_every = drop_every
        self.delay = delay
        self.log = open(log, "a", encoding="latin-1") if log else None  # noqa: SIM115
        self.submits = 0
        self.ids = itertools.count(1)

    def record(self, message_id: str, body: bytes) -> None:
        if self.log is not None:
            self.log.write(f"{message_id} {short_message(body).decode('latin-1')}\n")
            self.log.flush()

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                header = await reader.readexactly(16)
                length, command_id, _, seq = HEADER.unpack(header)
                body = await reader.readexactly(length - 16)
                if command_id in BINDS:
                    resp = b"STD\0"
                    writer.write(HEADER.pack(16 + len(resp), command_id | 0x80000000, 0, seq))
                    writer.write(resp)
                elif command_id == SUBMIT_SM:
                    self.submits += 1
                    if self.drop_every and self.submits % self.drop_every == 0:
                        self.record("-", body)
                        writer.close()  # a normal close (FIN), the submit unanswered
                        return
                    message_id = str(next(self.ids))
                    self.record(message_id, body)
                    if self.delay:
                        asyncio.get_running_loop().call_later(
                            self.delay, self._answer, writer, seq, message_id
                        )
                    else:
                        self._answer(writer, seq, message_id)
                elif command_id == ENQUIRE_LINK:
                    writer.write(HEADER.pack(16, ENQUIRE_LINK | 0x80000000, 0, seq))
                elif command_id == UNBIND:
                    writer.write(HEADER.pack(16, UNBIND | 0x80000000, 0, seq))
                    writer.close()
                    return
                elif not command_id & 0x80000000:  # anything else: generic_nack
                    writer.write(HEADER.pack(16, 0x80000000, 3, seq))
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()

    @staticmethod
    def _answer(writer: asyncio.StreamWriter, seq: int, message_id: str) -> None:
        if writer.is_closing():
            return
        resp = message_id.encode() + b"\0"
        writer.write(HEADER.pack(16 + len(resp), SUBMIT_SM | 0x80000000, 0, seq))
        writer.write(resp)


def supervise(argv: list[str]) -> None:
    def start(port: str) -> tuple[subprocess.Popen[str], str]:
        args = [sys.executable, __file__, *argv, "--port", port]
        child = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert child.stdout is not None
        return child, child.stdout.readline().strip()

    child, port = start("0")
    print(port, flush=True)
    for line in sys.stdin:
        if line.strip() == "restart":
            os.kill(child.pid, signal.SIGKILL)
            child.wait()
            child, port = start(port)
            print("restarted", flush=True)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--drop-every", type=int, default=0)
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--log")
    parser.add_argument("--supervise", action="store_true")
    args = parser.parse_args()
    smsc = Smsc(args.drop_every, args.delay, args.log)
    server = await asyncio.start_server(smsc.handle, "127.0.0.1", args.port)
    print(server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)  # until EOF


if __name__ == "__main__":
    if "--supervise" in sys.argv:
        supervise([a for a in sys.argv[1:] if a != "--supervise"])
    else:
        asyncio.run(main())
