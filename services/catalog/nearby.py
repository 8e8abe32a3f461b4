"""Nearest centres: exact great-circle answers from the database, one statement as a rule.

The database decides every answer. One attempt is one statement: every visible centre inside
a box that encloses the circle of radius r (SQLite's R*Tree, PostgreSQL's GiST index on
`point(longitude, latitude)`) and passes a flat-distance test that never exceeds the great
circle (`search_area`). The answer stands when `count` of them lie within r by haversine;
otherwise r widens and another attempt follows.

What makes one attempt the rule is the first r. `CentreGrid`, an in-process snapshot of the
visible centres' coordinates, names the likely nearest and a radius that holds them; the
statement reads cards and programme counts for those only. The grid is only a hint: when the
database shows it stale (a centre added, moved, shown or hidden since, by this process or
another), the answer still comes from the database's rows (a card the statement did not read
is fetched after it) and the grid is rebuilt on the next call. A stale hint costs time, never
a wrong answer."""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Iterable

from services.catalog.localities import EARTH_RADIUS_KM, distance_km

KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180
# Cell heights in degrees of latitude, finest first (~0.55 km, ~4.4 km, ~36 km); a search
# that has not settled within MAX_RINGS rings of a level moves to the next, the last has no
# limit.
LEVELS = (0.005, 0.04, 0.32)
MAX_RINGS = 4
# The grid ranks by equirectangular distance (no trigonometry per centre), so a few more than
# asked are taken as candidates in case its order differs from the great circle's at the edge.
HINT_SPARE = 5
Hint = tuple[float, list[int]]  # first radius in km, candidate ids
# SQLite's R*Tree keeps coordinates as float32, rounded outward: within 1e-5 degrees (~1.5 m).
FLOAT32_SLACK_KM = 0.002
BOX_PAD_DEGREES = 1e-7  # ~1 cm: a centre exactly on the circle stays inside the box


def search_area(lat: float, lon: float, km: float) -> dict[str, float]:
    """Bind parameters of one attempt: a box holding every point within `km` of (lat, lon)
    (south :a, north :b, west :c, east :d) and a cheaper-than-haversine test for the circle.

    The box is exact for a spherical cap: its latitudes span lat ± δ and its longitudes lon ±
    asin(sin δ / cos lat), δ being the angular radius; a cap over a pole or across the
    antimeridian gets every longitude (wider than needed, never narrower).

    The test keeps a centre when (Δlat·ky)² + (Δlon·kx)² ≤ r2: with ky a degree of latitude
    in km and kx a degree of longitude at the cap's most poleward latitude, that flat distance
    never exceeds the great-circle one (along any path inside the cap each step is at least as
    long as in the flat metric), so it never drops a centre within `km`; the box's corners go.
    `r2_rtree` is the same bound for the R*Tree's float32 copy of the coordinates.
    """
    delta = km / EARTH_RADIUS_KM
    dlat = math.degrees(delta) + BOX_PAD_DEGREES
    south, north = lat - dlat, lat + dlat
    area = {
        "lat": lat,
        "lon": lon,
        "ky2": KM_PER_DEGREE**2,
        "r2": (km * (1 + 1e-9)) ** 2,
        "r2_rtree": ((km + FLOAT32_SLACK_KM) * (1 + 1e-9)) ** 2,
    }
    if north >= 90.0 or south <= -90.0 or delta >= math.pi / 2:
        west, east, kx = -180.0 - BOX_PAD_DEGREES, 180.0 + BOX_PAD_DEGREES, 0.0
        south, north = max(south, -90.0), min(north, 90.0)
    else:
        dlon = math.degrees(math.asin(min(1.0, math.sin(delta) / math.cos(math.radians(lat)))))
        west, east = lon - dlon - BOX_PAD_DEGREES, lon + dlon + BOX_PAD_DEGREES
        kx = KM_PER_DEGREE * math.cos(math.radians(max(abs(south), abs(north))))
        if west < -180.0 or east > 180.0:  # across the antimeridian: Δlon would wrap
            west, east, kx = -180.0 - BOX_PAD_DEGREES, 180.0 + BOX_PAD_DEGREES, 0.0
    return area | {"a": south, "b": north, "c": west, "d": east, "kx2": kx * kx}


