"""Nearby: SQLite's R*Tree and PostgreSQL's GiST index give the same answers for the same data,
and those answers are the true nearest, whatever the in-process hint grid believes."""

from __future__ import annotations

import math
import random

import pytest
from backends import fresh_postgres, needs_postgres
from sqlalchemy import insert, select, update

from db import migrate
from db.engine import create_engine, create_session_factory
from db.models import Organisation, Programme
from services.catalog.browse import CatalogService
from services.catalog.demo import DEMO_DIR
from services.catalog.imports import import_catalog
from services.catalog.localities import EARTH_RADIUS_KM, distance_km
from services.catalog.nearby import search_area
from services.demo_data import load_localities_if_empty

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


async def _hide_some(catalog: CatalogService, sessions) -> None:
    """The same centres and programmes hidden on either backend (by external id)."""
    async with sessions() as session:
        centre = await session.scalar(
            select(Organisation.id).where(Organisation.name.contains("Томск"))
        )
        programmes = (
            await session.scalars(select(Programme.id).order_by(Programme.external_id))
        ).all()
    assert await catalog.set_centre_hidden(centre, True)
    for programme_id in programmes[::7]:
        assert await catalog.set_programme_hidden(programme_id, True)


async def _answers(catalog: CatalogService) -> list[list[tuple[str, float, int]]]:
    found = []
    for lat, lon in POINTS:
        for age in (None, 10):
            nearest = await catalog.nearby(lat, lon, count=10, age=age)
            found.append([(c.centre.name, round(c.km, 6), c.centre.programmes) for c in nearest])
    return found


async def _full_scan(sessions, lat: float, lon: float, age: int | None = None):  # type: ignore[no-untyped-def]
    """The 10 nearest visible centres by a haversine over all of them, with programme counts."""
    async with sessions() as session:
        centres = (
            await session.execute(
                select(Organisation.id, Organisation.latitude, Organisation.longitude).where(
                    Organisation.hidden.is_(False)
                )
            )
        ).all()
        nearest = sorted((distance_km(lat, lon, c.latitude, c.longitude), c.id) for c in centres)
        answer = []
        for km, centre_id in nearest[:10]:
            counted = select(Programme.id).where(
                Programme.organisation_id == centre_id, Programme.hidden.is_(False)
            )
            if age is not None:
                counted = counted.where(Programme.age_from <= age, Programme.age_to >= age)
            answer.append((centre_id, km, len((await session.execute(counted)).all())))
    return answer


def _destination(lat: float, lon: float, bearing: float, km: float) -> tuple[float, float]:
    """The point `km` along the great circle from (lat, lon) at `bearing` (radians)."""
    delta, phi, lam = km / EARTH_RADIUS_KM, math.radians(lat), math.radians(lon)
    phi2 = math.asin(
        math.sin(phi) * math.cos(delta) + math.cos(phi) * math.sin(delta) * math.cos(bearing)
    )
    lam2 = lam + math.atan2(
        math.sin(bearing) * math.sin(delta) * math.cos(phi),
        math.cos(delta) - math.sin(phi) * math.sin(phi2),
    )
    return math.degrees(phi2), (math.degrees(lam2) + 540) % 360 - 180


def test_search_area_holds_every_point_within_the_radius():
    """The box and the flat pre-test may keep too much, never too little: points on and just
    inside the circle, at every bearing, at home and near the poles, small and huge radii."""
    rng = random.Random(3)
    checked = 0
    for _ in range(3000):
        lat, lon = rng.uniform(-80, 85), rng.uniform(-179, 179)
        km = 10 ** rng.uniform(-2, 3.3)
        area = search_area(lat, lon, km)
        for _ in range(4):
            bearing = rng.uniform(0, 2 * math.pi)
            plat, plon = _destination(lat, lon, bearing, km * rng.choice([1.0, 1 - 1e-9, 0.999]))
            if distance_km(lat, lon, plat, plon) > km:
                continue  # the rounding put it just outside
            checked += 1
            assert area["a"] <= plat <= area["b"], (lat, lon, km, plat, plon)
            assert area["c"] <= plon <= area["d"], (lat, lon, km, plat, plon)
            flat = (plat - lat) ** 2 * area["ky2"] + (plon - lon) ** 2 * area["kx2"]
            assert flat <= area["r2"], (lat, lon, km, plat, plon)
    assert checked > 8000


