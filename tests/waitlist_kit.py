"""Helpers of the waitlist tests (tests/waitlists): programmes put in shape, entries read,
messages the bot sent."""

from __future__ import annotations

from sqlalchemy import delete, select, update

from bot.app import App
from db.models import Organisation, Programme, WaitlistEntry
from harness import BotClient

ADMIN = 900001


async def a_programme(app: App, *, free: int | None, total: int = 10, skip: int = 0) -> int:
    """A visible demo programme (not one with a demo queue), its seats set as given."""
    async with app.write_sessions() as session, session.begin():
        queued = select(WaitlistEntry.programme_id).where(WaitlistEntry.programme_id.is_not(None))
        programme_id = (
            await session.scalars(
                select(Programme.id)
                .join(Organisation, Organisation.id == Programme.organisation_id)
                .where(
                    Programme.hidden.is_(False),
                    Organisation.hidden.is_(False),
                    Programme.id.not_in(queued),
                )
                .order_by(Programme.id)
                .offset(skip)
                .limit(1)
            )
        ).one()
        await session.execute(
            update(Programme)
            .where(Programme.id == programme_id)
            .values(seats_free=free, seats_total=total, enrol_starts_on=None)
        )
    return programme_id


async def entries(app: App, programme_id: int | None = None) -> list[WaitlistEntry]:
    async with app.sessions() as session:
        query = select(WaitlistEntry).order_by(WaitlistEntry.id)
        if programme_id is not None:
            query = query.where(WaitlistEntry.programme_id == programme_id)
        return list((await session.scalars(query)).all())


async def no_demo_queues(app: App) -> None:
    async with app.write_sessions() as session, session.begin():
        await session.execute(delete(WaitlistEntry))


def sent_to(client: BotClient, start: int) -> list[tuple[int, str]]:
    """(chat, text) of the messages the bot sent since log position `start`."""
    from aiogram.methods import SendMessage

    return [
        (o.method.chat_id, o.message.text or "")
        for o in client.session.log[start:]
        if isinstance(o.method, SendMessage) and o.message is not None
    ]
