# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The words a page sends and speaks, in English or Russian, true to how the entry receives.

The library's default call says "press 1 to acknowledge": a key press reaches Home Assistant
only through the webhook (the menu's ``url`` command calls the account's handler). Without it a
key press would be answered "Acknowledged" while nothing was acknowledged, so the texts tell
the truth instead: reply by SMS (SMPP, polling), or acknowledge in Home Assistant (no channel).
"""

# ruff: noqa: RUF001 - Russian texts
from __future__ import annotations

from pysmsc.paging import PageTexts

from .const import RECEIVE_NONE, RECEIVE_WEBHOOK

LANGUAGES = ("en", "ru")

# How a page can be acknowledged with each channel: through the voice menu's key 1, a reply
# (an SMS naming the page's code, or "ack"), or the smsc.acknowledge_page action.
ACK_KEY_PRESS = "key_press"
ACK_REPLY = "reply"
ACK_ACTION = "action"


def acknowledgement_ways(channel: str) -> list[str]:
    """How a page of an entry receiving by ``channel`` can be acknowledged."""
    if channel == RECEIVE_WEBHOOK:
        return [ACK_KEY_PRESS, ACK_REPLY, ACK_ACTION]
    if channel == RECEIVE_NONE:
        return [ACK_ACTION]
    return [ACK_REPLY, ACK_ACTION]


# The library's word for how a page was acknowledged -> the one of the action's response.
ACKNOWLEDGED_VIA = {"key press": ACK_KEY_PRESS, "reply": ACK_REPLY, "api": ACK_ACTION}

_ENGLISH = {
    RECEIVE_WEBHOOK: PageTexts(),
    # Replies reach Home Assistant (SMPP, polling); key presses do not.
    "reply": PageTexts(
        call_menu=(
            "{text}. To acknowledge, reply {code} by text message. Press hash to hear this again."
        ),
        call_acknowledged="Key presses do not reach the system. Reply {code} by text message.",
        call_passed="Key presses do not reach the system. Reply {code} by text message.",
    ),
    RECEIVE_NONE: PageTexts(
        alert="ALERT {code}: {text}",
        call_menu="{text}. Acknowledge it in Home Assistant. Press hash to hear this again.",
        call_acknowledged="Acknowledge it in Home Assistant. Goodbye.",
        call_passed="Acknowledge it in Home Assistant. Goodbye.",
    ),
}

_RU_COMMON = {
    "call_start": "Тревога.",
    "acknowledged": "{code} подтвердил(а) {name}: {text}",
    "resolved": "РЕШЕНО {code} через {duration}: {text}",
    "nobody": "НИКТО НЕ ПОДТВЕРДИЛ {code} за {duration}: {text}",
}
_RUSSIAN = {
    RECEIVE_WEBHOOK: PageTexts(
        alert="ТРЕВОГА {code}: {text}\nОтветьте {code}, чтобы подтвердить",
        call_menu=(
            "{text}. Нажмите 1, чтобы подтвердить, 2, чтобы передать следующему, "
            "решётку, чтобы прослушать ещё раз."
        ),
        call_acknowledged="Подтверждено. Спасибо.",
        call_passed="Передано следующему. До свидания.",
        **_RU_COMMON,
    ),
    "reply": PageTexts(
        alert="ТРЕВОГА {code}: {text}\nОтветьте {code}, чтобы подтвердить",
        call_menu=(
            "{text}. Чтобы подтвердить, ответьте {code} в сообщении. "
            "Нажмите решётку, чтобы прослушать ещё раз."
        ),
        call_acknowledged="Нажатия не доходят до системы. Ответьте {code} в сообщении.",
        call_passed="Нажатия не доходят до системы. Ответьте {code} в сообщении.",
        **_RU_COMMON,
    ),
    RECEIVE_NONE: PageTexts(
        alert="ТРЕВОГА {code}: {text}",
        call_menu=(
            "{text}. Подтвердите в Home Assistant. Нажмите решётку, чтобы прослушать ещё раз."
        ),
        call_acknowledged="Подтвердите в Home Assistant. До свидания.",
        call_passed="Подтвердите в Home Assistant. До свидания.",
        **_RU_COMMON,
    ),
}


def page_language(language: str | None) -> str:
    """``ru`` for Russian (``ru``, ``ru-RU``), else ``en``."""
    base = (language or "").replace("_", "-").split("-")[0].lower()
    return base if base in LANGUAGES else "en"


def page_texts(language: str, channel: str) -> PageTexts:
    """The texts of a page in ``language`` (``en``, ``ru``) for an entry receiving by
    ``channel``."""
    texts = _RUSSIAN if page_language(language) == "ru" else _ENGLISH
    if channel in (RECEIVE_WEBHOOK, RECEIVE_NONE):
        return texts[channel]
    return texts["reply"]
