# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""data_coding <-> text, with the alphabets of :mod:`pysmsc.text`.

For sending, the service knows three codings (``coding * 4``): 0 GSM 7-bit (unpacked, one septet
per octet), 4 ISO-8859-1 (the service's own meaning, which needs system_type ``ISO``) and 8 UCS2.
For receiving, every data_coding another SMSC may use is decoded without ever raising: SMPP 3.4
values 0-14, and the GSM 03.38 coding groups (message classes, message waiting indications);
anything unknown is read as Latin-1 so that the octets still reach the user.
"""

from __future__ import annotations

import enum

from ..text import Encoding, decode

__all__ = [
    "DataCoding",
    "data_coding_for",
    "decode_message",
    "encoding_of",
    "is_binary",
]


class DataCoding(enum.IntEnum):
    """SMPP 3.4 data_coding values (section 5.2.19)."""

    SMSC_DEFAULT = 0x00  # GSM 03.38 on the SMSC service
    IA5 = 0x01  # ASCII
    OCTET_UNSPECIFIED = 0x02  # binary
    LATIN1 = 0x03
    OCTET_UNSPECIFIED_4 = 0x04  # binary in SMPP; ISO-8859-1 text on the SMSC service
    JIS = 0x05
    CYRILLIC = 0x06  # ISO-8859-5
    LATIN_HEBREW = 0x07  # ISO-8859-8
    UCS2 = 0x08
    PICTOGRAM = 0x09
    ISO_2022_JP = 0x0A
    EXTENDED_KANJI = 0x0D
    KS_C_5601 = 0x0E


_OUTGOING = {
    Encoding.GSM7: DataCoding.SMSC_DEFAULT,
    Encoding.LATIN1: DataCoding.OCTET_UNSPECIFIED_4,
    Encoding.UCS2: DataCoding.UCS2,
}

_CODECS = {
    0x01: "ascii",
    0x03: "latin-1",
    0x05: "shift_jis",
    0x06: "iso8859_5",
    0x07: "iso8859_8",
    0x09: "shift_jis",
    0x0A: "iso2022_jp",
    0x0D: "euc_jis_2004",
    0x0E: "euc_kr",
}


def data_coding_for(encoding: Encoding, *, flash: bool = False) -> int:
    """The data_coding the service expects for ``encoding`` (``flash``: GSM message class 0)."""
    value = int(_OUTGOING[encoding])
    if flash:
        if encoding is Encoding.LATIN1:
            raise ValueError("a flash message must be GSM 7-bit or UCS2")
        value |= 0x10  # GSM 03.38 group 00x1: message class present, class 0
    return value


def encoding_of(data_coding: int) -> Encoding | None:
    """The :class:`~pysmsc.text.Encoding` a data_coding stands for, or None when it is another
    alphabet or binary. Used to split and reassemble without cutting characters."""
    if data_coding == 0x00:
        return Encoding.GSM7
    if data_coding in (0x03, 0x04):
        return Encoding.LATIN1
    if data_coding == 0x08:
        return Encoding.UCS2
    group = data_coding & 0xF0
    if group <= 0x30 and data_coding >= 0x10:  # GSM general data coding, alphabet in bits 3-2
        return (Encoding.GSM7, Encoding.LATIN1, Encoding.UCS2, None)[(data_coding >> 2) & 3]
    if group in (0xC0, 0xD0):
        return Encoding.GSM7
    if group == 0xE0:
        return Encoding.UCS2
    if group == 0xF0:
        return Encoding.LATIN1 if data_coding & 0x04 else Encoding.GSM7
    return None


def is_binary(data_coding: int) -> bool:
    """True for octet data that is not text (data_coding 2, or an 8-bit GSM coding group).
    4 is ISO-8859-1 text on the service and counts as text here."""
    if data_coding == 0x02:
        return True
    group = data_coding & 0xF0
    if data_coding >= 0x10 and group <= 0x30:
        return (data_coding >> 2) & 3 == 1
    return group == 0xF0 and bool(data_coding & 0x04)


def decode_message(data_coding: int, data: bytes) -> str:
    """Text of a short message in any data_coding; never raises."""
    codec = _CODECS.get(data_coding)
    if codec is not None:
        return data.decode(codec, errors="replace")
    encoding = encoding_of(data_coding)
    if encoding is None:
        return data.decode("latin-1")
    return decode(data, encoding)
