"""Catalogue import from CSV and XLSX files in the format of `services.catalog.columns`.

Two phases. Reading streams the rows, checks every one and collects ALL problems (row number as
Excel shows it, column header, reason key for the locales); nothing is written when there is
any. Writing then upserts by external ids in one transaction, in batches of Core statements:
new rows are inserted, changed rows updated, identical rows left alone (their `updated_at` does
not move). Rows missing from the file are kept: the import only adds and updates.

A column missing from the file leaves that field of existing rows as it is (new rows get the
default); an empty cell in a present column means "empty".
"""

from __future__ import annotations

import asyncio
import codecs
import csv
import inspect
import io
import re
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from itertools import islice
from operator import itemgetter
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker

from bot.telegram.i18n import Html
from db.models import Locality, Organisation, Programme, utcnow
from services.catalog import text_index
from services.catalog.columns import COLUMNS, HEADERS, PROGRAMME_REQUIRED
from services.catalog.terms import AGE_MAX, AGE_MIN, COSTS, DIRECTIONS, FORMATS, ORG_TYPES

Source = bytes | str | Path | BinaryIO
ProgressCallback = Callable[[int, int, str], Awaitable[None] | None]
"""progress(done, total, phase): phase "read" (rows checked) or "write" (rows written)."""

PHASE_READ = "read"
PHASE_WRITE = "write"
PROGRESS_EVERY = 1000
BATCH = 1000
STREAM_PARTITION = 5000
MAX_STORED_PROBLEMS = 10_000
MAX_SHOWN_VALUE = 60
KINDS = {".csv": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx"}

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
ORG_DEFAULTS: dict[str, Any] = {
    "address": "",
    "phone": "",
    "website": "",
    "hours": "",
    "accessible": False,
    "hidden": False,
}
PROGRAMME_DEFAULTS: dict[str, Any] = {
    "price": None,
    "schedule": "",
    "teacher": "",
    "seats_total": None,
    "seats_free": None,
    "enrol_url": "",
    "hidden": False,
}


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


# --- results -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the file: `row` as Excel numbers it (the header is 1, the whole
    file is 0), the column's header, and the reason as a locale key suffix with its args."""

    row: int
    column: str
    reason: str
    args: tuple[tuple[str, str | int], ...] = ()

    @property
    def key(self) -> str:
        return f"import-problem-{self.reason}"


@dataclass(slots=True)
class Counts:
    added: int = 0
    changed: int = 0
    unchanged: int = 0


@dataclass(slots=True)
class ImportReport:
    file_name: str
    dry_run: bool = False
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    organisations: Counts = field(default_factory=Counts)
    programmes: Counts = field(default_factory=Counts)

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run

    def add(self, problem: Problem) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_STORED_PROBLEMS:
            self.problems.append(problem)


def file_kind(name: str) -> str | None:
    """ "csv" or "xlsx" by the file name's extension; None for anything else."""
    return KINDS.get(Path(name).suffix.lower())


# --- entry point -------------------------------------------------------------------------------


async def import_catalog(
    sessions: async_sessionmaker[AsyncSession],
    source: Source,
    *,
    file_name: str | None = None,
    dry_run: bool = False,
    progress: ProgressCallback | None = None,
) -> ImportReport:
    """Check the whole file, then (when it has no problems and not `dry_run`) write it."""
    if file_name is None:
        file_name = Path(source).name if isinstance(source, str | Path) else "catalog.csv"
    report = ImportReport(file_name=file_name, dry_run=dry_run)
    notify = _Notifier(progress)
    async with sessions() as session:
        localities = _LocalityLookup((await session.execute(select(Locality))).scalars().all())
    parsed = await _read(source, file_name, report, localities, notify)
    if parsed is None or not report.ok:
        return report
    async with sessions() as session:
        # Reads then writes: on SQLite take the write lock first (no SQLITE_BUSY mid-way).
        options = {} if dry_run else {"sqlite_begin": "IMMEDIATE"}
        connection = await session.connection(execution_options=options)
        await _write(connection, parsed, report, notify)
        if dry_run:
            await session.rollback()
        else:
            await session.commit()
    return report


