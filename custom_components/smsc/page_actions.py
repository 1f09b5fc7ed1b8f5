# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The paging actions: ``smsc.page``, ``smsc.acknowledge_page`` and ``smsc.resolve_page``.

``smsc.page`` opens a page (the library's escalation: an SMS, a call with a voice menu when it
is not delivered or not acknowledged in time, the next contact...) and answers at once with
its report, or, with ``wait``, once the page stops escalating or the wait ends (at most an
hour; the page goes on beyond it, and the page event entity tells how it ends). The contacts
are phone numbers, recipients (by name or notify entity) and mappings with their own quiet
hours. A page with a key that is open (not resolved) is not paged again: it takes the new text.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import timedelta
from decimal import Decimal
from typing import Any

import voluptuous as vol
from homeassistant.config_entries import ConfigSubentry
from homeassistant.core import HomeAssistant, ServiceCall, ServiceResponse, SupportsResponse
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.dispatcher import async_dispatcher_send

from pysmsc import MessageKind, SmscError, ValidationError
from pysmsc.paging import Contact, Escalation, Page, PageReport, Phase, QuietHours
from pysmsc.phones import is_phone, normalize_phone, same_recipient

from .const import (
    CONF_QUIET_HOURS,
    CONF_RECIPIENTS,
    CONF_SENDER,
    DOMAIN,
    LOGGER,
    RECEIVE_NONE,
    RECEIVE_POLLING,
    RECEIVE_SMPP,
    RECEIVE_WEBHOOK,
    SUBENTRY_RECIPIENT,
    signal_page,
)
from .fields import ActionSchema, text_value, whole_number
from .helpers import field_name, invalid_field, translate_error
from .models import SmscConfigEntry
from .page_texts import LANGUAGES, acknowledgement_ways, page_texts
from .paging import report_data
from .services import ATTR_CONFIG_ENTRY_ID, get_entry

SERVICE_PAGE = "page"
SERVICE_ACKNOWLEDGE_PAGE = "acknowledge_page"
SERVICE_RESOLVE_PAGE = "resolve_page"

ATTR_KEY = "key"
ATTR_MESSAGE = "message"
ATTR_CONTACTS = "contacts"
ATTR_KIND = "kind"
ATTR_DELIVER_WITHIN = "deliver_within"
ATTR_ACK_WITHIN = "ack_within"
ATTR_CALL = "call"
ATTR_ANSWER_WITHIN = "answer_within"
ATTR_ROUNDS = "rounds"
ATTR_QUIET_HOURS = "quiet_hours"
ATTR_MAX_PARTS = "max_parts"
ATTR_MAX_COST = "max_cost"
ATTR_SENDER = "sender"
ATTR_VOICE = "voice"
ATTR_REPORT_TO = "report_to"
ATTR_LANGUAGE = "language"
ATTR_WAIT = "wait"
ATTR_BY = "by"
ATTR_PHONE = "phone"
ATTR_NAME = "name"

# The first message to each contact: an SMS, a Viber message (an SMS follows when it is not
# delivered), or none (call at once).
PAGE_KINDS = (MessageKind.SMS.value, MessageKind.VIBER.value, MessageKind.CALL.value)
# Rounds through the chain an action may ask for (each may wake everyone again).
MAX_ROUNDS = 10
# The longest an action may wait for the outcome of its page.
MAX_WAIT = timedelta(hours=1)
# A contact's name in the page's reports (pysmsc allows 64 characters).
_NAME_LENGTH = 60
# The name of whoever acknowledges through the action when no user is known.
DEFAULT_ACKNOWLEDGER = "Home Assistant"


def _wait(value: Any) -> timedelta:
    period: timedelta = cv.time_period(value)
    if period < timedelta(0) or period > MAX_WAIT:
        raise vol.Invalid("must be from 0 to 1 hour")
    return period


def _period(value: Any) -> timedelta:
    period: timedelta = cv.time_period(value)
    if period < timedelta(0):
        raise vol.Invalid("must not be negative")
    return period


