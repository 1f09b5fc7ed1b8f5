# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Building a submit: from a text or a typed content to the submit_sm PDUs of its parts.

Pure code, no I/O and no state: the alphabet, the addresses (TON/NPI), the concatenation parts
and the typed contents of :mod:`.content`. Every check raises
:class:`~pysmsc.errors.ValidationError` before anything is sent.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import NamedTuple

from ..errors import ValidationError
from ..text import Encoding, encode_gsm7
from .coding import data_coding_for
from .concat import build_parts
from .config import SmppConfig
from .content import Content, Hlr, Mail, Ping, render
from .pdu import SubmitSm, smpp_time

__all__ = ["OutgoingMessage", "build_message"]

_PHONE_PUNCTUATION = str.maketrans("", "", " -()+.\t")


class OutgoingMessage(NamedTuple):
    """A message ready to go: its parts (one submit_sm each; one for a short message), the
    destination as sent, and how long the service keeps trying (None: its default)."""

    parts: list[SubmitSm]
    destination: str
    validity: timedelta | None


def _encode(text: str, encoding: Encoding | None, iso: bool) -> tuple[Encoding, bytes | None]:
    """The alphabet for ``text`` and, when it was computed on the way, the encoded text."""
    if encoding is None:
        if iso:
            try:
                return Encoding.LATIN1, text.encode("latin-1")
            except UnicodeEncodeError:
                pass
        data = encode_gsm7(text)
        if data is not None:
            return Encoding.GSM7, data
        return Encoding.UCS2, text.encode("utf-16-be")
    encoding = Encoding(encoding)
    if encoding is Encoding.LATIN1 and not iso:
        raise ValidationError("encoding", "ISO-8859-1 needs system_type ISO (SystemType(iso=True))")
    return encoding, None


def source_address(sender: str | None) -> tuple[str, int, int]:
    """(source_addr, TON, NPI) of a sender: a name, a short code or an international number."""
    if not sender:
        return "", 0, 0
    if not sender.isascii() or "\0" in sender or len(sender) > 64:
        raise ValidationError("sender", "ASCII characters only")
    digits = sender[1:] if sender.startswith("+") else sender
    if digits.isdigit() and len(digits) > 6:
        return digits, 1, 1  # an international number
    if digits.isdigit():
        return digits, 3, 0  # a short code (network specific)
    return sender, 5, 0  # alphanumeric


def _destination(to: str, message: Content) -> tuple[str, int, int]:
    if isinstance(message, Mail):
        address = to.strip()
        if "@" not in address or not address.isascii() or " " in address:
            raise ValidationError("to", "an e-mail address for a Mail message")
        return address, 0, 0
    phone = to if to.isdigit() else to.translate(_PHONE_PUNCTUATION)
    if not phone.isdigit() or not phone.isascii() or not 3 <= len(phone) <= 20:
        raise ValidationError("to", "a phone number in international format, digits only")
    return phone, 1, 1


def _validity(value: datetime | timedelta | None) -> timedelta | None:
    if value is None or isinstance(value, timedelta):
        return value
    aware = value if value.tzinfo is not None else value.astimezone()
    return aware - datetime.now(timezone.utc)


def build_message(
    config: SmppConfig,
    to: str,
    message: Content = "",
    *,
    reference: int,
    sender: str | None = None,
    comment: str | None = None,
    receipt: bool | None = None,
    encoding: Encoding | None = None,
    flash: bool = False,
    priority: int = 0,
    validity: datetime | timedelta | None = None,
    schedule: datetime | timedelta | None = None,
) -> OutgoingMessage:
    """The parts of ``message`` to ``to`` with ``config``'s defaults. ``reference`` marks the
    parts of a long message as belonging together (the caller counts it up)."""
    text = render(message, comment)
    enc, encoded = _encode(text, encoding, config.system_type.iso)
    try:
        data_coding = data_coding_for(enc, flash=flash)
    except ValueError as exc:
        raise ValidationError("flash", str(exc)) from exc
    try:
        parts = build_parts(text, enc, reference=reference, method=config.concat, encoded=encoded)
    except ValueError as exc:
        raise ValidationError("message", str(exc)) from exc
    source, source_ton, source_npi = source_address(config.sender if sender is None else sender)
    destination, dest_ton, dest_npi = _destination(to, message)
    if receipt is None:
        receipt = config.registered_delivery or isinstance(message, (Hlr, Ping))
    if not 0 <= priority <= 3:
        raise ValidationError("priority", "from 0 to 3")
    try:
        validity_text = smpp_time(validity) if validity is not None else ""
        schedule_text = smpp_time(schedule) if schedule is not None else ""
    except ValueError as exc:
        raise ValidationError("validity/schedule", str(exc)) from exc
    pdus = [
        SubmitSm(
            source_addr_ton=source_ton,
            source_addr_npi=source_npi,
            source_addr=source,
            dest_addr_ton=dest_ton,
            dest_addr_npi=dest_npi,
            destination_addr=destination,
            esm_class=part.esm_class,
            priority_flag=priority,
            schedule_delivery_time=schedule_text,
            validity_period=validity_text,
            registered_delivery=1 if receipt else 0,
            data_coding=data_coding,
            short_message=part.short_message,
            tlvs=list(part.tlvs),
        )
        for part in parts
    ]
    return OutgoingMessage(pdus, destination, _validity(validity))