class _Notifier:
    def __init__(self, progress: ProgressCallback | None) -> None:
        self.progress = progress

    async def __call__(self, done: int, total: int, phase: str) -> None:
        if self.progress is not None:
            result = self.progress(done, max(total, done), phase)
            if inspect.isawaitable(result):
                await result
        # Long files must not hold up the bot's other updates.
        await asyncio.sleep(0)


# --- reading -----------------------------------------------------------------------------------


def _fold(text: str) -> str:
    return " ".join(text.lower().replace("ё", "е").split())


def _fold_header(text: str) -> str:
    return _fold(text).rstrip("*").strip()


def _cell(value: object) -> str:
    """A cell as text, whether it came from CSV (str) or XLSX (numbers, dates, booleans)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    return str(value).strip()


class _Table:
    """Rows of a file as lists of cell texts, with Excel row numbers and an estimated count."""

    def __init__(
        self, rows: Iterator[tuple[int, list[str]]], estimate: int, close: Callable[[], None]
    ) -> None:
        self.rows = rows
        self.estimate = estimate
        self.close = close


def _open(source: Source, kind: str) -> _Table:
    if kind == "xlsx":
        return _open_xlsx(source)
    return _open_csv(source)


def _binary(source: Source) -> BinaryIO:
    if isinstance(source, bytes):
        return io.BytesIO(source)
    if isinstance(source, str | Path):
        return Path(source).open("rb")
    return source


def _detect_encoding(stream: BinaryIO) -> tuple[str, int]:
    """UTF-8 (with or without BOM) when the whole file decodes so, else cp1251; and lines."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    encoding, lines = "utf-8-sig", 0
    while chunk := stream.read(1 << 20):
        lines += chunk.count(b"\n")
        if encoding != "cp1251":
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                encoding = "cp1251"
    if encoding != "cp1251":
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            encoding = "cp1251"
    stream.seek(0)
    return encoding, lines


def _sniff_delimiter(first_line: str) -> str:
    """Russian Excel writes ";", others ","; the header line tells which one this file uses."""
    best, best_score = ";", (-1, -1)
    for delimiter in (";", ","):
        cells = next(csv.reader([first_line], delimiter=delimiter), [])
        known = sum(_fold_header(cell) in _HEADER_KEYS for cell in cells)
        score = (known, len(cells))
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _open_csv(source: Source) -> _Table:
    stream = _binary(source)
    encoding, lines = _detect_encoding(stream)
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    first = text.readline()
    while first and not first.strip():
        first = text.readline()
    text.seek(0)
    reader = csv.reader(text, delimiter=_sniff_delimiter(first))

    def rows() -> Iterator[tuple[int, list[str]]]:
        for number, cells in enumerate(reader, start=1):
            yield number, [cell.strip() for cell in cells]

    def close() -> None:
        text.detach()
        if isinstance(source, str | Path):
            stream.close()

    return _Table(rows(), lines, close)


def _open_xlsx(source: Source) -> _Table:
    from openpyxl import load_workbook

    # A path goes to openpyxl as is: it closes the files it opened itself.
    file = str(source) if isinstance(source, str | Path) else _binary(source)
    book = load_workbook(file, read_only=True, data_only=True)
    sheet = book.worksheets[0]
    estimate = max((sheet.max_row or 1) - 1, 0)
    sheet.reset_dimensions()  # a wrong stored size would cut rows or columns off

    def rows() -> Iterator[tuple[int, list[str]]]:
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [_cell(value) for value in values]

    return _Table(rows(), estimate, book.close)


