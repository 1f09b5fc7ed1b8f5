# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The service's own numbers and words: error codes with their descriptions, status codes.

Descriptions are the short English texts the service puts in its error answers
(``ERROR = 7 (invalid number), ID - 541``); where an answer was seen in the wild the text is
that one, otherwise it is the emulator's wording of the documented meaning.
"""

from __future__ import annotations

from typing import Union

__all__ = [
    "DESCRIPTIONS",
    "ERRORS_WITH_ID",
    "MESSAGE_TYPE_FLAGS",
    "STATUS_NAMES",
    "TOO_MANY_CONCURRENT",
    "MessageId",
    "ServiceError",
    "Status",
    "StatusErr",
]

# endpoint -> code -> description; "*" holds the codes every endpoint shares.
DESCRIPTIONS: dict[str, dict[int, str]] = {
    "*": {
        1: "parameters error",
        2: "authorise error",
        4: "IP is temporarily blocked",
        9: "duplicate request, wait a minute",
    },
    "send": {
        3: "no money",
        5: "invalid date format",
        6: "message is denied",
        7: "invalid number",
        8: "can't to deliver",
    },
    "status": {5: "delete error"},
    "templates": {3: "record not found", 5: "save or delete error"},
    "senders": {
        3: "sender name not found",
        5: "save or delete error",
        7: "invalid number",
        8: "code can't to deliver",
        10: "code already sent, retry after 8 hours",
        11: "invalid code",
    },
    "ping": {3: "task group not found"},
}

TOO_MANY_CONCURRENT = "too many concurrent requests"

# send.php names the message id in its answer for these codes only.
ERRORS_WITH_ID = frozenset({3, 6, 7, 8})

MessageId = Union[int, str]


class ServiceError(Exception):
    """An error the service answers with: ``code``, its ``description`` and, for send.php
    codes 3, 6, 7 and 8, the ``message_id`` the refused message was given."""

    def __init__(
        self,
        code: int,
        description: str,
        message_id: MessageId | None = None,
    ) -> None:
        super().__init__(f"ERROR = {code} ({description})")
        self.code = code
        self.description = description
        self.message_id = message_id

    @classmethod
    def of(cls, endpoint: str, code: int, message_id: MessageId | None = None) -> ServiceError:
        """The error ``code`` of ``endpoint`` (``"send"``, ``"status"``...) with the service's
        description."""
        description = DESCRIPTIONS.get(endpoint, {}).get(code) or DESCRIPTIONS["*"].get(
            code, "error"
        )
        return cls(code, description, message_id if code in ERRORS_WITH_ID else None)


class Status:
    """Message status codes (status.php)."""

    NOT_FOUND = -3
    STOPPED = -2
    WAITING = -1
    PASSED = 0
    DELIVERED = 1
    READ = 2
    EXPIRED = 3
    CLICKED = 4
    UNDELIVERABLE = 20
    INVALID_NUMBER = 22
    PROHIBITED = 23
    NO_MONEY = 24
    UNAVAILABLE = 25


class StatusErr:
    """Error codes inside a status (the table "Error codes in the status")."""

    NONE = 0
    NO_MONEY = 224
    NO_ROUTE = 248
    INVALID_NUMBER = 249
    NUMBER_LIMIT = 251


# The service's own (Russian) status names, as status.php all=1 answers them.
STATUS_NAMES: dict[int, str] = {
    -3: "Сообщение не найдено",
    -2: "Остановлено",
    -1: "Ожидает отправки",
    0: "Передано оператору",
    1: "Доставлено",
    2: "Прочитано",
    3: "Просрочено",
    4: "Нажата ссылка",
    20: "Невозможно доставить",
    22: "Неверный номер",
    23: "Запрещено",
    24: "Недостаточно средств",
    25: "Недоступный номер",
}

# Message type in bits 0-3 of the service's "flag" (SMPP TLV 0x2001, status.php "flag").
# WhatsApp is not in the documented table; 14 is the emulator's choice.
MESSAGE_TYPE_FLAGS: dict[str, int] = {
    "sms": 0,
    "flash": 1,
    "bin": 2,
    "push": 3,
    "hlr": 4,
    "ping": 5,
    "mms": 6,
    "call": 7,
    "mail": 8,
    "viber": 10,
    "soc": 12,
    "whatsapp": 14,
}
