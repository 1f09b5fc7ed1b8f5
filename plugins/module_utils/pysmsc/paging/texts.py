# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The words a page sends: untrusted alert texts made harmless, SMS kept within a number of
parts, and the voice menu of the escalation call.

Alert texts carry log lines, and the service reads some character sequences as instructions:
a prefix at the start of a message (``__CALL__:``, ``__VIBER__:``, ...), macros anywhere
(``{menu: ...}`` in calls, ``{button,...}`` and ``<file ...>`` in Viber messages and calls),
and the comment separator ``\\n~~~\\n``. The library's checks refuse such texts; a pager must
still deliver the alert, so :func:`neutralize` rewrites them instead: braces become
parentheses, ``<file`` becomes ``(file``, ``~~~`` becomes ``~~``, a leading ``__`` loses an
underscore, and control characters go. The alert template also puts the page's own words
first, so the alert never begins a message.
"""

# ruff: noqa: RUF001 - the transliteration table holds Cyrillic letters
from __future__ import annotations

import re
import unicodedata

from ..errors import ValidationError
from ..protocol.checks import MAX_TEXT_LENGTH, service_prefix
from ..text import is_gsm7, segment
from ..voice_menu import End, MenuItem, Url, VoiceMenu

__all__ = [
    "call_menu",
    "compose",
    "defuse_prefix",
    "duration_words",
    "neutralize",
    "transliterate",
]

# What pysmsc.protocol.checks.check_string refuses: control characters but tab and line breaks,
# and lone surrogates (undecodable bytes).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_FILE_MACRO = re.compile(r"<(\s*file)", re.IGNORECASE)
# What may precede a prefix the service still reads (as pysmsc.protocol.checks matches it).
_LEADING = re.compile(r"[\s\u00ad\u180e\u200b-\u200f\u2060-\u2064\ufeff]*")
_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_ELLIPSIS = "..."

# Russian (and the Ukrainian and Belarusian letters), as the service's own "translit" writes it.
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "'", "э": "e", "ю": "yu",
    "я": "ya", "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "ў": "u",
}  # fmt: skip
# Punctuation that log lines and chat clients use, and that would force the UCS2 alphabet.
_PUNCTUATION = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
    "\u2212": "-", "\u2026": "...", "\u2022": "*", "\u00b7": ".", "\u2116": "No",
    "\u00a0": " ", "\u2009": " ", "\u200b": "", "\u2192": "->", "\u2190": "<-",
    "\u2264": "<=", "\u2265": ">=", "\u00d7": "x", "\u2713": "v", "\u2714": "v",
}  # fmt: skip


def neutralize(text: str) -> str:
    """``text`` with everything the service would read as an instruction made inert."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _SURROGATE.sub("?", _CONTROL.sub(" ", text))
    text = text.replace("{", "(").replace("}", ")")
    text = _FILE_MACRO.sub(r"(\1", text)
    while "~~~" in text:
        text = text.replace("~~~", "~~")
    return defuse_prefix(text)


def defuse_prefix(text: str) -> str:
    """``text`` without the service prefix it begins with (``__CALL__:`` becomes
    ``_CALL__:``, which the service reads as words)."""
    if service_prefix(text) is None:
        return text
    start = _LEADING.match(text)
    at = 0 if start is None else start.end()
    after = at + 1
    return text[:at] + text[after:]


def _letter(char: str) -> str:
    lower = char.lower()
    if lower in _CYRILLIC:
        latin = _CYRILLIC[lower]
        return latin.capitalize() if char != lower else latin
    if char in _PUNCTUATION:
        return _PUNCTUATION[char]
    if is_gsm7(char):
        return char
    # Accented Latin letters the GSM alphabet lacks: the letter without its accent.
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    return base if base and is_gsm7(base) else "?"


def transliterate(text: str) -> str:
    """``text`` in the GSM 03.38 alphabet: Cyrillic in Latin letters, typographic punctuation
    in its plain form, anything else as ``?``."""
    return "".join(_letter(char) for char in text)


def _shorten(text: str) -> str:
    """Whitespace a reader does not need: runs of spaces, blank lines, trailing spaces."""
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n", "\n".join(lines)).strip()


def _parts(text: str) -> int:
    return segment(text).parts


def compose(template: str, text: str, max_parts: int, **values: str) -> str:
    """``template`` filled with the (neutralised) alert ``text`` and ``values``, in at most
    ``max_parts`` SMS parts: shortened (whitespace), then transliterated (160 characters a
    part instead of 70), then cut with "..." — never a part more than ``max_parts``.

    Raises :class:`ValidationError` when the template alone does not fit.
    """
    text = neutralize(text)

    def fill(body: str) -> str:
        return defuse_prefix(template.format(text=body, **values))

    message = fill(text)
    if _parts(message) <= max_parts and len(message) <= MAX_TEXT_LENGTH:
        return message
    text = _shorten(text)
    message = fill(text)
    if _parts(message) <= max_parts and len(message) <= MAX_TEXT_LENGTH:
        return message
    if not is_gsm7(message):
        latin = transliterate(message)
        if _parts(latin) <= max_parts and len(latin) <= MAX_TEXT_LENGTH:
            return latin
        # Cutting in the GSM alphabet keeps more of the alert than cutting in UCS2.
        template = transliterate(template)
        values = {name: transliterate(value) for name, value in values.items()}
        text = transliterate(text)
    if _parts(fill(_ELLIPSIS)) > max_parts:
        raise ValidationError(
            "texts", f"the message template alone takes more than {max_parts} SMS parts"
        )
    # The longest prefix of the text that fits (parts grow with the length).
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        candidate = fill(text[:middle].rstrip() + _ELLIPSIS)
        if _parts(candidate) <= max_parts and len(candidate) <= MAX_TEXT_LENGTH:
            low = middle
        else:
            high = middle - 1
    return fill(text[:low].rstrip() + _ELLIPSIS)


def duration_words(seconds: float) -> str:
    """``45 s``, ``12 min``, ``2 h 5 min``."""
    whole = max(0, round(seconds))
    if whole < 60:
        return f"{whole} s"
    minutes = whole // 60
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"


# What the spoken alert may take of a call's 1,000 characters: a listener will not follow more.
SPOKEN_TEXT_LIMIT = 300


def _spoken(text: str, limit: int) -> str:
    """The alert as one spoken line: no line breaks, at most ``limit`` characters."""
    line = _SPACES.sub(" ", neutralize(text).replace("\n", ". ")).strip()
    if len(line) <= limit:
        return line
    return line[: limit - len(_ELLIPSIS)].rstrip() + _ELLIPSIS


def call_menu(
    text: str,
    *,
    start: str,
    menu: str,
    acknowledged: str,
    passed: str,
    code: str = "",
) -> VoiceMenu:
    """The escalation call: the alert and "press 1 to acknowledge, 2 to pass to the next
    person"; both keys report to the account's handler (``url``) before the menu ends."""
    template_room = len(menu.format(text="", code=code, name="", duration=""))
    limit = min(SPOKEN_TEXT_LIMIT, MAX_TEXT_LENGTH - template_room - 200)
    spoken = _spoken(text, limit)
    fill = {"text": spoken, "code": code, "name": "", "duration": ""}
    return VoiceMenu(
        start_text=neutralize(start.format(**fill)),
        menu_text=_spoken(menu.format(**fill), MAX_TEXT_LENGTH),
        items=[
            MenuItem("1", [Url(), _spoken(acknowledged.format(**fill), 200), End()]),
            MenuItem("2", [Url(), _spoken(passed.format(**fill), 200), End()]),
        ],
        back=False,
        repeat=False,
    )
