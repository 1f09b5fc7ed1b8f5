# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The actions: ``smsc.send_message``, ``smsc.notify_event`` and ``smsc.get_status``."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import voluptuous as vol
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv
from homeassistant.util import dt as dt_util

from pysmsc import DialParams, MessageKind, SmscError, Translit
from pysmsc.phones import is_phone, normalize_phone

from .const import CONF_SENDER, DEFAULT_SENDER_KINDS, DOMAIN, SERVICE_KINDS, status_key
from .fields import ActionSchema, text_value, whole_number
from .helpers import async_send, kind_name, translate_error
from .models import SmscConfigEntry

ATTR_CONFIG_ENTRY_ID = "config_entry_id"
SERVICE_SEND_MESSAGE = "send_message"
SERVICE_NOTIFY_EVENT = "notify_event"
SERVICE_GET_STATUS = "get_status"

ATTR_RECIPIENTS = "recipients"
ATTR_MESSAGE = "message"
ATTR_KIND = "kind"
ATTR_SENDER = "sender"
ATTR_SUBJECT = "subject"
ATTR_VOICE = "voice"
ATTR_DIAL_WAIT = "dial_wait"
ATTR_DIAL_INTERVAL = "dial_interval"
ATTR_DIAL_ATTEMPTS = "dial_attempts"
ATTR_TRANSLIT = "translit"
ATTR_SEND_AT = "send_at"
ATTR_VALIDITY = "validity"
ATTR_COST_ONLY = "cost_only"
ATTR_TASK_GROUP = "task_group"
ATTR_NAME = "name"
ATTR_HOST = "host"
ATTR_INFO = "info"
ATTR_RECOVERED = "recovered"
ATTR_MESSAGE_ID = "message_id"
ATTR_PHONE = "phone"
ATTR_DETAILS = "details"

TRANSLIT_OPTIONS = {"none": Translit.NONE, "latin": Translit.LATIN, "lookalike": Translit.LOOKALIKE}
_DIAL = {ATTR_DIAL_WAIT: "wait", ATTR_DIAL_INTERVAL: "interval", ATTR_DIAL_ATTEMPTS: "attempts"}


def _kind_name(value: Any) -> str:
    """A kind's name; earlier spellings (``mail``, ``bin``, ``soc``) stay accepted."""
    return kind_name(value) or str(value)  # vol.In names the choices


SEND_MESSAGE_SCHEMA = ActionSchema(
    {
        vol.Required(ATTR_CONFIG_ENTRY_ID): cv.string,
        vol.Required(ATTR_RECIPIENTS): vol.All(cv.ensure_list, [text_value]),
        vol.Optional(ATTR_MESSAGE): text_value,
        vol.Optional(ATTR_KIND, default=MessageKind.SMS.value): vol.All(
            _kind_name, vol.In([kind.value for kind in SERVICE_KINDS])
        ),
        vol.Optional(ATTR_SENDER): text_value,
        vol.Optional(ATTR_SUBJECT): text_value,
        vol.Optional(ATTR_VOICE): text_value,
        vol.Optional(ATTR_DIAL_WAIT): whole_number,
        vol.Optional(ATTR_DIAL_INTERVAL): whole_number,
        vol.Optional(ATTR_DIAL_ATTEMPTS): whole_number,
        vol.Optional(ATTR_TRANSLIT): vol.In(list(TRANSLIT_OPTIONS)),
        vol.Optional(ATTR_SEND_AT): cv.datetime,
        vol.Optional(ATTR_VALIDITY): cv.positive_time_period,
        vol.Optional(ATTR_COST_ONLY, default=False): cv.boolean,
    }
)
NOTIFY_EVENT_SCHEMA = ActionSchema(
    {
        vol.Required(ATTR_CONFIG_ENTRY_ID): cv.string,
        vol.Required(ATTR_TASK_GROUP): whole_number,
        vol.Optional(ATTR_NAME): text_value,
        vol.Optional(ATTR_HOST): text_value,
        vol.Optional(ATTR_INFO): text_value,
        vol.Optional(ATTR_RECOVERED, default=False): cv.boolean,
    }
)
GET_STATUS_SCHEMA = ActionSchema(
    {
        vol.Required(ATTR_CONFIG_ENTRY_ID): cv.string,
        vol.Required(ATTR_MESSAGE_ID): text_value,
        vol.Required(ATTR_PHONE): text_value,
        vol.Optional(ATTR_DETAILS, default=False): cv.boolean,
    }
)


def get_entry(hass: HomeAssistant, entry_id: str) -> SmscConfigEntry:
    """The loaded entry an action names."""
    entry: SmscConfigEntry | None = hass.config_entries.async_get_entry(entry_id)
    if entry is None or entry.domain != DOMAIN:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="entry_not_found",
            translation_placeholders={"entry_id": entry_id},
        )
    if entry.state is not ConfigEntryState.LOADED:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="entry_not_loaded",
            translation_placeholders={"account": entry.title},
        )
    return entry


