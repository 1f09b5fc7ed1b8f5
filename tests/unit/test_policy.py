"""The one policy every transport follows (sans-I/O, on a fake clock): which host next, whether
a request may be repeated, how long a read waits out a rate limit, and one deadline for the
whole operation."""

from __future__ import annotations

from typing import Any

import pytest

from pysmsc import protocol
from pysmsc.errors import RateLimitError, TransportError, ValidationError
from pysmsc.protocol import Request
from pysmsc.transport import Attempt, AttemptFailed, Failure, Policy, run

SEND = Request("send.php", (), sends_message=True)
READ = Request("status.php", (), idempotent=True)
WRITE = Request("templates.php", ())
HOSTS = ("https://smsc.ru", "https://www2.smsc.ru", "https://www3.smsc.ru")
RATE_LIMITED = '{"error": "too many requests", "error_code": 9}'


class Clock:
    """A monotonic clock that moves only when told (or when someone sleeps)."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


class Hosts:
    """A scripted POST: each attempt takes ``seconds`` and gets the next answer or failure."""

    def __init__(self, clock: Clock, *outcomes: Any, seconds: float = 0.0) -> None:
        self.clock = clock
        self.outcomes = list(outcomes)
        self.seconds = seconds
        self.attempts: list[Attempt] = []

    def __call__(self, attempt: Attempt) -> tuple[int, str]:
        self.attempts.append(attempt)
        outcome = self.outcomes.pop(0) if len(self.outcomes) > 1 else self.outcomes[0]
        self.clock.now += min(self.seconds, attempt.timeout)
        if isinstance(outcome, Failure):
            raise AttemptFailed(outcome, outcome.value)
        if isinstance(outcome, int):
            return outcome, "<html>bad gateway</html>"
        return 200, outcome


@pytest.mark.parametrize(
    ("request_", "failure", "moves_on"),
    [
        (SEND, Failure.NOT_CONNECTED, True),
        (SEND, Failure.NO_ANSWER, False),
        (SEND, Failure.BAD_STATUS, False),
        (READ, Failure.NO_ANSWER, True),
        (READ, Failure.BAD_STATUS, True),
        (WRITE, Failure.NOT_CONNECTED, True),
        (WRITE, Failure.NO_ANSWER, False),
    ],
)
def test_a_request_moves_on_only_when_it_cannot_be_repeated_by_mistake(
    request_: Request, failure: Failure, moves_on: bool
) -> None:
    attempts = Policy(HOSTS).start(request_, 0.0)
    assert attempts.next(0.0).url == f"https://smsc.ru{request_.path}"
    if moves_on:
        assert "trying the next host" in attempts.failed(failure, "boom", 1.0)
        assert attempts.next(1.0).host == "https://www2.smsc.ru"
    else:
        with pytest.raises(TransportError) as info:
            attempts.failed(failure, "boom", 1.0)
        assert info.value.maybe_received
        assert info.value.may_have_been_sent is request_.sends_message


def test_the_last_host_gives_up_with_the_outcome() -> None:
    attempts = Policy(HOSTS[:1]).start(SEND, 0.0)
    with pytest.raises(TransportError) as info:
        attempts.failed(Failure.NOT_CONNECTED, "refused", 0.1)
    assert not info.value.maybe_received and not info.value.may_have_been_sent


def test_one_deadline_across_all_hosts() -> None:
    clock = Clock()
    hosts = Hosts(clock, Failure.NO_ANSWER, seconds=30.0)
    five = Policy.for_service("https://smsc.ru", timeout=30.0)
    assert len(five.urls) == 5 and five.deadline == 60.0
    with pytest.raises(TransportError, match="deadline of 60 s"):
        run(protocol.balance(), five, hosts, clock=clock, sleep=clock.sleep)
    # Two full attempts fit in the deadline; the third was never started (not 5 x 30 s).
    assert clock.now - 1000.0 == 60.0
    assert [a.timeout for a in hosts.attempts] == [30.0, 30.0]


def test_an_attempt_never_outlives_the_deadline() -> None:
    clock = Clock()
    hosts = Hosts(clock, Failure.NOT_CONNECTED, Failure.NOT_CONNECTED, "[]", seconds=8.0)
    policy = Policy(HOSTS, timeout=10.0, deadline=20.0)
    assert run(protocol.templates(), policy, hosts, clock=clock, sleep=clock.sleep) == []
    assert [a.timeout for a in hosts.attempts] == [10.0, 10.0, 4.0]
    assert clock.now - 1000.0 <= 20.0


def test_rate_limited_reads_pause_within_their_budget_outside_the_deadline() -> None:
    clock = Clock()
    notes: list[str] = []
    hosts = Hosts(clock, RATE_LIMITED, RATE_LIMITED, "[]", seconds=1.0)
    policy = Policy(HOSTS, timeout=5.0, rate_limit_wait=60.0)
    run(protocol.templates(), policy, hosts, clock=clock, sleep=clock.sleep, note=notes.append)
    assert clock.slept == [5.0, 10.0]
    assert [a.host for a in hosts.attempts] == [HOSTS[0]] * 3  # the same host: it answered
    assert [a.pause for a in hosts.attempts] == [0.0, 5.0, 10.0]
    assert all("rate limit" in note for note in notes) and len(notes) == 2
    # The pauses (15 s) are not counted against the 10 s deadline: the third attempt runs.
    assert hosts.attempts[-1].timeout == 5.0


@pytest.mark.parametrize(
    ("operation", "wait"),
    [(protocol.templates(), 0.0), (protocol.templates(), 14.0), (protocol.send("79991234567", "x"), 60.0)],
)  # fmt: skip
def test_rate_limits_are_not_waited_for_beyond_the_budget_nor_for_writes(
    operation: Any, wait: float
) -> None:
    clock = Clock()
    hosts = Hosts(clock, RATE_LIMITED)
    with pytest.raises(RateLimitError):
        run(operation, Policy(HOSTS, rate_limit_wait=wait), hosts, clock=clock, sleep=clock.sleep)
    assert sum(clock.slept) <= wait
    if operation.request.sends_message:
        assert len(hosts.attempts) == 1


def test_a_bad_status_of_a_send_is_final_and_may_have_sent() -> None:
    clock = Clock()
    hosts = Hosts(clock, 502)
    with pytest.raises(TransportError) as info:
        run(protocol.send("79991234567", "x"), Policy(HOSTS), hosts, clock=clock)
    assert info.value.may_have_been_sent and "HTTP 502" in str(info.value)
    assert len(hosts.attempts) == 1


def test_failure_details_are_masked() -> None:
    attempts = Policy(HOSTS).start(READ, 0.0, secrets=("hunter2",))
    note = attempts.failed(Failure.NO_ANSWER, "proxy: psw=hunter2&login=me", 0.5)
    assert "hunter2" not in note and "***" in note


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"timeout": 0}, "timeout"),
        ({"timeout": float("nan")}, "timeout"),
        ({"deadline": -1}, "deadline"),
        ({"rate_limit_wait": -1}, "rate_limit_wait"),
        ({"timeout": "30"}, "timeout"),
    ],
)
def test_policy_settings_are_checked(options: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as info:
        Policy(HOSTS, **options)
    assert info.value.field == field
    with pytest.raises(ValidationError) as info:
        Policy(("smsc.ru",))
    assert info.value.field == "base_url"
