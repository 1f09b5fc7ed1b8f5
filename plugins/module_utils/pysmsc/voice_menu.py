# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The voice menu (IVR) of a call: a typed builder for the service's ``{menu: ...}`` macro.

http-api.txt, "Using the voice menu (IVR)": a call's text is a start text, the macro, and an end
text::

    START TEXT

    {menu: MENU TEXT
    *: back
    #: start
    0: repeat
    1: text or command
    11: sub-item 1 of item 1
    label: text or command}

    END TEXT

Each line ``key: action`` is one action; a key given several actions performs them in order.
:class:`VoiceMenu` renders exactly that form and checks the page's rules before anything is
sent: keys 1-9 (sub-items too), at most 1,000 characters in all, a transfer's ``wait`` 0-120 s
and at most 9 numbers, ``err:`` naming an item or a label that exists. Texts may not contain
braces or line breaks, which would end the macro or start a new key line; use
:func:`pysmsc.paging.neutralize` on untrusted text first.

Send it as the text of a call::

    menu = VoiceMenu(
        start_text="Disk full on db1.",
        menu_text="Press 1 to acknowledge, 2 to pass to the next person.",
        items=[MenuItem("1", [Url(), "Acknowledged.", End()]), MenuItem("2", [Url(), End()])],
    )
    smsc.send("79991234567", menu.render(), kind="call")
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Union

from . import phones
from .errors import ValidationError
from .protocol.checks import MAX_TEXT_LENGTH

__all__ = [
    "MAX_TRANSFER_NUMBERS",
    "MAX_TRANSFER_WAIT",
    "Action",
    "End",
    "MenuItem",
    "Record",
    "Say",
    "SendSms",
    "Transfer",
    "Url",
    "VoiceMenu",
]

MAX_TRANSFER_NUMBERS = 9
MAX_TRANSFER_WAIT = 120
# A recorded answer: the page gives 30 s by default and no upper bound; a conversation recorded
# by a transfer stops at 30 minutes, which we take as the bound for both.
MAX_RECORD_SECONDS = 1800

_LABEL = re.compile(r"[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*")  # at least one letter: not an item key
# Words the menu itself uses: a label spelled like one would read as a command.
_RESERVED = frozenset({"url", "call", "sms", "record", "end", "back", "start", "repeat"})
_SMS_PHONE_VARIABLE = "$phone"


def _check_text(value: str, field_name: str, *, empty_ok: bool = False) -> str:
    if not isinstance(value, str):
        raise ValidationError(field_name, "must be a string")
    if not value.strip() and not empty_ok:
        raise ValidationError(field_name, "must not be empty")
    if "{" in value or "}" in value:
        raise ValidationError(field_name, "must not contain '{' or '}' (they delimit the menu)")
    return value


def _check_line(value: str, field_name: str) -> str:
    """A text that sits on one menu line: a line break would start a new key line."""
    _check_text(value, field_name)
    if "\n" in value or "\r" in value:
        raise ValidationError(field_name, "must be one line (a line break starts a new key)")
    return value.strip()


@dataclass(frozen=True)
class Say:
    """Speak ``text``."""

    text: str

    def render(self, where: str) -> str:
        return _check_line(self.text, where)


@dataclass(frozen=True)
class Url:
    """``url``: the service calls the account's HTTP handler with the key pressed (and the
    call's message id), see :mod:`pysmsc.callbacks`."""

    def render(self, where: str) -> str:
        return "url"


