"""The demand log's writes: a row per question or list search, then, by its id, whether the
person opened a card, pressed «how to enrol», and how they rated an answer.

Each write is one statement in its own transaction (db.engine.SerialWriter.execute_one), and
a failed write is logged (its error's class only) and forgotten: the answer goes out all the
same, the search is just not counted."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, update
from sqlalchemy.ext.asyncio import AsyncEngine

from db.engine import SerialWriter
from db.models import MAX_ID, DemandLog, utcnow
from services.insights.report import DemandReport, Window, demand_report
from services.insights.topics import age_band, topic_stems
from services.search import Answer

log = logging.getLogger(__name__)
KINDS = ("question", "list", "nearby")
_TABLE = DemandLog.__table__


@dataclass(frozen=True, slots=True)
class Search:
    """What is logged of one search: no person, no text."""

    kind: str  # KINDS
    results: int
    locality_id: int | None = None
    direction: str | None = None
    age: int | None = None  # logged as its band only
    answer: str | None = None
    topic: str | None = None
    missed: bool = False  # a question's words the search could not use


def question_search(text: str, answer: Answer, *, home: int | None, results: int) -> Search:
    """A typed question as logged: the place it named (else the person's own), its one
    direction, its age's band, what answered it and its topic's stems."""
    seen = answer.understood
    kind = answer.kind
    if answer.intent is not None:
        kind = answer.intent.kind
    elif answer.kind == "faq":
        kind = f"faq:{answer.faq_id}"
    return Search(
        kind="question",
        results=results,
        locality_id=seen.locality_id if seen.locality_id is not None else home,
        direction=seen.direction,
        age=seen.age,
        answer=kind[:48],
        topic=topic_stems(text, seen.terms, seen.unknown) or "",
        missed=bool(seen.unmatched or [word for word in seen.unknown if word.isalpha()]),
    )


class DemandLogService:
    def __init__(self, engine: AsyncEngine, *, clock: Callable[[], datetime] = utcnow) -> None:
        self._engine = engine
        self._writer = SerialWriter(engine)
        self.now = clock
        self._insert = insert(_TABLE).returning(_TABLE.c.id)

    async def record(self, search: Search) -> int | None:
        """The new row's id; None when it could not be written (the reply goes on)."""
        values = {
            "at": self.now(),
            "kind": search.kind,
            "locality_id": search.locality_id,
            "direction": search.direction,
            "age_band": age_band(search.age),
            "answer": search.answer,
            "topic": search.topic,
            "results": max(search.results, 0),
            "missed": search.missed,
            "opened": False,
            "booked": False,
            "vote": None,
        }
        try:
            row = await self._writer.execute_one(self._insert, values)
        except Exception as error:  # the answer matters more than its count
            log.warning("demand log not written: %s", type(error).__name__)
            return None
        return None if row is None else int(row[0])

    async def opened(self, log_id: object) -> None:
        """A card was opened from this search's answer."""
        await self._set(log_id, opened=True)

    async def booked(self, log_id: object) -> None:
        """«How to enrol» (or a booking) followed this search."""
        await self._set(log_id, opened=True, booked=True)

    async def vote(self, log_id: int, up: bool) -> bool:
        """👍 or 👎 for a question's answer (a second press changes it); False when the row is
        gone (retention) or never was."""
        return await self._set(log_id, vote=1 if up else -1)

    async def _set(self, log_id: object, **values: object) -> bool:
        if not isinstance(log_id, int) or not 0 < log_id <= MAX_ID:
            return False
        statement = (
            update(_TABLE).where(_TABLE.c.id == log_id).values(**values).returning(_TABLE.c.id)
        )
        try:
            row = await self._writer.execute_one(statement, {})
        except Exception as error:
            log.warning("demand log not updated: %s", type(error).__name__)
            return False
        return row is not None

    async def report(self, window: Window) -> DemandReport:
        return await demand_report(self._engine, window)
