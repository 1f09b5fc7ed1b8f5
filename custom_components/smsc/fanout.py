# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""One ``notify.send_message`` call, several recipients: each number or address gets the
message once.

Home Assistant calls the notify entities of one call one after another, each with the call's
context. A person who is in two recipients (Alice, and the on-call team with Alice in it) would
get the alert twice, and pay for it twice. So every call of ``notify.send_message`` opens a
record under its context, and each entity claims its recipients there before it sends: those
another entity of the same call already claimed (for the same kind of message) are left out.
A send that surely did not happen gives its claims back, so that another target may still reach
them; one that may have happened keeps them (a second copy must not go out).

The record is opened when the call starts (Home Assistant's ``call_service`` event), so two
calls in a row from one automation run, which share its context, are two calls.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

from homeassistant.const import EVENT_CALL_SERVICE
from homeassistant.core import Context, Event, HomeAssistant, callback
from homeassistant.util.hass_dict import HassKey

from pysmsc import MessageKind
from pysmsc.phones import same_recipient

from .const import DOMAIN

_NOTIFY = "notify"
_SEND_MESSAGE = "send_message"
# Calls remembered at once (a call is over long before this many others start).
_MAX_CALLS = 64

DATA_FANOUT: HassKey[NotifyCalls] = HassKey(f"{DOMAIN}_notify_calls")


_Key = tuple[MessageKind, str]


class Claim:
    """The recipients an entity may send to; :meth:`release` gives them back."""

    def __init__(self, record: set[_Key] | None = None) -> None:
        self.recipients: list[str] = []
        # Outside a notify.send_message call the record is the entity's own.
        self._record = set() if record is None else record
        self._taken: set[_Key] = set()

    def take(self, kind: MessageKind, recipient: str) -> None:
        """Add ``recipient`` unless the call already reached it with ``kind``."""
        key = (kind, same_recipient(recipient))
        if key not in self._record:
            self._record.add(key)
            self._taken.add(key)
            self.recipients.append(recipient)

    def release(self) -> None:
        """The send surely did not happen: another target of the call may reach them."""
        self._record -= self._taken


class NotifyCalls:
    """The recipients reached so far by each ``notify.send_message`` call under way."""

    def __init__(self) -> None:
        self._calls: OrderedDict[str, set[_Key]] = OrderedDict()

    @callback
    def async_call_started(self, event: Event[dict[str, Any]]) -> None:
        """A new ``notify.send_message`` call: a new record under its context."""
        self._calls[event.context.id] = set()
        self._calls.move_to_end(event.context.id)
        while len(self._calls) > _MAX_CALLS:
            self._calls.popitem(last=False)

    @callback
    def async_claim(
        self, context: Context | None, kind: MessageKind, recipients: Iterable[str]
    ) -> Claim:
        """The recipients not yet reached by this call with this kind, now claimed."""
        # Without a record (not called by notify.send_message) there is nothing to share.
        claim = Claim(None if context is None else self._calls.get(context.id))
        for recipient in recipients:
            claim.take(kind, recipient)
        return claim


@callback
def _is_notify_send(event_data: dict[str, Any]) -> bool:
    return event_data.get("domain") == _NOTIFY and event_data.get("service") == _SEND_MESSAGE


@callback
def async_setup_fanout(hass: HomeAssistant) -> None:
    """Follow the calls of ``notify.send_message`` (once, when the integration is set up)."""
    calls = hass.data[DATA_FANOUT] = NotifyCalls()
    hass.bus.async_listen(EVENT_CALL_SERVICE, calls.async_call_started, _is_notify_send)


@callback
def async_claim_recipients(
    hass: HomeAssistant, context: Context | None, kind: MessageKind, recipients: Iterable[str]
) -> Claim:
    """Claim ``recipients`` for the ``notify.send_message`` call of ``context``."""
    return hass.data[DATA_FANOUT].async_claim(context, kind, recipients)
