# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The voice menu (IVR) of a call, as http-api.txt "Using the voice menu (IVR)" describes it:

    START TEXT
    {menu: MENU TEXT
    1: text or command
    12: sub-item 2 of item 1
    *: back
    #: start
    0: repeat
    label: text or command
    }
    END TEXT

Each line ``key: value`` is one action; a key may repeat (several actions for one key). Keys are
``1``-``9`` and their sub-items (``12``, ``123``: every digit 1-9), ``*``, ``#``, ``0``, or a
label of Latin letters and digits (the target of a call's ``err:``). Commands: ``url`` (the
client's handler is called with the key press; ``url:<address>`` names another address),
``call:phones wait=n ok:end err:n record``, ``sms:phone,sender,msg`` (``$phone`` is the called
number), ``record: n``, ``end``; anything else is text to speak.

:func:`parse_menu` is the emulator's own reading of the page (the library's builder is written
independently, so the two check each other); a menu it cannot read is send.php error 1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .phones import normalize_phone

__all__ = ["MAX_NUMBERS", "MAX_WAIT", "MenuAction", "MenuError", "VoiceMenu", "parse_menu"]

MAX_NUMBERS = 9  # numbers a call command may redirect to
MAX_WAIT = 120  # seconds a call command may wait for an answer
DEFAULT_RECORD = 30  # seconds record: records without a time
_OPEN = "{menu:"
_LINE = re.compile(r"^\s*([1-9]+|[*#0]|[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*)\s*:(.*)$")
_KEYLIKE = re.compile(r"^\s*[0-9*#]+\s*:")
_NAVIGATION = {"*": "back", "#": "start", "0": "repeat"}


class MenuError(ValueError):
    """A menu the emulator cannot read: names the line and the rule."""


@dataclass(frozen=True)
class MenuAction:
    """One action of a menu item: ``kind`` is ``say``, ``url``, ``call``, ``sms``, ``record``,
    ``end``, ``back``, ``start`` or ``repeat``; the other fields are the command's."""

    kind: str
    text: str = ""
    url: str = ""
    phones: tuple[str, ...] = ()
    wait: int = MAX_WAIT
    ok_end: bool = False
    err: str = ""
    record: bool = False
    sender: str = ""
    seconds: int = 0

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind}
        if self.kind == "say":
            out["text"] = self.text
        elif self.kind == "url":
            out["url"] = self.url or None
        elif self.kind == "call":
            out.update(
                phones=list(self.phones),
                wait=self.wait,
                ok_end=self.ok_end,
                err=self.err or None,
                record=self.record,
            )
        elif self.kind == "sms":
            out.update(phone=self.phones[0], sender=self.sender, text=self.text)
        elif self.kind == "record":
            out["seconds"] = self.seconds
        return out


@dataclass
class VoiceMenu:
    """A parsed ``{menu: ...}``: the texts around it and the actions of each key and label."""

    start_text: str
    menu_text: str
    end_text: str
    items: dict[str, list[MenuAction]] = field(default_factory=dict)
    labels: dict[str, list[MenuAction]] = field(default_factory=dict)

    def has_children(self, path: str) -> bool:
        return any(len(key) > len(path) and key.startswith(path) for key in self.items)

    def step(self, target: str) -> list[MenuAction] | None:
        """The actions of an item path or a label (a call's ``err:`` target)."""
        return self.items.get(target) if target.isdigit() else self.labels.get(target)

    def as_json(self) -> dict[str, Any]:
        return {
            "start_text": self.start_text,
            "menu_text": self.menu_text,
            "end_text": self.end_text,
            "items": {k: [a.as_json() for a in v] for k, v in self.items.items()},
            "labels": {k: [a.as_json() for a in v] for k, v in self.labels.items()},
        }


