"""An iCalendar (RFC 5545) file for one consultation, written by hand (no dependency).

One VCALENDAR with one VEVENT: times in UTC (`Z`), text escaped (section 3.3.11),
CRLF line endings, content lines folded at 75 octets without splitting a UTF-8 character
(section 3.1). The UID stays the same when a booking is moved, and SEQUENCE grows with
time, so a calendar application updates the event it already has instead of adding another.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

CRLF = "\r\n"
MAX_OCTETS = 75
PRODID = "-//Education department//Family consultations bot//RU"
_SEQUENCE_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    uid: str
    starts_at: datetime  # aware
    ends_at: datetime  # aware
    summary: str
    location: str
    description: str
    stamp: datetime  # aware: when this file was made (DTSTAMP)


def escape_text(value: str) -> str:
    """TEXT value escaping: backslash, semicolon, comma and line breaks."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.replace("\n", "\\n")


def utc_stamp(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("an aware datetime is needed")
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def fold(line: str) -> str:
    """Split a content line into pieces of at most 75 octets joined by CRLF + space."""
    pieces: list[str] = []
    current = ""
    size = 0
    limit = MAX_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append(current)
            current, size = "", 0
            limit = MAX_OCTETS - 1  # continuation lines begin with one space
        current += char
        size += width
    pieces.append(current)
    return (CRLF + " ").join(pieces)


def sequence_for(stamp: datetime) -> int:
    """Minutes since 2020: a revision number that only grows (RFC 5545 SEQUENCE)."""
    return max(0, int((stamp - _SEQUENCE_EPOCH).total_seconds() // 60))


def event_ics(event: CalendarEvent) -> bytes:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"DTSTAMP:{utc_stamp(event.stamp)}",
        f"SEQUENCE:{sequence_for(event.stamp)}",
        f"DTSTART:{utc_stamp(event.starts_at)}",
        f"DTEND:{utc_stamp(event.ends_at)}",
        f"SUMMARY:{escape_text(event.summary)}",
        f"LOCATION:{escape_text(event.location)}",
        f"DESCRIPTION:{escape_text(event.description)}",
        "STATUS:CONFIRMED",
        "TRANSP:OPAQUE",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(fold(line) + CRLF for line in lines).encode("utf-8")
