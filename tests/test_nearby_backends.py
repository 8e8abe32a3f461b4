"""Nearby: SQLite's R*Tree and PostgreSQL's GiST index give the same answers for the same data."""

from __future__ import annotations

import random

import pytest
from backends import fresh_postgres, needs_postgres
from sqlalchemy import text

from db import migrate
from db.engine import create_engine, create_session_factory
from services.catalog import CatalogService
from services.catalog_import import import_catalog
from services.demo_catalog import DEMO_DIR
from services.demo_data import load_localities_if_empty
from services.localities import distance_km

POINTS = [
    (56.4847, 84.9482),  # Tomsk centre
    (56.60, 84.88),  # Seversk
    (60.73, 77.59),  # Strezhevoy, far north-west
    (57.56, 79.56),  # Kedrovy
    (58.0, 83.0),  # the taiga between towns
]


async def _load(engine) -> CatalogService:
    await migrate.upgrade(engine)
    sessions = create_session_factory(engine)
    await load_localities_if_empty(sessions)
    report = await import_catalog(sessions, DEMO_DIR / "catalog.csv")
    assert report.ok, report.problems[:3]
    return CatalogService(sessions)


async def _answers(catalog: CatalogService) -> list[list[tuple[str, float]]]:
    found = []
    for lat, lon in POINTS:
        nearest = await catalog.nearby(lat, lon, count=10)
        found.append([(item.centre.name, round(item.km, 6)) for item in nearest])
    return found


async def test_nearby_is_the_true_nearest_by_distance(tmp_path):
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'n.sqlite3'}")
    try:
        catalog = await _load(engine)
        rng = random.Random(1)
        async with create_session_factory(engine)() as session:
            visible = text("SELECT latitude, longitude FROM organisations WHERE NOT hidden")
            rows = (await session.execute(visible)).all()
        for _ in range(20):
            lat, lon = rng.uniform(56.0, 61.0), rng.uniform(77.0, 88.0)
            expected = sorted(distance_km(lat, lon, r.latitude, r.longitude) for r in rows)[:10]
            got = [item.km for item in await catalog.nearby(lat, lon, count=10)]
            assert got == pytest.approx(expected, abs=1e-9)
    finally:
        await engine.dispose()


@needs_postgres
async def test_sqlite_and_postgres_give_the_same_nearest_centres(tmp_path):
    lite = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'n.sqlite3'}")
    pg = await fresh_postgres()
    try:
        assert await _answers(await _load(lite)) == await _answers(await _load(pg))
    finally:
        await lite.dispose()
        await pg.dispose()