_HEADER_KEYS: dict[str, str] = {_fold_header(header): key for header, key in HEADERS.items()}
_HEADER_KEYS.update({key: key for key in HEADERS.values()})


class _LocalityLookup:
    """Localities by Russian or English name (ё=е, any case); "Name (district)" when shared."""

    def __init__(self, rows: list[Locality]) -> None:
        self.by_name: dict[str, Locality | None] = {}
        self.memo: dict[str, tuple[Locality | None, bool]] = {}
        for row in rows:
            for name in {_fold(row.name), _fold(row.name_en)}:
                # Two places with one name: None marks the name as ambiguous.
                self.by_name[name] = None if name in self.by_name else row
            for district in {row.district, row.district_en}:
                for name in {row.name, row.name_en}:
                    self.by_name.setdefault(_fold(f"{name} ({district})"), row)

    def find(self, text: str) -> tuple[Locality | None, bool]:
        """(locality, ambiguous)."""
        found = self.memo.get(text)
        if found is None:
            key = _fold(text)
            row = self.by_name.get(key)
            found = self.memo[text] = (row, key in self.by_name and row is None)
        return found


def _vocabulary(terms: dict[str, str]) -> dict[str, str]:
    lookup = {_fold(word): code for code, word in terms.items()}
    lookup.update({word: code for code, word in terms.items()})
    lookup.update({code: code for code in terms})
    return lookup


_DIRECTIONS = _vocabulary(DIRECTIONS)
_ORG_TYPES = _vocabulary(ORG_TYPES)
_FORMATS = _vocabulary(FORMATS)
_COSTS = _vocabulary(COSTS)
_YES = frozenset({"да", "yes", "1", "true", "истина", "y", "д", "+"})
_NO = frozenset({"", "нет", "no", "0", "false", "ложь", "n", "н", "-"})
_INTEGER = re.compile(r"[+-]?\d+(?:[.,]0*)?")
_SPACES = re.compile(r"[\s\u00a0\u202f]")
_QUOTES = "«»\"'“”„"


@dataclass(slots=True)
class _Parsed:
    organisations: dict[str, tuple[int, tuple[Any, ...]]]
    programmes: dict[str, tuple[int, str, tuple[Any, ...]]]
    org_fields: tuple[str, ...]
    programme_fields: tuple[str, ...]


class _RowChecker:
    """Turns one row's texts into typed values, noting every problem against the report."""

    def __init__(self, report: ImportReport, localities: _LocalityLookup) -> None:
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
        code = terms.get(value) or terms.get(_fold(value.strip(_QUOTES)))
        if code is None:
            self.problem(key, "word", value=_shown(value), allowed=", ".join(words.values()))
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
            self.problem(key, "integer", value=_shown(value))
            return None
        number = int(compact.replace(",", ".").split(".")[0])
        if not low <= number <= high:
            self.problem(key, "range", value=_shown(value), min=low, max=high)
            return None
        return number

    def number(self, key: str, value: str, low: float, high: float) -> float | None:
        try:
            number = float(_SPACES.sub("", value).replace(",", "."))
        except ValueError:
            self.problem(key, "number", value=_shown(value))
            return None
        if not low <= number <= high:
            self.problem(key, "range", value=_shown(value), min=int(low), max=int(high))
            return None
        return number

    def yes_no(self, key: str, value: str) -> bool:
        if value in _NO:
            return False
        if value in _YES:
            return True
        folded = _fold(value)
        if folded in _NO:
            return False
        if folded in _YES:
            return True
        self.problem(key, "yes-no", value=_shown(value))
        return False

    def url(self, key: str, value: str) -> str:
        value = self.text(key, value)
        if value and not value.lower().startswith(("http://", "https://")):
            self.problem(key, "url", value=_shown(value))
        return value

    def locality(self, key: str, value: str) -> Locality | None:
        if not value:
            self.problem(key, "required")
            return None
        found, ambiguous = self.localities.find(value)
        if ambiguous:
            self.problem(key, "locality-ambiguous", value=_shown(value))
        elif found is None:
            self.problem(key, "locality", value=_shown(value))
        return found


