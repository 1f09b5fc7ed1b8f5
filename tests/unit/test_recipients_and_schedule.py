"""Recipient lists and the service's time formats."""

from datetime import UTC, datetime, timedelta

import pytest

from pysmsc import phones, schedule
from pysmsc.errors import ValidationError
from pysmsc.schedule import HourWindow


def test_numbers_are_cleaned_of_what_people_type() -> None:
    assert phones.parse("+7 (999) 123-45-67; 79990000000,G12") == (
        "+79991234567",
        "79990000000",
        "G12",
    )


def test_iterables_and_lists_inside_strings_mix() -> None:
    assert phones.parse(["79991234567", "g7,79990000000"]) == ("79991234567", "g7", "79990000000")


@pytest.mark.parametrize("bad", ["", " , ;", "123", "7999abc4567", "1234567890123456", "a@b.c"])
def test_bad_phone_recipients_name_the_field(bad: str) -> None:
    with pytest.raises(ValidationError) as info:
        phones.parse(bad)
    assert info.value.field == "to"


def test_emails_only_for_mail() -> None:
    assert phones.parse("ops@example.com, G3", emails=True) == ("ops@example.com", "G3")
    with pytest.raises(ValidationError, match="not an e-mail"):
        phones.parse("79991234567", emails=True)


def test_non_string_recipient() -> None:
    with pytest.raises(ValidationError, match="must be strings"):
        phones.parse([79991234567])  # type: ignore[list-item]


# A fixed "now", so that the dates below stay in the future whenever the tests run.
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def test_aware_datetime_becomes_a_timestamp() -> None:
    moment = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    assert schedule.format_time(moment, now=NOW) == f"0{int(moment.timestamp())}"


def test_naive_datetime_uses_the_service_format() -> None:
    assert schedule.format_time(datetime(2026, 12, 1, 9, 5), now=NOW) == "0112260905"


def test_timedelta_rounds_up_to_minutes() -> None:
    assert schedule.format_time(timedelta(seconds=61)) == "+2"
    with pytest.raises(ValidationError):
        schedule.format_time(timedelta(0))


def test_hour_window() -> None:
    assert schedule.format_time(HourWindow(9, 18)) == "9-18"
    with pytest.raises(ValidationError, match="before its end"):
        HourWindow(18, 9)
    with pytest.raises(ValidationError, match=r"send_at\.end"):
        HourWindow(1, 25)


@pytest.mark.parametrize("good", ["0", "0112260905", "01.12.26 9:05", "9-18", "01796083200", "+30"])
def test_service_time_strings_pass(good: str) -> None:
    assert schedule.format_time(good, now=NOW) == good


@pytest.mark.parametrize("bad", ["tomorrow", "2026-12-01", "+", "1-2-3"])
def test_other_time_strings_fail(bad: str) -> None:
    with pytest.raises(ValidationError, match="time formats"):
        schedule.format_time(bad, now=NOW)


def test_validity_range() -> None:
    assert schedule.format_validity(24) == "24"
    assert schedule.format_validity(timedelta(minutes=90)) == "01:30"
    for bad in (0, 25, timedelta(0), timedelta(hours=25), timedelta(seconds=90), True):
        with pytest.raises(ValidationError, match="validity"):
            schedule.format_validity(bad)  # type: ignore[arg-type]


def test_period_freq_tz_ranges() -> None:
    assert schedule.format_period(0.5) == "0.5"
    assert schedule.format_freq(1440) == "1440"
    assert schedule.format_tz(-15) == "-15"
    for call in (
        lambda: schedule.format_period(0.05),
        lambda: schedule.format_period(721),
        lambda: schedule.format_freq(0),
        lambda: schedule.format_freq(1441),
        lambda: schedule.format_tz(12),
    ):
        with pytest.raises(ValidationError):
            call()
