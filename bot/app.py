"""The application factory: one place that builds the bot, the dispatcher and their services.

`make run`, the terminal shell, the tests and the benchmarks all build the bot through here.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.base import BaseSession
from aiogram.enums import ParseMode
from aiogram.fsm.storage.base import BaseStorage
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.messenger_guard import OwnChatsOnly
from bot.metrics import install_metrics
from bot.middlewares import ProfileMiddleware
from bot.middlewares.flood import FloodControl
from bot.middlewares.flood_gates import FloodGate, MemoryFloodGate, RedisFloodGate
from bot.middlewares.in_flight import InFlight
from bot.middlewares.press_origin import PressOrigin
from bot.middlewares.retry_after import ReplyScope
from bot.middlewares.retry_after import install as install_retry_after
from bot.middlewares.state_writes import DeferredStateWrites
from bot.telegram import dialogs
from bot.telegram.i18n import Locales
from bot.telegram.not_modified import NotModifiedIsDone
from bot.telegram.session import create_session
from db import migrate
from db.engine import (
    SerialWriter,
    create_engine,
    create_session_factory,
    create_write_session_factory,
)
from db.fsm_storage import SqlStorage
from handlers import get_routers, sections
from handlers.general.errors import AdminAlerts
from services.booking.reports import BookingReports
from services.booking.schedule import generate_slots
from services.booking.service import BookingService
from services.booking.specialists import SpecialistService
from services.broadcasts.service import BroadcastService
from services.catalog.browse import CatalogService
from services.catalog.files import CatalogFiles
from services.catalog.localities import LocalityService
from services.consultations.admin import ConsultAdmin
from services.consultations.closed_days import ClosedDaysService
from services.consultations.demo import load_consultations_if_empty
from services.consultations.files import SetupFiles
from services.demo_data import load_demo_if_empty
from services.events.demo import load_demo_events_if_empty
from services.events.service import EventService
from services.events.subscriptions import SubscriptionService
from services.insights.demand import DemandLogService
from services.notices.queue import NoticeQueue
from services.people.children import ChildService
from services.people.privacy import PrivacyService
from services.people.profiles import ProfileService
from services.quiz.bank import QuizBank, load_bank
from services.quiz.results import QuizResults
from services.search import SearchService
from services.waitlists.demo import load_demo_waitlists_if_empty
from services.waitlists.enrolment import EnrolmentService
from services.waitlists.entries import WaitlistService


@dataclass
class App:
    """Long-lived objects shared by every update. Each service is built once, here, and handed
    to the handlers as the dispatcher's keyword of the same name (`create_dispatcher`)."""

    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    # Transactions that read then write: BEGIN IMMEDIATE on SQLite.
    write_sessions: async_sessionmaker[AsyncSession]
    locales: Locales
    profiles: ProfileService
    children: ChildService
    localities: LocalityService
    catalog: CatalogService
    catalog_files: CatalogFiles
    booking: BookingService
    specialists: SpecialistService
    booking_reports: BookingReports
    consult_admin: ConsultAdmin
    closed_days: ClosedDaysService
    setup_files: SetupFiles
    events: EventService
    subscriptions: SubscriptionService
    broadcasts: BroadcastService
    privacy: PrivacyService
    search: SearchService
    quiz: QuizBank  # the interest quiz's questions (data/quiz.json), checked at start
    quiz_results: QuizResults
    demand: DemandLogService  # the demand log and /insights
    waitlists: WaitlistService
    enrolment: EnrolmentService
    # Notices to people of the other messenger, sent by its process (services/notices).
    notices: NoticeQueue
    # The per-update writes (update_id claims, conversation state): see db/engine.py.
    writer: SerialWriter

    async def close(self) -> None:
        await self.engine.dispose()


