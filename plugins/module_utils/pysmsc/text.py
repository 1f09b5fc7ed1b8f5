# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""SMS text: which alphabet a text needs, how many parts the service bills, how to split it.

The service counts like the GSM standard: a text that fits the GSM 03.38 alphabet is sent in
7-bit septets (160 per SMS, 153 per part of a long one, the extension characters taking two),
anything else in UCS2 (70 UTF-16 code units, 67 per part). ISO-8859-1 (140/134 octets) is the
service's SMPP option for Latin text (system_type ``ISO``). A split never cuts an escape pair or
a surrogate pair.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

__all__ = [
    "GSM_BASIC",
    "GSM_EXTENSION",
    "Encoding",
    "Segmentation",
    "decode",
    "detect_encoding",
    "encode",
    "encode_gsm7",
    "is_gsm7",
    "segment",
    "split",
]

# GSM 03.38 default alphabet, indexed by septet value (0x1B is the escape to the extension table).
GSM_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ"
    " !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# Extension table: character -> septet that follows the escape.
GSM_EXTENSION: dict[str, int] = {
    "\f": 0x0A,
    "^": 0x14,
    "{": 0x28,
    "}": 0x29,
    "\\": 0x2F,
    "[": 0x3C,
    "~": 0x3D,
    "]": 0x3E,
    "|": 0x40,
    "€": 0x65,
}
ESCAPE = 0x1B

_BASIC_CODE: dict[str, int] = {ch: i for i, ch in enumerate(GSM_BASIC) if i != ESCAPE}
_EXTENSION_CHAR: dict[int, str] = {code: ch for ch, code in GSM_EXTENSION.items()}
# str.translate tables, so that encoding and decoding cost one C call per text (the SMPP client
# encodes tens of thousands of messages a second). Encoding maps each character to its septet(s)
# as code points below 128; an ASCII character outside the alphabet maps to U+FFFF, so the final
# ASCII step fails for it as for any other character the alphabet lacks.
_TO_SEPTETS: dict[int, str] = dict.fromkeys(range(128), "\uffff")
_TO_SEPTETS.update({ord(ch): chr(code) for ch, code in _BASIC_CODE.items()})
_TO_SEPTETS.update({ord(ch): chr(ESCAPE) + chr(code) for ch, code in GSM_EXTENSION.items()})
# Octet -> character without escapes (the top bit is ignored).
_FROM_SEPTETS = "".join(GSM_BASIC[octet & 0x7F] for octet in range(256))


class Encoding(str, enum.Enum):
    """The alphabet a message travels in."""

    GSM7 = "gsm7"
    UCS2 = "ucs2"
    LATIN1 = "latin1"


@dataclass(frozen=True)
class _Limits:
    single: int  # units in a message of one part
    part: int  # units per part once a concatenation header is needed


_LIMITS = {
    Encoding.GSM7: _Limits(single=160, part=153),
    Encoding.UCS2: _Limits(single=70, part=67),
    Encoding.LATIN1: _Limits(single=140, part=134),
}


@dataclass(frozen=True)
class Segmentation:
    """How a text is billed: ``parts`` SMS of ``per_part`` units, ``length`` units in all.

    Units are septets for GSM7, UTF-16 code units for UCS2 and octets for LATIN1.
    ``remaining`` is how many more units fit before another part is needed.
    """

    encoding: Encoding
    length: int
    parts: int
    per_part: int
    remaining: int


def _gsm_width(ch: str) -> int:
    """Septets one character takes in GSM7, or 0 when the alphabet lacks it."""
    if ch in _BASIC_CODE:
        return 1
    if ch in GSM_EXTENSION:
        return 2
    return 0


def _unit_width(ch: str, encoding: Encoding) -> int:
    if encoding is Encoding.GSM7:
        width = _gsm_width(ch)
        if not width:
            raise ValueError(f"character {ch!r} is not in the GSM 03.38 alphabet")
        return width
    if encoding is Encoding.UCS2:
        return 2 if ord(ch) > 0xFFFF else 1
    if ord(ch) > 0xFF:
        raise ValueError(f"character {ch!r} is not in ISO-8859-1")
    return 1


