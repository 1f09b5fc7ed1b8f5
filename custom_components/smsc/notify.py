# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""A notify entity for every recipient subentry, for ``notify.send_message``.

The title, when given, becomes the subject of an e-mail or an MMS; for every other kind it is
put before the message, on a line of its own.
"""

from __future__ import annotations

from typing import Any

from homeassistant.components.notify import NotifyEntity, NotifyEntityFeature
from homeassistant.config_entries import ConfigSubentry
from homeassistant.core import HomeAssistant
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from pysmsc import MessageKind

from .const import (
    CONF_KIND,
    CONF_RECIPIENTS,
    CONF_SENDER,
    DEFAULT_MAIL_SUBJECT,
    DEFAULT_SENDER_KINDS,
    DOMAIN,
    SUBENTRY_RECIPIENT,
)
from .entity import MANUFACTURER
from .helpers import async_send
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
        if subentry.subentry_type == SUBENTRY_RECIPIENT:
            async_add_entities([SmscNotifyEntity(entry, subentry)], config_subentry_id=subentry_id)


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
            model=self._kind.value,
            entry_type=DeviceEntryType.SERVICE,
            via_device=(DOMAIN, entry.entry_id),
        )

    async def async_send_message(self, message: str, title: str | None = None) -> None:
        """Send ``message`` to the recipient."""
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
            if title:
                options["subject"] = title
        elif title:
            text = f"{title}\n{message}"
        await async_send(self.hass, self._entry, self._recipients, text, kind=self._kind, **options)
