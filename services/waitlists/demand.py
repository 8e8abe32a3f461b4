"""Waitlists for the department's demand report: how many wait for what, and how long the
people told waited (joined → told). No person is named: counts and hours only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from statistics import median

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import ConsultService, Programme, Provider, WaitlistEntry


@dataclass(frozen=True, slots=True)
class WaitlistDemand:
    kind: str  # programme | consult
    target: str  # «p:12», «c:3:7», «c:3:*» (services/waitlists/entries.py)
    title: str  # the programme's name, or the topic (and organisation)
    waiting: int  # waiting now (not yet told)
    joined: int  # joined within the period
    told: int  # told within the period
    median_wait_hours: float | None  # of those told within the period
    max_wait_hours: float | None


async def waitlist_demand(
    sessions: async_sessionmaker[AsyncSession], start: datetime, end: datetime
) -> list[WaitlistDemand]:
    """Every waitlist with someone waiting now, or joined or told in [start, end); longest
    queues first."""
    entry = WaitlistEntry
    async with sessions() as session:
        rows = (
            await session.execute(
                select(
                    entry.target,
                    entry.state,
                    entry.joined_at,
                    entry.sent_at,
                    Programme.name.label("programme"),
                    ConsultService.name.label("service"),
                    Provider.name.label("provider"),
                )
                .outerjoin(Programme, Programme.id == entry.programme_id)
                .outerjoin(ConsultService, ConsultService.id == entry.service_id)
                .outerjoin(Provider, Provider.id == entry.provider_id)
            )
        ).all()
    groups: dict[str, dict] = {}
    for row in rows:
        group = groups.setdefault(
            row.target,
            {
                "title": row.programme
                or ", ".join(part for part in (row.service, row.provider) if part)
                or "—",
                "waiting": 0,
                "joined": 0,
                "waits": [],
            },
        )
        if row.state == "waiting":
            group["waiting"] += 1
        if start <= row.joined_at < end:
            group["joined"] += 1
        if row.sent_at is not None and start <= row.sent_at < end:
            group["waits"].append((row.sent_at - row.joined_at).total_seconds() / 3600)
    found = [
        WaitlistDemand(
            kind="programme" if target.startswith("p:") else "consult",
            target=target,
            title=group["title"],
            waiting=group["waiting"],
            joined=group["joined"],
            told=len(group["waits"]),
            median_wait_hours=round(median(group["waits"]), 1) if group["waits"] else None,
            max_wait_hours=round(max(group["waits"]), 1) if group["waits"] else None,
        )
        for target, group in groups.items()
        if group["waiting"] or group["joined"] or group["waits"]
    ]
    return sorted(found, key=lambda d: (-d.waiting, -d.joined, d.title))
