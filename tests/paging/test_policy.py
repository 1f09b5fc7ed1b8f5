"""The escalation policy as a pure function over event sequences: each step, each race, each
restart, with the time given explicitly (seconds from the page's start)."""

from __future__ import annotations

import json
from datetime import time
from decimal import Decimal

import pytest

from pysmsc import ValidationError
from pysmsc.models import MessageStatus
from pysmsc.paging import (
    Acknowledge,
    Contact,
    Escalation,
    EscalationPolicy,
    Page,
    PageTexts,
    Phase,
    QuietHours,
    Resolve,
    SendOutcome,
    StatusUnavailable,
    UpdateText,
    parse_duration,
    report,
    route_reply,
)
from pysmsc.protocol.checks import check_text, service_prefix
from pysmsc.text import segment

from .helpers import ALICE, BOB, CAROL, T0, Drive, page

DELIVERED = MessageStatus.DELIVERED
PASSED = MessageStatus.PASSED_TO_OPERATOR
UNDELIVERABLE = MessageStatus.UNDELIVERABLE
NOT_FOUND = MessageStatus.NOT_FOUND

# The escalation call's text with the default words (docs/paging.md shows the same).
DEFAULT_CALL = """Alert.

{menu: Disk full on db1. Press 1 to acknowledge, 2 to pass to the next person, hash to hear this again.
#: start
1: url
1: Acknowledged. Thank you.
1: end
2: url
2: Passed to the next person. Goodbye.
2: end}"""


def test_the_first_message_is_an_sms_to_the_first_contact() -> None:
    drive = Drive()
    (send,) = drive.sends()
    assert send.record.message_id == "pg-t1-1" and send.record.outcome == "intended"
    assert drive.state.messages == (send.record,), "recorded as intended before it is sent"
    fields = dict(send.message.fields())
    assert fields == {
        "phones": "79990000001",
        "mes": "ALERT 4F2K: Disk full on db1\nReply 4F2K to acknowledge",
        "id": "pg-t1-1",
        "maxsms": "2",
    }
    assert drive.state.wake_at == T0 + 120


def test_an_undelivered_sms_is_followed_by_a_call_at_deliver_within() -> None:
    drive = Drive()
    drive.sent("pg-t1-1", at=1)
    assert drive.tick(119.9) == []
    (query,) = drive.tick(120)
    assert (query.message_id, query.phone) == ("pg-t1-1", "79990000001")
    assert drive.sends() == drive.sends()[:1], "no call before the status is known"
    (call,) = drive.status("pg-t1-1", PASSED, at=121)
    assert call.record.kind == "call" and call.record.message_id == "pg-t1-2"
    assert call.message.text == DEFAULT_CALL
    assert dict(call.message.fields())["param"] == "35,60,2"
    assert drive.state.turn is not None and drive.state.turn.step == "call"


def test_a_status_learnt_before_the_deadline_needs_no_query() -> None:
    drive = Drive()
    drive.sent("pg-t1-1", at=1)
    drive.status("pg-t1-1", PASSED, at=5)
    drive.event(StatusUnavailable("pg-t1-1"), at=119)  # a poll that failed before the deadline
    actions = drive.tick(120)
    assert drive.queries(actions), "news from before the deadline is not enough"
    drive.status("pg-t1-1", PASSED, at=121)
    assert drive.sends(purpose="call")


def test_a_status_query_that_fails_or_never_answers_does_not_hold_the_page() -> None:
    failing = Drive()
    failing.sent("pg-t1-1", at=1)
    failing.tick(120)
    (call,) = failing.event(StatusUnavailable("pg-t1-1", "status.php: no answer"), at=125)
    assert call.record.kind == "call"

    silent = Drive()
    silent.sent("pg-t1-1", at=1)
    silent.tick(120)
    assert silent.state.wake_at == T0 + 165
    assert silent.tick(164) == []
    (call,) = silent.sends(silent.tick(165))
    assert call.record.kind == "call"


def test_a_delivered_sms_waits_for_the_acknowledgement_then_calls() -> None:
    drive = Drive()
    drive.sent("pg-t1-1", at=1)
    drive.status("pg-t1-1", DELIVERED, at=3)
    assert drive.tick(120) == [] and drive.state.wake_at == T0 + 300
    (call,) = drive.tick(300)
    assert call.record.kind == "call"


