"""Rings of organisations around a point: nearest first, the order kept per point while the
catalogue is unchanged, measured afresh after `invalidate()`."""

from __future__ import annotations

import pytest
from sqlalchemy import update
from test_search import keys_of, load_catalogue

from bot.app import App
from db.models import Organisation, Programme
from services.catalog.localities import distance_km
from services.search import SearchService, planner
from services.search.fuzzy import FuzzyIndex
from services.search.vocabulary import Org, Vocabulary

POINTS = [  # Tomsk, Seversk, Asino, Kolpashevo, Strezhevoy, Bogashevo, Molchanovo, Kargasok
    (56.4847, 84.9482), (56.6031, 84.8809), (56.9957, 86.1500), (58.3114, 82.9025),
    (60.7336, 77.6042), (56.3667, 85.1167), (57.5800, 83.7700), (59.0600, 80.8600),
]  # fmt: skip
ORGS = tuple(Org(i, 1, lat, lon, 10) for i, (lat, lon) in enumerate(POINTS, 1))


def vocabulary() -> Vocabulary:
    return Vocabulary({}, 0, FuzzyIndex([]), ORGS)


def test_nearest_first_orders_like_the_great_circle_distance():
    words = vocabulary()
    for origin in [*POINTS, (57.2, 84.0), (60.0, 79.0)]:
        expected = sorted(ORGS, key=lambda o: distance_km(*origin, o.latitude, o.longitude))
        assert [o.id for o in planner.nearest_first(words, origin)] == [o.id for o in expected]


def test_the_order_is_kept_per_point_for_one_vocabulary_and_bounded():
    words = vocabulary()
    first = planner.nearest_first(words, POINTS[0])
    assert planner.nearest_first(words, POINTS[0]) is first
    for i in range(planner.RING_ORDERS + 5):
        planner.nearest_first(words, (56.0 + i / 1000, 84.0))
    assert len(words.ring_orders) == planner.RING_ORDERS
    assert vocabulary().ring_orders == {}


@pytest.fixture
async def bounded_search(app: App, monkeypatch) -> tuple[SearchService, dict[str, int]]:
    """The small catalogue of test_search, with plans as a large catalogue gets them."""
    monkeypatch.setattr(planner, "ALL_MATCHES", 0)
    monkeypatch.setattr(planner, "CANDIDATES", 3)
    monkeypatch.setattr(planner, "RING_MIN", 2)
    async with app.sessions() as session:
        await session.execute(Programme.__table__.delete())
        await session.execute(Organisation.__table__.delete())
        await session.commit()
    ids = await load_catalogue(app.sessions)
    return SearchService(app.sessions, app.localities), ids


async def test_a_moved_organisation_is_measured_where_it_is_after_invalidate(
    bounded_search, app: App
):
    search, ids = bounded_search
    point = (56.6100, 84.8800)  # in Северск, 0.7 km from its chess club
    answer = await search.ask("шахматы рядом", near=point, limit=1)
    assert search.last_plan[0] == "rings" and keys_of(answer, ids)[0] == "chess-s"

    async with app.sessions() as session:  # Асино's chess club moves to the point
        programme = await session.get(Programme, ids["chess-a"])
        await session.execute(
            update(Organisation)
            .where(Organisation.id == programme.organisation_id)
            .values(latitude=point[0], longitude=point[1])
        )
        await session.commit()
    search.invalidate()

    answer = await search.ask("шахматы рядом", near=point, limit=1)
    assert search.last_plan[0] == "rings" and keys_of(answer, ids)[0] == "chess-a"
    assert answer.distances_km[0] == 0
