"""Checking a whole catalogue file, in the worker process (services.files.isolated): every row typed
and checked by `services.catalog.rules`, ALL problems collected (row number as Excel shows it,
column header, reason), and the valid rows spooled to two files of pickled chunks
(organisations, programmes) for the writer in the bot's process, which then never holds the
whole file. Nothing here touches the database or the event loop."""

from __future__ import annotations

import csv
import pickle
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Any, BinaryIO
from xml.etree.ElementTree import ParseError

from services.catalog import text_index
from services.catalog.columns import HEADERS
from services.catalog.read import Table, file_kind, fold_header, open_table
from services.catalog.report import ImportReport, Problem
from services.catalog.rules import (
    HEADER_OF,
    ORG_FIELDS,
    ORG_KEY_OF,
    ORG_TYPE_WORDS,
    PROGRAMME_KEYS,
    REQUIRED_ORG_KEYS,
    REQUIRED_PROGRAMME_KEYS,
    Place,
    PlaceLookup,
    RowChecker,
    coordinates,
    programme_values,
    shown,
)
from services.catalog.terms import DIRECTIONS, ORG_TYPES
from services.example_ids import is_example_id
from services.files.limits import BoundedRows, FileLimits, LimitExceeded

Progress = Callable[[int, int, str], None]
PHASE_READ = "read"
PROGRESS_EVERY = 1000
SPOOL_CHUNK = 200  # rows per pickled chunk: what the writer handles in one transaction
# What a broken file raises while it is read (anything at opening counts as unreadable).
BROKEN = (
    UnicodeDecodeError,
    csv.Error,
    ValueError,
    KeyError,
    OSError,
    EOFError,
    ParseError,
    zipfile.BadZipFile,
    zlib.error,
)

HEADER_KEYS: dict[str, str] = {fold_header(header): key for header, key in HEADERS.items()}
HEADER_KEYS.update({key: key for key in HEADERS.values()})


@dataclass(slots=True)
class Checked:
    """The report of the check, and (when it found nothing wrong) where the rows are: the
    fields whose columns the file has (the others keep their values), and the spools."""

    report: ImportReport
    org_spool: str
    programme_spool: str
    org_fields: tuple[str, ...] = ()
    programme_fields: tuple[str, ...] = ()
    organisations: int = 0
    programmes: int = 0


def read_spool(file: BinaryIO) -> Iterator[list[tuple[Any, ...]]]:
    """The chunks of a spool: organisations (external id, values in ORG_FIELDS order) or
    programmes (external id, organisation's external id, values in PROGRAMME_FIELDS order)."""
    while True:
        try:
            yield pickle.load(file)
        except EOFError:
            return


def check_catalog(
    path: str,
    file_name: str,
    places: list[Place],
    folder: str,
    limits: FileLimits,
    *,
    progress: Progress | None = None,
) -> Checked:
    """Check the file at `path` (named `file_name`, which tells its kind); spool into `folder`."""
    report = ImportReport(file_name=file_name, empty_run=limits.empty_run)
    checked = Checked(
        report, str(Path(folder) / "organisations.spool"), str(Path(folder) / "programmes.spool")
    )
    kind = file_kind(file_name)
    if kind is None:
        report.add(Problem(0, "", "file-type"))
        return checked
    try:
        table = open_table(Path(path), kind, limits, set(HEADER_KEYS))
    except LimitExceeded as exc:
        report.add(Problem(0, "", exc.key, tuple(exc.values.items())))
        return checked
    except Exception as exc:  # a broken upload of any kind is "unreadable"
        report.add(Problem(0, "", "unreadable", (("error", _reason(exc)),)))
        return checked
    try:
        _check_rows(table, places, limits, checked, progress or _silent)
    except LimitExceeded as exc:
        report.add(Problem(0, "", exc.key, tuple(exc.values.items())))
    except BROKEN as exc:
        report.add(Problem(0, "", "unreadable", (("error", _reason(exc)),)))
    finally:
        table.close()
    return checked


def _silent(done: int, total: int, phase: str) -> None:
    return None


def _reason(exc: Exception) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror  # e.g. "No such file or directory"; the file is named already
    return shown(f"{type(exc).__name__}: {exc}".strip().rstrip(":"))


def _header_positions(number: int, cells: list[str], report: ImportReport) -> dict[str, int]:
    positions: dict[str, int] = {}
    for index, cell in enumerate(cells):
        if not cell:
            continue
        key = HEADER_KEYS.get(fold_header(cell))
        if key is None:
            report.add(Problem(number, shown(cell), "unknown-header"))
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


