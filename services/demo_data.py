"""Demo data shipped in `data/demo/`, loaded on first run when the tables are empty:
localities, then (when `catalog.csv` is there) the catalogue through the regular importer."""

from __future__ import annotations

import csv
import logging

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import Locality, Programme
from services.catalog.imports import import_catalog
from services.insights.demo import load_demo_demand_if_empty
from services.paths import DEMO_DIR

log = logging.getLogger(__name__)


async def load_demo_if_empty(sessions: async_sessionmaker[AsyncSession]) -> bool:
    """True when anything was loaded. The catalogue needs the localities, so it comes second;
    a month of searches for /insights comes with the demo catalogue only."""
    localities = await load_localities_if_empty(sessions)
    catalogue = await load_demo_catalogue_if_empty(sessions)
    if catalogue:
        await load_demo_demand_if_empty(sessions)
    return localities or catalogue


async def load_localities_if_empty(sessions: async_sessionmaker[AsyncSession]) -> bool:
    async with sessions() as session:
        if (await session.execute(select(func.count()).select_from(Locality))).scalar_one():
            return False
        with (DEMO_DIR / "localities.csv").open(encoding="utf-8", newline="") as file:
            rows = list(csv.DictReader(file))
        session.add_all(
            Locality(
                id=int(row["id"]),
                name=row["name"],
                name_en=row["name_en"],
                district=row["district"],
                district_en=row["district_en"],
                latitude=float(row["latitude"]),
                longitude=float(row["longitude"]),
            )
            for row in rows
        )
        await session.flush()
        if session.bind.dialect.name == "postgresql":
            # Explicit ids leave the serial sequence behind; move it past them.
            await session.execute(
                text(
                    "SELECT setval(pg_get_serial_sequence('localities', 'id'), max(id))"
                    " FROM localities"
                )
            )
        await session.commit()
    log.info("demo data loaded: %d localities", len(rows))
    return True


async def load_demo_catalogue_if_empty(sessions: async_sessionmaker[AsyncSession]) -> bool:
    path = DEMO_DIR / "catalog.csv"
    if not path.exists():
        return False
    async with sessions() as session:
        if (await session.execute(select(func.count()).select_from(Programme))).scalar_one():
            return False
    report = await import_catalog(sessions, path)
    if not report.ok:
        first = "; ".join(
            f"row {p.row} {p.column}: {p.reason} {dict(p.args)}" for p in report.problems[:5]
        )
        log.warning(
            "demo catalogue %s not loaded: %d problems: %s", path, report.problem_count, first
        )
        return False
    log.info(
        "demo data loaded: %d organisations, %d programmes",
        report.organisations.added,
        report.programmes.added,
    )
    return True
