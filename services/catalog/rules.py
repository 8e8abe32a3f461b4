"""The rules of a catalogue row: the columns' types, sizes and words, and the checker that
turns one row's texts into typed values, noting every problem. For the worker process."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from db.models import Organisation, Programme
from services.catalog.columns import COLUMNS, PROGRAMME_REQUIRED
from services.catalog.read import fold
from services.catalog.report import ImportReport, Problem
from services.catalog.terms import AGE_MAX, AGE_MIN, COSTS, DIRECTIONS, FORMATS, ORG_TYPES
from services.links import is_button_url
from services.waitlists.enrolment import parse_day

MAX_SHOWN_VALUE = 60

# Limits the model does not give (Integer columns are 32-bit on PostgreSQL).
PRICE_MAX = 1_000_000
SEATS_MAX = 100_000
LATITUDE_RANGE = (41.0, 82.0)
LONGITUDE_RANGE = (19.0, 180.0)

HEADER_OF = {column.key: column.header for column in COLUMNS}
REQUIRED_ORG_KEYS = tuple(column.key for column in COLUMNS if column.required)
PROGRAMME_KEYS = (
    "name",
    "direction",
    "description",
    "age_from",
    "age_to",
    "format",
    "cost",
    "price",
    "schedule",
    "teacher",
    "seats_total",
    "seats_free",
    "enrol_url",
    "hidden",
    "enrol_starts_on",
)
# With programme ids in the file, these columns must be there too (search text needs the
# description, so it is required as a column even though a cell may be empty).
REQUIRED_PROGRAMME_KEYS = (*PROGRAMME_REQUIRED, "description")

# Database fields of an organisation, and the file column each comes from.
ORG_FIELDS = (
    "name",
    "type",
    "address",
    "locality_id",
    "latitude",
    "longitude",
    "phone",
    "website",
    "hours",
    "accessible",
    "hidden",
)
ORG_KEY_OF = {
    "name": "org_name",
    "type": "org_type",
    "address": "address",
    "locality_id": "locality",
    "latitude": "latitude",
    "longitude": "longitude",
    "phone": "phone",
    "website": "website",
    "hours": "hours",
    "accessible": "accessible",
    "hidden": "org_hidden",
}
PROGRAMME_FIELDS = (*PROGRAMME_KEYS, "search_stems")
REPEATED_TEXTS = ("name", "description", "schedule", "teacher")


def _lengths() -> dict[str, int]:
    """Maximum text length of each file column, from the model's column sizes."""
    tables = {"org": Organisation.__table__, "programme": Programme.__table__}
    sizes: dict[str, int] = {
        "org_id": tables["org"].c.external_id.type.length,
        "programme_id": tables["programme"].c.external_id.type.length,
    }
    for db_field, key in ORG_KEY_OF.items():
        length = getattr(tables["org"].c[db_field].type, "length", None)
        if length:
            sizes[key] = length
    for key in PROGRAMME_KEYS:
        length = getattr(tables["programme"].c[key].type, "length", None)
        if length and key not in {"direction", "format", "cost"}:
            sizes[key] = length
    return sizes


MAX_LENGTH = _lengths()


@dataclass(frozen=True, slots=True)
class Place:
    """A locality as the checker needs it (from the database, passed to the worker)."""

    id: int
    name: str
    name_en: str
    district: str
    district_en: str
    latitude: float
    longitude: float


class PlaceLookup:
    """Localities by Russian or English name (ё=е, any case); "Name (district)" when shared."""

    def __init__(self, rows: list[Place]) -> None:
        self.by_name: dict[str, Place | None] = {}
        self.memo: dict[str, tuple[Place | None, bool]] = {}
        for row in rows:
            for name in {fold(row.name), fold(row.name_en)}:
                # Two places with one name: None marks the name as ambiguous.
                self.by_name[name] = None if name in self.by_name else row
            for district in {row.district, row.district_en}:
                for name in {row.name, row.name_en}:
                    self.by_name.setdefault(fold(f"{name} ({district})"), row)

    def find(self, text: str) -> tuple[Place | None, bool]:
        """(locality, ambiguous)."""
        found = self.memo.get(text)
        if found is None:
            key = fold(text)
            row = self.by_name.get(key)
            found = self.memo[text] = (row, key in self.by_name and row is None)
        return found


def _vocabulary(terms: dict[str, str]) -> dict[str, str]:
    lookup = {fold(word): code for code, word in terms.items()}
    lookup.update({word: code for code, word in terms.items()})
    lookup.update({code: code for code in terms})
    return lookup


DIRECTION_WORDS = _vocabulary(DIRECTIONS)
ORG_TYPE_WORDS = _vocabulary(ORG_TYPES)
FORMAT_WORDS = _vocabulary(FORMATS)
COST_WORDS = _vocabulary(COSTS)
_YES = frozenset({"да", "yes", "1", "true", "истина", "y", "д", "+"})
_NO = frozenset({"", "нет", "no", "0", "false", "ложь", "n", "н", "-"})
_INTEGER = re.compile(r"[+-]?\d+(?:[.,]0*)?")
_SPACES = re.compile(r"[\s\u00a0\u202f]")
_QUOTES = "«»\"'“”„"


