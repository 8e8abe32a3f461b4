"""A month of synthetic demand-log rows for the demo catalogue, so that /insights shows
something real on a fresh install (`make run`, `make shell`): searches spread over the last
30 days and over the localities, directions and age bands the way a region's families might
search, some of them where the catalogue has nothing (the headline), questions on topics it
lacks, card opens, «how to enrol» presses and 👍/👎. Deterministic (a seeded random)."""

from __future__ import annotations

import logging
import random
from collections import defaultdict
from datetime import datetime, timedelta
from itertools import accumulate
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import DemandLog, Locality, utcnow
from services.insights.report import Supply, supply
from services.insights.topics import BANDS

log = logging.getLogger(__name__)
ROWS = 2400
DAYS = 30
SEED = 20261207
KINDS = (("list", 5), ("question", 4), ("nearby", 1))
DIRECTION_WEIGHTS = {
    "technical": 5,
    "art": 4,
    "sport": 4,
    "social": 2,
    "natural_science": 2,
    "tourism": 1,
}
# Topics (stems) of questions: (stems, found programmes?), those the catalogue lacks too.
TOPICS = (
    ("робототехник", True),
    ("программирован", True),
    ("шахмат", True),
    ("вокал", True),
    ("танц", True),
    ("футбол", True),
    ("керлинг", False),
    ("конн спорт", False),
    ("гончарн", False),
    ("японск язык", False),
    ("киберспорт", False),
    ("дрон пилотирован", False),
)


async def load_demo_demand_if_empty(
    sessions: async_sessionmaker[AsyncSession], now: datetime | None = None
) -> bool:
    now = now or utcnow()
    async with sessions() as session:
        if await session.scalar(select(func.count()).select_from(DemandLog)):
            return False
        places = (await session.scalars(select(Locality.id).order_by(Locality.id))).all()
        if not places:
            return False
        connection = await session.connection()
        rows = _rows(list(places), await supply(connection), now)
        await connection.execute(insert(DemandLog.__table__), rows)
        await session.commit()
    log.info("demo data loaded: %d demand log rows", len(rows))
    return True


def _rows(places: list[int], found: Supply, now: datetime) -> list[dict[str, Any]]:
    chance = random.Random(SEED)
    any_direction: dict[tuple[int, str | None], int] = defaultdict(int)
    for (place, _direction, band), count in found.items():
        any_direction[(place, band)] += count
    # A few big places get most searches; the first is the regional centre.
    weights = [max(40 // (n + 1), 1) for n in range(len(places))]
    tail = weights[3:]
    chance.shuffle(tail)
    place_weights = list(accumulate([*weights[:3], *tail]))
    directions = list(DIRECTION_WEIGHTS)
    direction_weights = list(accumulate(DIRECTION_WEIGHTS.values()))
    kinds = [kind for kind, _w in KINDS]
    kind_weights = list(accumulate(weight for _k, weight in KINDS))
    rows = []
    for _ in range(ROWS):
        kind = chance.choices(kinds, cum_weights=kind_weights)[0]
        place = chance.choices(places, cum_weights=place_weights)[0]
        band = chance.choice([*BANDS, None])
        direction = chance.choices(directions, cum_weights=direction_weights)[0]
        if kind == "nearby" or chance.random() < 0.2:
            direction = None
        topic, answer, known = None, None, True
        if direction is None:
            results = any_direction.get((place, band), 0)
        else:
            results = found.get((place, direction, band), 0)
        if kind == "question":
            topic, known = chance.choice(TOPICS)
            results = (results or chance.randint(1, 6)) if known else 0
            answer = "programmes" if results else "nothing"
        elif kind == "nearby":
            results = min(results, 10) if results else chance.randint(0, 3)
        opened = results > 0 and chance.random() < 0.55
        vote = None
        if kind == "question" and chance.random() < 0.25:
            vote = 1 if results and chance.random() < 0.9 else -1
        rows.append(
            {
                "at": now - timedelta(seconds=chance.randint(0, DAYS * 86400 - 1)),
                "kind": kind,
                "locality_id": place,
                "direction": direction,
                "age_band": band,
                "answer": answer,
                "topic": topic,
                "results": results,
                "missed": kind == "question" and not known,
                "opened": opened,
                "booked": opened and chance.random() < 0.3,
                "vote": vote,
            }
        )
    return rows


__all__ = ["load_demo_demand_if_empty"]
