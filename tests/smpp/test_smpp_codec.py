# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""PDU codec, TLVs, data codings, concatenation, receipts, typed contents: no sockets."""

from __future__ import annotations

import struct
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pysmsc import MessageKind
from pysmsc.errors import ValidationError
from pysmsc.smpp import (
    Call,
    CommandStatus,
    DeliveryReceipt,
    HlrResult,
    Mail,
    MessageState,
    Ping,
    Social,
    SystemType,
    TelegramBot,
    TelegramCode,
    TemplateType,
    Viber,
    Voice,
)
from pysmsc.smpp.coding import (
    data_coding_for,
    decode_message,
    encoding_of,
    is_binary,
)
from pysmsc.smpp.concat import ConcatMethod, Reassembler, build_parts, concat_info, parse_udh
from pysmsc.smpp.content import Hlr, render
from pysmsc.smpp.errors import PduDecodeError
from pysmsc.smpp.incoming import assemble, build_incoming
from pysmsc.smpp.pdu import (
    BindTransceiver,
    BindTransceiverResp,
    BindTransmitter,
    DeliverSm,
    DeliverSmResp,
    EnquireLink,
    GenericNack,
    QuerySm,
    QuerySmResp,
    SubmitSm,
    SubmitSmResp,
    Unbind,
    UnknownPdu,
    decode_pdu,
    smpp_time,
)
from pysmsc.smpp.receipts import (
    ExtraState,
    MessageFlags,
    build_hlr_result,
    build_receipt,
    is_receipt,
    parse_fields,
    parse_report,
)
from pysmsc.smpp.status import status_description, status_name
from pysmsc.smpp.tlv import Tag, Tlv, find_tlv
from pysmsc.text import GSM_BASIC, GSM_EXTENSION, Encoding, decode, encode, is_gsm7
from pysmsc.text import encode as encode_text
from pysmsc.text import encode_gsm7 as gsm7_octets

# --- PDUs -------------------------------------------------------------------------------------

ROUND_TRIP = [
    BindTransceiver(
        sequence_number=1, system_id="user", password="secret", system_type="MCON2,ISO,SINGLE"
    ),
    BindTransmitter(sequence_number=2, system_id="u", password="p", addr_ton=1, addr_npi=1),
    BindTransceiverResp(sequence_number=1, system_id="SMSC", tlvs=[Tlv(0x0210, b"\x34")]),
    SubmitSm(
        sequence_number=7,
        source_addr_ton=5,
        source_addr="Sender",
        dest_addr_ton=1,
        dest_addr_npi=1,
        destination_addr="79991234567",
        esm_class=0x40,
        registered_delivery=1,
        data_coding=8,
        validity_period="000001000000000R",
        short_message=b"\x05\x00\x03\x01\x02\x01" + "Привет".encode("utf-16-be"),
        tlvs=[Tlv(0x1234, b"\x01\x02\x03"), Tlv(0x2000, b"1.25\x00")],
    ),
    SubmitSmResp(sequence_number=7, message_id="12345"),
    DeliverSm(sequence_number=9, source_addr="7999", short_message=b"hi", tlvs=[Tlv(0x2004, b"")]),
    DeliverSmResp(sequence_number=9),
    QuerySm(sequence_number=3, message_id="55", source_addr="x"),
    QuerySmResp(sequence_number=3, message_id="55", final_date="", message_state=2, error_code=0),
    EnquireLink(sequence_number=4),
    Unbind(sequence_number=5),
    GenericNack(sequence_number=6, command_status=CommandStatus.ESME_RINVCMDID),
]


@pytest.mark.parametrize("pdu", ROUND_TRIP, ids=lambda p: type(p).__name__)
def test_round_trip(pdu: object) -> None:
    data = pdu.encode()  # type: ignore[attr-defined]
    assert struct.unpack(">I", data[:4])[0] == len(data)
    assert decode_pdu(data) == pdu