def _contact(value: Any) -> str | dict[str, str]:
    """A phone number, a recipient's name or notify entity, or a mapping with ``phone`` and
    optionally ``name`` and ``quiet_hours``."""
    if isinstance(value, Mapping):
        unknown = set(value) - {ATTR_PHONE, ATTR_NAME, ATTR_QUIET_HOURS}
        if unknown:
            raise vol.Invalid(f"a contact may have only phone, name and quiet_hours: {unknown}")
        if ATTR_PHONE not in value:
            raise vol.Invalid("a contact given as a mapping needs a phone")
        return {key: text_value(item).strip() for key, item in value.items()}
    return text_value(value).strip()


PAGE_SCHEMA = ActionSchema(
    {
        vol.Required(ATTR_CONFIG_ENTRY_ID): cv.string,
        vol.Required(ATTR_KEY): text_value,
        vol.Required(ATTR_MESSAGE): text_value,
        vol.Required(ATTR_CONTACTS): vol.All(cv.ensure_list, [_contact]),
        vol.Optional(ATTR_KIND, default=MessageKind.SMS.value): vol.In(PAGE_KINDS),
        vol.Optional(ATTR_DELIVER_WITHIN, default=timedelta(minutes=2)): _period,
        vol.Optional(ATTR_ACK_WITHIN, default=timedelta(minutes=5)): _period,
        vol.Optional(ATTR_CALL, default=True): cv.boolean,
        vol.Optional(ATTR_ANSWER_WITHIN, default=timedelta(minutes=3)): _period,
        vol.Optional(ATTR_ROUNDS, default=1): vol.All(
            whole_number, vol.Range(min=1, max=MAX_ROUNDS, msg=f"must be from 1 to {MAX_ROUNDS}")
        ),
        vol.Optional(ATTR_QUIET_HOURS): text_value,
        vol.Optional(ATTR_MAX_PARTS, default=2): whole_number,
        vol.Optional(ATTR_MAX_COST): vol.Coerce(float),
        vol.Optional(ATTR_SENDER): text_value,
        vol.Optional(ATTR_VOICE): text_value,
        vol.Optional(ATTR_REPORT_TO): vol.All(cv.ensure_list, [text_value]),
        vol.Optional(ATTR_LANGUAGE): vol.In(LANGUAGES),
        vol.Optional(ATTR_WAIT, default=timedelta(0)): _wait,
    }
)
ACKNOWLEDGE_SCHEMA = ActionSchema(
    {
        vol.Required(ATTR_CONFIG_ENTRY_ID): cv.string,
        vol.Required(ATTR_KEY): text_value,
        vol.Optional(ATTR_BY): text_value,
    }
)
RESOLVE_SCHEMA = ActionSchema(
    {
        vol.Required(ATTR_CONFIG_ENTRY_ID): cv.string,
        vol.Required(ATTR_KEY): text_value,
    }
)


def receiving_channel(entry: SmscConfigEntry) -> str:
    """How the loaded entry receives now (a channel its options chose but could not start
    receives nothing)."""
    data = entry.runtime_data
    if data.webhook is not None:
        return RECEIVE_WEBHOOK
    if data.poller is not None:
        return RECEIVE_POLLING
    if data.receiver is not None:
        return RECEIVE_SMPP
    return RECEIVE_NONE


def _invalid(err: ValidationError) -> ServiceValidationError:
    """pysmsc's refusal, named by the action's field."""
    field = err.field.removeprefix("escalation.")
    if field.startswith("contacts."):
        field = ATTR_CONTACTS
    return invalid_field(field_name(field), err.rule)


def _quiet(text: str | None, time_zone: str) -> QuietHours | None:
    return None if not text else QuietHours.parse(text, time_zone)