@dataclass(frozen=True)
class Transfer:
    """``call:phones wait=n ok:end err:target record``: connect the caller to the first of
    ``phones`` (1-9 numbers registered in the account) that answers.

    ``wait``: seconds to wait for an answer (0-120; the service's default is 120).
    ``end_after``: end the menu after a successful conversation (``ok:end``).
    ``on_failure``: the item path (``"6"``) or label to go to when nobody answers (``err:``).
    ``record``: record the conversation (at most 30 minutes).
    """

    phones: Sequence[str]
    wait: int | None = None
    end_after: bool = False
    on_failure: str | None = None
    record: bool = False

    def render(self, where: str) -> str:
        numbers = phones.parse(list(self.phones), field=f"{where}.phones")
        if len(numbers) > MAX_TRANSFER_NUMBERS:
            raise ValidationError(f"{where}.phones", f"at most {MAX_TRANSFER_NUMBERS} numbers")
        if any(phones.is_group(number) for number in numbers):
            raise ValidationError(f"{where}.phones", "must be phone numbers, not groups")
        out = "call:" + ",".join(numbers)
        if self.wait is not None:
            wait = self.wait
            whole = isinstance(wait, int) and not isinstance(wait, bool)
            if not (whole and 0 <= wait <= MAX_TRANSFER_WAIT):
                raise ValidationError(
                    f"{where}.wait", f"must be whole seconds from 0 to {MAX_TRANSFER_WAIT}"
                )
            out += f" wait={self.wait}"
        if self.end_after:
            out += " ok:end"
        if self.on_failure is not None:
            out += f" err:{self.on_failure}"
        if self.record:
            out += " record"  # the page: "This parameter is specified last"
        return out


@dataclass(frozen=True)
class SendSms:
    """``sms:phone,sender,text``: the service sends an SMS. ``phone`` may be ``"$phone"`` (the
    called subscriber), and ``text`` may contain ``$phone``; ``sender`` ``""`` uses the
    account's default sender (a guess: the page always shows one)."""

    phone: str
    sender: str
    text: str

    def render(self, where: str) -> str:
        phone = self.phone.strip()
        if phone != _SMS_PHONE_VARIABLE:
            if not phones.is_phone(phone):
                raise ValidationError(
                    f"{where}.phone", "must be a phone number or '$phone' (the called number)"
                )
            phone = phones.normalize_phone(phone)
        if "," in self.sender or not re.fullmatch(r"[ -~]{0,11}", self.sender):
            raise ValidationError(
                f"{where}.sender", "at most 11 Latin letters, digits or punctuation, no ','"
            )
        text = _check_line(self.text, f"{where}.text")
        return f"sms:{phone},{self.sender},{text}"


@dataclass(frozen=True)
class Record:
    """``record: n``: record the subscriber's answer for up to ``seconds`` (the service stops
    after 10 s of silence)."""

    seconds: int = 30

    def render(self, where: str) -> str:
        seconds = self.seconds
        whole = isinstance(seconds, int) and not isinstance(seconds, bool)
        if not (whole and 1 <= seconds <= MAX_RECORD_SECONDS):
            raise ValidationError(
                f"{where}.seconds", f"must be whole seconds from 1 to {MAX_RECORD_SECONDS}"
            )
        return f"record: {self.seconds}"


@dataclass(frozen=True)
class End:
    """``end``: leave the menu; the end text is spoken."""

    def render(self, where: str) -> str:
        return "end"


Action = Union[Say, Url, Transfer, SendSms, Record, End]
# What an item or a label is given: actions, or plain strings (spoken).
ActionLike = Union[Action, str]


def _actions(values: Iterable[ActionLike] | ActionLike) -> tuple[Action, ...]:
    if isinstance(values, str) or not isinstance(values, Iterable):
        values = [values]
    return tuple(Say(value) if isinstance(value, str) else value for value in values)


@dataclass(frozen=True)
class MenuItem:
    """Menu item ``key`` (``"1"``-``"9"``): its actions in order, and its sub-items (keys
    pressed after this one; rendered as ``11``, ``12``, ...)."""

    key: str
    actions: Sequence[ActionLike] | ActionLike = ()
    items: Sequence[MenuItem] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "actions", _actions(self.actions))
        object.__setattr__(self, "items", tuple(self.items))