def test_unknown_tlvs_are_kept_raw_in_order() -> None:
    pdu = DeliverSm(
        tlvs=[Tlv(0x7777, b"\xff" * 3), Tlv(Tag.MESSAGE_STATE, b"\x02"), Tlv(0x7777, b"")]
    )
    decoded = decode_pdu(pdu.encode())
    assert decoded.tlvs == pdu.tlvs
    assert decoded.tlvs[0].name == "0x7777"
    assert decoded.tlvs[1].name == "MESSAGE_STATE"


def test_password_never_in_repr() -> None:
    assert "secret" not in repr(BindTransceiver(system_id="user", password="secret"))


def test_error_response_has_no_body_and_decodes_leniently() -> None:
    resp = SubmitSmResp(
        sequence_number=3, command_status=CommandStatus.ESME_RTHROTTLED, message_id="x"
    )
    data = resp.encode()
    assert len(data) == 16
    decoded = decode_pdu(data)
    assert isinstance(decoded, SubmitSmResp)
    assert decoded.command_status == CommandStatus.ESME_RTHROTTLED
    assert decoded.message_id == ""
    # a header-only deliver_sm_resp with status 0 (as some ESMEs send) is fine too
    assert decode_pdu(struct.pack(">IIII", 16, 0x80000005, 0, 4)) == DeliverSmResp(
        sequence_number=4
    )


def test_unknown_command_and_status() -> None:
    data = struct.pack(">IIII", 20, 0x00000103, 0, 8) + b"abcd"
    pdu = decode_pdu(data)
    assert isinstance(pdu, UnknownPdu)
    assert pdu.command_id == 0x103
    assert pdu.body == b"abcd"
    assert isinstance(pdu.response(), GenericNack)
    assert pdu.response().command_status == CommandStatus.ESME_RINVCMDID
    odd = decode_pdu(SubmitSmResp(sequence_number=1, command_status=0x4321).encode())
    assert odd.command_status == 0x4321
    assert status_name(0x4321) == "0x00004321"
    assert "vendor" in status_description(0x401)
    assert status_name(0x58) == "ESME_RTHROTTLED"