def _shown(value: str) -> str:
    return value if len(value) <= MAX_SHOWN_VALUE else value[: MAX_SHOWN_VALUE - 1] + "…"


async def _read(
    source: Source,
    file_name: str,
    report: ImportReport,
    localities: _LocalityLookup,
    notify: _Notifier,
) -> _Parsed | None:
    kind = file_kind(file_name)
    if kind is None:
        report.add(Problem(0, "", "file-type"))
        return None
    try:
        table = _open(source, kind)
    except Exception as exc:  # a broken upload of any kind is "unreadable"
        report.add(Problem(0, "", "unreadable", (("error", _reason(exc)),)))
        return None
    try:
        return await _read_rows(table, report, localities, notify)
    except (UnicodeDecodeError, csv.Error, ValueError, KeyError, OSError) as exc:
        report.add(Problem(0, "", "unreadable", (("error", _reason(exc)),)))
        return None
    finally:
        table.close()


def _reason(exc: Exception) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror  # e.g. "No such file or directory"; the file is named already
    return _shown(f"{type(exc).__name__}: {exc}".strip().rstrip(":"))


def _header_positions(number: int, cells: list[str], report: ImportReport) -> dict[str, int]:
    positions: dict[str, int] = {}
    for index, cell in enumerate(cells):
        if not cell:
            continue
        key = _HEADER_KEYS.get(_fold_header(cell))
        if key is None:
            report.add(Problem(number, _shown(cell), "unknown-header"))
        elif key in positions:
            report.add(Problem(number, HEADER_OF[key], "duplicate-header"))
        else:
            positions[key] = index
    required = list(REQUIRED_ORG_KEYS)
    if "programme_id" in positions:
        required += REQUIRED_PROGRAMME_KEYS
    for key in required:
        if key not in positions:
            report.add(Problem(number, HEADER_OF[key], "missing-header"))
    if ("latitude" in positions) != ("longitude" in positions):
        missing = "longitude" if "latitude" in positions else "latitude"
        report.add(Problem(number, HEADER_OF[missing], "missing-header"))
    return positions


