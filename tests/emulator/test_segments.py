# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The emulator's fast path for billing short GSM texts counts exactly as pysmsc.text does."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pysmsc.text import GSM_BASIC, GSM_EXTENSION, segment
from pysmsc_emulator.sending import _segment

GSM = st.sampled_from([c for c in GSM_BASIC if c != "\x1b"] + list(GSM_EXTENSION))


@given(st.lists(GSM, max_size=170).map("".join))
def test_gsm_texts_count_as_the_library_counts(text: str) -> None:
    assert _segment(text, None) == segment(text)


@given(st.text(max_size=200))
def test_any_text_counts_as_the_library_counts(text: str) -> None:
    assert _segment(text, None) == segment(text)


def test_the_edges() -> None:
    for text in ("", "a" * 160, "a" * 161, "€" * 80, "€" * 81, "я" * 70):
        assert _segment(text, None) == segment(text)
