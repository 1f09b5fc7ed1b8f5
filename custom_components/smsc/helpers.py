# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""What the config flow, the actions and the entities share: the client, sending, errors."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from homeassistant.const import CONF_API_KEY, CONF_PASSWORD
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers.httpx_client import get_async_client

from pysmsc import (
    ApiError,
    AsyncClient,
    AuthenticationError,
    ForbiddenMessageError,
    InsufficientFundsError,
    InvalidDateError,
    InvalidPhoneError,
    IpBlockedError,
    Message,
    MessageKind,
    NotFoundError,
    ParameterError,
    RateLimitError,
    ResponseError,
    SendResult,
    SmscError,
    Translit,
    TransportError,
    UndeliverableError,
    ValidationError,
)
from pysmsc.phones import is_phone
from pysmsc.smpp import ClientClosedError, SmppStatusError, SubmitNotSentError
from pysmsc.text import segment

from .const import CHANNEL_HTTP, CHANNEL_SMPP, CONF_LOGIN, CONF_URL, DEFAULT_URL, DOMAIN, LOGGER
from .models import SmscConfigEntry

# Kinds that may go over SMPP (as a plain or a flash SMS), and the options of send.php that
# SMPP can carry too; any other option (a send time, transliteration, ...) needs HTTP.
_SMPP_KINDS = (MessageKind.SMS, MessageKind.FLASH)
_SMPP_OPTIONS = frozenset({"sender", "validity", "translit"})

# pysmsc's field names -> the fields of the actions and forms users see.
_FIELDS = {
    "to": "recipients",
    "text": "message",
    "dial.wait": "dial_wait",
    "dial.interval": "dial_interval",
    "dial.attempts": "dial_attempts",
    "base_url": "url",
}

# The service's refusals that have their own translated message; any other ApiError gets the
# generic one, with the code and the service's meaning.
_API_ERRORS: tuple[tuple[type[ApiError], str], ...] = (
    (InsufficientFundsError, "insufficient_funds"),
    (RateLimitError, "rate_limited"),
    (InvalidPhoneError, "invalid_phone"),
    (ForbiddenMessageError, "forbidden_message"),
    (UndeliverableError, "undeliverable"),
    (IpBlockedError, "ip_blocked"),
    (InvalidDateError, "invalid_date"),
    (NotFoundError, "not_found"),
    (ParameterError, "parameter_error"),
)


def create_client(hass: HomeAssistant, data: Mapping[str, Any]) -> AsyncClient:
    """A client for the entry's data, on Home Assistant's shared httpx client.

    Raises pysmsc's ValidationError for a bad address.
    """
    return AsyncClient(
        login=data.get(CONF_LOGIN),
        password=data.get(CONF_PASSWORD),
        api_key=data.get(CONF_API_KEY),
        base_url=data.get(CONF_URL, DEFAULT_URL),
        http_client=get_async_client(hass),
    )


def field_name(field: str) -> str:
    """The user-facing name of a field pysmsc names."""
    return _FIELDS.get(field, field)


def translate_error(
    hass: HomeAssistant,
    err: SmscError,
    entry: SmscConfigEntry,
    *,
    sending: bool = False,
) -> HomeAssistantError:
    """The translated Home Assistant error for what pysmsc raised.

    Bad input is a ServiceValidationError naming the field; everything the service or the
    network answered is a HomeAssistantError with the service's meaning. A refusal of the
    credentials also starts reauthentication of ``entry``. ``sending``: the request makes the
    service send messages, so a lost answer means they may have gone out.
    """
    if isinstance(err, ValidationError):
        return ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="invalid_field",
            translation_placeholders={"field": field_name(err.field), "rule": err.rule},
        )
    if isinstance(err, SmppStatusError):
        return HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="smpp_rejected",
            translation_placeholders={"error": str(err)},
        )
    if isinstance(err, AuthenticationError):
        entry.async_start_reauth(hass)
        return HomeAssistantError(translation_domain=DOMAIN, translation_key="invalid_auth")
    if isinstance(err, ApiError):
        key = next((key for cls, key in _API_ERRORS if isinstance(err, cls)), "api_error")
        return HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key=key,
            translation_placeholders={
                "code": str(err.code),
                "meaning": err.meaning,
                "endpoint": err.endpoint,
            },
        )
    if isinstance(err, TransportError):
        return HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="maybe_sent" if sending and err.maybe_received else "cannot_connect",
            translation_placeholders={"error": str(err)},
        )
    if isinstance(err, ResponseError):
        return HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="unexpected_response",
            translation_placeholders={"error": str(err)},
        )
    return HomeAssistantError(
        translation_domain=DOMAIN,
        translation_key="unexpected_error",
        translation_placeholders={"error": str(err)},
    )


