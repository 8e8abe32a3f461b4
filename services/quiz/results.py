"""Quiz results kept with consent: the latest per person (and child), shown on a retake and in
/mydata, deleted with the person (/forget: ON DELETE CASCADE of `users`) or when consent is
withdrawn (services/people/profiles.py). Only the directions' points and the top directions are
kept, never the answers. `results_by_direction` counts them for the department's demand report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import QuizResult, User, utcnow
from services.catalog.terms import DIRECTIONS


@dataclass(frozen=True, slots=True)
class StoredQuiz:
    wording: str  # pupil | parent
    scores: dict[str, int]  # direction → points
    top: tuple[str, ...]
    taken_at: datetime
    child_id: int | None = None


def stored_quiz(row: QuizResult) -> StoredQuiz:
    scores = {code: int(row.scores.get(code, 0)) for code in DIRECTIONS}
    top = tuple(code for code in row.top.split(",") if code)
    return StoredQuiz(row.wording, scores, top, row.taken_at, row.child_id)


def _of(user_id: int, child_id: int | None):  # type: ignore[no-untyped-def]
    child = QuizResult.child_id.is_(None) if child_id is None else QuizResult.child_id == child_id
    return (QuizResult.user_id == user_id) & child


class QuizResults:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        write_sessions: async_sessionmaker[AsyncSession] | None = None,
    ) -> None:
        self._sessions = sessions
        self._write = write_sessions or sessions

    async def save(
        self,
        user_id: int,
        wording: str,
        scores: dict[str, int],
        top: tuple[str, ...],
        *,
        child_id: int | None = None,
        now: datetime | None = None,
    ) -> StoredQuiz | None:
        """Replaces the person's (child's) result; None, nothing stored, without consent on
        record (or with no profile: forgotten meanwhile)."""
        if not top:
            raise ValueError("a result names at least one direction")
        async with self._write() as session, session.begin():
            consent = await session.scalar(select(User.consent_version).where(User.id == user_id))
            if consent is None:
                return None
            await session.execute(delete(QuizResult).where(_of(user_id, child_id)))
            row = QuizResult(
                user_id=user_id,
                child_id=child_id,
                wording=wording,
                scores={code: int(scores.get(code, 0)) for code in DIRECTIONS},
                top=",".join(top),
                top_direction=top[0],
                taken_at=now or utcnow(),
            )
            session.add(row)
        return stored_quiz(row)

    async def latest(self, user_id: int, child_id: int | None = None) -> StoredQuiz | None:
        async with self._sessions() as session:
            row = await session.scalar(
                select(QuizResult)
                .where(_of(user_id, child_id))
                .order_by(QuizResult.taken_at.desc(), QuizResult.id.desc())
                .limit(1)
            )
        return stored_quiz(row) if row is not None else None


async def results_by_direction(
    sessions: async_sessionmaker[AsyncSession], start: datetime, end: datetime
) -> dict[str, int]:
    """How many kept results, taken in [start, end), have each direction first; every direction
    is present (0 when none). For the demand report: no person is named."""
    async with sessions() as session:
        rows = (
            await session.execute(
                select(QuizResult.top_direction, func.count())
                .where(QuizResult.taken_at >= start, QuizResult.taken_at < end)
                .group_by(QuizResult.top_direction)
            )
        ).all()
    counts = dict.fromkeys(DIRECTIONS, 0)
    for direction, count in rows:
        if direction in counts:
            counts[direction] = count
    return counts
