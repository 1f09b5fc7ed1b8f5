# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""A notify entity for every recipient subentry, for ``notify.send_message``.

The title, when given, becomes the subject of an e-mail or an MMS; for every other kind it is
put before the message, on a line of its own. One ``notify.send_message`` call that targets
several recipients reaches each number or address once per kind (see :mod:`.fanout`).
"""

from __future__ import annotations

from typing import Any

from homeassistant.components.notify import NotifyEntity, NotifyEntityFeature
from homeassistant.components.notify.const import ATTR_MESSAGE, ATTR_TITLE
from homeassistant.config_entries import ConfigSubentry
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from pysmsc import MessageKind, SmscError, ValidationError
from pysmsc.protocol.checks import (
    check_service_prefix,
    check_string,
    check_subject,
    check_text,
)

from .const import (
    CONF_KIND,
    CONF_RECIPIENTS,
    CONF_SENDER,
    DEFAULT_MAIL_SUBJECT,
    DEFAULT_SENDER_KINDS,
    DOMAIN,
    KIND_MODELS,
    LOGGER,
    SUBENTRY_RECIPIENT,
    SUBJECT_KINDS,
)
from .entity import MANUFACTURER
from .fanout import async_claim_recipients
from .helpers import async_send, invalid_field
from .models import SmscConfigEntry

# One message at a time per entity: the service refuses identical requests within a minute,
# and alerts are better sent in order.
PARALLEL_UPDATES = 1


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SmscConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a notify entity for each recipient."""
    for subentry_id, subentry in entry.subentries.items():
        if subentry.subentry_type != SUBENTRY_RECIPIENT:
            continue
        try:
            entity = SmscNotifyEntity(entry, subentry)
        except ValueError:
            LOGGER.error(
                "Recipient %s has an unknown message kind %r; change the recipient",
                subentry.title,
                subentry.data.get(CONF_KIND),
            )
            continue
        async_add_entities([entity], config_subentry_id=subentry_id)


class SmscNotifyEntity(NotifyEntity):
    """Sends to the numbers, groups or e-mail addresses of one recipient subentry.

    Always available: a failed balance request must not stop an alert, and a send that
    cannot reach the service raises its own error.
    """

    _attr_has_entity_name = True
    _attr_name = None
    _attr_supported_features = NotifyEntityFeature.TITLE
    _attr_translation_key = "recipient"

    def __init__(self, entry: SmscConfigEntry, subentry: ConfigSubentry) -> None:
        self._entry = entry
        self._recipients: list[str] = list(subentry.data[CONF_RECIPIENTS])
        self._kind = MessageKind(subentry.data[CONF_KIND])
        self._sender: str | None = subentry.data.get(CONF_SENDER)
        self._attr_unique_id = subentry.subentry_id
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, subentry.subentry_id)},
            name=subentry.title,
            manufacturer=MANUFACTURER,
            model=KIND_MODELS[self._kind],
            model_id=self._kind.value,
            entry_type=DeviceEntryType.SERVICE,
            via_device=(DOMAIN, entry.entry_id),
        )

    async def async_send_message(self, message: str, title: str | None = None) -> None:
        """Send ``message`` to the recipient.

        The message and the title are checked on their own, so that an error names the one at
        fault (a blank message, a title that begins with a service prefix...).
        """
        title = title if title and title.strip() else None  # a blank title is none
        _check(message, title, self._kind)
        options: dict[str, Any] = {}
        sender = self._sender
        if sender is None and self._kind in DEFAULT_SENDER_KINDS:
            sender = self._entry.options.get(CONF_SENDER)
        if sender:
            options["sender"] = sender
        text = message
        if self._kind is MessageKind.EMAIL:
            options["subject"] = title or DEFAULT_MAIL_SUBJECT
        elif self._kind is MessageKind.MMS:
            if title is not None:
                options["subject"] = title
        elif title is not None:
            text = f"{title}\n{message}"
        # Recipients that another target of the same call already reached are left out.
        claim = async_claim_recipients(self.hass, self._context, self._kind, self._recipients)
        if not claim.recipients:
            LOGGER.debug("%s: every recipient already got this message", self.entity_id)
            return
        try:
            await async_send(
                self.hass, self._entry, claim.recipients, text, kind=self._kind, **options
            )
        except HomeAssistantError as err:
            # Surely not sent: another target of the call may still reach these recipients.
            cause = err.__cause__
            if not (isinstance(cause, SmscError) and cause.may_have_been_sent):
                claim.release()
            raise


def _check(message: str, title: str | None, kind: MessageKind) -> None:
    """The message as a text of ``kind``; the title as the subject of an e-mail or MMS, else as
    the first line of the text."""
    try:
        check_text(message, kind, ATTR_MESSAGE)
        if title is None:
            return
        if kind in SUBJECT_KINDS:
            check_subject(title, ATTR_TITLE)
        else:
            check_string(title, ATTR_TITLE, multiline=False)
            check_service_prefix(title, kind, ATTR_TITLE)
    except ValidationError as err:
        raise invalid_field(err.field, err.rule) from err