@dataclass(frozen=True)
class VoiceMenu:
    """A call's text with a voice menu; :meth:`render` gives the text for ``send.php``.

    ``back``, ``restart`` and ``repeat`` add the navigation keys ``*: back``, ``#: start`` and
    ``0: repeat``. ``labels`` are named steps that a :class:`Transfer`'s ``on_failure`` can go
    to (Latin letters and digits, at least one letter).
    """

    menu_text: str
    items: Sequence[MenuItem]
    start_text: str = ""
    end_text: str = ""
    labels: Mapping[str, Sequence[ActionLike] | ActionLike] = field(default_factory=dict)
    back: bool = True
    restart: bool = True
    repeat: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "items", tuple(self.items))
        object.__setattr__(
            self, "labels", {name: _actions(actions) for name, actions in self.labels.items()}
        )

    def render(self) -> str:
        """The call's text, exactly in the page's form; raises :class:`ValidationError`
        naming the field and the rule when the menu breaks one."""
        start = _check_text(self.start_text, "start_text", empty_ok=True).strip()
        end = _check_text(self.end_text, "end_text", empty_ok=True).strip()
        menu_text = _check_line(self.menu_text, "menu_text")
        if not self.items:
            raise ValidationError("items", "a menu needs at least one item")
        paths = dict(self._paths(self.items, "", "items"))
        targets = set(paths)
        for name in self.labels:
            if not _LABEL.fullmatch(name) or name.lower() in _RESERVED:
                raise ValidationError(
                    f"labels.{name}",
                    "a label is Latin letters and digits with at least one letter, "
                    "and not a command word",
                )
            targets.add(name)
        lines = []
        if self.back:
            lines.append("*: back")
        if self.restart:
            lines.append("#: start")
        if self.repeat:
            lines.append("0: repeat")
        for path, (item, where) in paths.items():
            if not _actions(item.actions):
                raise ValidationError(f"{where}.actions", "an item needs at least one action")
            lines.extend(self._lines(path, _actions(item.actions), where, targets))
        for name, actions in self.labels.items():
            where = f"labels.{name}"
            if not actions:
                raise ValidationError(f"{where}", "a label needs at least one action")
            lines.extend(self._lines(name, _actions(actions), where, targets))
        body = "{menu: " + menu_text + "\n" + "\n".join(lines) + "}"
        text = "\n\n".join(part for part in (start, body, end) if part)
        if len(text) > MAX_TEXT_LENGTH:
            raise ValidationError(
                "menu",
                f"the whole message is at most {MAX_TEXT_LENGTH} characters, got {len(text)}",
            )
        return text

    def __str__(self) -> str:
        return self.render()

    @classmethod
    def _paths(
        cls, items: Sequence[MenuItem], prefix: str, where: str
    ) -> Iterator[tuple[str, tuple[MenuItem, str]]]:
        seen: set[str] = set()
        for index, item in enumerate(items):
            here = f"{where}[{index}]"
            if not isinstance(item.key, str) or not re.fullmatch(r"[1-9]", item.key):
                raise ValidationError(f"{here}.key", "menu keys are single digits 1 to 9")
            if item.key in seen:
                raise ValidationError(
                    f"{here}.key",
                    f"key {item.key} is given twice at this level; "
                    "put several actions in one item instead",
                )
            seen.add(item.key)
            path = prefix + item.key
            yield path, (item, here)
            yield from cls._paths(item.items, path, f"{here}.items")

    @staticmethod
    def _lines(key: str, actions: Sequence[Action], where: str, targets: set[str]) -> Iterator[str]:
        for index, action in enumerate(actions):
            here = f"{where}.actions[{index}]"
            if not isinstance(action, (Say, Url, Transfer, SendSms, Record, End)):
                raise ValidationError(here, f"{type(action).__name__} is not a menu action")
            target = action.on_failure if isinstance(action, Transfer) else None
            if target is not None and target not in targets:
                raise ValidationError(
                    f"{here}.on_failure",
                    f"{target!r} names no item or label of this menu",
                )
            yield f"{key}: {action.render(here)}"