class CentreGrid:
    """Coordinates of the visible centres bucketed in square-ish cells at a few sizes."""

    def __init__(self, centres: Iterable[tuple[int, float, float]]) -> None:
        self.coordinates: dict[int, tuple[float, float]] = {
            centre_id: (lat, lon) for centre_id, lat, lon in centres
        }
        mean_lat = (
            sum(lat for lat, _ in self.coordinates.values()) / len(self.coordinates)
            if self.coordinates
            else 0.0
        )
        stretch = 1 / max(math.cos(math.radians(mean_lat)), 0.2)  # cells as wide as tall in km
        self._levels: list[tuple[float, float, dict[tuple[int, int], list], tuple[int, ...]]] = []
        for height in LEVELS:
            width = height * stretch
            cells: dict[tuple[int, int], list[tuple[float, float, int]]] = defaultdict(list)
            for centre_id, (lat, lon) in self.coordinates.items():
                cells[math.floor(lat / height), math.floor(lon / width)].append(
                    (lat, lon, centre_id)
                )
            rows = [i for i, _ in cells] or [0]
            columns = [j for _, j in cells] or [0]
            extent = (min(rows), max(rows), min(columns), max(columns))
            self._levels.append((height, width, dict(cells), extent))

    def __len__(self) -> int:
        return len(self.coordinates)

    def nearest(self, lat: float, lon: float, count: int) -> list[tuple[float, int]]:
        """About the `count` nearest as (km, id), nearest first: equirectangular distances."""
        km_lon = KM_PER_DEGREE * math.cos(math.radians(lat))
        last = len(self._levels) - 1
        for level, (height, width, cells, (i_min, i_max, j_min, j_max)) in enumerate(self._levels):
            i0, j0 = math.floor(lat / height), math.floor(lon / width)
            # Rings needed to cover every cell of the grid from here: the last level's limit.
            cover = max(i0 - i_min, i_max - i0, j0 - j_min, j_max - j0, 0)
            found: list[tuple[float, int]] = []  # (squared km, id)
            for ring in range(cover + 1):
                for key in _ring(i0, j0, ring):
                    for c_lat, c_lon, centre_id in cells.get(key, ()):
                        dy = (c_lat - lat) * KM_PER_DEGREE
                        dx = (c_lon - lon) * km_lon
                        found.append((dy * dy + dx * dx, centre_id))
                if len(found) >= count:
                    kth = heapq.nsmallest(count, found)[-1][0]
                    # Nothing unseen is nearer than the edge of the square searched so far.
                    edge = min(
                        (lat - (i0 - ring) * height) * KM_PER_DEGREE,
                        ((i0 + ring + 1) * height - lat) * KM_PER_DEGREE,
                        (lon - (j0 - ring) * width) * km_lon,
                        ((j0 + ring + 1) * width - lon) * km_lon,
                    )
                    if kth <= edge * edge:
                        return [(math.sqrt(d2), i) for d2, i in heapq.nsmallest(count, found)]
                if ring >= MAX_RINGS and level < last:
                    break
            else:  # the whole grid searched: fewer than `count` centres in all
                return [(math.sqrt(d2), i) for d2, i in sorted(found)]
        return []  # no centres at all (every level is empty)

    def first_radius(self, lat: float, lon: float, count: int) -> tuple[float, list[int]] | None:
        """A radius that holds `count` centres of the snapshot, and the ids most likely to be
        the nearest (a few spare); None when the snapshot has fewer than `count` in all.

        The grid's order is approximate; the radius is not: it is the `count`-th smallest
        great-circle distance among the candidates, so (the snapshot being current) the
        circle holds at least `count` centres and the first attempt is enough.
        """
        nearest = self.nearest(lat, lon, count + HINT_SPARE)
        if len(nearest) < count:
            return None
        exact = sorted(distance_km(lat, lon, *self.coordinates[i]) for _, i in nearest)
        return exact[count - 1], [i for _, i in nearest]

    def is_stale(self, rows: Iterable[tuple], lat: float, lon: float, hint: Hint | None) -> bool:  # type: ignore[type-arg]
        """Whether the database's rows of a box, (id, latitude, longitude, ...), show this
        snapshot out of date: a centre the grid lacks or has elsewhere, or (given the hint of
        the box's first radius) one of the hinted centres within it missing from the rows."""
        seen = set()
        for row in rows:
            if self.coordinates.get(row[0]) != (row[1], row[2]):
                return True
            seen.add(row[0])
        if hint is None:
            return False
        radius, ids = hint
        return any(
            centre_id not in seen and distance_km(lat, lon, *self.coordinates[centre_id]) <= radius
            for centre_id in ids
        )


def _ring(i0: int, j0: int, ring: int) -> Iterable[tuple[int, int]]:
    """Cells at Chebyshev distance `ring` from (i0, j0)."""
    if ring == 0:
        yield i0, j0
        return
    for j in range(j0 - ring, j0 + ring + 1):
        yield i0 - ring, j
        yield i0 + ring, j
    for i in range(i0 - ring + 1, i0 + ring):
        yield i, j0 - ring
        yield i, j0 + ring