@pytest.mark.parametrize("failure", ["status", "not sent"])
def test_an_sms_that_cannot_arrive_is_followed_by_a_call_at_once(failure: str) -> None:
    drive = Drive()
    if failure == "status":
        drive.sent("pg-t1-1", at=1)
        (call,) = drive.status("pg-t1-1", UNDELIVERABLE, at=9, error=1)
    else:
        (call,) = drive.event(SendOutcome("pg-t1-1", "not_sent", detail="send.php error 7"), at=1)
    assert call.record.kind == "call" and call.record.contact == "alice"


def test_key_1_stops_the_page() -> None:
    drive = Drive(page(ALICE, BOB, notify_acknowledged=False))
    drive.sent("pg-t1-1", at=1)
    drive.tick(120)
    drive.status("pg-t1-1", PASSED, at=121)
    drive.sent("pg-t1-2", at=122)
    actions = drive.key("pg-t1-2", "1", at=150)
    assert drive.state.phase == Phase.ACKNOWLEDGED
    assert drive.state.acknowledged_by == "alice" and drive.state.acknowledged_via == "key press"
    (notice,) = drive.notices(actions)
    assert notice.report.reason == "acknowledged by alice (key press)"
    assert notice.report.reached == ("alice",) and notice.report.calls == 1
    assert drive.sends(actions) == []
    assert drive.state.wake_at is None
    assert drive.tick(10_000) == [], "nothing more, ever"


def test_key_2_moves_to_the_next_contact() -> None:
    drive = Drive()
    drive.sent("pg-t1-1", at=1)
    drive.status("pg-t1-1", DELIVERED, at=2)
    drive.tick(300)
    drive.sent("pg-t1-2", at=301)
    (sms,) = drive.key("pg-t1-2", "2", at=320)
    assert sms.record.contact == "bob" and sms.record.purpose == "alert"
    assert drive.state.turn is not None and drive.state.turn.started_at == T0 + 320
    # Bob's own deadlines count from his turn.
    drive.sent("pg-t1-3", at=321)
    assert drive.state.wake_at == T0 + 320 + 120


@pytest.mark.parametrize("how", ["not answered", "no key pressed"])
def test_a_call_without_an_answer_moves_to_the_next_contact(how: str) -> None:
    drive = Drive(page(ALICE, BOB, channel=None))
    (call,) = drive.sends()
    assert call.record.kind == "call"
    drive.sent("pg-t1-1", at=1)
    if how == "not answered":
        (sms,) = drive.sends(drive.status("pg-t1-1", UNDELIVERABLE, at=130, error=237))
    else:
        drive.status("pg-t1-1", DELIVERED, at=20)  # answered, but no key
        assert drive.tick(179) == []
        (sms,) = drive.sends(drive.tick(180))
    assert sms.record.kind == "call" and sms.record.contact == "bob"


def test_nobody_acknowledged() -> None:
    drive = Drive(
        page(ALICE, BOB, call=False, deliver_within=None, ack_within=60, report_to=["+79990000009"])
    )
    drive.sent("pg-t1-1", at=1)
    drive.tick(60)  # alice: no acknowledgement in 60 s, no call: bob
    drive.sent("pg-t1-2", at=61)
    actions = drive.tick(120)
    assert drive.state.phase == Phase.EXHAUSTED
    (notice,) = drive.notices(actions)
    assert notice.report.reason == "nobody acknowledged" and not notice.report.acknowledged
    (report,) = drive.sends(actions)
    assert report.record.phone == "+79990000009"
    assert report.record.text == "NOBODY ACKNOWLEDGED 4F2K in 2 min: Disk full on db1"


def test_rounds_go_through_the_chain_again() -> None:
    drive = Drive(page(ALICE, BOB, call=False, deliver_within=None, ack_within=60, rounds=2))
    for at in (60, 120, 180):
        drive.tick(at)
    assert [s.record.contact for s in drive.sends()] == ["alice", "bob", "alice", "bob"]
    drive.tick(240)
    assert drive.state.phase == Phase.EXHAUSTED