def _call(key: str, spec: str) -> MenuAction:
    words = spec.split()
    if not words:
        raise MenuError(f"item {key}: call needs a phone number")
    phones = [p.strip() for p in words[0].split(",") if p.strip()]
    if not phones or len(phones) > MAX_NUMBERS:
        raise MenuError(f"item {key}: call takes 1 to {MAX_NUMBERS} numbers")
    for phone in phones:
        if normalize_phone(phone) is None:
            raise MenuError(f"item {key}: call: {phone!r} is not a phone number")
    wait, ok_end, err, record = MAX_WAIT, False, "", False
    options = words[1:]
    for index, word in enumerate(options):
        if word.startswith("wait="):
            value = word[5:]
            if not value.isdigit() or not 0 <= int(value) <= MAX_WAIT:
                raise MenuError(f"item {key}: call wait must be 0 to {MAX_WAIT} seconds")
            wait = int(value)
        elif word == "ok:end":
            ok_end = True
        elif word.startswith("err:") and re.fullmatch(r"[A-Za-z0-9]+", word[4:]):
            err = word[4:]
        elif word == "record" and index == len(options) - 1:
            record = True
        else:
            raise MenuError(f"item {key}: call: unknown option {word!r}")
    return MenuAction(
        "call", phones=tuple(phones), wait=wait, ok_end=ok_end, err=err, record=record
    )


def _action(key: str, value: str) -> MenuAction:
    text = value.strip()
    if key in _NAVIGATION:
        if text != _NAVIGATION[key]:
            raise MenuError(f"key {key} must be '{key}: {_NAVIGATION[key]}'")
        return MenuAction(text)
    command, colon, rest = text.partition(":")
    command = command.strip().lower()
    if text == "url" or (colon and command == "url"):
        return MenuAction("url", url=rest.strip())
    if text.startswith("url ") and not colon:
        return MenuAction("url", url=text[4:].strip())
    if text == "end":
        return MenuAction("end")
    if colon and command == "call":
        return _call(key, rest)
    if colon and command == "sms":
        phone, _, tail = rest.partition(",")
        sender, _, message = tail.partition(",")
        if not phone.strip() or not message.strip():
            raise MenuError(f"item {key}: sms needs phone,sender,message")
        return MenuAction("sms", phones=(phone.strip(),), sender=sender.strip(), text=message)
    if text == "record" or (colon and command == "record"):
        seconds = rest.strip()
        if seconds and not seconds.isdigit():
            raise MenuError(f"item {key}: record takes a number of seconds")
        return MenuAction("record", seconds=int(seconds) if seconds else DEFAULT_RECORD)
    return MenuAction("say", text=text)


def parse_menu(text: str) -> VoiceMenu | None:
    """The menu of a call's text, None when it has none; :class:`MenuError` when it cannot
    be read (no closing brace, a malformed key or command, a step that does not exist)."""
    start = text.find(_OPEN)
    if start < 0:
        return None
    close = text.find("}", start)
    if close < 0:
        raise MenuError("{menu: has no closing }")
    body = text[start + len(_OPEN) : close]
    menu = VoiceMenu(text[:start].strip(), "", text[close + 1 :].strip())
    lines = body.replace("\r\n", "\n").split("\n")
    menu_text = [lines[0].strip()]
    entries: list[tuple[str, str]] = []
    for line in lines[1:]:
        match = _LINE.match(line)
        if match:
            entries.append((match.group(1), match.group(2)))
        elif _KEYLIKE.match(line):
            raise MenuError(f"{line.split(':')[0].strip()} is no menu key (1-9 and sub-items)")
        elif entries:
            key, value = entries[-1]
            entries[-1] = (key, f"{value}\n{line}")
        elif line.strip():
            menu_text.append(line.strip())
    menu.menu_text = "\n".join(t for t in menu_text if t)
    for key, value in entries:
        action = _action(key, value)
        table = menu.items if key.isdigit() or key in ("*", "#") else menu.labels
        table.setdefault(key, []).append(action)
    for key in menu.items:
        if key.isdigit() and len(key) > 1 and key[:-1] not in menu.items:
            raise MenuError(f"sub-item {key} has no item {key[:-1]}")
    for actions in [*menu.items.values(), *menu.labels.values()]:
        for action in actions:
            if action.err and menu.step(action.err) is None:
                raise MenuError(f"call err:{action.err} names no item or label")
    return menu
