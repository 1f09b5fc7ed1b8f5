"""Credentials never leave the library, whatever encoding a server quotes them in."""

from __future__ import annotations

import hashlib
import html
import json
import re
from urllib.parse import quote, quote_plus, urlencode

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from pysmsc.errors import ApiError, ResponseError
from pysmsc.protocol import Credentials, balance, form_fields, send
from pysmsc.redact import MASK, Redactor, redact, secret_forms
from pysmsc.transport import read_answer

# Characters that urlencoding, HTML, JSON and repr() all change.
NASTY = "p&ss w+rd%=\"'<ü>/\\😀"


def lower_hex(text: str) -> str:
    return re.sub(r"%[0-9A-F]{2}", lambda m: m[0].lower(), text)


def encodings(secret: str) -> list[str]:
    return [
        secret,
        quote_plus(secret),
        lower_hex(quote_plus(secret)),
        quote(secret, safe=""),
        lower_hex(quote(secret, safe="")),
        quote(secret),
        html.escape(secret),
        html.escape(secret, quote=False),
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1],
        repr(secret)[1:-1],
        ascii(secret)[1:-1],
        "".join(f"&#{ord(c)};" for c in secret),
        "".join(f"&#x{ord(c):X};" for c in secret),
    ]


@pytest.mark.parametrize("form", range(14))
def test_every_encoding_of_a_secret_is_masked(form: int) -> None:
    echoed = encodings(NASTY)[form]
    text = f"<p>Bad request: login=ops&psw-copy={echoed}&mes=disk+full</p>"
    clean = redact(text, [NASTY])
    assert echoed not in clean
    assert MASK in clean
    assert "login=ops" in clean and "mes=disk+full" in clean


def test_a_mix_of_encodings_in_one_secret_is_masked() -> None:
    # A proxy that encodes only some characters.
    mixed = "p%26ss w%2Brd%25=%22'&lt;ü%3E/\\😀"
    assert redact(f"echo: {mixed}!", [NASTY]) == f"echo: {MASK}!"


def test_the_password_md5_and_the_api_key_are_secrets() -> None:
    forms = secret_forms("s3cret", "KEY-123")
    digest = hashlib.md5(b"s3cret").hexdigest()
    assert forms == ("s3cret", digest, digest.upper(), "KEY-123")
    digest = hashlib.md5(b"s3cret").hexdigest().upper()
    assert redact(f"psw_hash {digest} key KEY%2D123", forms) == f"psw_hash {MASK} key {MASK}"


def test_credential_fields_are_masked_even_when_cut() -> None:
    # A server that quotes only the start of the body cuts the password: none of it shows.
    body = urlencode({"login": "ops", "psw": "correct horse battery staple"})[:30]
    clean = redact(f"Request was: {body}", ["correct horse battery staple"])
    assert "corr" not in clean and "psw=***" in clean
    assert redact('{"apikey": "abc", "x": 1}', []) == '{"apikey": "***", "x": 1}'


@given(st.text(min_size=1, max_size=20), st.sampled_from(range(14)))
@example("\x08\x0c\r", 8)  # JSON's short escapes \b \f \r
def test_any_secret_in_any_encoding_is_masked(secret: str, form: int) -> None:
    echoed = encodings(secret)[form]
    assert redact(f"[{echoed}]", [secret]) != f"[{echoed}]" or not echoed


def test_redactor_finds_only_what_is_there() -> None:
    redactor = Redactor(["hunter2"])
    assert redactor.finds("x hunter%32 y")
    assert not redactor.finds("balance 12.50")


def test_an_answer_that_echoes_the_request_raises_without_secrets() -> None:
    credentials = Credentials(login="ops", password=NASTY)
    operation = send("79991234567", "disk full")
    body = urlencode(form_fields(operation.request, credentials))
    page = f"<html><body>502 Bad Gateway<pre>{html.escape(body)}</pre></body></html>"
    with pytest.raises(ResponseError) as info:
        read_answer(operation, page, credentials.secrets)
    for text in (str(info.value), repr(info.value), info.value.detail):
        for echoed in encodings(NASTY):
            assert echoed not in text
    assert info.value.may_have_been_sent  # the send reached a server: it may have gone out


def test_an_unreadable_answer_to_a_read_was_not_a_send() -> None:
    with pytest.raises(ResponseError) as info:
        read_answer(balance(), "<html>oops</html>", ())
    assert not info.value.may_have_been_sent


def test_a_service_error_quoting_the_password_is_masked() -> None:
    credentials = Credentials(login="ops", password="pa ss")
    answer = json.dumps({"error": "bad psw pa+ss for ops", "error_code": 2})
    with pytest.raises(ApiError) as info:
        read_answer(balance(), answer, credentials.secrets)
    assert "pa+ss" not in str(info.value) and "pa+ss" not in info.value.description
    assert not info.value.may_have_been_sent