async def _read_rows(
    table: _Table, report: ImportReport, localities: _LocalityLookup, notify: _Notifier
) -> _Parsed | None:
    positions: dict[str, int] | None = None
    header_row = 0
    for number, cells in table.rows:
        if any(cells):
            positions = _header_positions(number, cells, report)
            header_row = number
            break
    if positions is None:
        report.add(Problem(0, "", "empty-file"))
        return None
    if not report.ok:
        return None  # rows read against a wrong header would only add noise
    total = max(table.estimate - header_row + 1, 0)

    # Compared and updated: the fields whose columns the file has (the others keep their value).
    org_fields = tuple(f for f in ORG_FIELDS if ORG_KEY_OF[f] in positions)
    programme_fields = (*(f for f in PROGRAMME_KEYS if f in positions), "search_stems")
    keys = tuple(HEADER_OF)
    width = max(positions.values()) + 1
    # Each row is padded to the header's width plus one empty cell that absent columns read.
    pick = itemgetter(*(positions.get(key, -1) for key in keys))
    padding = [""] * width
    stems = _StemCache()
    shared: dict[str, str] = {}
    check = _RowChecker(report, localities)
    organisations: dict[str, tuple[int, tuple[Any, ...]]] = {}
    programmes: dict[str, tuple[int, str, tuple[Any, ...]]] = {}

    done = 0
    for number, cells in table.rows:
        if not any(cells):
            continue
        done += 1
        report.rows = done
        if done % PROGRESS_EVERY == 0:
            await notify(done, total, PHASE_READ)
        if len(cells) < width:
            cells.extend(padding[len(cells) :])
        cells.append("")
        value = dict(zip(keys, pick(cells), strict=True))
        check.start(number)

        # Organisation columns (absent columns read as empty: defaults for new rows).
        org_id = check.text("org_id", value["org_id"], required=True)
        org_name = check.text("org_name", value["org_name"], required=True)
        org_type = check.word("org_type", value["org_type"], _ORG_TYPES, ORG_TYPES)
        locality = check.locality("locality", value["locality"])
        latitude, longitude = _coordinates(check, value, locality)
        org = (
            org_name,
            org_type,
            check.text("address", value["address"]),
            locality.id if locality else None,
            latitude,
            longitude,
            check.text("phone", value["phone"]),
            check.url("website", value["website"]),
            check.text("hours", value["hours"]),
            check.yes_no("accessible", value["accessible"]),
            check.yes_no("org_hidden", value["org_hidden"]),
        )
        if not check.bad:
            seen = organisations.get(org_id)
            if seen is None:
                organisations[org_id] = (number, org)
            elif seen[1] != org:
                for index, db_field in enumerate(ORG_FIELDS):
                    if seen[1][index] != org[index]:
                        check.problem(
                            ORG_KEY_OF[db_field], "org-conflict", org=_shown(org_id), other=seen[0]
                        )

        # Programme columns.
        programme_id = check.text("programme_id", value["programme_id"])
        if not programme_id:
            if any(value[key] for key in PROGRAMME_KEYS if key != "hidden") or check.yes_no(
                "hidden", value["hidden"]
            ):
                check.problem("programme_id", "programme-id-missing")
            continue
        earlier = programmes.get(programme_id)
        if earlier is not None:
            check.problem(
                "programme_id",
                "duplicate-programme",
                programme=_shown(programme_id),
                other=earlier[0],
            )
            continue
        programme = _programme(check, value)
        if check.bad:
            programmes[programme_id] = (number, org_id, ())
            continue
        programme["search_stems"] = stems.document(
            programme["name"],
            programme["description"],
            DIRECTIONS[programme["direction"]],
            org_name,
            ORG_TYPES[org_type],
        )
        for key in REPEATED_TEXTS:
            # Names, descriptions, schedules repeat across rows: keep one copy of each.
            programme[key] = shared.setdefault(programme[key], programme[key])
        programmes[programme_id] = (number, org_id, tuple(programme.values()))
    await notify(done, done, PHASE_READ)
    return _Parsed(organisations, programmes, org_fields, programme_fields)


class _StemCache:
    """`text_index.document` of several texts, from cached stems of each text: descriptions,
    organisation names and directions repeat across thousands of rows."""

    LIMIT = 200_000

    def __init__(self) -> None:
        self.parts: dict[str, list[str]] = {}

    def document(self, *parts: str) -> str:
        stems: list[str] = []
        for part in parts:
            cached = self.parts.get(part)
            if cached is None:
                if len(self.parts) >= self.LIMIT:
                    self.parts.clear()
                # One text's distinct stems in first-seen order; joined texts dedupe again.
                cached = self.parts[part] = text_index.document(part).split()
            stems += cached
        return " ".join(dict.fromkeys(stems))


def _coordinates(
    check: _RowChecker, value: dict[str, str], locality: Locality | None
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


def _programme(check: _RowChecker, value: dict[str, str]) -> dict[str, Any]:
    """The programme's values in PROGRAMME_KEYS order."""
    age_from = check.integer("age_from", value["age_from"], AGE_MIN, AGE_MAX, required=True)
    age_to = check.integer("age_to", value["age_to"], AGE_MIN, AGE_MAX, required=True)
    if age_from is not None and age_to is not None and age_to < age_from:
        check.problem("age_to", "age-order", value=str(age_to), min=age_from)
    name = check.text("name", value["name"], required=True)
    direction = check.word("direction", value["direction"], _DIRECTIONS, DIRECTIONS)
    description = check.text("description", value["description"])
    programme_format = check.word("format", value["format"], _FORMATS, FORMATS)
    cost = check.word("cost", value["cost"], _COSTS, COSTS)
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
    }


