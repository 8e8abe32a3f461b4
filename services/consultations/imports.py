"""Consultation set-up import (services, organisations, specialists, weekly hours, days off)
in the format of `services.consultations.columns`, the catalogue's rules applied:

Every row of every sheet is checked, in a worker process (`services.files.isolated`) and within the
file limits (`services.files.limits`), and ALL problems are collected (sheet, row as Excel
numbers it, column header, a reason for the locales); with any problem nothing is written.
Otherwise `services.consultations.write` upserts by ИД in one transaction: identical rows are left
alone, so the same file twice changes nothing. Rows missing from the file are kept.
A column missing from the file leaves that field as it is (new rows get the default).
"""

from __future__ import annotations

import inspect
import re
import tempfile
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import ConsultService, Locality, Provider, Specialist
from services.booking.schedule import Window
from services.catalog.report import Counts  # added/changed/unchanged, as the catalogue counts
from services.consultations.columns import SHEETS, WEEKDAYS, Sheet
from services.consultations.read import (
    MAX_ROWS,
    Source,
    Table,
    Unreadable,
    fold,
    fold_header,
    looks_like_consultations,
    read_tables,
)
from services.example_ids import is_example_id
from services.files.isolated import WorkerFailed, on_disk, run_isolated, worker_problem
from services.files.limits import LIMITS, FileLimits, LimitExceeded

ProgressCallback = Callable[[str], Awaitable[None] | None]
"""progress(phase): "read" when checking starts, "write" when writing starts."""

KINDS = tuple(sheet.kind for sheet in SHEETS)
SHEET_OF = {sheet.kind: sheet for sheet in SHEETS}
MAX_SHOWN = 60
ID_MAX = 64
TEXT_MAX = 255
PHONE_MAX = 64
SLOT_RANGE = (10, 240)
MAX_DAYS_CLOSED = 366

_YES = frozenset({"да", "yes", "1", "true", "истина", "y", "д", "+"})
_NO = frozenset({"", "нет", "no", "0", "false", "ложь", "n", "н", "-"})
_TIME = re.compile(r"(\d{1,2})[:.](\d{2})(?::00)?")
_DATE_RU = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_DATE_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_WEEKDAY_WORDS = {
    **{word: n for n, word in enumerate(WEEKDAYS)},
    **{
        word: n
        for n, word in enumerate(
            ("понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье")
        )
    },
    **{word: n for n, word in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))},
    **{
        word: n
        for n, word in enumerate(
            ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
        )
    },
    **{str(n + 1): n for n in range(7)},
}
_FORMAT_WORDS = {
    "очно": "in_person",
    "лично": "in_person",
    "in_person": "in_person",
    "по телефону": "phone",
    "телефон": "phone",
    "phone": "phone",
    "по видеосвязи": "video",
    "видеосвязь": "video",
    "видео": "video",
    "онлайн": "video",
    "video": "video",
}


# --- results -------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Problem:
    """`sheet` is the sheet's title ("" for the whole file); `row` as Excel numbers it (0 for
    the whole file or sheet); `key` a locale key with its `args`."""

    sheet: str
    row: int
    column: str
    key: str
    args: tuple[tuple[str, str | int], ...] = ()


@dataclass(slots=True)
class ConsultReport:
    file_name: str
    dry_run: bool = False
    rows: int = 0
    kinds: list[str] = field(default_factory=list)  # the kinds the file has, in SHEETS order
    problems: list[Problem] = field(default_factory=list)
    counts: dict[str, Counts] = field(default_factory=lambda: {kind: Counts() for kind in KINDS})
    slots_added: int = 0
    cancelled: list[int] = field(default_factory=list)  # bookings cancelled by new days off

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run


# --- what the rows become ------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Record:
    """A row of the services, providers or specialists sheet: database fields to set."""

    row: int
    values: dict[str, Any]
    provider: str = ""  # specialists: the organisation's ИД
    services: tuple[str, ...] = ()  # specialists: ИД of their services


