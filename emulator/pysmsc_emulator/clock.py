# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The emulator's clock: real time plus an offset that tests move forward.

Every time window of the emulator (rate rules, status progression, the flood rule, the 8-hour
code rule) reads this clock, so a test advances it instead of sleeping.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from typing import Callable

__all__ = ["MOSCOW", "Clock", "moscow_datetime"]

# The service states every time in Moscow time (UTC+3 all year since 2014).
MOSCOW = timezone(timedelta(hours=3), "MSK")


class Clock:
    """Seconds since the epoch, as ``time.time()`` plus an adjustable offset."""

    def __init__(self, source: Callable[[], float] = time.time) -> None:
        self._source = source
        self._offset = 0.0

    def now(self) -> float:
        return self._source() + self._offset

    @property
    def offset(self) -> float:
        return self._offset

    def advance(self, seconds: float) -> float:
        """Move the clock forward by ``seconds`` (never backwards) and return the new time."""
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        self._offset += seconds
        return self.now()

    def reset(self) -> None:
        self._offset = 0.0


def moscow_datetime(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, MOSCOW)