# --- writing -----------------------------------------------------------------------------------


async def _write(
    connection: AsyncConnection, parsed: _Parsed, report: ImportReport, notify: _Notifier
) -> None:
    organisations = Organisation.__table__
    programmes = Programme.__table__
    org_fields, programme_fields = parsed.org_fields, parsed.programme_fields
    org_compared = _projection(ORG_FIELDS, org_fields)
    programme_compared = _projection(PROGRAMME_FIELDS, programme_fields)

    # What the database holds now, in the same shape as the file's values.
    existing_orgs = {
        row[1]: (row[0], tuple(row[2:]))
        for row in await connection.execute(
            select(
                organisations.c.id,
                organisations.c.external_id,
                *(organisations.c[f] for f in org_fields),
            )
        )
    }
    org_inserts: list[str] = []
    org_updates: list[tuple[int, dict[str, Any]]] = []
    for external_id, (_row, values) in parsed.organisations.items():
        current = existing_orgs.get(external_id)
        if current is None:
            org_inserts.append(external_id)
            report.organisations.added += 1
            continue
        changes = _changes(org_fields, current[1], org_compared(values))
        if changes:
            org_updates.append((current[0], changes))
            report.organisations.changed += 1
        else:
            report.organisations.unchanged += 1
    del existing_orgs

    # Programmes are many: keep (id, organisation, hash of the compared values, hash of the
    # search text) rather than the values themselves; streamed, not fetched all at once.
    existing_programmes: dict[str, tuple[int, str, int, int]] = {}
    result = await connection.stream(
        select(
            programmes.c.id,
            programmes.c.external_id,
            organisations.c.external_id,
            *(programmes.c[f] for f in programme_fields),
        ).join(organisations, programmes.c.organisation_id == organisations.c.id)
    )
    async for partition in result.partitions(STREAM_PARTITION):
        for row in partition:
            values = tuple(row[3:])
            existing_programmes[row[1]] = (row[0], row[2], hash(values), hash(values[-1]))
    programme_inserts: list[str] = []
    # (id, new organisation's external id or None when it stays, changed fields)
    programme_updates: list[tuple[int, str | None, dict[str, Any]]] = []
    for external_id, (_row, org_external_id, values) in parsed.programmes.items():
        current = existing_programmes.get(external_id)
        if current is None:
            programme_inserts.append(external_id)
            report.programmes.added += 1
            continue
        compared = programme_compared(values)
        changes: dict[str, Any] = {}
        if hash(compared) != current[2]:
            changes = dict(zip(programme_fields, compared, strict=True))
            if hash(compared[-1]) == current[3]:
                del changes["search_stems"]  # no needless work for the full-text index
        moved = org_external_id if current[1] != org_external_id else None
        if changes or moved:
            programme_updates.append((current[0], moved, changes))
            report.programmes.changed += 1
        else:
            report.programmes.unchanged += 1
    del existing_programmes
    if report.dry_run:
        return

    now = utcnow()
    total = len(org_inserts) + len(org_updates) + len(programme_inserts) + len(programme_updates)
    done = 0

    async def run(statement: Any, rows: Iterator[dict[str, Any]]) -> None:
        nonlocal done
        while batch := list(islice(rows, BATCH)):
            await connection.execute(statement, batch)
            done += len(batch)
            await notify(done, total, PHASE_WRITE)

    await run(
        insert(organisations),
        (
            {
                "external_id": external_id,
                **dict(zip(ORG_FIELDS, parsed.organisations[external_id][1], strict=True)),
                "updated_at": now,
            }
            for external_id in org_inserts
        ),
    )
    for statement, rows in _updates(organisations, org_updates, now):
        await run(statement, rows)
    org_ids = {
        row[1]: row[0]
        for row in await connection.execute(select(organisations.c.id, organisations.c.external_id))
    }

    def new_programme(external_id: str) -> dict[str, Any]:
        _row, org_external_id, values = parsed.programmes[external_id]
        return {
            "external_id": external_id,
            "organisation_id": org_ids[org_external_id],
            **dict(zip(PROGRAMME_FIELDS, values, strict=True)),
            "updated_at": now,
        }

    await run(insert(programmes), (new_programme(key) for key in programme_inserts))
    moved_updates = [
        (pk, {**changes, "organisation_id": org_ids[moved]} if moved else changes)
        for pk, moved, changes in programme_updates
    ]
    del programme_updates
    for statement, rows in _updates(programmes, moved_updates, now):
        await run(statement, rows)
    await notify(done, total, PHASE_WRITE)


