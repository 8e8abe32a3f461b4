"""Catalogue import from CSV and XLSX files in the format of `services.catalog.columns`.

Two phases.
1. Checking, in a worker process (`services.files.isolated` runs `services.catalog.check`), within
   the file limits (`services.files.limits`): every row is read and checked and ALL problems
   are collected (row number as Excel shows it, column header, reason key for the locales).
   With any problem, or a file over a limit, nothing is written.
2. Writing, here, from the rows the worker spooled to files: in batches of BATCH rows, each
   its own short transaction (on SQLite BEGIN IMMEDIATE under the engine's write lock) that
   reads the batch's current rows by external id and upserts them: new rows inserted, changed
   fields updated, identical rows left alone (their `updated_at` does not move). Between
   batches the bot's own writes (bookings, conversation state) get the database, so none of
   them waits longer than one batch.

The trade-off: the write phase is not one transaction. A file with a bad row still changes
nothing (phase 1 finds every problem before phase 2 begins), but when the write phase is
interrupted (the process killed, the database gone away), the batches written so far stay.
Running the same import again then converges: rows are matched by their external ids, so
what was written is found unchanged and the rest is written.

Rows missing from the file are kept: the import only adds and updates. A column missing from
the file leaves that field of existing rows as it is (new rows get the default); an empty cell
in a present column means "empty".
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import pickle
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.engine import bound_engine, create_write_session_factory
from db.models import Locality, Organisation, Programme, utcnow
from services.catalog.check import PHASE_READ, SPOOL_CHUNK, Checked, check_catalog
from services.catalog.read import file_kind
from services.catalog.report import ImportReport, Problem
from services.catalog.rules import ORG_FIELDS, PROGRAMME_FIELDS, Place
from services.files.isolated import WorkerFailed, on_disk, run_isolated, worker_problem
from services.files.limits import LIMITS, FileLimits

__all__ = [
    "PHASE_READ",
    "PHASE_WRITE",
    "ImportReport",
    "file_kind",
    "import_catalog",
]

Source = bytes | str | Path | BinaryIO
ProgressCallback = Callable[[int, int, str], Awaitable[None] | None]
"""progress(done, total, phase): phase "read" (rows checked) or "write" (rows written)."""

PHASE_WRITE = "write"
BATCH = SPOOL_CHUNK


async def import_catalog(
    sessions: async_sessionmaker[AsyncSession],
    source: Source,
    *,
    file_name: str | None = None,
    dry_run: bool = False,
    progress: ProgressCallback | None = None,
    limits: FileLimits = LIMITS,
) -> ImportReport:
    """Check the whole file, then (when it has no problems and not `dry_run`) write it."""
    if file_name is None:
        file_name = Path(source).name if isinstance(source, str | Path) else "catalog.csv"
    notify = _Notifier(progress)
    places = await _places(sessions)
    with tempfile.TemporaryDirectory(prefix="catalog-import-") as folder:
        path = await on_disk(source, Path(folder), Path(file_name).suffix)
        try:
            checked = await run_isolated(
                check_catalog,
                str(path),
                file_name,
                places,
                folder,
                limits,
                progress=notify,
                seconds=limits.seconds,
                memory_mb=limits.memory_mb,
            )
        except WorkerFailed as failure:
            report = ImportReport(file_name=file_name, dry_run=dry_run)
            report.add(Problem(0, "", *worker_problem(failure, limits)))
            return report
        report = checked.report
        report.dry_run = dry_run
        if report.ok:
            await _write(sessions, checked, report, notify)
    return report


class _Notifier:
    def __init__(self, progress: ProgressCallback | None) -> None:
        self.progress = progress

    async def __call__(self, done: int, total: int, phase: str) -> None:
        if self.progress is not None:
            result = self.progress(done, max(total, done), phase)
            if inspect.isawaitable(result):
                await result


async def _places(sessions: async_sessionmaker[AsyncSession]) -> list[Place]:
    statement = select(
        Locality.id,
        Locality.name,
        Locality.name_en,
        Locality.district,
        Locality.district_en,
        Locality.latitude,
        Locality.longitude,
    )
    async with sessions() as session:
        return [Place(*row) for row in await session.execute(statement)]


# --- writing -----------------------------------------------------------------------------------


async def _chunks(path: str) -> AsyncIterator[list[tuple[Any, ...]]]:
    """The spool's chunks, each unpickled in a thread (a few milliseconds of work each)."""
    file = await asyncio.to_thread(_open_spool, path)
    if file is None:
        return
    try:
        while True:
            chunk = await asyncio.to_thread(_next_chunk, file)
            if chunk is None:
                return
            yield chunk
    finally:
        file.close()


def _open_spool(path: str) -> BinaryIO | None:
    try:
        return Path(path).open("rb")
    except FileNotFoundError:  # nothing was spooled
        return None


def _next_chunk(file: BinaryIO) -> list[tuple[Any, ...]] | None:
    try:
        return pickle.load(file)  # type: ignore[no-any-return]
    except EOFError:
        return None


