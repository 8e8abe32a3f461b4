"""Browsing the catalogue: filtered pages by direction, cards, nearby centres, staff edits."""

from __future__ import annotations

import asyncio
import json
import math
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import Select, and_, func, or_, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.engine import autocommit, bound_engine, read_rows, read_sessions
from db.models import Organisation, Programme
from services.catalog.localities import EARTH_RADIUS_KM, distance_km
from services.catalog.nearby import CentreGrid, search_area

P, ORG = Programme.__table__.c, Organisation.__table__.c
NEARBY_START_KM = 0.5
NEARBY_MAX_KM = 800.0
CARD_COLUMNS = (
    "id",
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
# services.catalog.nearby.search_area: the box's corners left out before anything else is read.
NEAR_ENOUGH = (
    "(o.latitude - :lat) * (o.latitude - :lat) * :ky2"
    " + (o.longitude - :lon) * (o.longitude - :lon) * :kx2 <= :r2"
)
# The same on the R*Tree's float32 copy (:r2_rtree allows for its rounding), so a distant box's
# many points are mostly left out before their rows are read.
NEAR_ENOUGH_IN_RTREE = (
    "(r.min_lat - :lat) * (r.min_lat - :lat) * :ky2"
    " + (r.min_lon - :lon) * (r.min_lon - :lon) * :kx2 <= :r2_rtree"
)
# With SQLite's math functions (most builds since 3.35): the haversine itself, with a slack far
# above rounding, so the rows are the circle's and not the box's (10 instead of up to 260 when
# a dense village lies 100 km away). Python's distance_km still decides.
WITHIN_HAVERSINE = (
    "2 * :earth_km * asin(sqrt("
    "sin((o.latitude - :lat) * :half_rad) * sin((o.latitude - :lat) * :half_rad)"
    " + cos(:lat * :rad) * cos(o.latitude * :rad)"
    " * sin((o.longitude - :lon) * :half_rad) * sin((o.longitude - :lon) * :half_rad)"
    ")) <= :r_slack"
)
MATH_PROBE = "SELECT asin(sqrt(sin(0.5) * cos(0.5)))"
# Visible centres in the box (R*Tree bounds are float32 rounded outward, so "overlaps the box"
# keeps every point inside it): id, latitude, longitude; then, for the ids in the JSON array
# :carded only (the likely nearest), the card columns and the count of visible programmes (of
# :age, when given). A dense village at the circle's edge adds hundreds of rows to the box:
# reading cards and counts for all of them cost milliseconds.
SQLITE_NEARBY = f"""
SELECT o.id, o.latitude, o.longitude, {", ".join(f"c.{name}" for name in CARD_COLUMNS)},
    CASE WHEN c.id IS NOT NULL THEN
        (SELECT count(*) FROM programmes AS p WHERE p.organisation_id = o.id AND NOT p.hidden
            AND (:age IS NULL OR (p.age_from <= :age AND p.age_to >= :age)))
    END AS n
FROM organisations_rtree AS r JOIN organisations AS o ON o.id = r.id
LEFT JOIN organisations AS c ON c.id = o.id AND c.id IN (SELECT value FROM json_each(:carded))
WHERE r.max_lat >= :a AND r.min_lat <= :b AND r.max_lon >= :c AND r.min_lon <= :d
    AND {NEAR_ENOUGH_IN_RTREE} AND NOT o.hidden AND {NEAR_ENOUGH}
"""
SQLITE_NEARBY_MATH = f"{SQLITE_NEARBY} AND {WITHIN_HAVERSINE}"
HAVERSINE_PARAMS = {
    "earth_km": EARTH_RADIUS_KM,
    "rad": math.pi / 180,
    "half_rad": math.pi / 360,
}


@dataclass(frozen=True, slots=True)
class Filters:
    age: int | None = None
    locality_id: int | None = None
    free_only: bool = False
    format: str | None = None

    def with_(self, **changes: object) -> Filters:
        return replace(self, **changes)


@dataclass(frozen=True, slots=True)
class ProgrammeLine:
    id: int
    name: str
    organisation: str
    age_from: int
    age_to: int
    cost: str
    seats_free: int | None
    format: str = "in_person"


@dataclass(frozen=True, slots=True)
class ProgrammePage:
    items: list[ProgrammeLine]
    page: int
    pages: int
    total: int


@dataclass(frozen=True, slots=True)
class OrganisationCard:
    id: int
    name: str
    type: str
    address: str
    locality_id: int
    latitude: float
    longitude: float
    phone: str
    website: str
    hours: str
    accessible: bool
    hidden: bool
    programmes: int = 0


@dataclass(frozen=True, slots=True)
class ProgrammeCard:
    id: int
    name: str
    direction: str
    description: str
    age_from: int
    age_to: int
    format: str
    cost: str
    price: int | None
    schedule: str
    teacher: str
    seats_total: int | None
    seats_free: int | None
    enrol_url: str
    hidden: bool
    organisation: OrganisationCard
    enrol_starts_on: date | None = None  # the day enrolment opens, when known


@dataclass(frozen=True, slots=True)
class NearbyCentre:
    centre: OrganisationCard
    km: float


def _filtered(statement: Select, filters: Filters) -> Select:
    conditions = [P.hidden.is_(False), ORG.hidden.is_(False)]
    if filters.age is not None:
        conditions += [P.age_from <= filters.age, P.age_to >= filters.age]
    if filters.locality_id is not None:  # online programmes reach every place
        conditions.append(or_(ORG.locality_id == filters.locality_id, P.format == "online"))
    if filters.free_only:
        conditions.append(P.cost == "free")
    if filters.format is not None:
        conditions.append(P.format == filters.format)
    return statement.where(and_(*conditions))


LINE_COLUMNS = (
    P.id,
    P.name,
    ORG.name.label("org"),
    P.age_from,
    P.age_to,
    P.cost,
    P.seats_free,
    P.format,
)


def _line(row) -> ProgrammeLine:  # type: ignore[no-untyped-def]
    return ProgrammeLine(
        row.id, row.name, row.org, row.age_from, row.age_to, row.cost, row.seats_free, row.format
    )


def _organisation(row, programmes: int = 0) -> OrganisationCard:  # type: ignore[no-untyped-def]
    return OrganisationCard(
        id=row.id,
        name=row.name,
        type=row.type,
        address=row.address,
        locality_id=row.locality_id,
        latitude=row.latitude,
        longitude=row.longitude,
        phone=row.phone,
        website=row.website,
        hours=row.hours,
        accessible=row.accessible,
        hidden=row.hidden,
        programmes=programmes,
    )


def _card(row: tuple) -> OrganisationCard:  # type: ignore[type-arg]
    """A card from the card columns in order, then the programme count."""
    values = dict(zip(CARD_COLUMNS, row, strict=False))
    values["accessible"], values["hidden"] = bool(values["accessible"]), bool(values["hidden"])
    return OrganisationCard(**values, programmes=row[len(CARD_COLUMNS)])


class CatalogService:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        write_sessions: async_sessionmaker[AsyncSession] | None = None,
    ) -> None:
        self._sessions = sessions
        # Reads: each statement its own transaction, no BEGIN and ROLLBACK round trips.
        self._reads = read_sessions(sessions)
        self._write = write_sessions or sessions
        self._grid: CentreGrid | None = None  # nearby's hint, built on first use
        self._grid_lock = asyncio.Lock()
        self._sqlite_math: bool | None = None  # whether SQLite has sin, asin...: asked once

    async def browse(
        self, direction: str | None, filters: Filters, page: int = 0, per_page: int = 6
    ) -> ProgrammePage:
        base = select(P.id).select_from(Programme.__table__.join(Organisation.__table__))
        if direction is not None:
            base = base.where(P.direction == direction)
        return await self._page(_filtered(base, filters), page, per_page)

    async def _page(self, base: Select, page: int, per_page: int) -> ProgrammePage:
        # Core on a plain connection: cheaper than an ORM session.
        async with autocommit(bound_engine(self._sessions)).connect() as connection:
            total = (
                await connection.execute(select(func.count()).select_from(base.subquery()))
            ).scalar_one()
            pages = max(1, math.ceil(total / per_page))
            page = min(max(page, 0), pages - 1)
            rows = (
                await connection.execute(
                    base.with_only_columns(*LINE_COLUMNS)
                    .order_by(P.name, P.id)
                    .limit(per_page)
                    .offset(page * per_page)
                )
            ).all()
        return ProgrammePage([_line(r) for r in rows], page, pages, total)

    async def lines(self, programme_ids: list[int]) -> list[ProgrammeLine]:
        """List lines for given programmes, in the given order, hidden ones left out."""
        if not programme_ids:
            return []
        statement = _filtered(
            select(*LINE_COLUMNS).select_from(Programme.__table__.join(Organisation.__table__)),
            Filters(),
        ).where(P.id.in_(programme_ids))
        rows = {r.id: r for r in await read_rows(self._sessions, statement)}
        return [_line(rows[pid]) for pid in programme_ids if pid in rows]

    async def programme(self, programme_id: int, *, staff: bool = False) -> ProgrammeCard | None:
        """A programme's card; hidden ones (or of a hidden centre) only for staff."""
        async with self._reads() as session:
            programme = await session.get(Programme, programme_id)
            if programme is None:
                return None
            organisation = await session.get(Organisation, programme.organisation_id)
        if not staff and (programme.hidden or organisation.hidden):
            return None
        return ProgrammeCard(
            id=programme.id,
            name=programme.name,
            direction=programme.direction,
            description=programme.description,
            age_from=programme.age_from,
            age_to=programme.age_to,
            format=programme.format,
            cost=programme.cost,
            price=programme.price,
            schedule=programme.schedule,
            teacher=programme.teacher,
            seats_total=programme.seats_total,
            seats_free=programme.seats_free,
            enrol_url=programme.enrol_url,
            hidden=programme.hidden,
            organisation=_organisation(organisation),
            enrol_starts_on=programme.enrol_starts_on,
        )

    async def centre(self, organisation_id: int, *, staff: bool = False) -> OrganisationCard | None:
        """A centre's card with its programme count; hidden centres and programmes (counted)
        only for staff."""
        async with self._reads() as session:
            row = await session.get(Organisation, organisation_id)
            if row is None or (row.hidden and not staff):
                return None
            counted = select(func.count()).select_from(Programme)
            counted = counted.where(Programme.organisation_id == organisation_id)
            if not staff:
                counted = counted.where(Programme.hidden.is_(False))
            count = (await session.execute(counted)).scalar_one()
        return _organisation(row, count)

    async def centre_programmes(
        self, organisation_id: int, page: int = 0, per_page: int = 6, *, staff: bool = False
    ) -> ProgrammePage:
        """A page of a centre's programmes; staff see hidden ones (and those of a hidden centre)."""
        base = select(P.id).select_from(Programme.__table__.join(Organisation.__table__))
        if not staff:
            base = _filtered(base, Filters())
        return await self._page(base.where(P.organisation_id == organisation_id), page, per_page)

    async def nearby(
        self, latitude: float, longitude: float, count: int = 10, age: int | None = None
    ) -> list[NearbyCentre]:
        """The nearest visible centres by real distance, widening the radius until enough.

        Programme counts are of visible programmes (for `age`, when given). See
        services.catalog.nearby: the in-process grid only picks the first radius; every answer
        comes from the database.
        """
        grid = await self._centre_grid()
        hint = grid.first_radius(latitude, longitude, count)
        radius, carded = hint if hint else (NEARBY_START_KM, [])
        while True:
            radius = min(radius, NEARBY_MAX_KM)
            rows = await self._centres_within(latitude, longitude, radius, age, carded)
            if self._grid is grid and grid.is_stale(rows, latitude, longitude, hint):
                self._grid = None  # rebuilt on the next call
            hint = None  # the hinted ids are checked on the first attempt only
            found = [
                (km, row)
                for row in rows
                if (km := distance_km(latitude, longitude, row[1], row[2])) <= radius
            ]
            if len(found) >= count or radius >= NEARBY_MAX_KM:
                break
            radius *= 2 if found else 4  # an empty box: widen faster
        found.sort(key=lambda pair: (pair[0], pair[1][0]))
        nearest = found[:count]
        # Cards came with the rows of the hinted ids; the rest (a stale or missing hint) now.
        missing = [row[0] for _, row in nearest if row[3] is None]
        cards = await self._cards(missing, age) if missing else {}
        return [
            NearbyCentre(_card(row[3:]) if row[3] is not None else cards[row[0]], km)
            for km, row in nearest
            if row[3] is not None or row[0] in cards  # deleted in between: left out
        ]

    async def programme_counts(self, organisation_ids: list[int]) -> dict[int, int]:
        """Visible programmes of each centre, as its card counts them (no age)."""
        if not organisation_ids:
            return {}
        statement = (
            select(P.organisation_id, func.count())
            .where(P.organisation_id.in_(organisation_ids), P.hidden.is_(False))
            .group_by(P.organisation_id)
        )
        counted = {row[0]: row[1] for row in await read_rows(self._sessions, statement)}
        return {centre_id: counted.get(centre_id, 0) for centre_id in organisation_ids}

    async def _centre_grid(self) -> CentreGrid:
        if self._grid is None:
            async with self._grid_lock:
                if self._grid is None:
                    statement = select(ORG.id, ORG.latitude, ORG.longitude).where(
                        ORG.hidden.is_(False)
                    )
                    async with self._reads() as session:
                        rows = (await session.execute(statement)).all()
                    self._grid = CentreGrid(tuple(row) for row in rows)
        return self._grid

    async def _centres_within(  # type: ignore[no-untyped-def]
        self, lat: float, lon: float, km: float, age: int | None, carded: list[int]
    ):
        """Every visible centre in a box around the circle: (id, latitude, longitude, card
        columns..., programme count), the card columns and count None unless `carded`."""
        area = search_area(lat, lon, km)
        engine = self._sessions.kw.get("bind")
        if engine is not None and engine.dialect.name == "sqlite":
            # The hot path: one plain statement, its own transaction.
            params = area | {"age": age, "carded": json.dumps(carded)}
            async with autocommit(engine).connect() as connection:
                if self._sqlite_math is None:
                    try:
                        await connection.exec_driver_sql(MATH_PROBE)
                        self._sqlite_math = True
                    except DBAPIError:  # built without math functions
                        self._sqlite_math = False
                        await connection.rollback()
                if self._sqlite_math:
                    params |= HAVERSINE_PARAMS | {"r_slack": km * (1 + 1e-9) + 1e-9}
                    return (await connection.exec_driver_sql(SQLITE_NEARBY_MATH, params)).all()
                return (await connection.exec_driver_sql(SQLITE_NEARBY, params)).all()
        # PostgreSQL (no thread hand-offs with asyncpg): cards and counts for the whole box.
        o = Organisation.__table__.alias("o")  # the name NEAR_ENOUGH uses
        counted = select(func.count()).where(P.organisation_id == o.c.id, P.hidden.is_(False))
        if age is not None:
            counted = counted.where(P.age_from <= age, P.age_to >= age)
        inside = text("point(o.longitude, o.latitude) <@ box(point(:c, :a), point(:d, :b))")
        statement = select(
            o.c.id,
            o.c.latitude,
            o.c.longitude,
            *(o.c[name] for name in CARD_COLUMNS),
            counted.scalar_subquery().label("n"),
        ).where(inside, o.c.hidden.is_(False), text(NEAR_ENOUGH))
        async with self._reads() as session:
            return [tuple(row) for row in (await session.execute(statement, area)).all()]

    async def _cards(self, ids: list[int], age: int | None) -> dict[int, OrganisationCard]:
        """Cards with their visible programme counts, in one statement."""
        counted = select(func.count()).where(P.organisation_id == ORG.id, P.hidden.is_(False))
        if age is not None:
            counted = counted.where(P.age_from <= age, P.age_to >= age)
        statement = select(
            *(ORG[name] for name in CARD_COLUMNS), counted.scalar_subquery().label("n")
        ).where(ORG.id.in_(ids))
        async with self._reads() as session:
            rows = (await session.execute(statement)).all()
        return {row.id: _card(tuple(row)) for row in rows}

    # --- staff -------------------------------------------------------------------------------
    async def set_programme_hidden(self, programme_id: int, hidden: bool) -> bool:
        return await self._update(Programme, programme_id, hidden=hidden)

    async def set_centre_hidden(self, organisation_id: int, hidden: bool) -> bool:
        self._grid = None
        return await self._update(Organisation, organisation_id, hidden=hidden)

    async def set_free_seats(self, programme_id: int, seats_free: int) -> bool:
        """Free seats between 0 and the total (when the total is known)."""
        if seats_free < 0:
            raise ValueError("negative")
        async with self._sessions() as session:
            total = (
                await session.execute(select(P.seats_total).where(P.id == programme_id))
            ).scalar_one_or_none()
            if total is not None and seats_free > total:
                raise ValueError("more than total")
        return await self._update(Programme, programme_id, seats_free=seats_free)

    async def _update(self, model, row_id: int, **values: object) -> bool:  # type: ignore[no-untyped-def]
        async with self._write() as session:
            result = await session.execute(update(model).where(model.id == row_id).values(**values))
            await session.commit()
        return result.rowcount == 1