class _Spool:
    """Rows pickled in chunks to a file, while the file has no problems."""

    def __init__(self, path: str) -> None:
        self.file = Path(path).open("wb")
        self.chunk: list[tuple[Any, ...]] = []
        self.count = 0

    def add(self, row: tuple[Any, ...]) -> None:
        self.chunk.append(row)
        self.count += 1
        if len(self.chunk) >= SPOOL_CHUNK:
            self.flush()

    def flush(self) -> None:
        if self.chunk:
            pickle.dump(self.chunk, self.file, protocol=pickle.HIGHEST_PROTOCOL)
            self.chunk = []

    def close(self) -> None:
        self.flush()
        self.file.close()


def _check_rows(
    table: Table, places: list[Place], limits: FileLimits, checked: Checked, progress: Progress
) -> None:
    report = checked.report
    bounded = BoundedRows(table.rows, limits)
    rows = iter(bounded)
    positions: dict[str, int] | None = None
    header_row = 0
    for number, cells in rows:
        positions = _header_positions(number, cells, report)
        header_row = number
        break
    if positions is None:
        report.add(Problem(0, "", "empty-file"))
        return
    if not report.ok:
        return  # rows read against a wrong header would only add noise
    total = min(max(table.estimate - header_row + 1, 0), limits.rows)

    # Compared and updated: the fields whose columns the file has (the others keep their value).
    checked.org_fields = tuple(f for f in ORG_FIELDS if ORG_KEY_OF[f] in positions)
    checked.programme_fields = (*(f for f in PROGRAMME_KEYS if f in positions), "search_stems")
    keys = tuple(HEADER_OF)
    width = max(positions.values()) + 1
    # Each row is padded to the header's width plus one empty cell that absent columns read.
    pick = itemgetter(*(positions.get(key, -1) for key in keys))
    padding = [""] * width
    stems = _StemCache()
    check = RowChecker(report, PlaceLookup(places))
    organisations: dict[str, tuple[int, tuple[Any, ...]]] = {}
    programme_rows: dict[str, int] = {}
    spool = _Spool(checked.programme_spool)

    done = 0
    try:
        for number, cells in rows:
            done += 1
            report.rows = done
            if done % PROGRESS_EVERY == 0:
                progress(done, max(total, done), PHASE_READ)
            if len(cells) < width:
                cells.extend(padding[len(cells) :])
            cells.append("")
            value = dict(zip(keys, pick(cells), strict=True))
            check.start(number)

            # Organisation columns (absent columns read as empty: defaults for new rows).
            org_id = check.text("org_id", value["org_id"], required=True)
            if is_example_id(org_id):
                check.problem("org_id", "example-id", value=shown(org_id))
            org_name = check.text("org_name", value["org_name"], required=True)
            org_type = check.word("org_type", value["org_type"], ORG_TYPE_WORDS, ORG_TYPES)
            locality = check.locality("locality", value["locality"])
            latitude, longitude = coordinates(check, value, locality)
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
                                ORG_KEY_OF[db_field],
                                "org-conflict",
                                org=shown(org_id),
                                other=seen[0],
                            )

            # Programme columns.
            programme_id = check.text("programme_id", value["programme_id"])
            if not programme_id:
                if any(value[key] for key in PROGRAMME_KEYS if key != "hidden") or check.yes_no(
                    "hidden", value["hidden"]
                ):
                    check.problem("programme_id", "programme-id-missing")
                continue
            if is_example_id(programme_id):
                check.problem("programme_id", "example-id", value=shown(programme_id))
                continue
            earlier = programme_rows.get(programme_id)
            if earlier is not None:
                check.problem(
                    "programme_id",
                    "duplicate-programme",
                    programme=shown(programme_id),
                    other=earlier,
                )
                continue
            programme_rows[programme_id] = number
            programme = programme_values(check, value)
            if check.bad or not report.ok:
                continue
            # What the programme is, not where: an organisation's name («школа», «Дом детского
            # творчества») would make every programme of it match; search filters by its type.
            programme["search_stems"] = stems.document(
                programme["name"], programme["description"], DIRECTIONS[programme["direction"]]
            )
            spool.add((programme_id, org_id, tuple(programme.values())))
    finally:
        spool.close()
    progress(done, done, PHASE_READ)
    report.stopped_at = bounded.stopped_at
    if done == 0:
        report.add(Problem(0, "", "files-no-rows"))
    if not report.ok:
        return
    checked.programmes = spool.count
    organisation_spool = _Spool(checked.org_spool)
    for external_id, (_row, values) in organisations.items():
        organisation_spool.add((external_id, values))
    organisation_spool.close()
    checked.organisations = organisation_spool.count


class _StemCache:
    """`text_index.document` of several texts, from cached stems of each text: descriptions
    and directions repeat across thousands of rows."""

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
