# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The service's text rewriting before sending: ``translit`` and ``tinyurl``.

``translit=1`` writes Cyrillic in Latin letters ("translit"), ``translit=2`` in look-alike
Latin characters ("mpaHc/Ium"). ``tinyurl=1`` replaces links with short ones.
"""

# The service is Russian: its names and alphabets are Cyrillic on purpose.
# ruff: noqa: RUF001

from __future__ import annotations

import hashlib
import re

__all__ = ["SHORT_LINK_BASE", "shorten_links", "transliterate"]

_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh",
    "з": "z", "и": "i", "й": "j", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "c",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "'", "э": "e", "ю": "yu",
    "я": "ya",
}  # fmt: skip
_LOOKALIKE = {
    "а": "a", "б": "6", "в": "B", "г": "r", "д": "g", "е": "e", "ё": "e", "ж": "}|{",
    "з": "3", "и": "u", "й": "u'", "к": "K", "л": "/I", "м": "M", "н": "H", "о": "o",
    "п": "n", "р": "p", "с": "c", "т": "m", "у": "y", "ф": "qp", "х": "x", "ц": "LL,",
    "ч": "4", "ш": "LLI", "щ": "LLL,", "ъ": "'b", "ы": "bI", "ь": "b", "э": "-)", "ю": "I-O",
    "я": "9I",
}  # fmt: skip

SHORT_LINK_BASE = "https://smsc.ru/s/"
_LINK = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)


def _upper(table: dict[str, str], ch: str) -> str:
    latin = table[ch.lower()]
    if table is _LOOKALIKE or not latin:
        return latin
    return latin[0].upper() + latin[1:]


def transliterate(text: str, mode: int) -> str:
    """Cyrillic to Latin: mode 1 by sound, mode 2 by shape; other modes change nothing."""
    if mode not in (1, 2):
        return text
    table = _LATIN if mode == 1 else _LOOKALIKE
    out: list[str] = []
    for ch in text:
        low = ch.lower()
        if low not in table:
            out.append(ch)
        elif ch == low:
            out.append(table[low])
        else:
            out.append(_upper(table, ch))
    return "".join(out)


def shorten_links(text: str) -> str:
    """Replace every link longer than a short one with ``https://smsc.ru/s/<code>``."""

    def short(match: re.Match[str]) -> str:
        url = match.group(0)
        code = hashlib.sha256(url.encode("utf-8")).hexdigest()[:6]
        replacement = SHORT_LINK_BASE + code
        return replacement if len(replacement) < len(url) else url

    return _LINK.sub(short, text)
