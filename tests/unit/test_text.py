"""GSM 03.38 / UCS2 detection, part counting and splitting."""

from hypothesis import given
from hypothesis import strategies as st

from pysmsc import text
from pysmsc.text import Encoding, segment, split


def test_gsm_alphabet_has_128_septets_and_ten_extensions() -> None:
    assert len(text.GSM_BASIC) == 128
    assert len(text.GSM_EXTENSION) == 10


def test_latin_limits_160_then_153_per_part() -> None:
    assert segment("a" * 160) == text.Segmentation(Encoding.GSM7, 160, 1, 160, 0)
    assert segment("a" * 161).parts == 2
    assert segment("a" * 306).parts == 2
    assert segment("a" * 307).parts == 3


def test_cyrillic_limits_70_then_67_per_part() -> None:
    assert segment("я" * 70).parts == 1
    assert segment("я" * 71).parts == 2
    assert segment("я" * 134).parts == 2
    assert segment("я" * 135).parts == 3


def test_extension_characters_take_two_septets() -> None:
    assert segment("€" * 80) == text.Segmentation(Encoding.GSM7, 160, 1, 160, 0)
    assert segment("€" * 81).parts == 2


def test_one_non_gsm_character_switches_the_whole_text_to_ucs2() -> None:
    assert text.detect_encoding("Hello") is Encoding.GSM7
    assert text.detect_encoding("Hello ✓") is Encoding.UCS2
    assert segment("a" * 100 + "я").parts == 2  # 101 UCS2 units


def test_split_never_cuts_an_escape_pair() -> None:
    parts = split("a" * 152 + "€" + "b" * 10)
    assert parts == ["a" * 152, "€" + "b" * 10]


def test_split_never_cuts_a_surrogate_pair() -> None:
    parts = split("я" * 66 + "😀" + "я" * 10)
    assert parts[0] == "я" * 66
    assert parts[1].startswith("😀")


def test_latin1_limits_for_the_smpp_iso_option() -> None:
    assert segment("é" * 140, Encoding.LATIN1).parts == 1
    assert segment("é" * 141, Encoding.LATIN1).parts == 2


def test_encode_and_decode_gsm_with_escapes() -> None:
    data = text.encode("{Hi}€", Encoding.GSM7)
    assert data[:2] == bytes((0x1B, 0x28))
    assert text.decode(data, Encoding.GSM7) == "{Hi}€"


def test_decode_never_raises_on_broken_input() -> None:
    assert text.decode(b"\xd8\x00", Encoding.UCS2) == "\ufffd"
    assert text.decode(b"\x1b\x01", Encoding.GSM7) == " "


@given(st.text(max_size=400))
def test_split_is_lossless_and_every_part_fits(value: str) -> None:
    parts = split(value)
    assert "".join(parts) == value
    info = segment(value)
    assert len(parts) == info.parts
    for part in parts:
        assert segment(part, info.encoding).length <= (
            160 if info.encoding is Encoding.GSM7 else 70
        )


@given(
    st.text(
        alphabet=st.sampled_from(text.GSM_BASIC.replace("\x1b", "") + "".join(text.GSM_EXTENSION)),
        max_size=300,
    )
)
def test_gsm_round_trip(value: str) -> None:
    assert text.decode(text.encode(value, Encoding.GSM7), Encoding.GSM7) == value


@given(st.binary(max_size=300), st.sampled_from(list(Encoding)))
def test_decode_accepts_arbitrary_bytes(data: bytes, encoding: Encoding) -> None:
    assert isinstance(text.decode(data, encoding), str)