def build_app(settings: Settings, engine: AsyncEngine | None = None) -> App:
    engine = engine or create_engine(settings.database_url)
    sessions = create_session_factory(engine)
    write_sessions = create_write_session_factory(engine)
    localities = LocalityService(sessions)
    booking = BookingService(
        sessions,
        write_sessions,
        settings.zone,
        max_active=settings.booking.max_active,
        reminder_hours=settings.booking.reminder_hours,
    )
    specialists = SpecialistService(sessions, write_sessions, booking)
    locales = Locales(default=settings.default_locale)
    return App(
        settings=settings,
        engine=engine,
        sessions=sessions,
        write_sessions=write_sessions,
        locales=locales,
        # REDIS_URL means several instances may share the database: no per-process cache.
        profiles=ProfileService(
            sessions, write_sessions, cache_size=0 if settings.redis_url else 50_000
        ),
        children=ChildService(sessions, write_sessions),
        localities=localities,
        catalog=CatalogService(sessions, write_sessions),
        catalog_files=CatalogFiles(sessions),
        booking=booking,
        specialists=specialists,
        booking_reports=BookingReports(sessions, booking),
        consult_admin=ConsultAdmin(
            sessions, write_sessions, booking, settings.booking.horizon_days
        ),
        closed_days=ClosedDaysService(sessions, write_sessions, booking),
        setup_files=SetupFiles(sessions, write_sessions, booking),
        events=EventService(sessions, write_sessions),
        subscriptions=SubscriptionService(sessions, write_sessions),
        broadcasts=BroadcastService(sessions, write_sessions),
        privacy=PrivacyService(sessions, write_sessions, booking, specialists),
        search=SearchService(sessions, localities),
        # A broken quiz file stops the start here (QuizFileError; the CLI names file and line).
        quiz=load_bank(languages=locales.available),
        quiz_results=QuizResults(sessions, write_sessions),
        demand=DemandLogService(engine),
        waitlists=WaitlistService(
            sessions,
            write_sessions,
            booking,
            notice_hours=settings.waitlist.notice_hours,
            horizon_days=settings.booking.horizon_days,
        ),
        enrolment=EnrolmentService(sessions, write_sessions, settings.zone),
        notices=NoticeQueue(write_sessions),
        writer=SerialWriter(engine),
    )


# Key of the PostgreSQL advisory lock that serializes `prepare_database` across processes.
PREPARE_LOCK_KEY = 0x65647562_6F740001  # "edubot" 1


@contextlib.asynccontextmanager
async def startup_lock(engine: AsyncEngine) -> AsyncIterator[None]:
    """On PostgreSQL, one process at a time prepares the database: instances started together
    (a deploy, `systemctl start a@8080 a@8081`) would otherwise run the same migrations and
    load the same demo rows at once, and all but one would fail on duplicates. SQLite needs
    nothing: its write transactions already exclude each other."""
    if engine.dialect.name != "postgresql":
        yield
        return
    async with engine.connect() as connection:
        await connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": PREPARE_LOCK_KEY})
        await connection.commit()  # the lock belongs to the session, not to a transaction
        try:
            yield
        finally:
            await connection.execute(
                text("SELECT pg_advisory_unlock(:key)"), {"key": PREPARE_LOCK_KEY}
            )
            await connection.commit()


async def prepare_database(app: App, *, lock: bool = True) -> None:
    """Migrations to head, the demo data when the catalogue is empty, slots ahead; on
    PostgreSQL under `startup_lock` (lock=False: the caller holds it)."""
    if lock:
        async with startup_lock(app.engine):
            await prepare_database(app, lock=False)
        return
    await migrate.upgrade(app.engine)
    await load_demo_if_empty(app.sessions)
    await load_consultations_if_empty(app.sessions)
    await load_demo_events_if_empty(app.sessions, app.settings.zone)
    await load_demo_waitlists_if_empty(app.sessions, app.settings.zone)
    await extend_slots(app)


async def extend_slots(app: App) -> int:
    """Slots from today to the booking horizon; existing ones stay as they are."""
    today = datetime.now(app.settings.zone).date()
    last = today + timedelta(days=app.settings.booking.horizon_days)
    async with app.write_sessions() as session, session.begin():
        return await generate_slots(session, app.settings.zone, today, last)


def create_bot(settings: Settings, session: BaseSession | None = None) -> Bot:
    """A session that carries calls to another messenger says which (`MaxSession.messenger`);
    calls to people of the other messenger are refused (bot/messenger_guard.py)."""
    if session is None:
        session = create_session(settings.bot_api_url)
    session.middleware(OwnChatsOnly(getattr(session, "messenger", settings.messenger)))
    session.middleware(NotModifiedIsDone())
    token = settings.bot_token.get_secret_value() if settings.bot_token else OFFLINE_TOKEN
    bot = Bot(token, session=session, default=DefaultBotProperties(parse_mode=ParseMode.HTML))
    install_retry_after(bot)  # replies that meet 429 wait and go again
    return bot