def _recipient(hass: HomeAssistant, entry: SmscConfigEntry, item: str) -> ConfigSubentry | None:
    """The recipient an item names: by its notify entity or its name (any letter case)."""
    recipients = [
        subentry
        for subentry in entry.subentries.values()
        if subentry.subentry_type == SUBENTRY_RECIPIENT
    ]
    if item.startswith("notify."):
        registered = er.async_get(hass).async_get(item)
        if registered is None or registered.config_entry_id != entry.entry_id:
            return None
        return next((s for s in recipients if s.subentry_id == registered.unique_id), None)
    folded = item.casefold()
    return next((s for s in recipients if s.title.strip().casefold() == folded), None)


def _contacts(
    hass: HomeAssistant, entry: SmscConfigEntry, items: list[Any], quiet_hours: str | None
) -> list[Contact]:
    """The chain, in order: each number once, each name unique."""
    time_zone = hass.config.time_zone
    found: list[tuple[str, str, str | None]] = []  # name, phone, quiet hours
    for item in items:
        if isinstance(item, dict):
            phone = item[ATTR_PHONE]
            found.append((item.get(ATTR_NAME) or phone, phone, item.get(ATTR_QUIET_HOURS)))
        elif is_phone(item):
            found.append((normalize_phone(item), item, None))
        elif (subentry := _recipient(hass, entry, item)) is not None:
            numbers = [r for r in subentry.data.get(CONF_RECIPIENTS, ()) if is_phone(r)]
            if not numbers:
                raise invalid_field(ATTR_CONTACTS, f"the recipient {item} has no phone number")
            quiet = subentry.data.get(CONF_QUIET_HOURS)
            title = subentry.title.strip()[:_NAME_LENGTH]
            found.extend((title, number, quiet) for number in numbers)
        else:
            raise invalid_field(
                ATTR_CONTACTS,
                f"{item} is not a phone number, nor the name or notify entity of a recipient "
                "of this account",
            )
    contacts: list[Contact] = []
    names: set[str] = set()
    for name, phone, quiet in found:
        if any(same_recipient(phone) == same_recipient(contact.phone) for contact in contacts):
            continue  # the same person twice in a chain would be paged twice in a row
        unique, number = name[:_NAME_LENGTH], 2
        while unique in names:
            unique = f"{name[:_NAME_LENGTH]} ({number})"
            number += 1
        names.add(unique)
        contacts.append(Contact(unique, phone, _quiet(quiet or quiet_hours, time_zone)))
    return contacts


def _seconds_or_none(period: timedelta) -> float | None:
    """A deadline of the action (0 turns the step off) in pysmsc's terms."""
    return period.total_seconds() or None


def _page(hass: HomeAssistant, entry: SmscConfigEntry, data: Mapping[str, Any]) -> Page:
    """The page the action describes (raises translated errors naming the field)."""
    kind = data[ATTR_KIND]
    language = data.get(ATTR_LANGUAGE) or hass.config.language
    sender = data.get(ATTR_SENDER) or entry.options.get(CONF_SENDER)
    max_cost = data.get(ATTR_MAX_COST)
    try:
        escalation = Escalation(
            channel=None if kind == MessageKind.CALL.value else kind,
            deliver_within=_seconds_or_none(data[ATTR_DELIVER_WITHIN]),
            ack_within=_seconds_or_none(data[ATTR_ACK_WITHIN]),
            call=data[ATTR_CALL] or kind == MessageKind.CALL.value,
            answer_within=data[ATTR_ANSWER_WITHIN].total_seconds(),
            rounds=data[ATTR_ROUNDS],
            max_parts=data[ATTR_MAX_PARTS],
            max_cost=None if max_cost is None else Decimal(str(max_cost)),
            sender=sender,
            voice=data.get(ATTR_VOICE),
            report_to=tuple(data.get(ATTR_REPORT_TO, ())),
            texts=page_texts(language, receiving_channel(entry)),
        )
        contacts = _contacts(hass, entry, data[ATTR_CONTACTS], data.get(ATTR_QUIET_HOURS))
        return Page(data[ATTR_KEY].strip(), data[ATTR_MESSAGE], contacts, escalation)
    except ValidationError as err:
        raise _invalid(err) from err


