# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The emulator's business logic behind its SMPP server: bind, submit_sm and query_sm on the
shared :class:`~.state.EmulatorState`, so a message sent over SMPP is the same message as one
sent over HTTP (validated, charged, rate-ruled, visible in status.php and the control API).

Connection limits (MCONn), throttling, idle connections and the window are the
:class:`~pysmsc.smpp.server.SmppServer`'s business; receipts and incoming messages are pushed by
:mod:`.smpp_delivery`.

The service's errors become these submit_sm_resp command_status values:

====  ====================================================  =========================
code  meaning (send.php)                                    command_status
====  ====================================================  =========================
1     text missing, too long, or wrong for its kind          ESME_RINVMSGLEN (0x01)
3     not enough money                                       ESME_RSUBMITFAIL (0x45)
5     bad send time                                          ESME_RINVSCHED (0x61)
6     sender name not registered or not allowed              ESME_RINVSRCADR (0x0A)
7     invalid number                                         ESME_RINVDSTADR (0x0B)
8     no route to the number                                 ESME_RINVDSTADR (0x0B)
9     the same message again within a minute                 ESME_RSUBMITFAIL (0x45)
====  ====================================================  =========================

A duplicate is not ESME_RTHROTTLED on purpose: a client would send it again at once and be
refused again for the rest of the minute.
"""

from __future__ import annotations

import logging

from pysmsc.smpp.coding import encoding_of
from pysmsc.smpp.pdu import smpp_time
from pysmsc.smpp.status import CommandStatus

from ..accounts import Account
from ..clock import moscow_datetime
from ..codes import ServiceError, Status
from ..models import Message, Recipient
from ..sending import SendRequest, parse_message_id, smpp_send_request
from ..state import EmulatorState
from .delivery import message_state
from .parts import LongMessage, LongMessages
from .server import (
    BindRequest,
    QueryRequest,
    QueryResult,
    SubmitRequest,
    SubmitResult,
)

__all__ = ["PARTS_MISSING_ERR", "SUBMIT_STATUSES", "EmulatorSmppBackend"]

logger = logging.getLogger(__name__)

SUBMIT_STATUSES: dict[int, int] = {
    1: CommandStatus.ESME_RINVMSGLEN,
    3: CommandStatus.ESME_RSUBMITFAIL,
    5: CommandStatus.ESME_RINVSCHED,
    6: CommandStatus.ESME_RINVSRCADR,
    7: CommandStatus.ESME_RINVDSTADR,
    8: CommandStatus.ESME_RINVDSTADR,
    9: CommandStatus.ESME_RSUBMITFAIL,
}
# The status error the service documents for "not all SMS parts were transmitted".
PARTS_MISSING_ERR = 241


def _flash(data_coding: int) -> bool:
    """GSM 03.38 general data coding with message class 0 (what a flash SMS is sent with)."""
    return data_coding & 0xF3 == 0x10


class EmulatorSmppBackend:
    """An :class:`~pysmsc.smpp.server.SmppBackend` on an :class:`EmulatorState`.

    ``parts_timeout``: seconds the parts of a long message may take to arrive (the service's
    minute); a message still incomplete then is sent with the parts that came and marked
    undeliverable (status 20, err 241), like an operator refusing it.
    """

    def __init__(self, state: EmulatorState, *, parts_timeout: float = 60.0) -> None:
        self.state = state
        self.long_messages = LongMessages(parts_timeout, self._incomplete)

    def reset(self) -> None:
        """Forget the parts of long messages still waiting (the state was reset)."""
        self.long_messages.clear()

    # -- bind -------------------------------------------------------------------------------

    async def authenticate(self, request: BindRequest) -> int:
        """The account's login and password (or the password's lowercase MD5 hex), as on the
        HTTP side; an API key is no SMPP credential."""
        try:
            account = self.state.account(request.system_id)
        except KeyError:
            return CommandStatus.ESME_RINVSYSID
        if account.login != request.system_id:
            # The server routes receipts and counts MCON connections by the exact system_id.
            return CommandStatus.ESME_RINVSYSID
        try:
            self.state.authenticate(login=request.system_id, password=request.password)
        except ServiceError:
            return CommandStatus.ESME_RINVPASWD
        if self.state.ip_blocked:  # the account's IP allow-list refuses this address
            return CommandStatus.ESME_RBINDFAIL
        return CommandStatus.ESME_ROK

    # -- submit_sm --------------------------------------------------------------------------

    async def submit(self, request: SubmitRequest) -> SubmitResult:
        account = self.state.account(request.session.system_id)
        if not request.destination_addr.strip():
            return SubmitResult.rejected(CommandStatus.ESME_RINVDSTADR)
        concat = request.concat
        if concat is None or request.session.system_type.single:
            # One SMS, or (SINGLE) one part handled as a message of its own with its own id.
            try:
                send = self._send_request(account, request, request.text)
                if concat is not None:  # parts of one text are no duplicates of each other
                    send.fingerprint = (send.fingerprint, concat.reference, concat.sequence)
                return SubmitResult.accepted(str(self.state.send(account, send).id))
            except ServiceError as error:
                return self._rejected(error)
        message = self.long_messages.add(request, lambda: account.next_id("message"))
        if not message.complete:
            return SubmitResult.accepted(str(message.message_id))
        # The last part: the whole message is checked and sent now; an error is the answer to
        # this part (the others were answered with the id already).
        try:
            send = self._send_request(account, message.first, message.text(), message.message_id)
            self.state.send(account, send)
        except ServiceError as error:
            return self._rejected(error)
        return SubmitResult.accepted(str(message.message_id))

    @staticmethod
    def _send_request(
        account: Account, request: SubmitRequest, text: str, message_id: int | None = None
    ) -> SendRequest:
        data_coding = request.pdu.data_coding
        return smpp_send_request(
            request.destination_addr,
            text,
            sender=request.source_addr,
            login=account.login,
            encoding=encoding_of(data_coding),
            registered_delivery=request.registered_delivery,
            flash=_flash(data_coding),
            message_id=message_id,
        )

    @staticmethod
    def _rejected(error: ServiceError) -> SubmitResult:
        return SubmitResult.rejected(
            SUBMIT_STATUSES.get(error.code, CommandStatus.ESME_RSUBMITFAIL)
        )

    def _incomplete(self, message: LongMessage) -> None:
        system_id = message.first.session.system_id
        logger.info("SMPP: a long message to %s stayed incomplete", message.first.destination_addr)
        try:
            account = self.state.account(system_id)
            send = self._send_request(account, message.first, message.text(), message.message_id)
            result = self.state.send(account, send)
        except (KeyError, ServiceError) as error:
            logger.info("SMPP: the incomplete message was refused: %s", error)
            return
        for sent in result.messages:
            for recipient in sent.recipients:
                if recipient.pending:
                    self.state.set_status(
                        account,
                        str(sent.id),
                        recipient.phone,
                        Status.UNDELIVERABLE,
                        PARTS_MISSING_ERR,
                    )

    # -- query_sm ---------------------------------------------------------------------------

    async def query(self, request: QueryRequest) -> QueryResult:
        account = self.state.account(request.session.system_id)
        self.state.apply_due()
        found = self._find(account, request.message_id)
        if found is None:
            return QueryResult(status=CommandStatus.ESME_RQUERYFAIL)
        _, recipient = found
        state = message_state(recipient.status)
        final = recipient.final and recipient.status not in (Status.WAITING, Status.PASSED)
        return QueryResult(
            message_id=request.message_id,
            message_state=state,
            final_date=smpp_time(moscow_datetime(recipient.last_change)) if final else "",
            error_code=min(recipient.err, 0xFF),
        )

    @staticmethod
    def _find(account: Account, message_id: str) -> tuple[Message, Recipient] | None:
        """The newest message of the account with this id (SMPP messages have one recipient;
        query_sm names the sender, not the recipient)."""
        wanted = parse_message_id(message_id)
        for message in reversed(account.messages):
            if message.id == wanted and message.recipients:
                return message, message.recipients[0]
        return None
