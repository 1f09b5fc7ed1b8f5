# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""What the config flow, the actions and the entities share: the client, sending, errors."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from homeassistant.config_entries import ConfigEntry
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
from pysmsc.redact import redact, secret_forms
from pysmsc.smpp import ClientClosedError, SmppStatusError, SubmitNotSentError
from pysmsc.text import segment

from .const import (
    CHANNEL_HTTP,
    CHANNEL_SMPP,
    CONF_CLOUDHOOK_URL,
    CONF_LOGIN,
    CONF_RECEIVE,
    CONF_SMPP,
    CONF_SMPP_PASSWORD,
    CONF_URL,
    CONF_WEBHOOK,
    CONF_WEBHOOK_ID,
    DEFAULT_URL,
    DOMAIN,
    LOGGER,
    RECEIVE_CHANNELS,
    RECEIVE_NONE,
)
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

# The service's refusals: the translation key of a request that sends nothing, and of one
# that sends a message (which says it was not sent). Any other ApiError gets the last pair.
_REFUSALS: tuple[tuple[type[ApiError], str, str], ...] = (
    (AuthenticationError, "invalid_auth", "not_sent_invalid_auth"),
    (InsufficientFundsError, "insufficient_funds", "not_sent_insufficient_funds"),
    (RateLimitError, "rate_limited", "not_sent_rate_limited"),
    (InvalidPhoneError, "invalid_phone", "not_sent_invalid_phone"),
    (ForbiddenMessageError, "forbidden_message", "not_sent_forbidden"),
    (UndeliverableError, "undeliverable", "not_sent_undeliverable"),
    (IpBlockedError, "ip_blocked", "not_sent_ip_blocked"),
    (InvalidDateError, "invalid_date", "not_sent_invalid_date"),
    (NotFoundError, "not_found", "not_sent_not_found"),
    (ParameterError, "parameter_error", "not_sent_parameters"),
)
_OTHER_REFUSAL = ("api_error", "not_sent_refused")


def canonical_login(login: str) -> str:
    """The one form of a login that is stored and that signs in over HTTP and SMPP.

    The service's logins are not case-sensitive over HTTP, but an SMPP bind must carry the login
    as the account has it: lower case, as the service shows it.
    """
    return login.strip().lower()


def kind_name(value: object) -> str | None:
    """A kind by the name users write (``email``), from any spelling pysmsc accepts (``mail``,
    ``E-mail``); None when it is no kind."""
    try:
        return MessageKind(value).value
    except ValueError:
        return None


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


def receive_channel(options: Mapping[str, Any]) -> str:
    """How an entry with these options receives incoming messages and statuses (one of
    ``const.RECEIVE_CHANNELS``; none when unset or unknown)."""
    channel = options.get(CONF_RECEIVE)
    return channel if channel in RECEIVE_CHANNELS else RECEIVE_NONE


def site_url(data: Mapping[str, Any]) -> str:
    """The service's site of an entry (scheme and host), for links to the account's pages."""
    url = urlsplit(str(data.get(CONF_URL) or DEFAULT_URL))
    return f"{url.scheme}://{url.netloc}"


def secrets_of(data: Mapping[str, Any], options: Mapping[str, Any] | None = None) -> list[str]:
    """The secrets of an entry's data and options: the password (and its MD5, which the service
    accepts in its place), the API key, the SMPP password, the webhook ID and its cloudhook
    address (each is the key to the webhook)."""
    smpp = (options or {}).get(CONF_SMPP) or {}
    hook = (options or {}).get(CONF_WEBHOOK) or {}
    return [
        *secret_forms(data.get(CONF_PASSWORD), data.get(CONF_API_KEY)),
        *secret_forms(smpp.get(CONF_SMPP_PASSWORD)),
        *(str(hook[key]) for key in (CONF_WEBHOOK_ID, CONF_CLOUDHOOK_URL) if hook.get(key)),
    ]


def entry_secrets(entry: ConfigEntry) -> list[str]:
    """:func:`secrets_of` an entry."""
    return secrets_of(entry.data, entry.options)


def safe_text(text: object, secrets: Iterable[str]) -> str:
    """``text`` as it may be shown or logged: without the secrets, in any encoding.

    pysmsc already masks the credentials of the request in its errors; this also covers the
    SMPP password and anything a future error might quote.
    """
    return redact(str(text), secrets)


def field_name(field: str) -> str:
    """The user-facing name of a field pysmsc names."""
    return _FIELDS.get(field, field)


def invalid_field(field: str, rule: str) -> ServiceValidationError:
    """Bad input, named by the field users see."""
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key="invalid_field",
        translation_placeholders={"field": field_name(field), "rule": rule},
    )


def translate_error(
    hass: HomeAssistant,
    err: SmscError,
    entry: SmscConfigEntry,
    *,
    sending: bool = False,
) -> HomeAssistantError:
    """The translated Home Assistant error for what pysmsc raised.

    Bad input is a ServiceValidationError naming the field. Everything the service or the
    network answered is a HomeAssistantError. For a request that sends a message
    (``sending``) the error tells which outcome it had: refused or never delivered to the
    service (``not_sent_*``: nothing was sent, sending again is safe), or ``maybe_sent`` (the
    service may have it: sending again could deliver it twice), said once, in the user's
    language. A refusal of the credentials also starts reauthentication of ``entry``. No text
    of an error carries a secret of the entry.
    """
    secrets = entry_secrets(entry)
    if isinstance(err, ValidationError):
        return invalid_field(err.field, safe_text(err.rule, secrets))
    if sending and err.may_have_been_sent:
        # The message says what it means for the user; the log keeps the cause.
        LOGGER.warning("%s: %s", entry.title, safe_text(err, secrets))
        return HomeAssistantError(translation_domain=DOMAIN, translation_key="maybe_sent")
    if isinstance(err, AuthenticationError):
        entry.async_start_reauth(hass)
    if isinstance(err, ApiError):
        read_key, send_key = next(
            ((read, send) for cls, read, send in _REFUSALS if isinstance(err, cls)),
            _OTHER_REFUSAL,
        )
        return HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key=send_key if sending else read_key,
            translation_placeholders={
                "code": str(err.code),
                "meaning": safe_text(err.meaning, secrets),
                "endpoint": err.endpoint,
            },
        )
    if isinstance(err, TransportError):
        key = "not_sent_unreachable" if sending else "cannot_connect"
    elif isinstance(err, SmppStatusError):
        key = "not_sent_smpp_rejected" if sending else "unexpected_error"
    elif isinstance(err, ResponseError):
        key = "unexpected_response"
    else:
        key = "not_sent_error" if sending else "unexpected_error"
    return HomeAssistantError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders={"error": safe_text(err, secrets)},
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