@dataclass(frozen=True, slots=True)
class TemplateRow:
    row: int
    window: Window


@dataclass(frozen=True, slots=True)
class ExceptionRow:
    row: int
    specialist: str | None
    provider: str | None
    first_day: date
    last_day: date
    reason: str


@dataclass(slots=True)
class Parsed:
    services: dict[str, Record] = field(default_factory=dict)
    providers: dict[str, Record] = field(default_factory=dict)
    specialists: dict[str, Record] = field(default_factory=dict)
    templates: dict[str, list[TemplateRow]] = field(default_factory=dict)
    exceptions: list[ExceptionRow] = field(default_factory=list)


@dataclass(slots=True)
class Known:
    """What the database holds already: ИД of services and organisations, the organisation
    of each specialist, localities by folded name (None when a name is shared)."""

    services: set[str]
    providers: set[str]
    specialists: dict[str, str]
    localities: dict[str, int | None]


async def load_known(session: AsyncSession) -> Known:
    services = set((await session.execute(select(ConsultService.external_id))).scalars())
    providers = set((await session.execute(select(Provider.external_id))).scalars())
    specialists = dict(
        (
            await session.execute(
                select(Specialist.external_id, Provider.external_id).join(
                    Provider, Provider.id == Specialist.provider_id
                )
            )
        ).all()
    )
    localities: dict[str, int | None] = {}
    for row in (await session.execute(select(Locality))).scalars():
        for name in {fold(row.name), fold(row.name_en)}:
            localities[name] = None if name in localities else row.id
        for district in {row.district, row.district_en}:
            localities.setdefault(fold(f"{row.name} ({district})"), row.id)
    return Known(services, providers, specialists, localities)


# --- checking ------------------------------------------------------------------------------
def shown(value: str) -> str:
    return value if len(value) <= MAX_SHOWN else value[: MAX_SHOWN - 1] + "…"


class Checker:
    """Turns one row's texts into values, noting each problem against the report."""

    def __init__(self, report: ConsultReport, sheet: Sheet) -> None:
        self.report = report
        self.sheet = sheet
        self.headers = sheet.header_of
        self.row = 0
        self.bad = False

    def start(self, row: int) -> None:
        self.row, self.bad = row, False

    def problem(self, key: str, reason: str, **args: str | int) -> None:
        self.bad = True
        self.report.problems.append(
            Problem(self.sheet.title, self.row, self.headers[key], reason, tuple(args.items()))
        )

    def text(self, key: str, value: str, limit: int = TEXT_MAX, *, required: bool = False) -> str:
        if not value:
            if required:
                self.problem(key, "import-problem-required")
            return ""
        if len(value) > limit:
            self.problem(key, "import-problem-too-long", max=limit, length=len(value))
        return value

    def yes_no(self, key: str, value: str) -> bool:
        folded = fold(value)
        if folded in _YES:
            return True
        if folded not in _NO:
            self.problem(key, "import-problem-yes-no", value=shown(value))
        return False

    def minute(self, key: str, value: str, *, required: bool = True) -> int | None:
        if not value:
            if required:
                self.problem(key, "import-problem-required")
            return None
        match = _TIME.fullmatch(value.replace(" ", ""))
        if match:
            hours, minutes = int(match[1]), int(match[2])
            if minutes < 60 and hours * 60 + minutes <= 24 * 60:
                return hours * 60 + minutes
        self.problem(key, "cimp-problem-time", value=shown(value))
        return None

    def day(self, key: str, value: str, *, required: bool = True) -> date | None:
        if not value:
            if required:
                self.problem(key, "import-problem-required")
            return None
        text = value.split()[0]
        try:
            if match := _DATE_RU.fullmatch(text):
                found = date(int(match[3]), int(match[2]), int(match[1]))
            elif match := _DATE_ISO.fullmatch(text):
                found = date(int(match[1]), int(match[2]), int(match[3]))
            else:
                found = None
        except ValueError:
            found = None
        if found is None or not 2000 <= found.year <= 2100:
            self.problem(key, "cimp-problem-date", value=shown(value))
            return None
        return found

    def integer(self, key: str, value: str, low: int, high: int) -> int | None:
        if not value:
            self.problem(key, "import-problem-required")
            return None
        if not value.isdigit():
            self.problem(key, "import-problem-integer", value=shown(value))
            return None
        if not low <= int(value) <= high:
            self.problem(key, "import-problem-range", value=shown(value), min=low, max=high)
            return None
        return int(value)

    def weekday(self, key: str, value: str) -> int | None:
        found = _WEEKDAY_WORDS.get(fold(value).rstrip("."))
        if found is None:
            if not value:
                self.problem(key, "import-problem-required")
            else:
                allowed = ", ".join(WEEKDAYS)
                self.problem(key, "import-problem-word", value=shown(value), allowed=allowed)
        return found

    def formats(self, key: str, value: str) -> str:
        found: list[str] = []
        for part in filter(None, (fold(p) for p in re.split(r"[,;]", value))):
            code = _FORMAT_WORDS.get(part)
            if code is None:
                allowed = "очно, по телефону, по видеосвязи"
                self.problem(key, "import-problem-word", value=shown(part), allowed=allowed)
                return ""
            if code not in found:
                found.append(code)
        if not found:
            self.problem(key, "import-problem-required")
        order = ("in_person", "phone", "video")
        return ",".join(code for code in order if code in found)


