# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""SMPP 3.4 command ids and command_status values.

A status the table does not know is still an ``int``: :func:`status_name` and
:func:`status_description` give a readable text for any value, so an unexpected code from some
SMSC never breaks a session.
"""

from __future__ import annotations

import enum

__all__ = [
    "RETRYABLE_STATUSES",
    "CommandId",
    "CommandStatus",
    "status_description",
    "status_name",
]


class CommandId(enum.IntEnum):
    """command_id values of SMPP 3.4 (responses have bit 31 set)."""

    GENERIC_NACK = 0x80000000
    BIND_RECEIVER = 0x00000001
    BIND_RECEIVER_RESP = 0x80000001
    BIND_TRANSMITTER = 0x00000002
    BIND_TRANSMITTER_RESP = 0x80000002
    QUERY_SM = 0x00000003
    QUERY_SM_RESP = 0x80000003
    SUBMIT_SM = 0x00000004
    SUBMIT_SM_RESP = 0x80000004
    DELIVER_SM = 0x00000005
    DELIVER_SM_RESP = 0x80000005
    UNBIND = 0x00000006
    UNBIND_RESP = 0x80000006
    REPLACE_SM = 0x00000007
    REPLACE_SM_RESP = 0x80000007
    CANCEL_SM = 0x00000008
    CANCEL_SM_RESP = 0x80000008
    BIND_TRANSCEIVER = 0x00000009
    BIND_TRANSCEIVER_RESP = 0x80000009
    OUTBIND = 0x0000000B
    ENQUIRE_LINK = 0x00000015
    ENQUIRE_LINK_RESP = 0x80000015
    SUBMIT_MULTI = 0x00000021
    SUBMIT_MULTI_RESP = 0x80000021
    ALERT_NOTIFICATION = 0x00000102
    DATA_SM = 0x00000103
    DATA_SM_RESP = 0x80000103


class CommandStatus(enum.IntEnum):
    """command_status values of SMPP 3.4 (section 5.1.3)."""

    ESME_ROK = 0x00
    ESME_RINVMSGLEN = 0x01
    ESME_RINVCMDLEN = 0x02
    ESME_RINVCMDID = 0x03
    ESME_RINVBNDSTS = 0x04
    ESME_RALYBND = 0x05
    ESME_RINVPRTFLG = 0x06
    ESME_RINVREGDLVFLG = 0x07
    ESME_RSYSERR = 0x08
    ESME_RINVSRCADR = 0x0A
    ESME_RINVDSTADR = 0x0B
    ESME_RINVMSGID = 0x0C
    ESME_RBINDFAIL = 0x0D
    ESME_RINVPASWD = 0x0E
    ESME_RINVSYSID = 0x0F
    ESME_RCANCELFAIL = 0x11
    ESME_RREPLACEFAIL = 0x13
    ESME_RMSGQFUL = 0x14
    ESME_RINVSERTYP = 0x15
    ESME_RINVNUMDESTS = 0x33
    ESME_RINVDLNAME = 0x34
    ESME_RINVDESTFLAG = 0x40
    ESME_RINVSUBREP = 0x42
    ESME_RINVESMCLASS = 0x43
    ESME_RCNTSUBDL = 0x44
    ESME_RSUBMITFAIL = 0x45
    ESME_RINVSRCTON = 0x48
    ESME_RINVSRCNPI = 0x49
    ESME_RINVDSTTON = 0x50
    ESME_RINVDSTNPI = 0x51
    ESME_RINVSYSTYP = 0x53
    ESME_RINVREPFLAG = 0x54
    ESME_RINVNUMMSGS = 0x55
    ESME_RTHROTTLED = 0x58
    ESME_RINVSCHED = 0x61
    ESME_RINVEXPIRY = 0x62
    ESME_RINVDFTMSGID = 0x63
    ESME_RX_T_APPN = 0x64
    ESME_RX_P_APPN = 0x65
    ESME_RX_R_APPN = 0x66
    ESME_RQUERYFAIL = 0x67
    ESME_RINVOPTPARSTREAM = 0xC0
    ESME_ROPTPARNOTALLWD = 0xC1
    ESME_RINVPARLEN = 0xC2
    ESME_RMISSINGOPTPARAM = 0xC3
    ESME_RINVOPTPARAMVAL = 0xC4
    ESME_RDELIVERYFAILURE = 0xFE
    ESME_RUNKNOWNERR = 0xFF


_DESCRIPTIONS = {
    0x00: "no error",
    0x01: "message length is invalid",
    0x02: "command length is invalid",
    0x03: "invalid command id",
    0x04: "incorrect bind status for the command",
    0x05: "already bound",
    0x06: "invalid priority flag",
    0x07: "invalid registered delivery flag",
    0x08: "system error",
    0x0A: "invalid source address",
    0x0B: "invalid destination address",
    0x0C: "invalid message id",
    0x0D: "bind failed",
    0x0E: "invalid password",
    0x0F: "invalid system id",
    0x11: "cancel failed",
    0x13: "replace failed",
    0x14: "message queue full",
    0x15: "invalid service type",
    0x33: "invalid number of destinations",
    0x34: "invalid distribution list name",
    0x40: "invalid destination flag",
    0x42: "invalid submit with replace request",
    0x43: "invalid esm_class",
    0x44: "cannot submit to distribution list",
    0x45: "submit failed",
    0x48: "invalid source address TON",
    0x49: "invalid source address NPI",
    0x50: "invalid destination address TON",
    0x51: "invalid destination address NPI",
    0x53: "invalid system_type",
    0x54: "invalid replace_if_present flag",
    0x55: "invalid number of messages",
    0x58: "throttling error (the message rate is above the limit)",
    0x61: "invalid scheduled delivery time",
    0x62: "invalid validity period",
    0x63: "predefined message invalid or not found",
    0x64: "ESME receiver temporary application error",
    0x65: "ESME receiver permanent application error",
    0x66: "ESME receiver reject message error",
    0x67: "query_sm request failed",
    0xC0: "error in the optional part of the PDU body",
    0xC1: "optional parameter not allowed",
    0xC2: "invalid parameter length",
    0xC3: "expected optional parameter missing",
    0xC4: "invalid optional parameter value",
    0xFE: "delivery failure",
    0xFF: "unknown error",
}

# Statuses after which the same submit_sm may be sent again: the SMSC refused it for now.
RETRYABLE_STATUSES = frozenset(
    {CommandStatus.ESME_RTHROTTLED, CommandStatus.ESME_RMSGQFUL, CommandStatus.ESME_RX_T_APPN}
)


def status_name(status: int) -> str:
    """``ESME_R...`` name of ``status``, or its hex value when SMPP 3.4 does not define it."""
    try:
        return CommandStatus(status).name
    except ValueError:
        return f"0x{status:08X}"


def status_description(status: int) -> str:
    """Plain-words meaning of ``status``; vendor-specific codes (0x400-0x4FF) say so."""
    text = _DESCRIPTIONS.get(status)
    if text is not None:
        return text
    if 0x400 <= status <= 0x4FF:
        return f"SMSC vendor-specific error 0x{status:X}"
    return f"undocumented status 0x{status:X}"
