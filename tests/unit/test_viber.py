"""Viber content: the service's four message kinds, its macros, and what is refused."""

from __future__ import annotations

import pytest

import pysmsc.viber
from pysmsc import ValidationError
from pysmsc.viber import ViberButton, ViberContent


def test_text_with_a_button_and_a_picture_in_the_text() -> None:
    content = ViberContent(
        "Test",
        button=ViberButton("https://smscentre.com", "Site"),
        image="https://mysite.com/sms/picture.jpg",
        inline_image=True,
    )
    # The page's third example: "test {button,...} <file https://...>".
    assert (
        content.render()
        == "Test {button,https://smscentre.com,Site} <file https://mysite.com/sms/picture.jpg>"
    )


def test_a_picture_in_fileurl_and_a_tel_button() -> None:
    content = ViberContent(
        "Call the duty engineer",
        button=ViberButton("tel:+79990000001", "Call"),
        image="https://grafana.example.com/render/disk.png",
    )
    fields = dict(content.message("79991234567", sender="Ops").fields())
    assert fields["mes"] == "Call the duty engineer {button,tel:+79990000001,Call}"
    assert fields["fileurl"] == "https://grafana.example.com/render/disk.png"
    assert fields["viber"] == "1"
    assert fields["sender"] == "Ops"


def test_a_picture_alone() -> None:
    content = ViberContent(image="https://example.com/a.png")
    fields = dict(content.message("79991234567").fields())
    assert "mes" not in fields
    assert fields["fileurl"] == "https://example.com/a.png"
    assert ViberContent(image="https://example.com/a.png", inline_image=True).render() == (
        "<file https://example.com/a.png>"
    )


def test_the_module_example_runs() -> None:
    source = pysmsc.viber.__doc__ or ""
    example = source.split("::\n", 1)[1]
    sent = []

    class Smsc:
        def send_message(self, message: object) -> None:
            sent.append(message)

    exec(  # the docstring's example, as written
        "\n".join(line[4:] for line in example.splitlines()),
        {"ViberContent": ViberContent, "ViberButton": ViberButton, "smsc": Smsc()},
    )
    assert len(sent) == 1


@pytest.mark.parametrize(
    ("content", "field", "rule"),
    [
        (
            ViberContent("x", button=ViberButton("https://a.b", "y" * 31)),
            "button.text",
            "at most 30",
        ),
        (ViberContent("x", button=ViberButton("https://a.b", "")), "button.text", "empty"),
        (ViberContent("x", button=ViberButton("https://a.b", "a,b")), "button.text", "','"),
        (
            ViberContent("x", button=ViberButton("https://a.b/?q=1,2", "go")),
            "button.target",
            "without ','",
        ),
        (ViberContent("x", button=ViberButton("ftp://a.b", "go")), "button.target", "http(s)"),
        (ViberContent("x", button=ViberButton("tel:123", "go")), "button.target", "tel:"),
        (
            ViberContent("", button=ViberButton("https://a.b", "go"), image="https://a.b/c.png"),
            "button",
            "comes with a text",
        ),
        (ViberContent("x", image="https://a.b/c.png"), "image", "four kinds"),
        (ViberContent("x", image="file:///etc/passwd"), "image", "http(s)"),
        (ViberContent(""), "text", "a text, a picture or both"),
        (ViberContent("see {button,https://evil,x}"), "text", "not as macros"),
        (ViberContent("see <file https://evil/x.png>"), "text", "not as macros"),
        (ViberContent("x" * 1001), "text", "at most 1000"),
    ],
)
def test_refused(content: ViberContent, field: str, rule: str) -> None:
    with pytest.raises(ValidationError) as raised:
        content.render()
    assert raised.value.field == field
    assert rule in raised.value.rule


def test_exactly_30_characters_is_a_button() -> None:
    assert ViberButton("https://a.b", "y" * 30).render() == "{button,https://a.b," + "y" * 30 + "}"