def test_a_reply_acknowledges_and_the_others_reached_are_told() -> None:
    drive = Drive(page(ALICE, BOB, CAROL, call=False, ack_within=60))
    drive.sent("pg-t1-1", at=1)
    drive.tick(60)
    drive.sent("pg-t1-2", at=61)
    actions = drive.event(Acknowledge(via="reply", phone="+7 999 000-00-02"), at=70)
    assert drive.state.phase == Phase.ACKNOWLEDGED and drive.state.acknowledged_by == "bob"
    (told,) = drive.sends(actions)
    assert told.record.contact == "alice"
    assert told.record.text == "4F2K acknowledged by bob: Disk full on db1"


def test_a_reply_from_a_stranger_changes_nothing() -> None:
    drive = Drive()
    assert drive.event(Acknowledge(via="reply", phone="79995550000"), at=5) == []
    assert drive.state.phase == Phase.ESCALATING


def test_resolved_while_calling_tells_whoever_was_reached_once() -> None:
    drive = Drive(page(ALICE, BOB, CAROL))
    drive.sent("pg-t1-1", at=1)
    drive.status("pg-t1-1", UNDELIVERABLE, at=10)  # alice's SMS failed: call her
    drive.sent("pg-t1-2", at=11)
    drive.status("pg-t1-2", UNDELIVERABLE, at=100, error=237)  # not answered: bob
    drive.sent("pg-t1-3", at=101)
    drive.status("pg-t1-3", DELIVERED, at=102)
    drive.tick(401)  # bob did not acknowledge: call him
    assert drive.last_send().record.kind == "call"
    actions = drive.event(Resolve(), at=720)  # while bob's call is under way
    assert drive.state.phase == Phase.RESOLVED
    resolved = drive.sends(actions)
    assert [(s.record.contact, s.record.text) for s in resolved] == [
        ("bob", "RESOLVED 4F2K after 12 min: Disk full on db1")
    ], "alice was never reached, carol never paged"
    (notice,) = drive.notices(actions)
    assert notice.report.phase == Phase.RESOLVED and notice.report.reason == "resolved"
    assert drive.event(Resolve(), at=721) == []
    assert drive.tick(5000) == []


def test_resolved_after_acknowledged() -> None:
    drive = Drive(page(ALICE, BOB, notify_acknowledged=False))
    drive.sent("pg-t1-1", at=1)
    drive.event(Acknowledge(by="ops-bot"), at=30)
    assert drive.state.reason == "acknowledged by ops-bot (api)"
    actions = drive.event(Resolve(), at=90)
    assert [s.record.contact for s in drive.sends(actions)] == ["alice"]
    assert drive.state.reason == "acknowledged by ops-bot (api)"


@pytest.mark.parametrize("order", ["delivered first", "acknowledged first"])
def test_delivered_and_acknowledged_at_once(order: str) -> None:
    drive = Drive()
    drive.sent("pg-t1-1", at=1)
    if order == "delivered first":
        drive.status("pg-t1-1", DELIVERED, at=5)
        drive.event(Acknowledge(via="reply", phone=ALICE.phone), at=5)
    else:
        drive.event(Acknowledge(via="reply", phone=ALICE.phone), at=5)
        drive.status("pg-t1-1", DELIVERED, at=5)
    assert drive.state.phase == Phase.ACKNOWLEDGED
    assert drive.state.message("pg-t1-1").status == DELIVERED  # type: ignore[union-attr]
    assert len(drive.sends()) == 1 and drive.tick(10_000) == []


def test_key_1_after_the_page_moved_on_still_acknowledges() -> None:
    drive = Drive(page(ALICE, BOB, channel=None))
    drive.sent("pg-t1-1", at=1)
    drive.tick(180)  # alice did not press: bob is called
    assert drive.last_send().record.contact == "bob"
    assert drive.key("pg-t1-1", "2", at=185) == [], "a late 'pass' changes nothing"
    assert drive.state.phase == Phase.ESCALATING
    drive.key("pg-t1-1", "1", at=190)
    assert drive.state.phase == Phase.ACKNOWLEDGED and drive.state.acknowledged_by == "alice"


def test_other_keys_and_unknown_ids_are_ignored() -> None:
    drive = Drive(page(ALICE, BOB, channel=None))
    assert drive.key("pg-t1-1", "5", at=10) == []
    assert drive.key("pg-t1-99", "1", at=11) == []
    assert drive.key("pg-other-1", "1", at=12) == []
    assert drive.state.phase == Phase.ESCALATING
    # A key press means the call was answered.
    assert drive.state.message("pg-t1-1").status == DELIVERED  # type: ignore[union-attr]