def _money(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _time(timestamp: int | None) -> str | None:
    return None if timestamp is None else dt_util.utc_from_timestamp(timestamp).isoformat()


def _send_options(
    entry: SmscConfigEntry, data: dict[str, Any], kind: MessageKind
) -> dict[str, Any]:
    """pysmsc's options of a send from the action's fields."""
    options: dict[str, Any] = {}
    sender = data.get(ATTR_SENDER)
    if sender is None and kind in DEFAULT_SENDER_KINDS:
        sender = entry.options.get(CONF_SENDER)
    if sender is not None:
        options["sender"] = sender
    for attr in (ATTR_SUBJECT, ATTR_VOICE, ATTR_VALIDITY):
        if attr in data:
            options[attr] = data[attr]
    if dial := {name: data[attr] for attr, name in _DIAL.items() if attr in data}:
        options["dial"] = DialParams(**dial)
    if ATTR_TRANSLIT in data:
        options["translit"] = TRANSLIT_OPTIONS[data[ATTR_TRANSLIT]]
    if ATTR_SEND_AT in data:
        send_at: datetime = data[ATTR_SEND_AT]
        options["send_at"] = dt_util.as_utc(send_at)  # a naive time is Home Assistant's zone
    return options


async def _async_send_message(call: ServiceCall) -> ServiceResponse:
    """Send a message, or only tell what it would cost."""
    entry = get_entry(call.hass, call.data[ATTR_CONFIG_ENTRY_ID])
    kind = MessageKind(call.data[ATTR_KIND])
    recipients: list[str] = call.data[ATTR_RECIPIENTS]
    text: str | None = call.data.get(ATTR_MESSAGE)
    options = _send_options(entry, call.data, kind)
    currency = entry.runtime_data.balance.currency
    if call.data[ATTR_COST_ONLY]:
        try:
            estimate = await entry.runtime_data.client.cost(recipients, text, kind=kind, **options)
        except SmscError as err:
            raise translate_error(call.hass, err, entry) from err
        return {
            "sent": False,
            "cost": float(estimate.cost),
            "parts": estimate.parts,
            "seconds": estimate.seconds,
            "currency": currency,
        }
    result, channel = await async_send(call.hass, entry, recipients, text, kind=kind, **options)
    # Over SMPP the service tells no cost or balance: they are null (the cost comes later with
    # the delivery receipt, on the last-message-cost sensor).
    return {
        "sent": True,
        "id": result.id,
        "parts": result.parts,
        "seconds": result.seconds,
        "cost": _money(result.cost),
        "balance": _money(result.balance),
        "currency": currency,
        "channel": channel,
    }


async def _async_notify_event(call: ServiceCall) -> None:
    """Notify a task group of the account's monitoring (ping.php)."""
    entry = get_entry(call.hass, call.data[ATTR_CONFIG_ENTRY_ID])
    try:
        await entry.runtime_data.client.ping(
            call.data[ATTR_TASK_GROUP],
            name=call.data.get(ATTR_NAME),
            host=call.data.get(ATTR_HOST),
            info=call.data.get(ATTR_INFO),
            recovered=call.data[ATTR_RECOVERED],
        )
    except SmscError as err:
        raise translate_error(call.hass, err, entry, sending=True) from err


async def _async_get_status(call: ServiceCall) -> ServiceResponse:
    """The status of a sent message (status.php)."""
    entry = get_entry(call.hass, call.data[ATTR_CONFIG_ENTRY_ID])
    phone: str = call.data[ATTR_PHONE].strip()
    details: bool = call.data[ATTR_DETAILS]
    try:
        info = await entry.runtime_data.client.status(
            call.data[ATTR_MESSAGE_ID], phone, full=2 if details else 0
        )
    except SmscError as err:
        raise translate_error(call.hass, err, entry) from err
    await entry.runtime_data.tracker.async_apply_status(
        info.id,
        info.status,
        info.error,
        phone=normalize_phone(phone) if is_phone(phone) else phone,
    )
    response: dict[str, Any] = {
        "id": info.id,
        "phone": info.phone,
        "status": status_key(info.status),
        "status_code": info.status,
        "final": info.is_final,
        "error_code": info.error,
        "error": info.error_meaning,
        "last_change": _time(info.last_timestamp),
    }
    if details:
        response.update(
            {
                "cost": _money(info.cost),
                "currency": entry.runtime_data.balance.currency,
                "sender": info.sender,
                "message": info.text,
                "sent_at": _time(info.send_timestamp),
                "country": info.country,
                "operator": info.operator,
                "region": info.region,
            }
        )
    return response


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the actions of the integration."""
    hass.services.async_register(
        DOMAIN,
        SERVICE_SEND_MESSAGE,
        _async_send_message,
        schema=SEND_MESSAGE_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_NOTIFY_EVENT,
        _async_notify_event,
        schema=NOTIFY_EVENT_SCHEMA,
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_GET_STATUS,
        _async_get_status,
        schema=GET_STATUS_SCHEMA,
        supports_response=SupportsResponse.ONLY,
    )
