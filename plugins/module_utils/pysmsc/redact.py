# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Keeping credentials out of every text that leaves the library.

A server that quotes the request back (a proxy's error page, a misbehaving gateway) returns the
password as the request carried it: percent-encoded, with ``+`` for a space, hex digits in
either case, or escaped again for HTML, JSON or a Python ``repr``. :class:`Redactor` finds each
secret in any mix of those forms and masks it. Values of the credential fields themselves
(``psw=``, ``apikey=``, ``"psw": ...``) are masked too, whatever they hold, so that a quote cut
in the middle of a secret shows none of it.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable

__all__ = ["MASK", "Redactor", "redact", "secret_forms"]

MASK = "***"

# Credential fields of the service's requests, in a form body, a URL or a JSON object.
_FIELD = re.compile(
    r"""(?ix)
    (?P<key>\b(?:psw|password|apikey|api_key)\b)
    (?P<sep>\s*(?:=|%3D|":\s*"|':\s*'|=\s*["']))
    (?P<value>[^&\s"'<>,;]*)
    """
)
_HTML_NAMED = {"&": ("&amp;",), "<": ("&lt;",), ">": ("&gt;",), '"': ("&quot;",), "'": ("&apos;",)}
# JSON's and Python's short escapes (both also write \uXXXX / \xXX, handled below).
_BACKSLASHED = {
    '"': '\\"',
    "'": "\\'",
    "\\": "\\\\",
    "/": "\\/",
    "\n": "\\n",
    "\t": "\\t",
    "\r": "\\r",
    "\b": "\\b",
    "\f": "\\f",
}


def _hex(digits: str) -> str:
    """A pattern for hex ``digits`` in either case."""
    return "".join(d if d.isdigit() else f"[{d.upper()}{d.lower()}]" for d in digits)


def _char_pattern(char: str) -> str:
    """Every form ``char`` takes in an echoed request: raw, percent-encoded (UTF-8), HTML
    character references, JSON and Python escapes."""
    code = ord(char)
    forms = [re.escape(char)]
    forms.append("".join(f"%{_hex(f'{byte:02x}')}" for byte in char.encode("utf-8", "replace")))
    if char == " ":
        forms.append(r"\+")
    forms.append(f"&#0*{code};")
    forms.append(f"&#[xX]0*{_hex(f'{code:x}')};")
    forms.extend(re.escape(name) for name in _HTML_NAMED.get(char, ()))
    if char in _BACKSLASHED:
        forms.append(re.escape(_BACKSLASHED[char]))
    if code < 0x100:
        forms.append(rf"\\x{_hex(f'{code:02x}')}")
    if code < 0x10000:
        forms.append(rf"\\u{_hex(f'{code:04x}')}")
    else:
        high, low = divmod(code - 0x10000, 0x400)
        forms.append(rf"\\u{_hex(f'{0xD800 + high:04x}')}\\u{_hex(f'{0xDC00 + low:04x}')}")
        forms.append(rf"\\U{_hex(f'{code:08x}')}")
    return "(?:" + "|".join(forms) + ")"


def secret_forms(password: str | None = None, api_key: str | None = None) -> tuple[str, ...]:
    """The values to hide for these credentials: the password, its MD5 in hex (the service
    accepts either) and the API key."""
    values: list[str] = []
    if password:
        digest = hashlib.md5(password.encode("utf-8")).hexdigest()  # noqa: S324 - the service's
        values.extend((password, digest, digest.upper()))
    if api_key:
        values.append(api_key)
    return tuple(values)


class Redactor:
    """Masks ``secrets`` in any of their encodings, and the values of credential fields."""

    def __init__(self, secrets: Iterable[str]) -> None:
        unique = sorted({s for s in secrets if s}, key=len, reverse=True)
        self._pattern = (
            re.compile("|".join("".join(map(_char_pattern, s)) for s in unique)) if unique else None
        )

    def finds(self, text: str) -> bool:
        """Whether ``text`` holds a secret or a credential field."""
        if self._pattern is not None and self._pattern.search(text):
            return True
        return _FIELD.search(text) is not None

    def __call__(self, text: str) -> str:
        if self._pattern is not None:
            text = self._pattern.sub(MASK, text)
        return _FIELD.sub(lambda m: f"{m['key']}{m['sep']}{MASK}", text)


@functools.lru_cache(maxsize=64)
def _redactor(secrets: tuple[str, ...]) -> Redactor:
    return Redactor(secrets)


def redact(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every secret (in any encoding) and every credential field's value masked."""
    return _redactor(tuple(secrets))(text)