def _ids(value: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(part.strip() for part in re.split(r"[,;]", value) if part.strip()))


def _rows(
    table: Table, report: ConsultReport
) -> Iterator[tuple[int, dict[str, str], set[str]]] | None:
    """(row number, cells by key, present keys) of the table's data rows; None when the
    header has problems (rows read against a wrong header would only add noise)."""
    sheet = table.sheet
    if not table.rows:
        return None
    header_row, cells = table.rows[0]
    by_header = {fold_header(h): key for key, h in sheet.header_of.items()}
    positions: dict[str, int] = {}
    bad = False
    for index, cell in enumerate(cells):
        if not cell:
            continue
        key = by_header.get(fold_header(cell))
        if key is None:
            report.problems.append(
                Problem(sheet.title, header_row, shown(cell), "import-problem-unknown-header")
            )
            bad = True
        elif key in positions:
            header = sheet.header_of[key]
            report.problems.append(
                Problem(sheet.title, header_row, header, "import-problem-duplicate-header")
            )
            bad = True
        else:
            positions[key] = index
    for column in sheet.columns:
        if column.required and column.key not in positions:
            report.problems.append(
                Problem(sheet.title, header_row, column.header, "import-problem-missing-header")
            )
            bad = True
    if len(table.rows) > MAX_ROWS:
        report.problems.append(
            Problem(sheet.title, 0, "", "cimp-problem-too-many-rows", (("max", MAX_ROWS),))
        )
        bad = True
    if bad:
        return None
    present = set(positions)

    def rows() -> Iterator[tuple[int, dict[str, str], set[str]]]:
        for number, row in table.rows[1:]:
            values = {
                key: (row[index] if index < len(row) else "") for key, index in positions.items()
            }
            for column in sheet.columns:
                values.setdefault(column.key, "")
            yield number, values, present

    return rows()


def _unique(check: Checker, key: str, found: str, seen: dict[str, Record]) -> bool:
    if is_example_id(found):  # a template's example row left in (services/example_ids.py)
        check.problem(key, "import-problem-example-id", value=shown(found))
        return False
    if found in seen:
        check.problem(key, "cimp-problem-duplicate", value=shown(found), other=seen[found].row)
        return False
    return True