def _projection(
    fields: tuple[str, ...], keep: tuple[str, ...]
) -> Callable[[tuple[Any, ...]], tuple[Any, ...]]:
    indexes = [fields.index(f) for f in keep]
    return lambda values: tuple(values[i] for i in indexes)


def _changes(fields: tuple[str, ...], old: tuple[Any, ...], new: tuple[Any, ...]) -> dict[str, Any]:
    if old == new:
        return {}
    return {f: b for f, a, b in zip(fields, old, new, strict=True) if a != b}


def _updates(
    table: Any, updates: list[tuple[int, dict[str, Any]]], now: datetime
) -> Iterator[tuple[Any, Iterator[dict[str, Any]]]]:
    """UPDATE statements setting only the changed columns, one per set of changed columns:
    an unchanged search text or position then does not fire the index triggers."""
    groups: dict[frozenset[str], list[tuple[int, dict[str, Any]]]] = {}
    for pk, changes in updates:
        groups.setdefault(frozenset(changes), []).append((pk, changes))
    for rows in groups.values():
        # The parameters' keys name the columns to SET (the same keys in every row of a group).
        statement = update(table).where(table.c.id == bindparam("pk"))
        yield statement, ({"pk": pk, **changes, "updated_at": now} for pk, changes in rows)


# --- report ------------------------------------------------------------------------------------


def render_report(
    t: Callable[..., str],
    report: ImportReport,
    *,
    max_problems: int | None = 30,
    max_length: int | None = 3900,
) -> str:
    """The report as HTML in the translator's language; problems cut to fit a Telegram message
    (`max_length` in UTF-16 units of the HTML, an upper bound of what Telegram counts)."""
    file = report.file_name
    if not report.ok:
        lines = [t("import-report-failed", file=file, count=report.problem_count)]
        length = _utf16(lines[0]) + 300  # room for the "and N more" line
        shown = 0
        for problem in report.problems:
            if max_problems is not None and shown >= max_problems:
                break
            reason = Html(t(problem.key, **dict(problem.args)))
            if problem.row == 0:
                line = t("import-report-problem-file", reason=reason)
            else:
                line = t(
                    "import-report-problem", row=problem.row, column=problem.column, reason=reason
                )
            if max_length is not None and length + _utf16(line) + 1 > max_length:
                break
            lines.append(line)
            length += _utf16(line) + 1
            shown += 1
        if report.problem_count > shown:
            lines.append(t("import-report-more", count=report.problem_count - shown))
        return "\n".join(lines)
    lines = [
        t("import-report-checked" if report.dry_run else "import-report-done", file=file),
        t("import-report-rows", rows=report.rows),
    ]
    if report.dry_run:
        lines.append(t("import-report-would"))
    for key, counts in (
        ("import-report-organisations", report.organisations),
        ("import-report-programmes", report.programmes),
    ):
        lines.append(t(key, added=counts.added, changed=counts.changed, unchanged=counts.unchanged))
    lines += ["", t("import-report-keep-note")]
    return "\n".join(lines)


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2