@pytest.mark.parametrize("sqlite_math", [True, False], ids=["math", "no-math"])
async def test_nearby_is_the_true_nearest_by_distance(tmp_path, sqlite_math):
    """Against a full haversine scan: the same centres in the same order, the same distances,
    hidden centres left out and only visible programmes (of the age) counted; with SQLite's
    math functions (the haversine in SQL) and as on a build without them."""
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'n.sqlite3'}")
    try:
        catalog = await _load(engine)
        catalog._sqlite_math = None if sqlite_math else False
        sessions = create_session_factory(engine)
        await _hide_some(catalog, sessions)
        rng = random.Random(1)
        for _ in range(20):
            lat, lon = rng.uniform(56.0, 61.0), rng.uniform(77.0, 88.0)
            age = rng.choice([None, 7, 12])
            expected = await _full_scan(sessions, lat, lon, age)
            got = [
                (c.centre.id, c.km, c.centre.programmes)
                for c in await catalog.nearby(lat, lon, count=10, age=age)
            ]
            assert [(i, n) for i, _, n in got] == [(i, n) for i, _, n in expected]
            assert [km for _, km, _ in got] == pytest.approx(
                [km for _, km, _ in expected], abs=1e-9
            )
    finally:
        await engine.dispose()


async def _stale_hint_gives_the_true_answer(engine) -> None:
    """A service whose grid was built before another process hid, moved and added centres
    still answers exactly as a full scan does (and as a service built afterwards does)."""
    sessions = create_session_factory(engine)
    stale = await _load(engine)
    here = POINTS[0]
    before = await stale.nearby(*here, count=10)
    async with sessions() as session, session.begin():  # "another process"
        nearest, second = before[0].centre, before[1].centre
        await session.execute(
            update(Organisation).where(Organisation.id == nearest.id).values(hidden=True)
        )
        far = await session.scalar(
            select(Organisation.id).where(Organisation.latitude > 58).order_by(Organisation.id)
        )
        await session.execute(  # a far centre moves to just beside the point
            update(Organisation)
            .where(Organisation.id == far)
            .values(latitude=here[0] + 0.0004, longitude=here[1])
        )
        await session.execute(  # the second nearest moves away
            update(Organisation).where(Organisation.id == second.id).values(latitude=60.0)
        )
        template = (await session.execute(select(Organisation).limit(1))).scalar_one()
        await session.execute(
            insert(Organisation).values(
                external_id="ORG-NEW",
                name="Новый центр",
                type=template.type,
                locality_id=template.locality_id,
                latitude=here[0] - 0.0002,
                longitude=here[1] + 0.0003,
            )
        )
    for age in (None, 12):
        got = [(c.centre.id, c.km, c.centre.programmes) for c in await stale.nearby(*here, age=age)]
        assert got == await _full_scan(sessions, *here, age)
    names = [c.centre.name for c in await stale.nearby(*here)]
    assert "Новый центр" in names and nearest.name not in names
    fresh = CatalogService(sessions)
    for lat, lon in POINTS:
        assert await stale.nearby(lat, lon) == await fresh.nearby(lat, lon)


async def test_a_stale_hint_never_changes_the_answer(tmp_path):
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'n.sqlite3'}")
    try:
        await _stale_hint_gives_the_true_answer(engine)
    finally:
        await engine.dispose()


@needs_postgres
async def test_a_stale_hint_never_changes_the_answer_on_postgres():
    engine = await fresh_postgres()
    try:
        await _stale_hint_gives_the_true_answer(engine)
    finally:
        await engine.dispose()


@needs_postgres
async def test_sqlite_and_postgres_give_the_same_nearest_centres(tmp_path):
    lite = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'n.sqlite3'}")
    pg = await fresh_postgres()
    try:
        answers = []
        for engine in (lite, pg):
            catalog = await _load(engine)
            await _hide_some(catalog, create_session_factory(engine))
            answers.append(await _answers(catalog))
        assert answers[0] == answers[1]
        assert any(count for row in answers[0] for *_, count in row)  # counts were compared
    finally:
        await lite.dispose()
        await pg.dispose()