def is_gsm7(text: str) -> bool:
    """True when every character of ``text`` is in the GSM 03.38 alphabet or its extension."""
    return all(_gsm_width(ch) for ch in text)


def detect_encoding(text: str) -> Encoding:
    """GSM7 when the text fits the GSM alphabet, UCS2 otherwise (what the service does)."""
    return Encoding.GSM7 if is_gsm7(text) else Encoding.UCS2


def _widths(text: str, encoding: Encoding) -> list[int]:
    return [_unit_width(ch, encoding) for ch in text]


def segment(text: str, encoding: Encoding | None = None) -> Segmentation:
    """Count the parts ``text`` is billed as. An empty text is one (empty) part."""
    enc = encoding or detect_encoding(text)
    limits = _LIMITS[enc]
    widths = _widths(text, enc)
    length = sum(widths)
    if length <= limits.single:
        return Segmentation(enc, length, 1, limits.single, limits.single - length)
    ranges = _cut(widths, limits.part)
    last_start, last_end = ranges[-1]
    used = sum(widths[last_start:last_end])
    return Segmentation(enc, length, len(ranges), limits.part, limits.part - used)


def _cut(widths: list[int], capacity: int) -> list[tuple[int, int]]:
    """Greedy split of characters into [start, end) ranges whose widths fit ``capacity``.

    A character is never divided, so neither an escape pair nor a surrogate pair is cut.
    """
    ranges: list[tuple[int, int]] = []
    start, used = 0, 0
    for i, width in enumerate(widths):
        if used + width > capacity:
            ranges.append((start, i))
            start, used = i, 0
        used += width
    ranges.append((start, len(widths)))
    return ranges


def split(text: str, encoding: Encoding | None = None) -> list[str]:
    """Split ``text`` into the parts the service would send (one part when it fits)."""
    enc = encoding or detect_encoding(text)
    limits = _LIMITS[enc]
    widths = _widths(text, enc)
    if sum(widths) <= limits.single:
        return [text]
    return [text[start:end] for start, end in _cut(widths, limits.part)]


def encode_gsm7(text: str) -> bytes | None:
    """``text`` as unpacked GSM septets, or None when the alphabet lacks one of its characters."""
    try:
        return text.translate(_TO_SEPTETS).encode("ascii")
    except UnicodeEncodeError:
        return None


def encode(text: str, encoding: Encoding) -> bytes:
    """Encode for the wire: GSM7 as unpacked septets (one per octet, as SMPP carries them),
    UCS2 as UTF-16BE, LATIN1 as ISO-8859-1."""
    if encoding is Encoding.UCS2:
        return text.encode("utf-16-be")
    if encoding is Encoding.LATIN1:
        return text.encode("latin-1")
    septets = encode_gsm7(text)
    if septets is not None:
        return septets
    out = bytearray()  # the slow way, only to name the character the alphabet lacks
    for ch in text:
        code = _BASIC_CODE.get(ch)
        if code is not None:
            out.append(code)
        elif ch in GSM_EXTENSION:
            out += bytes((ESCAPE, GSM_EXTENSION[ch]))
        else:
            raise ValueError(f"character {ch!r} is not in the GSM 03.38 alphabet")
    return bytes(out)


def decode(data: bytes, encoding: Encoding) -> str:
    """Decode wire bytes; never raises. Unknown GSM codes become U+FFFD, as do broken UTF-16
    sequences, so that a malformed incoming message still reaches the user."""
    if encoding is Encoding.UCS2:
        return data.decode("utf-16-be", errors="replace")
    if encoding is Encoding.LATIN1:
        return data.decode("latin-1")
    if b"\x1b" not in data and b"\x9b" not in data:  # no escapes: one table lookup per octet
        return "".join([_FROM_SEPTETS[octet] for octet in data])
    chars: list[str] = []
    escaped = False
    for octet in data:
        septet = octet & 0x7F
        if escaped:
            # An escape followed by an unknown code shows as a space, per GSM 03.38.
            chars.append(_EXTENSION_CHAR.get(septet, " "))
            escaped = False
        elif septet == ESCAPE:
            escaped = True
        else:
            chars.append(GSM_BASIC[septet])
    return "".join(chars)
