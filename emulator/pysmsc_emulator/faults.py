# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Faults injected into the next requests to an endpoint, so client tests can prove their
retry rules against a real server: close the connection without answering, answer late,
answer HTTP 500, or answer garbage."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["FAULT_KINDS", "Fault", "FaultInjector", "endpoint_name"]

FAULT_KINDS = ("close", "delay", "http500", "garbage")
GARBAGE = b"\x00\xff<html>Bad Gateway</html>\x00{not json"


def endpoint_name(raw: str) -> str:
    """``send``, ``/sys/send.php``, ``send.php`` -> ``send``; ``/rest/send/`` -> ``rest/send``;
    ``*`` stands for every service endpoint."""
    name = raw.strip().strip("/")
    if name.startswith("sys/"):
        name = name[4:]
    if name.endswith(".php"):
        name = name[:-4]
    return name or "*"


@dataclass
class Fault:
    """``kind`` for the next ``remaining`` requests to ``endpoint``.

    ``delay`` answers normally after ``seconds`` (the request is processed first, so a client
    that gives up early still sent its message). The other kinds do not process the request
    unless ``after_processing`` is set (the service did the work but the answer is lost).
    """

    endpoint: str
    kind: str
    remaining: int
    seconds: float = 0.0
    after_processing: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "endpoint": self.endpoint,
            "kind": self.kind,
            "remaining": self.remaining,
            "seconds": self.seconds,
            "after_processing": self.after_processing,
        }


class FaultInjector:
    """Faults waiting for their requests, first added first used."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []

    def add(
        self,
        endpoint: str,
        kind: str,
        count: int = 1,
        seconds: float = 0.0,
        after_processing: bool = False,
    ) -> Fault:
        if kind not in FAULT_KINDS:
            raise ValueError(f"kind must be one of {', '.join(FAULT_KINDS)}")
        if count < 1:
            raise ValueError("count must be at least 1")
        if seconds < 0:
            raise ValueError("seconds cannot be negative")
        if kind == "delay" and seconds == 0:
            raise ValueError("a delay needs seconds")
        fault = Fault(endpoint_name(endpoint), kind, count, seconds, after_processing)
        self._faults.append(fault)
        return fault

    def take(self, endpoint: str) -> Fault | None:
        """The fault for this request to ``endpoint`` (one use of it), if any."""
        name = endpoint_name(endpoint)
        for fault in self._faults:
            if fault.endpoint in (name, "*"):
                fault.remaining -= 1
                if fault.remaining <= 0:
                    self._faults.remove(fault)
                return fault
        return None

    def pending(self) -> list[Fault]:
        return list(self._faults)

    def clear(self) -> None:
        self._faults.clear()