def test_a_key_press_on_an_sms_is_ignored() -> None:
    drive = Drive()
    assert drive.key("pg-t1-1", "1", at=5) == []
    assert drive.state.phase == Phase.ESCALATING


def test_statuses_arriving_late_do_not_go_back() -> None:
    drive = Drive()
    drive.sent("pg-t1-1", at=1)
    drive.status("pg-t1-1", DELIVERED, at=5)
    drive.status("pg-t1-1", PASSED, at=6)  # the older status, late
    assert drive.state.message("pg-t1-1").status == DELIVERED  # type: ignore[union-attr]
    drive.status("pg-t1-1", MessageStatus.READ, at=7)
    assert drive.state.message("pg-t1-1").status == MessageStatus.READ  # type: ignore[union-attr]


# --- routing replies --------------------------------------------------------------------------


def test_a_reply_that_names_another_pages_code_acknowledges_that_page_only() -> None:
    disk = Drive(page(ALICE, BOB, key="disk"), code="4F2K", token="a")
    cpu = Drive(page(ALICE, BOB, key="cpu"), code="7XKM", token="b")
    states = [disk.state, cpu.state]
    assert route_reply(states, ALICE.phone, "ack 7XKM") == ["cpu"]
    assert route_reply(states, ALICE.phone, "7xkm on it") == ["cpu"]
    assert route_reply(states, ALICE.phone, "4F2K 7XKM") == ["disk", "cpu"]
    assert route_reply(states, ALICE.phone, "ACK"), "a bare ack: every page that reached alice"
    assert sorted(route_reply(states, ALICE.phone, "ok!")) == ["cpu", "disk"]
    assert route_reply(states, ALICE.phone, "ок") == ["disk", "cpu"]  # Cyrillic
    assert route_reply(states, BOB.phone, "ack") == [], "bob was not messaged yet"
    assert route_reply(states, BOB.phone, "7XKM") == ["cpu"], "a code works for anyone in the chain"
    assert route_reply(states, "79995550000", "7XKM") == [], "not from a stranger"
    assert route_reply(states, ALICE.phone, "who is this?") == []
    assert route_reply(states, ALICE.phone, "backtrack") == [], "words, not substrings"
    # A bare ack sent before the page messaged the number is about something else.
    assert route_reply(states, ALICE.phone, "ack", received_at=T0 - 60) == []


# --- quiet hours ------------------------------------------------------------------------------

NIGHT = QuietHours("07:00", "12:00", "Europe/Moscow")  # T0 is 11:00 in Moscow


def test_quiet_hours_skip_to_the_next_contact() -> None:
    sleepy = Contact("alice", ALICE.phone, NIGHT)
    drive = Drive(page(sleepy, BOB))
    (first,) = drive.sends()
    assert first.record.contact == "bob"
    assert drive.state.skipped == ("alice",)


def test_quiet_hours_never_mean_nobody() -> None:
    drive = Drive(page(Contact("alice", ALICE.phone, NIGHT), Contact("bob", BOB.phone, NIGHT)))
    assert drive.sends()[0].record.contact == "alice"
    assert drive.state.skipped == ()


def test_quiet_hours_windows() -> None:
    window = QuietHours.parse("23:00-07:00", "Europe/Moscow")
    assert str(window) == "23:00-07:00 Europe/Moscow"
    at = 1_800_000_000 - 11 * 3600  # 00:00 in Moscow
    assert window.active(at) and window.active(at + 6.9 * 3600)
    assert not window.active(at + 7 * 3600) and not window.active(at + 22.9 * 3600)
    assert QuietHours(time(9), time(17)).active(1_800_000_000 + 3600)  # 09:00 UTC
    assert not QuietHours("10:00", "10:00").active(1_800_000_000)
    for bad in (("25:00", "07:00", "UTC"), ("23:00", "07:00", "Mars/Olympus")):
        with pytest.raises(ValidationError):
            QuietHours(*bad)


# --- Viber, call only, delivery only ----------------------------------------------------------