def _response(entry: SmscConfigEntry, report: PageReport, **extra: Any) -> dict[str, Any]:
    data = report_data(report, entry.runtime_data.balance.currency)
    data["acknowledgement"] = acknowledgement_ways(receiving_channel(entry))
    data.update(extra)
    return data


async def _async_wait(entry: SmscConfigEntry, report: PageReport, wait: timedelta) -> PageReport:
    """The page's report once it stops escalating, or when ``wait`` is over.

    Called right after the page opened, without yielding to the loop: the page is known to
    the runner (``runner.wait`` raises KeyError only for a key it never had).
    """
    runner = entry.runtime_data.runner
    try:
        async with asyncio.timeout(wait.total_seconds()):
            return await runner.wait(report.key)
    except TimeoutError:
        return runner.report(report.key) or report
    except asyncio.CancelledError:
        task = asyncio.current_task()
        if task is not None and task.cancelling():
            raise  # the action itself is cancelled (the automation stopped)
        # The runner stopped: Home Assistant stops, or the entry unloads.
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="page_wait_interrupted",
            translation_placeholders={"key": report.key},
        ) from None


async def _async_page(call: ServiceCall) -> ServiceResponse:
    """Open a page (or give an open one the new text), and wait for it if asked."""
    hass = call.hass
    entry = get_entry(hass, call.data[ATTR_CONFIG_ENTRY_ID])
    page = _page(hass, entry, call.data)
    runner = entry.runtime_data.runner
    before = runner.report(page.key)
    new = before is None or before.phase == Phase.RESOLVED
    try:
        report = await runner.page(page)
    except SmscError as err:  # pragma: no cover - the page is checked above
        raise translate_error(hass, err, entry) from err
    if new:
        LOGGER.debug("Page %s opened (%s contacts)", report.code, len(page.contacts))
        async_dispatcher_send(hass, signal_page(entry.entry_id), report)
    wait: timedelta = call.data[ATTR_WAIT]
    if wait:
        report = await _async_wait(entry, report, wait)
    return _response(
        entry, report, new=new, waited_out=bool(wait) and report.phase == Phase.ESCALATING
    )


async def _async_acknowledge_page(call: ServiceCall) -> ServiceResponse:
    """Acknowledge an open page, as the user who called (or ``by``)."""
    hass = call.hass
    entry = get_entry(hass, call.data[ATTR_CONFIG_ENTRY_ID])
    key = call.data[ATTR_KEY].strip()
    by = (call.data.get(ATTR_BY) or "").strip()
    if not by and call.context.user_id:
        user = await hass.auth.async_get_user(call.context.user_id)
        by = user.name if user is not None and user.name else ""
    report = await entry.runtime_data.runner.acknowledge(key, by=by or DEFAULT_ACKNOWLEDGER)
    if report is None:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="page_not_open",
            translation_placeholders={"key": key},
        )
    return _response(entry, report, found=True)


async def _async_resolve_page(call: ServiceCall) -> ServiceResponse:
    """The alert of a page is over: stop it and tell everyone it reached, once. Resolving a
    page that is not open does nothing (automations may resolve more than once)."""
    entry = get_entry(call.hass, call.data[ATTR_CONFIG_ENTRY_ID])
    key = call.data[ATTR_KEY].strip()
    report = await entry.runtime_data.runner.resolve(key)
    if report is None:
        LOGGER.debug("No open page %r to resolve", key)
        return {"key": key, "found": False}
    return _response(entry, report, found=True)


def async_setup_page_actions(hass: HomeAssistant) -> None:
    """Register the paging actions."""
    hass.services.async_register(
        DOMAIN,
        SERVICE_PAGE,
        _async_page,
        schema=PAGE_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_ACKNOWLEDGE_PAGE,
        _async_acknowledge_page,
        schema=ACKNOWLEDGE_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_RESOLVE_PAGE,
        _async_resolve_page,
        schema=RESOLVE_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