def _relength(data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + data[4:]


@pytest.mark.parametrize(
    "data",
    [
        b"",
        struct.pack(">IIII", 17, 4, 0, 1),  # command_length does not match
        _relength(struct.pack(">IIII", 0, 4, 0, 1) + b"abcd"),  # submit_sm cut short (no NUL)
        _relength(SubmitSm(short_message=b"abc").encode()[:-2]),  # fewer octets than sm_length
        _relength(DeliverSm().encode() + b"\x00"),  # a truncated TLV header
        _relength(DeliverSm(tlvs=[Tlv(0x1, b"abcd")]).encode()[:-1]),  # a TLV past the end
    ],
)
def test_decode_errors(data: bytes) -> None:
    with pytest.raises(PduDecodeError) as info:
        decode_pdu(data)
    assert info.value.status in (
        CommandStatus.ESME_RINVCMDLEN,
        CommandStatus.ESME_RINVOPTPARSTREAM,
        CommandStatus.ESME_RINVPARLEN,
    )


def test_response_of_request() -> None:
    resp = SubmitSm(sequence_number=42).response(CommandStatus.ESME_RINVDSTADR)
    assert isinstance(resp, SubmitSmResp)
    assert resp.sequence_number == 42
    assert resp.command_status == CommandStatus.ESME_RINVDSTADR


def test_smpp_time() -> None:
    assert smpp_time(timedelta(days=1, hours=2, minutes=3, seconds=4)) == "000001020304000R"
    moscow = timezone(timedelta(hours=3))
    assert smpp_time(datetime(2024, 5, 6, 7, 8, 9, 500000, tzinfo=moscow)) == "240506070809512+"
    west = timezone(timedelta(hours=-5))
    assert smpp_time(datetime(2024, 5, 6, 7, 8, 9, tzinfo=west)).endswith("020-")
    with pytest.raises(ValueError):
        smpp_time(timedelta(days=120))


# --- data_coding --------------------------------------------------------------------------------


def test_data_coding_for_the_service() -> None:
    assert data_coding_for(Encoding.GSM7) == 0
    assert data_coding_for(Encoding.LATIN1) == 4
    assert data_coding_for(Encoding.UCS2) == 8
    assert data_coding_for(Encoding.UCS2, flash=True) == 0x18
    assert data_coding_for(Encoding.GSM7, flash=True) == 0x10
    with pytest.raises(ValueError):
        data_coding_for(Encoding.LATIN1, flash=True)


@pytest.mark.parametrize(
    ("data_coding", "data", "text"),
    [
        (0, encode("Hello @ {€}", Encoding.GSM7), "Hello @ {€}"),
        (1, b"plain ascii", "plain ascii"),
        (3, "Grüße".encode("latin-1"), "Grüße"),
        (4, "café".encode("latin-1"), "café"),
        (6, "Привет".encode("iso8859_5"), "Привет"),
        (7, "שלום".encode("iso8859_8"), "שלום"),
        (8, "Привет 😀".encode("utf-16-be"), "Привет 😀"),
        (0x18, "Flash".encode("utf-16-be"), "Flash"),
        (0x10, encode("Flash", Encoding.GSM7), "Flash"),
        (0xF0, encode("Class 0", Encoding.GSM7), "Class 0"),
        (0xF4, b"\x01\x02", "\x01\x02"),
        (0x0E, "한국".encode("euc_kr"), "한국"),
        (0x05, "日本".encode("shift_jis"), "日本"),
    ],
)
def test_decode_every_coding(data_coding: int, data: bytes, text: str) -> None:
    assert decode_message(data_coding, data) == text


def test_decode_never_raises_on_odd_input() -> None:
    for data_coding in range(256):
        for data in (b"\xff\xfe\xd8\x00", b"\x1b", b"\x81", b"\xd8"):
            assert isinstance(decode_message(data_coding, data), str)
    assert is_binary(2)
    assert is_binary(0xF4)
    assert not is_binary(4)
    assert not is_binary(8)
    assert encoding_of(0xE1) is Encoding.UCS2
    assert encoding_of(0x02) is None


# --- concatenation -------------------------------------------------------------------------------


def _texts(parts: list[bytes], encoding: Encoding) -> list[str]:
    return [decode(parse_udh(p)[2], encoding) for p in parts]


def test_split_udh_never_cuts_escape_or_surrogate() -> None:
    gsm = "a" * 152 + "€" + "b" * 200  # the euro sign (ESC 0x65) falls on the part boundary
    parts = build_parts(gsm, Encoding.GSM7, reference=7)
    assert len(parts) == 3
    assert all(p.esm_class == 0x40 for p in parts)
    assert [p.short_message[:6] for p in parts] == [bytes((5, 0, 3, 7, 3, i)) for i in (1, 2, 3)]
    assert all(len(p.short_message) - 6 <= 153 for p in parts)
    assert "".join(_texts([p.short_message for p in parts], Encoding.GSM7)) == gsm
    assert not any(p.short_message.endswith(b"\x1b") for p in parts)
    ucs = "я" * 66 + "😀" + "ю" * 100  # the emoji's surrogate pair falls on the boundary
    parts = build_parts(ucs, Encoding.UCS2, reference=300)
    assert parts[0].short_message[3] == 300 & 0xFF
    texts = _texts([p.short_message for p in parts], Encoding.UCS2)
    assert "".join(texts) == ucs
    assert "\ufffd" not in "".join(texts)
    assert all(len(p.short_message) - 6 <= 134 for p in parts)


def test_split_sar_and_payload() -> None:
    text = "x" * 400
    parts = build_parts(text, Encoding.GSM7, reference=0x1234, method=ConcatMethod.SAR)
    assert len(parts) == 3
    assert parts[2].esm_class == 0
    assert find_tlv(list(parts[2].tlvs), Tag.SAR_SEGMENT_SEQNUM) == Tlv(0x020F, b"\x03")
    assert find_tlv(list(parts[0].tlvs), Tag.SAR_MSG_REF_NUM) == Tlv(0x020C, b"\x12\x34")
    (payload,) = build_parts(text, Encoding.GSM7, reference=1, method=ConcatMethod.PAYLOAD)
    assert payload.short_message == b""
    assert payload.tlvs[0].tag == Tag.MESSAGE_PAYLOAD
    (short,) = build_parts("short", Encoding.GSM7, reference=1)
    assert short.esm_class == 0
    assert short.short_message == encode("short", Encoding.GSM7)


def test_parse_udh_variants() -> None:
    udh16 = bytes((6, 8, 4, 0x12, 0x34, 3, 2))
    _, info, rest = parse_udh(udh16 + b"data")
    assert info is not None
    assert (info.reference, info.total, info.sequence, info.scheme) == (0x1234, 3, 2, "udh16")
    assert rest == b"data"
    # port addressing before the concatenation element
    udh = bytes((0x0B, 0x05, 0x04, 0x0B, 0x84, 0x23, 0xF0, 0x00, 0x03, 0x09, 0x02, 0x01))
    _, info, rest = parse_udh(udh + b"x")
    assert info is not None
    assert (info.reference, info.total, info.sequence) == (9, 2, 1)
    # a UDH longer than the data is not a UDH
    assert parse_udh(b"\x50abc") == (b"", None, b"\x50abc")
    # sequence 0 is not a valid part
    assert parse_udh(bytes((5, 0, 3, 1, 2, 0)))[1] is None


def test_concat_info_from_sar_and_payload() -> None:
    pdu = DeliverSm(
        short_message=b"abc",
        tlvs=[
            Tlv.integer(Tag.SAR_MSG_REF_NUM, 500, 2),
            Tlv.integer(Tag.SAR_TOTAL_SEGMENTS, 2, 1),
            Tlv.integer(Tag.SAR_SEGMENT_SEQNUM, 2, 1),
        ],
    )
    info = concat_info(pdu)
    assert info is not None
    assert (info.reference, info.total, info.sequence, info.scheme) == (500, 2, 2, "sar")
    payload = DeliverSm(
        esm_class=0x40, tlvs=[Tlv(Tag.MESSAGE_PAYLOAD, bytes((5, 0, 3, 1, 2, 1)) + b"x")]
    )
    info = concat_info(payload)
    assert info is not None
    assert info.sequence == 1


def test_reassembler_completes_and_expires() -> None:
    now = [0.0]
    reassembler: Reassembler[str] = Reassembler(10.0, clock=lambda: now[0])
    parts = build_parts("z" * 400, Encoding.GSM7, reference=3)
    infos = [parse_udh(p.short_message)[1] for p in parts]
    assert all(infos)
    assert reassembler.add("k", infos[2], "c") is None  # type: ignore[arg-type]
    assert reassembler.add("k", infos[0], "a") is None  # type: ignore[arg-type]
    assert reassembler.add("k", infos[0], "dup") is None  # type: ignore[arg-type]
    assert reassembler.add("k", infos[1], "b") == ["a", "b", "c"]  # type: ignore[arg-type]
    assert len(reassembler) == 0
    reassembler.add("k2", infos[0], "a")  # type: ignore[arg-type]
    assert reassembler.expire() == []
    now[0] = 11.0
    assert reassembler.expire() == [["a", None, None]]


def test_assemble_joins_octets_before_decoding() -> None:
    text = "я" * 60 + "😀"
    data = text.encode("utf-16-be")
    cut = 122  # 60 Cyrillic letters and the high surrogate of the emoji: a sender cut the pair
    first = DeliverSm(
        esm_class=0x40, data_coding=8, short_message=bytes((5, 0, 3, 1, 2, 1)) + data[:cut]
    )
    second = DeliverSm(
        esm_class=0x40, data_coding=8, short_message=bytes((5, 0, 3, 1, 2, 2)) + data[cut:]
    )
    message = assemble([first, second])
    assert message.text == text
    assert message.complete
    partial = assemble([first, None])
    assert not partial.complete
    assert partial.missing_parts == (2,)


def test_build_incoming_round_trip() -> None:
    pdus = build_incoming("79990001122", "100", "Ответ " * 30)
    assert len(pdus) > 1
    assert all(p.data_coding == 8 for p in pdus)
    assert assemble(pdus).text == "Ответ " * 30


# --- receipts -------------------------------------------------------------------------------------


def test_parse_receipt_text_only() -> None:
    text = "id:854019 sub:001 dlvrd:001 submit date:1108202241 done date:1108202242 stat:DELIVRD err:000"
    pdu = DeliverSm(esm_class=4, source_addr="79991234567", short_message=text.encode())
    assert is_receipt(pdu)
    report = parse_report(pdu)
    assert isinstance(report, DeliveryReceipt)
    assert report.message_id == "854019"
    assert report.state is MessageState.DELIVERED
    assert report.delivered and report.final
    assert report.error == 0
    assert report.submitted_parts == 1
    assert report.submit_date == datetime(2011, 8, 20, 22, 41)
    assert report.done_date == datetime(2011, 8, 20, 22, 42)
    assert report.phone == "79991234567"


def test_tlvs_win_over_text_and_service_tlvs_decode() -> None:
    flags = MessageFlags.build(
        MessageKind.VIBER,
        second_balance=True,
        template=True,
        template_type=TemplateType.ADVERTISING,
    )
    assert flags.raw == 10 | 0x20 | 0x100 | (3 << 9)
    pdu = DeliverSm(
        esm_class=4,
        short_message=b"id:1 sub:001 dlvrd:000 submit date:2401011200 done date:2401011200 stat:ACCEPTD err:000",
        tlvs=[
            Tlv.cstring(Tag.RECEIPTED_MESSAGE_ID, "777"),
            Tlv.integer(Tag.MESSAGE_STATE, 5, 1),
            Tlv(Tag.NETWORK_ERROR_CODE, b"\x03\x00\x06"),
            Tlv.cstring(Tag.SMSC_COST, "2.5000"),
            Tlv.integer(Tag.SMSC_MESSAGE_FLAGS, flags.raw, 2),
            Tlv.integer(Tag.SMSC_PARTS, 2, 2),
            Tlv.cstring(Tag.SMSC_MCCMNC, "25002"),
            Tlv.integer(Tag.SMSC_EXTRA_STATE, 2, 2),
            Tlv(0x3333, b"vendor"),
        ],
    )
    report = parse_report(pdu)
    assert isinstance(report, DeliveryReceipt)
    assert report.message_id == "777"
    assert report.state is MessageState.UNDELIVERABLE
    assert report.stat == "ACCEPTD"  # the text as sent
    assert report.network_error is not None
    assert report.network_error.code == 6
    assert report.cost == Decimal("2.5")
    assert report.flags is not None
    assert report.flags.kind is MessageKind.VIBER
    assert report.flags.second_balance
    assert report.flags.template
    assert report.flags.template_type is TemplateType.ADVERTISING
    assert report.parts == 2
    assert report.mccmnc == "25002"
    assert report.extra_state is ExtraState.READ
    assert Tlv(0x3333, b"vendor") in report.tlvs


def test_receipt_with_broken_fields_still_parses() -> None:
    pdu = DeliverSm(esm_class=4, short_message=b"id: stat:WEIRD err:xyz submit date:99 text:id:5 x")
    report = parse_report(pdu)
    assert isinstance(report, DeliveryReceipt)
    assert report.message_id == ""
    assert report.state is None
    assert report.error is None
    assert report.submit_date is None
    assert parse_fields("id:1 text:stat:DELIVRD id:2")["text"] == "stat:DELIVRD id:2"


def test_hlr_result() -> None:
    text = (
        "id:855469 stat:DELIVRD err:000 imsi:250023012345678 msc:79232510066 mcc:250 mnc:02 "
        "cn:Russian+Federation net:MegaFON+open+Joint+Stock+Company rcn: rnet:"
    )
    report = parse_report(DeliverSm(esm_class=4, short_message=text.encode()))
    assert isinstance(report, HlrResult)
    assert report.message_id == "855469"
    assert report.imsi == "250023012345678"
    assert report.country == "Russian Federation"
    assert report.network == "MegaFON open Joint Stock Company"
    assert report.roaming_country == ""
    assert report.mnc == "02"
    built = parse_report(build_hlr_result("9", phone="7999", country="Страна", network="Сеть"))
    assert isinstance(built, HlrResult)
    assert built.country == "Страна"
    assert built.flags is not None
    assert built.flags.kind is MessageKind.HLR


def test_build_receipt_round_trip() -> None:
    pdu = build_receipt("42", phone="7999", sender="me", stat="UNDELIV", err=249, cost="1.5")
    decoded = decode_pdu(pdu.encode())
    assert isinstance(decoded, DeliverSm)
    report = parse_report(decoded)
    assert isinstance(report, DeliveryReceipt)
    assert (report.message_id, report.state, report.error) == (
        "42",
        MessageState.UNDELIVERABLE,
        249,
    )
    assert report.cost == Decimal("1.5")
    assert not is_receipt(DeliverSm(short_message=b"id:1 stat:DELIVRD"))


# --- contents and options --------------------------------------------------------------------------


def test_render_prefixes() -> None:
    assert render("hi") == "hi"
    assert render("hi", "for the history") == "hi\n~~~\nfor the history"
    assert render(Call("Your code 1234")) == "__CALL__: Your code 1234"
    assert render(Call("x", voice=Voice.W2, language="en")) == "__CALL__: x\nvoice:w2,en"
    assert (
        render(Call("x", voice=Voice.M, wait=25, interval=60, attempts=3))
        == "__CALL__: x\nvoice:m\n~~~\nparam=25,60,3"
    )
    assert render(Mail("body", subject="Subj")) == "__MAIL__: body\nsubj:Subj"
    assert render(Viber("v")) == "__VIBER__: v"
    assert render(Social("s")) == "__SOC__: s"
    assert render(TelegramCode("123456")) == "__TGM__: 123456"
    assert render(TelegramBot("t", bot="@my_bot")) == "__BOT__: t\nbot:@my_bot"
    assert render(TelegramBot("t", bot="my_bot")) == "__BOT__: t\nbot:@my_bot"
    assert render(Hlr()) == "__HLR__"
    assert render(Ping(), "c") == "__PING__\n~~~\nc"


@pytest.mark.parametrize(
    ("content", "comment", "field"),
    [
        (TelegramCode("123"), None, "code"),
        (TelegramCode("123456789"), None, "code"),
        (TelegramCode("12a4"), None, "code"),
        (TelegramBot("t", bot="bad name"), None, "bot"),
        (Call("x", language="en"), None, "language"),
        (Call("x", wait=10), None, "wait/interval/attempts"),
        (Call("x", voice=Voice.M, wait=1, interval=1, attempts=1), "c", "comment"),
        ("text\n~~~\nhidden", None, "text"),
        (Mail("b", subject="two\nlines"), None, "subject"),
    ],
)
def test_render_validation(content: object, comment: str | None, field: str) -> None:
    with pytest.raises(ValidationError) as info:
        render(content, comment)  # type: ignore[arg-type]
    assert info.value.field == field


def test_system_type() -> None:
    assert str(SystemType()) == ""
    value = SystemType(connections=2, iso=True, single=True)
    assert str(value) == "MCON2,ISO,SINGLE"
    assert SystemType.parse("MCON2,ISO,SINGLE") == value
    assert SystemType.parse(" iso , single,VENDOR") == SystemType(
        iso=True, single=True, extra=("VENDOR",)
    )
    assert SystemType.parse("MCON0") == SystemType(extra=("MCON0",))
    with pytest.raises(ValidationError):
        SystemType(connections=10)
    with pytest.raises(ValidationError):
        SystemType(extra=("a,b",))


def test_fast_gsm_codec_matches_text_module() -> None:
    alphabet = st.sampled_from(GSM_BASIC + "".join(GSM_EXTENSION) + "`ЖÀ😀\x1b\x00~")

    @settings(max_examples=300, deadline=None)
    @given(st.text(alphabet, max_size=60), st.binary(max_size=60))
    def check(text: str, data: bytes) -> None:
        fast = gsm7_octets(text)
        if is_gsm7(text):
            assert fast == encode(text, Encoding.GSM7) == encode_text(text, Encoding.GSM7)
        else:
            assert fast is None
        assert decode_message(0, data) == decode(data, Encoding.GSM7)

    check()