def _read_services(table: Table, report: ConsultReport, parsed: Parsed) -> None:
    rows = _rows(table, report)
    check = Checker(report, table.sheet)
    for number, value, present in rows or ():
        report.rows += 1
        check.start(number)
        ref = check.text("service_id", value["service_id"], ID_MAX, required=True)
        values: dict[str, Any] = {"name": check.text("name", value["name"], required=True)}
        if "name_en" in present:
            values["name_en"] = check.text("name_en", value["name_en"])
        if "hidden" in present:
            values["active"] = not check.yes_no("hidden", value["hidden"])
        if ref and _unique(check, "service_id", ref, parsed.services) and not check.bad:
            parsed.services[ref] = Record(number, values)


def _read_providers(table: Table, report: ConsultReport, parsed: Parsed, known: Known) -> None:
    rows = _rows(table, report)
    check = Checker(report, table.sheet)
    for number, value, present in rows or ():
        report.rows += 1
        check.start(number)
        ref = check.text("provider_id", value["provider_id"], ID_MAX, required=True)
        values: dict[str, Any] = {
            "name": check.text("provider_name", value["provider_name"], required=True)
        }
        if "locality" in present:
            values["locality_id"] = None
            if value["locality"]:
                key = fold(value["locality"])
                if key not in known.localities:
                    check.problem(
                        "locality", "import-problem-locality", value=shown(value["locality"])
                    )
                elif known.localities[key] is None:
                    check.problem(
                        "locality",
                        "import-problem-locality-ambiguous",
                        value=shown(value["locality"]),
                    )
                else:
                    values["locality_id"] = known.localities[key]
        if "address" in present:
            values["address"] = check.text("address", value["address"])
        if "phone" in present:
            values["phone"] = check.text("phone", value["phone"], PHONE_MAX)
        if "hidden" in present:
            values["active"] = not check.yes_no("hidden", value["hidden"])
        if ref and _unique(check, "provider_id", ref, parsed.providers) and not check.bad:
            parsed.providers[ref] = Record(number, values)


def _read_specialists(table: Table, report: ConsultReport, parsed: Parsed) -> None:
    rows = _rows(table, report)
    check = Checker(report, table.sheet)
    for number, value, present in rows or ():
        report.rows += 1
        check.start(number)
        ref = check.text("specialist_id", value["specialist_id"], ID_MAX, required=True)
        values: dict[str, Any] = {
            "name": check.text("full_name", value["full_name"], required=True),
            "formats": check.formats("formats", value["formats"]),
        }
        if "position" in present:
            values["position"] = check.text("position", value["position"])
        if "hidden" in present:
            values["active"] = not check.yes_no("hidden", value["hidden"])
        provider = check.text("provider_id", value["provider_id"], ID_MAX, required=True)
        services = _ids(value["services"])
        if not services:
            check.problem("services", "import-problem-required")
        if ref and _unique(check, "specialist_id", ref, parsed.specialists) and not check.bad:
            parsed.specialists[ref] = Record(number, values, provider, services)


def _read_templates(table: Table, report: ConsultReport, parsed: Parsed) -> None:
    rows = _rows(table, report)
    check = Checker(report, table.sheet)
    for number, value, _present in rows or ():
        report.rows += 1
        check.start(number)
        ref = check.text("specialist_id", value["specialist_id"], ID_MAX, required=True)
        weekday = check.weekday("weekday", value["weekday"])
        start = check.minute("start", value["start"])
        end = check.minute("end", value["end"])
        slot = check.integer("slot", value["slot"], *SLOT_RANGE)
        pause_start = check.minute("break_start", value["break_start"], required=False)
        pause_end = check.minute("break_end", value["break_end"], required=False)
        if check.bad or weekday is None or start is None or end is None or slot is None:
            continue
        if end <= start:
            check.problem("end", "cimp-problem-end-before-start")
        elif end - start < slot:
            check.problem("slot", "cimp-problem-slot-too-long", minutes=end - start)
        if (pause_start is None) != (pause_end is None):
            missing = "break_end" if pause_end is None else "break_start"
            check.problem(missing, "cimp-problem-break-pair")
        elif pause_start is not None and pause_end is not None:
            if not start <= pause_start < pause_end <= end:
                check.problem("break_start", "cimp-problem-break-outside")
        if check.bad:
            continue
        window = Window(weekday, start, end, slot, pause_start, pause_end)
        own = parsed.templates.setdefault(ref, [])
        for other in own:
            same_day = other.window.weekday == weekday
            if same_day and start < other.window.end_minute and other.window.start_minute < end:
                check.problem("start", "cimp-problem-overlap", other=other.row)
                break
        else:
            own.append(TemplateRow(number, window))


