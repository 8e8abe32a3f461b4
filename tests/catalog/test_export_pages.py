"""The catalogue export, the bookings export's count and the plan report read the database in
short statements (keyset pages, a month at a time) instead of a whole table in one, and the
export's file is still the whole catalogue."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import UTC, date, datetime
from io import BytesIO

from sqlalchemy import event

from services.booking.exports import Period, count_bookings
from services.booking.plan_report import plan_report
from services.catalog import exports as catalog_export
from services.catalog.exports import export_catalog
from services.catalog.imports import import_catalog


@contextlib.contextmanager
def statements(app) -> Iterator[list[str]]:
    """The SQL the engine runs inside the block."""
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        seen.append(" ".join(statement.split()))

    event.listen(app.engine.sync_engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(app.engine.sync_engine, "before_cursor_execute", record)


async def test_the_catalogue_export_reads_in_pages_and_misses_nothing(app, tmp_path, monkeypatch):
    monkeypatch.setattr(catalog_export, "ORG_PAGE", 7)
    monkeypatch.setattr(catalog_export, "PROGRAMME_PAGE", 40)
    path = tmp_path / "catalog.csv"
    with statements(app) as seen:
        summary = await export_catalog(app.sessions, path)
    assert summary.programmes > 400 and summary.organisations > 40  # the demo catalogue
    reads = [s for s in seen if s.startswith("SELECT") and "FROM programmes" in s]
    reads += [s for s in seen if s.startswith("SELECT") and "FROM organisations" in s]
    assert reads and all(" LIMIT " in s for s in reads), [s for s in reads if " LIMIT " not in s]
    assert len(reads) >= summary.programmes // 40 + summary.organisations // 7

    report = await import_catalog(app.sessions, path)  # the whole catalogue, unchanged
    assert report.ok, report.problems[:3]
    assert report.programmes.unchanged == summary.programmes
    assert report.organisations.unchanged == summary.organisations
    assert (report.programmes.added, report.programmes.changed) == (0, 0)

    buffer = BytesIO()  # a stream gets the same file
    await export_catalog(app.sessions, buffer, kind="csv")
    assert buffer.getvalue() == path.read_bytes()


async def test_the_plan_report_counts_a_month_per_statement(app):
    with statements(app) as seen:
        report = await plan_report(
            app.sessions, app.settings.zone, 2026, 200, now=datetime(2026, 11, 25, tzinfo=UTC)
        )
    assert report.year == 2026
    assert len([s for s in seen if "GROUP BY" in s]) == 12


async def test_the_bookings_count_of_a_year_is_a_statement_per_month(app):
    year = Period(date(2026, 1, 1), date(2026, 12, 31))
    with statements(app) as seen:
        assert await count_bookings(app.sessions, app.settings.zone, year) == 0
    assert len([s for s in seen if "count(" in s.lower()]) == 12
