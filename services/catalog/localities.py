"""Localities of the catalogue: paginated list, nearest to a point, by typed name."""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import Locality

EARTH_RADIUS_KM = 6371.0


@dataclass(frozen=True, slots=True)
class Place:
    id: int
    name: str
    name_en: str
    district: str
    district_en: str
    latitude: float
    longitude: float

    def title(self, locale: str) -> str:
        return self.name_en if locale == "en" else self.name


@dataclass(frozen=True, slots=True)
class Page:
    items: list[Place]
    page: int
    pages: int


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def _fold(text: str) -> str:
    return text.lower().replace("ё", "е").strip()


def _typos(a: str, b: str) -> int:
    """Edits between two words: letters added, dropped, changed or swapped with the next."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, start=1):
        row = [i] + [0] * len(b)
        for j, y in enumerate(b, start=1):
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (x != y))
            if i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                row[j] = min(row[j], previous2[j - 2] + 1)
        previous2, previous = previous, row
    return previous[-1]


def _close(query: str, places: list[Place]) -> list[Place]:
    """Places whose name (or its beginning as long as the query) is a typo or two away: one
    for short queries, two from seven letters on; the closest first."""
    allowed = 1 if len(query) < 7 else 2
    if len(query) < 4:
        return []
    scored = []
    for place in places:
        best = min(
            min(_typos(query, name), _typos(query, name[: len(query)]))
            for name in (_fold(place.name), _fold(place.name_en))
            if name
        )
        if best <= allowed:
            scored.append((best, place))
    scored.sort(key=lambda pair: pair[0])
    return [place for _, place in scored]


class LocalityService:
    """The region's localities are few (tens to hundreds): kept in memory after first use."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self._places: list[Place] | None = None
        self._by_id: dict[int, Place] = {}

    async def all(self) -> list[Place]:
        if self._places is None:
            async with self._sessions() as session:
                rows = (await session.execute(select(Locality))).scalars().all()
            places = [
                Place(r.id, r.name, r.name_en, r.district, r.district_en, r.latitude, r.longitude)
                for r in rows
            ]
            # Towns first by name; the order users scan a list in.
            places.sort(key=lambda place: _fold(place.name))
            self._places = places
            self._by_id = {place.id: place for place in places}
        return self._places

    def invalidate(self) -> None:
        self._places = None

    async def get(self, locality_id: int | None) -> Place | None:
        if locality_id is None:
            return None
        await self.all()
        return self._by_id.get(locality_id)

    async def page(self, page: int, per_page: int = 8) -> Page:
        places = await self.all()
        pages = max(1, math.ceil(len(places) / per_page))
        page = min(max(page, 0), pages - 1)
        return Page(places[page * per_page : (page + 1) * per_page], page, pages)

    async def nearest(self, latitude: float, longitude: float) -> tuple[Place, float] | None:
        places = await self.all()
        if not places:
            return None
        return min(
            ((p, distance_km(latitude, longitude, p.latitude, p.longitude)) for p in places),
            key=lambda pair: pair[1],
        )

    async def find(self, text: str, limit: int = 8) -> list[Place]:
        """Localities whose Russian or English name starts with or contains the typed text."""
        query = _fold(text)
        if len(query) < 2:
            return []
        places = await self.all()
        starts = [
            p
            for p in places
            if _fold(p.name).startswith(query) or _fold(p.name_en).startswith(query)
        ]
        contains = [
            p
            for p in places
            if p not in starts and (query in _fold(p.name) or query in _fold(p.name_en))
        ]
        if starts or contains:
            return (starts + contains)[:limit]
        return _close(query, places)[:limit]

    async def resolve(self, text: str) -> tuple[list[Place], list[str]]:
        """'Томск, Северск' → the places, and the parts that matched none or several."""
        found: list[Place] = []
        unclear: list[str] = []
        for part in (piece.strip() for piece in text.replace(";", ",").split(",")):
            if not part:
                continue
            matches = await self.find(part)
            folded = part.lower().replace("ё", "е")
            exact = [
                p
                for p in matches
                if folded in (p.name.lower().replace("ё", "е"), p.name_en.lower())
            ]
            if len(exact) == 1 or len(matches) == 1:
                place = exact[0] if exact else matches[0]
                if place not in found:
                    found.append(place)
            else:
                unclear.append(part[:40])
        return found, unclear