def _read_exceptions(table: Table, report: ConsultReport, parsed: Parsed) -> None:
    rows = _rows(table, report)
    check = Checker(report, table.sheet)
    for number, value, _present in rows or ():
        report.rows += 1
        check.start(number)
        specialist = check.text("specialist_id", value["specialist_id"], ID_MAX)
        provider = check.text("provider_id", value["provider_id"], ID_MAX)
        if specialist and provider:
            check.problem("provider_id", "cimp-problem-one-target")
        first = check.day("first_day", value["first_day"])
        last = check.day("last_day", value["last_day"], required=False) or first
        reason = check.text("reason", value["reason"])
        if first is None or last is None or check.bad:
            continue
        if last < first:
            check.problem("last_day", "cimp-problem-days-order")
        elif (last - first).days >= MAX_DAYS_CLOSED:
            check.problem("last_day", "cimp-problem-days-too-many", max=MAX_DAYS_CLOSED)
        else:
            parsed.exceptions.append(
                ExceptionRow(number, specialist or None, provider or None, first, last, reason)
            )


def _check_references(report: ConsultReport, parsed: Parsed, known: Known) -> None:
    """ИД that point elsewhere must be in the file or in the bot already."""

    def missing(sheet: Sheet, row: int, key: str, reason: str, value: str) -> None:
        report.problems.append(
            Problem(sheet.title, row, sheet.header_of[key], reason, (("value", shown(value)),))
        )

    services = known.services | set(parsed.services)
    providers = known.providers | set(parsed.providers)
    specialists = {**known.specialists, **{k: r.provider for k, r in parsed.specialists.items()}}
    sheet = SHEET_OF["specialists"]
    for record in parsed.specialists.values():
        if record.provider not in providers:
            missing(sheet, record.row, "provider_id", "cimp-problem-no-provider", record.provider)
        for service in record.services:
            if service not in services:
                missing(sheet, record.row, "services", "cimp-problem-no-service", service)
    sheet = SHEET_OF["templates"]
    for ref, rows in parsed.templates.items():
        if ref not in specialists:
            missing(sheet, rows[0].row, "specialist_id", "cimp-problem-no-specialist", ref)
    sheet = SHEET_OF["exceptions"]
    staffed = set(specialists.values())
    for item in parsed.exceptions:
        if item.specialist is not None and item.specialist not in specialists:
            missing(sheet, item.row, "specialist_id", "cimp-problem-no-specialist", item.specialist)
        if item.provider is not None:
            if item.provider not in providers:
                missing(sheet, item.row, "provider_id", "cimp-problem-no-provider", item.provider)
            elif item.provider not in staffed:
                missing(sheet, item.row, "provider_id", "cimp-problem-nobody", item.provider)


def check_tables(tables: list[Table], report: ConsultReport, known: Known) -> Parsed:
    parsed = Parsed()
    seen: dict[str, Table] = {}
    for table in tables:
        if table.sheet.kind in seen:
            report.problems.append(Problem(table.sheet.title, 0, "", "cimp-problem-sheet-twice"))
            continue
        seen[table.sheet.kind] = table
    report.kinds = [kind for kind in KINDS if kind in seen]
    if "services" in seen:
        _read_services(seen["services"], report, parsed)
    if "providers" in seen:
        _read_providers(seen["providers"], report, parsed, known)
    if "specialists" in seen:
        _read_specialists(seen["specialists"], report, parsed)
    if "templates" in seen:
        _read_templates(seen["templates"], report, parsed)
    if "exceptions" in seen:
        _read_exceptions(seen["exceptions"], report, parsed)
    if report.ok:
        _check_references(report, parsed, known)
    order = {sheet.title: n for n, sheet in enumerate(SHEETS)}
    report.problems.sort(key=lambda p: (order.get(p.sheet, -1), p.row))
    return parsed