def due_time(send_at: object) -> datetime | None:
    """When a message with ``send_at`` (an aware datetime) goes out; None: now."""
    return send_at if isinstance(send_at, datetime) else None


def smpp_eligible(message: Message, options: Mapping[str, Any]) -> bool:
    """Whether ``message`` can go over SMPP: a plain or flash SMS to one phone number, without
    options that only send.php has (a send time, transliteration, ...)."""
    if message.message_kind not in _SMPP_KINDS or not message.text:
        return False
    if len(message.recipients) != 1 or not is_phone(message.recipients[0]):
        return False
    if not _SMPP_OPTIONS.issuperset(options):
        return False
    if options.get("translit", Translit.NONE) != Translit.NONE:
        return False
    if options.get("sender") in ("", "."):  # "no sender": a send.php convention
        return False
    validity = options.get("validity")
    return validity is None or isinstance(validity, timedelta)


async def _async_send_smpp(
    entry: SmscConfigEntry, message: Message, options: Mapping[str, Any]
) -> SendResult | None:
    """Send ``message`` over the receiver's SMPP connection; None when it surely did not go
    (the connection went away meanwhile), so that it can go over HTTP instead."""
    receiver = entry.runtime_data.receiver
    assert receiver is not None
    text = message.text or ""
    try:
        ids = await receiver.async_submit(
            message.recipients[0],
            text,
            sender=options.get("sender"),
            flash=message.message_kind is MessageKind.FLASH,
            validity=options.get("validity"),
        )
    except (SubmitNotSentError, ClientClosedError) as err:
        LOGGER.info("Not sent over SMPP (%s); sending over HTTP instead", err)
        return None
    # The service answers no cost or balance over SMPP: the cost comes with the receipt.
    return SendResult(id=ids[0], count=segment(text).parts, kind=message.message_kind)


async def async_send(
    hass: HomeAssistant,
    entry: SmscConfigEntry,
    to: list[str] | str,
    text: str | None,
    *,
    kind: MessageKind = MessageKind.SMS,
    **options: Any,
) -> tuple[SendResult, str]:
    """Send a message through ``entry`` and record it (last message, new balance).

    A plain or flash SMS to one number goes over SMPP when the receiver may send (the
    ``send_over_smpp`` option, a bound transceiver); everything else over HTTP. Returns the
    result and the channel it went over. Raises translated Home Assistant errors.
    """
    data = entry.runtime_data
    receiver = data.receiver
    try:
        message = Message(to=to, text=text, kind=kind, **options)
        result: SendResult | None = None
        if receiver is not None and receiver.can_send and smpp_eligible(message, options):
            result = await _async_send_smpp(entry, message, options)
        if result is not None:
            channel = CHANNEL_SMPP
        else:
            channel = CHANNEL_HTTP
            result = await data.client.send_message(message)
    except SmscError as err:
        raise translate_error(hass, err, entry, sending=True) from err
    if result.balance is not None:
        data.balance.async_set_balance(result.balance)
    if channel == CHANNEL_SMPP:
        # SMPP tells no balance: read it soon (the coordinator's debouncer spaces requests).
        entry.async_create_background_task(
            hass, data.balance.async_request_refresh(), f"{DOMAIN} balance after an SMPP send"
        )
    await data.tracker.async_track(
        result, message.recipients, due_at=due_time(options.get("send_at")), channel=channel
    )
    return result, channel