def test_viber_refused_falls_back_to_sms_at_once() -> None:
    drive = Drive(page(ALICE, channel="viber"))
    assert drive.sends()[0].record.kind == "viber"
    (sms,) = drive.event(SendOutcome("pg-t1-1", "not_sent", detail="no Viber"), at=1)
    assert sms.record.kind == "sms" and sms.record.purpose == "fallback"
    assert sms.record.text.startswith("ALERT 4F2K")


def test_viber_not_delivered_in_time_falls_back_to_sms() -> None:
    drive = Drive(page(ALICE, channel="viber", viber_fallback_after=60))
    drive.sent("pg-t1-1", at=1)
    (query,) = drive.tick(60)
    assert query.message_id == "pg-t1-1"
    (sms,) = drive.status("pg-t1-1", PASSED, at=61)
    assert sms.record.kind == "sms"
    # The call still comes at deliver_within from the start of the turn.
    drive.sent("pg-t1-2", at=62)
    assert sorted(q.message_id for q in drive.queries(drive.tick(120))) == ["pg-t1-1", "pg-t1-2"]
    assert drive.status("pg-t1-2", PASSED, at=121) == [], "the Viber message may still arrive"
    (call,) = drive.sends(drive.status("pg-t1-1", PASSED, at=121))
    assert call.record.kind == "call"


def test_viber_delivered_needs_no_sms() -> None:
    drive = Drive(page(ALICE, channel="viber"))
    drive.sent("pg-t1-1", at=1)
    drive.status("pg-t1-1", DELIVERED, at=10)
    assert drive.tick(60) == [] and len(drive.sends()) == 1


def test_without_acknowledgement_delivery_ends_the_page() -> None:
    drive = Drive(page(ALICE, BOB, ack_within=None))
    drive.sent("pg-t1-1", at=1)
    (notice,) = drive.notices(drive.status("pg-t1-1", DELIVERED, at=5))
    assert drive.state.phase == Phase.DELIVERED and notice.report.reason == "delivered"
    # An answered call is a delivery too.
    called = Drive(page(ALICE, BOB, ack_within=None, channel=None))
    called.sent("pg-t1-1", at=1)
    called.status("pg-t1-1", DELIVERED, at=30)
    assert called.state.phase == Phase.DELIVERED


# --- money ------------------------------------------------------------------------------------


def test_the_pages_cost_cap_stops_it() -> None:
    drive = Drive(page(ALICE, BOB, max_cost="5.00", channel=None))
    drive.sent("pg-t1-1", at=1, cost="6.00")
    actions = drive.status("pg-t1-1", UNDELIVERABLE, at=60)
    assert drive.state.phase == Phase.STOPPED and drive.sends(actions) == []
    assert "cost cap (5.00)" in drive.state.reason
    assert drive.notices(actions)[0].report.cost == Decimal("6.00")


def test_the_runners_hourly_cap_stops_it() -> None:
    drive = Drive()
    actions = drive.event(
        SendOutcome(
            "pg-t1-1", "not_sent", detail="the hourly cost cap (100) was reached", capped=True
        ),
        at=1,
    )
    assert drive.state.phase == Phase.STOPPED
    assert drive.sends(actions) == [] and drive.notices(actions)


# --- nothing sent twice -----------------------------------------------------------------------


def test_a_send_that_may_have_gone_out_is_never_sent_again() -> None:
    drive = Drive()
    drive.event(SendOutcome("pg-t1-1", "uncertain", detail="no answer"), at=30)
    assert drive.tick(119) == []
    (query,) = drive.tick(120)
    (call,) = drive.status("pg-t1-1", NOT_FOUND, at=121)  # it never arrived: call instead
    assert call.record.kind == "call"
    assert [s.record.message_id for s in drive.sends()] == ["pg-t1-1", "pg-t1-2"]
    assert query.message_id == "pg-t1-1"


def test_an_uncertain_send_the_service_knows_is_sent() -> None:
    drive = Drive()
    drive.event(SendOutcome("pg-t1-1", "uncertain"), at=30)
    drive.status("pg-t1-1", DELIVERED, at=31)
    assert drive.state.message("pg-t1-1").outcome == "sent"  # type: ignore[union-attr]


def test_restart_with_a_send_that_did_go_out() -> None:
    drive = Drive()
    (query,) = drive.restart(at=5)  # killed while sending pg-t1-1
    assert query.message_id == "pg-t1-1"
    assert drive.status("pg-t1-1", PASSED, at=6) == []
    record = drive.state.message("pg-t1-1")
    assert record is not None and record.outcome == "sent" and not record.verify
    assert len(drive.sends()) == 1


