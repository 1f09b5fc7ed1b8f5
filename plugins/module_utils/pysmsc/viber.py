# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Viber messages with a button and a picture: the service's ``{button,url,text}`` macro and
images as ``<file url>`` or the ``fileurl`` parameter (http-api.txt, "Sending a viber message").

The service knows four kinds of Viber message: text only, picture only, text with a button,
and text with a button and a picture. :class:`ViberContent` builds exactly those and refuses
anything else before it is sent::

    content = ViberContent(
        "Disk full on db1",
        button=ViberButton("https://grafana.example.com/d/disk", "Open dashboard"),
        image="https://grafana.example.com/render/disk.png",
    )
    smsc.send_message(content.message("79991234567", sender="Ops"))
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .errors import ValidationError
from .protocol import Message
from .protocol.checks import MAX_TEXT_LENGTH

__all__ = ["MAX_BUTTON_TEXT", "ViberButton", "ViberContent"]

MAX_BUTTON_TEXT = 30
_WEB = re.compile(r"https?://[^\s,{}<>]+", re.IGNORECASE)
_TEL = re.compile(r"tel:\+?[0-9]{7,15}")
# What the service would read as a macro of its own inside the text.
_MACRO = re.compile(r"\{\s*button\b|<\s*file\b", re.IGNORECASE)


@dataclass(frozen=True)
class ViberButton:
    """A button under the text: ``target`` is an http(s) address to open, or ``tel:<number>``
    to call; ``text`` is at most 30 characters."""

    target: str
    text: str

    def render(self) -> str:
        target = self.target.strip()
        if not (_WEB.fullmatch(target) or _TEL.fullmatch(target)):
            raise ValidationError(
                "button.target",
                "must be a full http(s) address without ',', spaces or braces, "
                "or tel: and a phone number",
            )
        text = self.text.strip()
        if not text:
            raise ValidationError("button.text", "must not be empty")
        if len(text) > MAX_BUTTON_TEXT:
            raise ValidationError(
                "button.text", f"at most {MAX_BUTTON_TEXT} characters, got {len(text)}"
            )
        if re.search(r"[,{}\n\r]", text):
            raise ValidationError("button.text", "must not contain ',', braces or line breaks")
        return "{button," + target + "," + text + "}"


@dataclass(frozen=True)
class ViberContent:
    """The content of one Viber message.

    ``image`` is the full http(s) address of a JPG, GIF or PNG picture of at most 512 KB (the
    service fetches it; it cannot be checked here). ``inline_image=True`` puts it in the text
    as ``<file url>``; otherwise it travels in the ``fileurl`` parameter, as the page allows
    both.
    """

    text: str = ""
    button: ViberButton | None = None
    image: str | None = None
    inline_image: bool = False

    def render(self) -> str:
        """The message text, with the button and (when inline) the picture macros."""
        text = self.text.strip()
        if _MACRO.search(text):
            raise ValidationError(
                "text", "write buttons and pictures with button= and image=, not as macros"
            )
        if self.image is not None and not _WEB.fullmatch(self.image.strip()):
            raise ValidationError("image", "must be a full http(s) address of the picture")
        if not text and self.image is None:
            raise ValidationError("text", "a Viber message needs a text, a picture or both")
        if self.button is not None and not text:
            raise ValidationError(
                "button", "a button comes with a text (the service has no picture+button kind)"
            )
        if self.image is not None and text and self.button is None:
            raise ValidationError(
                "image",
                "a picture goes alone or with a text and a button (the service's four kinds)",
            )
        parts = [text] if text else []
        if self.button is not None:
            parts.append(self.button.render())
        if self.image is not None and self.inline_image:
            parts.append(f"<file {self.image.strip()}>")
        rendered = " ".join(parts)
        if len(rendered) > MAX_TEXT_LENGTH:
            raise ValidationError(
                "text", f"at most {MAX_TEXT_LENGTH} characters with the macros, got {len(rendered)}"
            )
        return rendered

    def message(self, to: Any, **options: Any) -> Message:
        """A :class:`~pysmsc.Message` of kind ``viber`` carrying this content; ``options`` are
        Message's other fields (``sender``, ``message_id``, ...)."""
        file_url = None if self.image is None or self.inline_image else self.image.strip()
        return Message(to, self.render() or None, kind="viber", file_url=file_url, **options)
