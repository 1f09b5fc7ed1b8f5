# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""A called subscriber pressing keys in the call's voice menu (:mod:`.menu`): what the service
does for each key — speak, send an SMS, redirect the call, record, end the menu, and call the
client's handler for ``url`` (handed to ``on_url``, which queues that call).

Keys work as on a phone: ``1``-``9`` choose an item at the current level (an item with
sub-items becomes the level of the next key), ``*`` goes back up, ``#`` to the start, ``0``
repeats the item chosen last, each as the menu defines them (a key the menu does not define
does nothing). A key pressed on a call still waiting or passed to the operator makes it
delivered (someone answered).
"""

from __future__ import annotations

from typing import Any, Callable

from .accounts import Account
from .codes import ServiceError, Status
from .menu import MenuAction, VoiceMenu
from .models import CallSession, Message, Recipient
from .sending import build_send_request
from .state import EmulatorState

__all__ = ["KEYS", "CallError", "press_keys"]

KEYS = frozenset("0123456789*#")
MAX_STEPS = 20  # err: jumps followed for one key, so that a loop of labels ends
_ANSWERED = (Status.WAITING, Status.PASSED, Status.DELIVERED, Status.READ, Status.CLICKED)

# (message, recipient, key path, address of the url command or "") -> what to add to the
# url action's report (the queued handler call)
OnUrl = Callable[[Message, Recipient, str, str], dict[str, Any]]


class CallError(Exception):
    """A key press that cannot happen (no such call, no menu, not answered, ended)."""


class _Call:
    def __init__(
        self,
        state: EmulatorState,
        account: Account,
        *,
        message: Message,
        recipient: Recipient,
        menu: VoiceMenu,
        on_url: OnUrl,
        transfer_ok: bool,
    ) -> None:
        self.state = state
        self.account = account
        self.message = message
        self.recipient = recipient
        self.menu = menu
        self.on_url = on_url
        self.transfer_ok = transfer_ok
        self.session = recipient.call or CallSession()
        recipient.call = self.session

    def press(self, key: str) -> dict[str, Any]:
        session = self.session
        done: list[dict[str, Any]] = []
        if session.ended:
            raise CallError("the voice menu has ended")
        defined = self.menu.items.get(key) if key in "*#0" else None
        if key in "*#0" and defined is None:
            pass  # the menu does not define this key: nothing happens
        elif key == "*":
            session.position = session.position[:-1]
            done.append({"kind": "back"})
        elif key == "#":
            session.position = ""
            done.append({"kind": "start", "text": self.menu.menu_text})
        elif key == "0":
            if session.last:
                self._perform(session.last, self.menu.items[session.last], done)
            else:
                done.append({"kind": "say", "text": self.menu.menu_text})
        else:
            path = session.position + key
            actions = self.menu.items.get(path)
            if actions is not None:
                session.last = path
                if self.menu.has_children(path):
                    session.position = path
                self._perform(path, actions, done)
        press = {"key": key, "item": session.last, "actions": done, "time": self.state.clock.now()}
        session.presses.append(press)
        return press

    def _perform(self, path: str, actions: list[MenuAction], done: list[dict[str, Any]]) -> None:
        queue = list(actions)
        steps = 0
        while queue and not self.session.ended:
            action = queue.pop(0)
            report = action.as_json()
            if action.kind == "url":
                report.update(self.on_url(self.message, self.recipient, path, action.url))
            elif action.kind == "sms":
                report.update(self._sms(action))
            elif action.kind == "end":
                self._end(done, report)
                return
            elif action.kind == "call":
                report["answered"] = self.transfer_ok
                if self.transfer_ok and action.ok_end:
                    done.append(report)
                    self._end(done, {"kind": "end"})
                    return
                if not self.transfer_ok and action.err:
                    steps += 1
                    target = self.menu.step(action.err)
                    if target is not None and steps <= MAX_STEPS:
                        queue = list(target)  # go to that step instead of the rest
            done.append(report)

    def _end(self, done: list[dict[str, Any]], report: dict[str, Any]) -> None:
        self.session.ended = True
        report["text"] = self.menu.end_text
        done.append(report)

    def _sms(self, action: MenuAction) -> dict[str, Any]:
        """The service sends the SMS from the account, charged as any other."""
        called = self.recipient.phone
        params = {
            "phones": action.phones[0].replace("$phone", called),
            "mes": action.text.replace("$phone", called),
        }
        if action.sender:
            params["sender"] = action.sender
        request = build_send_request(params, login=self.account.login, source="service")
        request.fingerprint = ("menu", self.message.seq, called, len(self.session.presses))
        try:
            result = self.state.send(self.account, request)
        except ServiceError as error:
            return {"error": error.code}
        return {"phone": params["phones"], "text": params["mes"], "id": result.id}


def press_keys(
    state: EmulatorState,
    account: Account,
    message_id: str,
    phone: str,
    keys: str,
    *,
    on_url: OnUrl,
    transfer_ok: bool = True,
) -> tuple[Message, Recipient, list[dict[str, Any]]]:
    """Press ``keys`` (one or several, in order) on the call ``message_id`` to ``phone``.
    KeyError when there is no such message; :class:`CallError` when it is no answered call
    with a voice menu; ValueError for a key that is none of 0-9, * and #."""
    if not keys or any(key not in KEYS for key in keys):
        raise ValueError("key must be one or more of 0-9, * and #")
    found = state.lookup(account, message_id, phone)
    if found is None:
        raise KeyError(f"no message {message_id} to {phone}")
    message, recipient = found
    if message.kind != "call" or message.menu is None:
        raise CallError(f"message {message_id} is no call with a voice menu")
    if recipient.status not in _ANSWERED:
        raise CallError(
            f"the call to {recipient.phone} was not answered (status {recipient.status})"
        )
    state.answer_call(message, recipient)
    call = _Call(
        state,
        account,
        message=message,
        recipient=recipient,
        menu=message.menu,
        on_url=on_url,
        transfer_ok=transfer_ok,
    )
    return message, recipient, [call.press(key) for key in keys]