def test_restart_with_a_send_that_never_went_out() -> None:
    drive = Drive()
    drive.restart(at=5)
    # "Not found" 6 s after the intent may be a request still on its way: wait.
    assert drive.status("pg-t1-1", NOT_FOUND, at=6) == []
    assert drive.state.wake_at == T0 + 90
    (query,) = drive.tick(90)
    (again,) = drive.status(query.message_id, NOT_FOUND, at=91)
    assert again.record.message_id == "pg-t1-1" and again.record.attempts == 2
    assert again.message == drive.sends()[0].message, "the same request, the same id"
    drive.sent("pg-t1-1", at=92)
    assert drive.state.message("pg-t1-1").outcome == "sent"  # type: ignore[union-attr]


def test_restarts_give_up_after_max_attempts() -> None:
    drive = Drive(
        page(ALICE, deliver_within=1000, ack_within=2000), policy=EscalationPolicy(max_attempts=2)
    )
    drive.restart(at=1)
    drive.tick(90)
    drive.status("pg-t1-1", NOT_FOUND, at=90)  # resend, attempt 2
    drive.restart(at=95)
    drive.tick(180)
    (call,) = drive.sends(drive.status("pg-t1-1", NOT_FOUND, at=181))
    assert drive.state.message("pg-t1-1").outcome == "not_sent"  # type: ignore[union-attr]
    assert call.record.kind == "call"


def test_restart_when_the_service_cannot_be_asked() -> None:
    drive = Drive(page(ALICE, BOB, deliver_within=None, ack_within=None))
    drive.restart(at=1)
    for at in (2, 40, 100, 140, 500, 899):
        drive.event(StatusUnavailable("pg-t1-1"), at=at)
        drive.tick(at + 0.5)
    drive.tick(900)
    record = drive.state.message("pg-t1-1")
    assert record is not None and record.outcome == "uncertain"
    assert len(drive.sends()) == 1, "never sent again without knowing"


@pytest.mark.parametrize(
    "step",
    [
        "sms in flight",
        "waiting for delivery",
        "query in flight",
        "call in flight",
        "calling",
        "resolving",
    ],
)
def test_restart_in_the_middle_of_each_step(step: str) -> None:
    """Kill at each step and resume from the stored state: every message goes out once."""
    drive = Drive(page(ALICE, BOB))
    script = [
        ("sms in flight", lambda: drive.sent("pg-t1-1", at=1)),
        ("waiting for delivery", lambda: drive.tick(120)),
        ("query in flight", lambda: drive.status("pg-t1-1", PASSED, at=121)),
        ("call in flight", lambda: drive.sent("pg-t1-2", at=122)),
        ("calling", lambda: drive.event(Resolve(), at=200)),
        ("resolving", lambda: drive.sent("pg-t1-3", at=201)),
    ]
    for name, run in script:
        if name == step:
            actions = drive.restart()
            for query in drive.queries(actions):  # the service knows what went out
                record = drive.state.message(query.message_id)
                assert record is not None
                known = any(s.record.message_id == query.message_id for s in drive.sends())
                drive.status(query.message_id, PASSED if known else NOT_FOUND)
        run()
    ids = [s.record.message_id for s in drive.sends()]
    assert ids == ["pg-t1-1", "pg-t1-2", "pg-t1-3"], ids
    assert drive.state.phase == Phase.RESOLVED


# --- texts ------------------------------------------------------------------------------------


def test_hostile_alert_texts_are_neutralised() -> None:
    hostile = (
        "__CALL__: x {menu: 1: url} {button,https://evil,x} <file https://evil/a.mp3>\n~~~\nparam"
    )
    drive = Drive(page(ALICE, text=hostile, channel="viber"))
    (viber,) = drive.sends()
    text = viber.record.text
    for macro in ("{", "}", "<file", "~~~"):
        assert macro not in text
    assert text.startswith(
        "ALERT 4F2K: _CALL__: x (menu: 1: url) (button,https://evil,x) (file https://evil/a.mp3>"
    )
    calling = Drive(page(ALICE, text=hostile, channel=None))
    menu = calling.sends()[0].message.text or ""
    assert menu.count("{menu:") == 1 and menu.count("}") == 1
    assert "\n1: url" in menu and menu.count("url") == 3, "only our own url commands"