# --- entry point ---------------------------------------------------------------------------
def check_setup_file(
    path: str, file_name: str, known: Known, limits: FileLimits, *, progress: object = None
) -> tuple[ConsultReport, Parsed]:
    """Read and check the file, in the worker process (services.files.isolated)."""
    report = ConsultReport(file_name=file_name)
    try:
        tables = read_tables(Path(path), file_name, limits)
    except LimitExceeded as exc:
        report.problems.append(Problem("", 0, "", exc.key, tuple(exc.values.items())))
        return report, Parsed()
    except Unreadable as exc:
        key = "import-problem-file-type" if str(exc) == "file type" else "import-problem-unreadable"
        report.problems.append(Problem("", 0, "", key, (("error", str(exc)),)))
        return report, Parsed()
    if not tables:
        report.problems.append(Problem("", 0, "", "cimp-problem-no-sheets"))
        return report, Parsed()
    parsed = check_tables(tables, report, known)
    if report.ok and report.rows == 0:
        report.problems.append(Problem("", 0, "", "files-no-rows"))
    return report, parsed


def is_setup_file(path: str, name: str, limits: FileLimits, *, progress: object = None) -> bool:
    """`consult_read.looks_like_consultations`, for the worker process."""
    return looks_like_consultations(Path(path), name, limits)


async def import_consultations(
    write_sessions: async_sessionmaker[AsyncSession],
    source: Source,
    *,
    zone: ZoneInfo,
    horizon_days: int,
    file_name: str | None = None,
    dry_run: bool = False,
    now: datetime | None = None,
    progress: ProgressCallback | None = None,
    limits: FileLimits = LIMITS,
) -> ConsultReport:
    """Check the whole file (in a worker process), then (with no problems and not `dry_run`)
    write it. A dry run writes in a transaction it rolls back, so its counts are exactly what
    a real run does."""
    from services.consultations.write import write_parsed

    if file_name is None:
        file_name = Path(source).name if isinstance(source, str | Path) else "consultations.xlsx"
    await _notify(progress, "read")
    async with write_sessions() as session:
        known = await load_known(session)
    with tempfile.TemporaryDirectory(prefix="consult-import-") as folder:
        path = await on_disk(source, Path(folder), Path(file_name).suffix)
        try:
            report, parsed = await run_isolated(
                check_setup_file,
                str(path),
                file_name,
                known,
                limits,
                seconds=limits.seconds,
                memory_mb=limits.memory_mb,
            )
        except WorkerFailed as failure:
            report = ConsultReport(file_name=file_name)
            key, args = worker_problem(failure, limits)
            report.problems.append(Problem("", 0, "", key, args))
    report.dry_run = dry_run
    if not report.ok:
        return report
    async with write_sessions() as session:
        await _notify(progress, "write")
        await write_parsed(session, parsed, report, zone, horizon_days, now or datetime.now(UTC))
        if dry_run:
            await session.rollback()
        else:
            await session.commit()
    return report


async def is_setup_upload(path: Path, name: str, limits: FileLimits = LIMITS) -> bool:
    """Whether an uploaded file is a consultation set-up (its sheet names or first line)."""
    try:
        return await run_isolated(
            is_setup_file,
            str(path),
            name,
            limits,
            seconds=limits.seconds,
            memory_mb=limits.memory_mb,
        )
    except WorkerFailed:
        return False  # the catalogue import then tries, and names what went wrong


async def _notify(progress: ProgressCallback | None, phase: str) -> None:
    if progress is not None:
        result = progress(phase)
        if inspect.isawaitable(result):
            await result
