"""The .ics file of a booking follows RFC 5545, checked by hand (no parser dependency)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest

from services.booking.ics import CalendarEvent, escape_text, event_ics, fold

TOMSK = timezone(timedelta(hours=7))
EVENT = CalendarEvent(
    uid="consultation-7-ABC234@consultations.edu-navigator",
    starts_at=datetime(2026, 11, 23, 9, 45, tzinfo=TOMSK),
    ends_at=datetime(2026, 11, 23, 10, 30, tzinfo=TOMSK),
    summary="Консультация: Психолого-педагогическая помощь",
    location="МБОУ «СОШ № 5», ул. Ленина, 10; каб. 2",
    description=(
        "Код записи: ABC234\nСпециалист: Иванова Мария Петровна, педагог-психолог\n"
        "Формат: очно\nПуть: C:\\школа\\кабинет; вход со двора, " + "очень длинное описание " * 10
    ),
    stamp=datetime(2026, 11, 22, 3, 0, tzinfo=UTC),
)


def _unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], value)


def _parse(data: bytes) -> tuple[list[str], dict[str, str]]:
    """Physical lines → logical lines → (component stack trace, properties of the VEVENT)."""
    text = data.decode("utf-8")
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", ""), "a bare LF"
    assert "\r" not in text.replace("\r\n", ""), "a bare CR"
    logical = text[: -len("\r\n")].replace("\r\n ", "").split("\r\n")
    stack: list[str] = []
    trace: list[str] = []
    properties: dict[str, str] = {}
    for line in logical:
        name, _, value = line.partition(":")
        assert name and re.fullmatch(r"[A-Z-]+", name), line
        if name == "BEGIN":
            stack.append(value)
            trace.append(f"+{value}")
        elif name == "END":
            assert stack and stack.pop() == value, f"END:{value} does not close a BEGIN"
            trace.append(f"-{value}")
        elif stack == ["VCALENDAR", "VEVENT"]:
            properties[name] = value
    assert not stack, f"not closed: {stack}"
    return trace, properties


def test_structure_line_endings_and_folding():
    data = event_ics(EVENT)
    trace, properties = _parse(data)
    assert trace == ["+VCALENDAR", "+VEVENT", "-VEVENT", "-VCALENDAR"]
    for line in data.split(b"\r\n"):
        assert len(line) <= 75, line
        line.decode("utf-8")  # a fold never splits a character
    assert any(line.startswith(b" ") for line in data.split(b"\r\n")), "long lines are folded"
    head = data.decode().split("\r\n")[:5]
    assert head[0] == "BEGIN:VCALENDAR" and "VERSION:2.0" in head
    assert any(line.startswith("PRODID:") for line in head)
    for required in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "LOCATION", "DESCRIPTION"):
        assert required in properties, required


def test_times_are_utc_with_z():
    _, properties = _parse(event_ics(EVENT))
    assert properties["DTSTART"] == "20261123T024500Z"
    assert properties["DTEND"] == "20261123T033000Z"
    assert properties["DTSTAMP"] == "20261122T030000Z"
    assert properties["UID"] == EVENT.uid
    assert int(properties["SEQUENCE"]) > 0


def test_text_is_escaped_and_round_trips():
    _, properties = _parse(event_ics(EVENT))
    assert properties["LOCATION"] == "МБОУ «СОШ № 5»\\, ул. Ленина\\, 10\\; каб. 2"
    assert _unescape(properties["LOCATION"]) == EVENT.location
    assert _unescape(properties["DESCRIPTION"]) == EVENT.description
    assert _unescape(properties["SUMMARY"]) == EVENT.summary
    assert "\\n" in properties["DESCRIPTION"] and "C:\\\\школа" in properties["DESCRIPTION"]


def test_escape_rules():
    assert escape_text("a,b;c\\d\ne\r\nf\rg") == "a\\,b\\;c\\\\d\\ne\\nf\\ng"


def test_fold_keeps_short_lines_and_splits_by_octets():
    assert fold("SUMMARY:short") == "SUMMARY:short"
    exactly = "X" * 75
    assert fold(exactly) == exactly
    folded = fold("DESCRIPTION:" + "ж" * 100)  # 2 octets a letter
    pieces = folded.split("\r\n")
    assert all(len(piece.encode()) <= 75 for piece in pieces)
    assert all(piece.startswith(" ") for piece in pieces[1:])
    assert "".join(piece[1:] if i else piece for i, piece in enumerate(pieces)) == (
        "DESCRIPTION:" + "ж" * 100
    )


def test_a_later_file_for_the_same_booking_has_a_higher_sequence():
    _, first = _parse(event_ics(EVENT))
    moved = replace(EVENT, stamp=EVENT.stamp + timedelta(hours=1))
    _, second = _parse(event_ics(moved))
    assert second["UID"] == first["UID"]
    assert int(second["SEQUENCE"]) > int(first["SEQUENCE"])


def test_naive_times_are_refused():
    naive = replace(EVENT, starts_at=datetime(2026, 11, 23, 9, 45))
    with pytest.raises(ValueError):
        event_ics(naive)