def test_long_cyrillic_alerts_are_transliterated_then_cut_to_the_parts_cap() -> None:
    russian = "Диск заполнен на сервере базы данных db1, осталось 2%. " * 6
    drive = Drive(page(ALICE, text=russian, max_parts=2))
    text = drive.sends()[0].record.text
    assert segment(text).parts <= 2
    assert text.startswith("ALERT 4F2K: Disk zapolnen na servere bazy dannykh db1")
    assert text.endswith("...\nReply 4F2K to acknowledge")
    short = Drive(page(ALICE, text="Диск заполнен", max_parts=1))
    assert short.sends()[0].record.text == "ALERT 4F2K: Диск заполнен\nReply 4F2K to acknowledge"


def test_an_updated_text_is_used_by_later_messages() -> None:
    drive = Drive()
    drive.sent("pg-t1-1", at=1)
    drive.event(UpdateText("Disk full on db1 and db2"), at=50)
    drive.tick(120)
    (call,) = drive.status("pg-t1-1", PASSED, at=121)
    assert "db1 and db2" in (call.message.text or "")


def test_texts_are_checked() -> None:
    with pytest.raises(ValidationError, match=r"texts\.alert"):
        PageTexts(alert="no text here")
    with pytest.raises(ValidationError, match=r"texts\.resolved"):
        PageTexts(resolved="{when}")
    for options, field in (
        ({"channel": "pigeon"}, "escalation.channel"),
        ({"channel": None, "call": False}, "escalation"),
        ({"rounds": 0}, "escalation.rounds"),
        ({"max_parts": 11}, "escalation.max_parts"),
        ({"max_cost": "-1"}, "escalation.max_cost"),
        ({"deliver_within": 0}, "deliver_within"),
        ({"answer_within": 5}, "answer_within"),
        ({"sender": "a" * 12}, "escalation.sender"),
        ({"report_to": ["nobody"]}, "escalation.report_to"),
    ):
        with pytest.raises(ValidationError) as raised:
            Escalation(**options)  # type: ignore[arg-type]
        assert raised.value.field == field, options
    with pytest.raises(ValidationError, match="contacts"):
        Page("k", "t", [])
    with pytest.raises(ValidationError, match="unique"):
        Page("k", "t", [ALICE, ALICE])
    with pytest.raises(ValidationError, match="phone"):
        Contact("x", "79990000001,79990000002")


@pytest.mark.parametrize(
    "hostile",
    [
        "__CALL__: call me",
        "  __viber__: x",
        "\u200b__HLR__",
        "\ufeff__ping__",
        "\x1b[31m__SOC__: red\x85",
        "bad byte \udcff here",
    ],
)
def test_an_alert_that_would_read_as_a_prefix_is_still_sent(hostile: str) -> None:
    """The library refuses such texts; a pager defuses them and delivers the alert, even with
    a template that puts the alert first."""
    texts = PageTexts(alert="{text}", acknowledged="{text}", resolved="{text}", nobody="{text}")
    drive = Drive(page(ALICE, text=hostile, texts=texts))
    (send,) = drive.sends()
    text = send.message.text or ""
    assert service_prefix(text) is None
    check_text(text)  # what the library accepts
    assert "\x1b" not in text and "\x85" not in text and "\udcff" not in text


def test_durations_as_front_ends_write_them() -> None:
    escalation = Escalation(deliver_within="2m", ack_within="5 min", answer_within="1h30m")
    assert (escalation.deliver_within, escalation.ack_within, escalation.answer_within) == (
        120.0,
        300.0,
        5400.0,
    )
    assert parse_duration("90") == parse_duration("90s") == 90.0
    with pytest.raises(ValidationError) as raised:
        Escalation(deliver_within="soon")
    assert raised.value.field == "deliver_within"


def test_a_report_as_json() -> None:
    drive = Drive()
    drive.sent("pg-t1-1", at=1)
    drive.event(Acknowledge(by="ops"), at=60)
    data = report(drive.state).as_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["acknowledged"] is True and data["acknowledged_by"] == "ops"
    assert data["acknowledged_at"] == "2027-01-15T08:01:00+00:00" and data["cost"] == "1.40"
    assert data["reached"] == ["alice"]