# A well-formed token for the offline session (shell, tests); it never reaches Telegram.
OFFLINE_TOKEN = "100000001:offline-offline-offline-offline-x"


def create_storage(app: App) -> BaseStorage:
    # An abandoned dialog (a booking's name and phone) is dropped after this long.
    ttl = timedelta(hours=app.settings.retention.conversation_hours)
    if app.settings.redis_url:
        from aiogram.fsm.storage.redis import DefaultKeyBuilder, RedisStorage

        # aiogram-dialog keeps its stacks and contexts beside the state under other destinies.
        keys = DefaultKeyBuilder(with_destiny=True)
        return RedisStorage.from_url(
            app.settings.redis_url, key_builder=keys, state_ttl=ttl, data_ttl=ttl
        )
    return SqlStorage(app.engine, writer=app.writer, ttl=ttl)


def create_flood_gate(app: App, storage: BaseStorage) -> FloodGate:
    """Shared through Redis when the conversation state is (several instances); else here."""
    from aiogram.fsm.storage.redis import RedisStorage

    if isinstance(storage, RedisStorage):
        return RedisFloodGate(storage.redis)
    return MemoryFloodGate()


def create_dispatcher(
    app: App,
    storage: BaseStorage | None = None,
    *,
    throttle: bool = False,
    flood_gate: FloodGate | None = None,
) -> Dispatcher:
    """`throttle`: per-person flood control (bot/middlewares/flood.py), on in the running bot
    (bot/runner.py); `flood_gate` sets its buckets (tests: a clock of their own). Scripted
    users (tests, the shell, benchmarks of the dispatcher) act faster than any person."""
    storage = storage or create_storage(app)
    dispatcher = Dispatcher(
        storage=storage,
        settings=app.settings,
        locales=app.locales,
        profiles=app.profiles,
        children=app.children,
        localities=app.localities,
        catalog=app.catalog,
        catalog_files=app.catalog_files,
        booking=app.booking,
        specialists=app.specialists,
        booking_reports=app.booking_reports,
        consult_admin=app.consult_admin,
        closed_days=app.closed_days,
        setup_files=app.setup_files,
        events=app.events,
        subscriptions=app.subscriptions,
        broadcasts=app.broadcasts,
        privacy=app.privacy,
        search=app.search,
        quiz=app.quiz,
        quiz_results=app.quiz_results,
        demand=app.demand,
        waitlists=app.waitlists,
        enrolment=app.enrolment,
        notices=app.notices,
        alerts=AdminAlerts(),
        sections=sections(),
    )
    install_metrics(dispatcher)  # first: its latency covers the other middlewares
    dispatcher["in_flight"] = InFlight()
    dispatcher.update.outer_middleware(dispatcher["in_flight"])
    if isinstance(dispatcher.storage, SqlStorage):
        dispatcher.update.outer_middleware(DeferredStateWrites(dispatcher.storage))
    profile_middleware = ProfileMiddleware(app.profiles, app.locales)
    dispatcher.update.outer_middleware(profile_middleware)
    dispatcher.update.outer_middleware(ReplyScope())
    dispatcher.callback_query.outer_middleware(PressOrigin())
    if throttle or flood_gate is not None:
        flood = FloodControl(flood_gate or create_flood_gate(app, storage), app.settings.admin_ids)
        dispatcher.message.outer_middleware(flood)
        dispatcher.callback_query.outer_middleware(flood)
        dispatcher["flood"] = flood
    dispatcher.include_routers(*get_routers())
    dialogs.setup(dispatcher)
    return dispatcher


def settle_heap() -> None:
    """Call once the application is built, before serving: what start-up made (locales,
    routers, the demo import's leftovers) is collected or frozen out of the garbage collector's
    view (gc.freeze, as Python's documentation suggests for long-lived servers), so full
    collections, which otherwise walk all of it, stay short."""
    gc.collect()
    gc.freeze()