class RowChecker:
    """Turns one row's texts into typed values, noting every problem against the report."""

    def __init__(self, report: ImportReport, localities: PlaceLookup) -> None:
        self.report = report
        self.localities = localities
        self.row = 0
        self.bad = False

    def start(self, row: int) -> None:
        self.row = row
        self.bad = False

    def problem(self, key: str, reason: str, **args: str | int) -> None:
        self.bad = True
        self.report.add(Problem(self.row, HEADER_OF[key], reason, tuple(args.items())))

    def text(self, key: str, value: str, *, required: bool = False) -> str:
        if not value:
            if required:
                self.problem(key, "required")
            return ""
        limit = MAX_LENGTH.get(key)
        if limit is not None and len(value) > limit:
            self.problem(key, "too-long", max=limit, length=len(value))
        return value

    def word(self, key: str, value: str, terms: dict[str, str], words: dict[str, str]) -> str:
        if not value:
            self.problem(key, "required")
            return ""
        code = terms.get(value) or terms.get(fold(value.strip(_QUOTES)))
        if code is None:
            self.problem(key, "word", value=shown(value), allowed=", ".join(words.values()))
            return ""
        return code

    def integer(self, key: str, value: str, low: int, high: int, *, required: bool) -> int | None:
        if not value:
            if required:
                self.problem(key, "required")
            return None
        if value.isascii() and value.isdigit() and low <= int(value) <= high:
            return int(value)
        compact = _SPACES.sub("", value)
        if not _INTEGER.fullmatch(compact):
            self.problem(key, "integer", value=shown(value))
            return None
        number = int(compact.replace(",", ".").split(".")[0])
        if not low <= number <= high:
            self.problem(key, "range", value=shown(value), min=low, max=high)
            return None
        return number

    def number(self, key: str, value: str, low: float, high: float) -> float | None:
        try:
            number = float(_SPACES.sub("", value).replace(",", "."))
        except ValueError:
            self.problem(key, "number", value=shown(value))
            return None
        if not low <= number <= high:
            self.problem(key, "range", value=shown(value), min=int(low), max=int(high))
            return None
        return number

    def yes_no(self, key: str, value: str) -> bool:
        if value in _NO:
            return False
        if value in _YES:
            return True
        folded = fold(value)
        if folded in _NO:
            return False
        if folded in _YES:
            return True
        self.problem(key, "yes-no", value=shown(value))
        return False

    def day(self, key: str, value: str, today: date) -> date | None:
        """An optional date, not before `today`."""
        if not value:
            return None
        day = parse_day(value)
        if day is None:
            self.problem(key, "day", value=shown(value))
        elif day < today:
            self.problem(key, "day-past", value=day.strftime("%d.%m.%Y"))
            return None
        return day

    def url(self, key: str, value: str) -> str:
        value = self.text(key, value)
        if value and not is_button_url(value):
            self.problem(key, "url", value=shown(value))
        return value

    def locality(self, key: str, value: str) -> Place | None:
        if not value:
            self.problem(key, "required")
            return None
        found, ambiguous = self.localities.find(value)
        if ambiguous:
            self.problem(key, "locality-ambiguous", value=shown(value))
        elif found is None:
            self.problem(key, "locality", value=shown(value))
        return found


def shown(value: str) -> str:
    return value if len(value) <= MAX_SHOWN_VALUE else value[: MAX_SHOWN_VALUE - 1] + "…"


def coordinates(
    check: RowChecker, value: dict[str, str], locality: Place | None
) -> tuple[float | None, float | None]:
    """Both given, or neither: then the locality's centre."""
    lat_text, lon_text = value["latitude"], value["longitude"]
    if not lat_text and not lon_text:
        if locality is None:
            return None, None
        return locality.latitude, locality.longitude
    if not lat_text or not lon_text:
        check.problem("latitude" if not lat_text else "longitude", "coordinates-pair")
        return None, None
    return (
        check.number("latitude", lat_text, *LATITUDE_RANGE),
        check.number("longitude", lon_text, *LONGITUDE_RANGE),
    )


def programme_values(check: RowChecker, value: dict[str, str]) -> dict[str, Any]:
    """The programme's values in PROGRAMME_KEYS order."""
    age_from = check.integer("age_from", value["age_from"], AGE_MIN, AGE_MAX, required=True)
    age_to = check.integer("age_to", value["age_to"], AGE_MIN, AGE_MAX, required=True)
    if age_from is not None and age_to is not None and age_to < age_from:
        check.problem("age_to", "age-order", value=str(age_to), min=age_from)
    name = check.text("name", value["name"], required=True)
    direction = check.word("direction", value["direction"], DIRECTION_WORDS, DIRECTIONS)
    description = check.text("description", value["description"])
    programme_format = check.word("format", value["format"], FORMAT_WORDS, FORMATS)
    cost = check.word("cost", value["cost"], COST_WORDS, COSTS)
    price = check.integer("price", value["price"], 0, PRICE_MAX, required=False)
    if cost == "paid" and not value["price"]:
        check.problem("price", "price-required")
    seats_total = check.integer("seats_total", value["seats_total"], 0, SEATS_MAX, required=False)
    seats_free = check.integer("seats_free", value["seats_free"], 0, SEATS_MAX, required=False)
    if seats_total is not None and seats_free is not None and seats_free > seats_total:
        check.problem("seats_free", "seats", value=str(seats_free), max=seats_total)
    return {
        "name": name,
        "direction": direction,
        "description": description,
        "age_from": age_from,
        "age_to": age_to,
        "format": programme_format,
        "cost": cost,
        "price": price,
        "schedule": check.text("schedule", value["schedule"]),
        "teacher": check.text("teacher", value["teacher"]),
        "seats_total": seats_total,
        "seats_free": seats_free,
        "enrol_url": check.url("enrol_url", value["enrol_url"]),
        "hidden": check.yes_no("hidden", value["hidden"]),
        "enrol_starts_on": check.day(
            "enrol_starts_on", value["enrol_starts_on"], datetime.now(UTC).date()
        ),
    }
