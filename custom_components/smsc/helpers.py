# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""What the config flow, the actions and the entities share: the client, sending, errors."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
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
    TransportError,
    UndeliverableError,
    ValidationError,
)

from .const import CONF_LOGIN, CONF_URL, DEFAULT_URL, DOMAIN
from .models import SmscConfigEntry

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


async def async_send(
    hass: HomeAssistant,
    entry: SmscConfigEntry,
    to: list[str] | str,
    text: str | None,
    *,
    kind: MessageKind = MessageKind.SMS,
    **options: Any,
) -> SendResult:
    """Send a message through ``entry`` and record it (last message, new balance).

    Raises translated Home Assistant errors.
    """
    data = entry.runtime_data
    try:
        message = Message(to=to, text=text, kind=kind, **options)
        result = await data.client.send_message(message)
    except SmscError as err:
        raise translate_error(hass, err, entry, sending=True) from err
    if result.balance is not None:
        data.balance.async_set_balance(result.balance)
    await data.tracker.async_track(
        result, message.recipients, due_at=due_time(options.get("send_at"))
    )
    return result