async def _write(
    sessions: async_sessionmaker[AsyncSession],
    checked: Checked,
    report: ImportReport,
    notify: _Notifier,
) -> None:
    """Organisations first (programmes refer to them), a batch per transaction; a dry run
    compares the same way and writes nothing."""
    writing = not report.dry_run
    factory = create_write_session_factory(bound_engine(sessions)) if writing else sessions
    total = checked.organisations + checked.programmes
    done = 0
    now = utcnow()
    for spool, write_batch in (
        (checked.org_spool, _organisations),
        (checked.programme_spool, _programmes),
    ):
        async with contextlib.aclosing(_chunks(spool)) as chunks:
            async for chunk in chunks:
                async with factory() as session:
                    await write_batch(session, chunk, checked, report, now, writing)
                    if writing:
                        await session.commit()
                done += len(chunk)
                await notify(done, total, PHASE_WRITE)
                await asyncio.sleep(0)  # the bot's other updates between batches


async def _organisations(
    session: AsyncSession,
    chunk: list[tuple[Any, ...]],
    checked: Checked,
    report: ImportReport,
    now: datetime,
    writing: bool,
) -> None:
    table = Organisation.__table__
    fields = checked.org_fields
    compared = _projection(ORG_FIELDS, fields)
    connection = await session.connection()
    current = {
        row[1]: (row[0], tuple(row[2:]))
        for row in await connection.execute(
            select(table.c.id, table.c.external_id, *(table.c[f] for f in fields)).where(
                table.c.external_id.in_([external_id for external_id, _values in chunk])
            )
        )
    }
    inserts: list[dict[str, Any]] = []
    updates: list[tuple[int, dict[str, Any]]] = []
    for external_id, values in chunk:
        found = current.get(external_id)
        if found is None:
            report.organisations.added += 1
            row = dict(zip(ORG_FIELDS, values, strict=True))
            inserts.append({"external_id": external_id, **row, "updated_at": now})
            continue
        changes = _changes(fields, found[1], compared(values))
        if changes:
            updates.append((found[0], changes))
            report.organisations.changed += 1
        else:
            report.organisations.unchanged += 1
    if writing:
        if inserts:
            await connection.execute(insert(table), inserts)
        for statement, rows in _updates(table, updates, now):
            await connection.execute(statement, rows)


async def _programmes(
    session: AsyncSession,
    chunk: list[tuple[Any, ...]],
    checked: Checked,
    report: ImportReport,
    now: datetime,
    writing: bool,
) -> None:
    table, organisations = Programme.__table__, Organisation.__table__
    fields = checked.programme_fields
    compared = _projection(PROGRAMME_FIELDS, fields)
    connection = await session.connection()
    current = {
        row[1]: (row[0], row[2], tuple(row[3:]))
        for row in await connection.execute(
            select(
                table.c.id,
                table.c.external_id,
                organisations.c.external_id,
                *(table.c[f] for f in fields),
            )
            .join(organisations, table.c.organisation_id == organisations.c.id)
            .where(table.c.external_id.in_([row[0] for row in chunk]))
        )
    }
    org_ids: dict[str, int] = {}
    if writing:
        wanted = {row[1] for row in chunk}
        org_ids = dict(
            (external_id, pk)
            for pk, external_id in await connection.execute(
                select(organisations.c.id, organisations.c.external_id).where(
                    organisations.c.external_id.in_(wanted)
                )
            )
        )
    inserts: list[dict[str, Any]] = []
    updates: list[tuple[int, dict[str, Any]]] = []
    for external_id, org_external_id, values in chunk:
        found = current.get(external_id)
        if found is None:
            report.programmes.added += 1
            if writing:
                row = dict(zip(PROGRAMME_FIELDS, values, strict=True))
                organisation_id = org_ids[org_external_id]
                inserts.append(
                    {
                        "external_id": external_id,
                        "organisation_id": organisation_id,
                        **row,
                        "updated_at": now,
                    }
                )
            continue
        changes = _changes(fields, found[2], compared(values))
        if found[1] != org_external_id:  # moved to another organisation
            changes["organisation_id"] = org_ids.get(org_external_id)
        if changes:
            updates.append((found[0], changes))
            report.programmes.changed += 1
        else:
            report.programmes.unchanged += 1
    if writing:
        if inserts:
            await connection.execute(insert(table), inserts)
        for statement, rows in _updates(table, updates, now):
            await connection.execute(statement, rows)


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
) -> Iterator[tuple[Any, list[dict[str, Any]]]]:
    """UPDATE statements setting only the changed columns, one per set of changed columns:
    an unchanged search text or position then does not fire the index triggers."""
    groups: dict[frozenset[str], list[tuple[int, dict[str, Any]]]] = {}
    for pk, changes in updates:
        groups.setdefault(frozenset(changes), []).append((pk, changes))
    for rows in groups.values():
        # The parameters' keys name the columns to SET (the same keys in every row of a group).
        statement = update(table).where(table.c.id == bindparam("pk"))
        yield statement, [{"pk": pk, **changes, "updated_at": now} for pk, changes in rows]
