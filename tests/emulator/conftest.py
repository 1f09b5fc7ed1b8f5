# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Fixtures of the emulator's own tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from .helpers import Api


@pytest.fixture
def api(emulator: Any) -> Iterator[Api]:
    """Raw HTTP calls to the service paths of the (reset) session emulator."""
    client = Api(emulator)
    yield client
    client.close()
