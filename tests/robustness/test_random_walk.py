"""A seeded random walk through the real dispatcher: ordinary people, a linked specialist and an
admin type menu texts, every command and free text, press what they see, old buttons, forged
and mutated ones, tap twice, press two buttons at once, press on messages Telegram no longer
includes, on messages without text and from inline messages, and send the odd update types.

After every action: nothing escaped the dispatcher, no ERROR was logged, every press was
answered exactly once, Telegram would have refused no call (an edit that changes nothing, the
fate of a double tap, is taken as done by bot/telegram/not_modified.py: counted, not failed), and no
one but the admin saw a staff button or changed anything that only staff may change.

WALK_ACTIONS (default 1500; half as many on PostgreSQL) and WALK_SEED set the length and the
seed: `WALK_ACTIONS=100000` for a long walk. The seed fixes every choice the walk makes; what
two presses at once do may differ from run to run, as it does in Telegram.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import os
import random
import traceback
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest
from aiogram.methods import AnswerCallbackQuery
from aiogram.types import (
    CallbackQuery,
    Chat,
    ChatMemberBanned,
    ChatMemberMember,
    ChatMemberUpdated,
    Contact,
    Document,
    InaccessibleMessage,
    Location,
    Message,
    MessageEntity,
    PhotoSize,
    Sticker,
    Update,
    User,
)
from backends import fresh_postgres, needs_postgres
from sqlalchemy import text, update

from bot.app import App, build_app, prepare_database
from bot.config import Settings
from bot.testing.offline_session import NOT_MODIFIED, Outgoing
from db.models import Specialist
from harness import BotClient

ACTIONS = int(os.environ.get("WALK_ACTIONS", "1500"))
SEED = int(os.environ.get("WALK_SEED", "20261123"))
ADMIN = 900001  # the settings fixture's ADMIN_IDS
SPECIALIST = 7100
PEOPLE = ((7001, "ru"), (7002, "ru"), (7003, "en"))

COMMANDS = (
    "/start", "/menu", "/help", "/settings", "/cancel", "/mydata", "/forget", "/today",
    "/week", "/bookings", "/link", "/link ABCD2345", "/linkcode", "/linkcode E1", "/unlink",
    "/unlink E1", "/admin", "/reports", "/broadcast", "/events_admin", "/consult_admin",
    "/consult_export", "/consult_import", "/import", "/export", "/start catalog",
    "/start events", "/start consult", "/start settings", "/start p-1", "/start p-99999999999",
    "/start e-1", "/start o-1", "/start e-2147483648", "/start o-٣", "/start zzz",
    "/linkcode 99999999999", "/linkcode ²", "/unlink 2147483648", "/unknown", "/",
)  # fmt: skip
TEXTS = (
    "робототехника", "шахматы для 10 лет", "Томск", "Северск", "12", "7 класс", "5", "abc",
    "   ", "<b>жирный</b> & <i>", "01.01.0001", "31.12.9999", "01.01.0001 00:00",
    "31.12.9999 23:59", "25.12.2030 15:30", "05.12.2030", "05.12.2030–09.12.2030",
    "01.09.2026–31.12.2026", "01.01.0001–31.12.9999", "https://example.org/x",
    'https://evil.example/" onclick="x', "+7 999 123-45-67", "Иванова Анна", "Томск, Северск",
    "99999999999999999999", "-1", "0", "²", "👍", "6-11", "E1", "x" * 600, "а" * 4096,
)  # fmt: skip
NUMBERS = ("0", "-1", "1", "2147483647", "2147483648", str(2**62), str(2**63), str(10**30))
CODES = ("None", "admin", "zz", "x", "", "all", "parent", "ru", "en", "de", "d", "a", "yes")
# Callback data prefixes of staff's buttons, and the actions of catalogue buttons that are.
STAFF_PREFIXES = {"sca", "srm", "sxp", "sxk", "spy", "eadm", "enew", "cmp", "bcc"}
STAFF_ACTS = {("pa", "hide"), ("pa", "show"), ("pa", "seats"), ("ca", "hide"), ("ca", "show")}
FINGERPRINT = text(
    """
    SELECT
      (SELECT count(*) FROM broadcasts),
      (SELECT count(*) FROM events),
      (SELECT count(*) FROM events WHERE hidden),
      (SELECT count(*) FROM programmes WHERE hidden),
      (SELECT coalesce(sum(seats_free), 0) FROM programmes),
      (SELECT count(*) FROM organisations WHERE hidden),
      (SELECT count(*) FROM consult_services WHERE active),
      (SELECT count(*) FROM providers WHERE active),
      (SELECT count(*) FROM specialists WHERE active),
      (SELECT count(link_code) FROM specialists),
      (SELECT count(*) FROM schedule_exceptions)
    """
)


def is_staff_button(data: str) -> bool:
    parts = data.split(":")
    return (
        parts[0] in STAFF_PREFIXES
        or (parts[0], parts[2] if len(parts) > 2 else "") in STAFF_ACTS  # pa:<id>:<act>, ca:…
        or data.startswith("sv:a:")  # every specialist's day: admins'
    )


@dataclass
class Person:
    user: User
    staff: bool = False

    @property
    def chat(self) -> Chat:
        return Chat(id=self.user.id, type="private", first_name=self.user.first_name)


@dataclass
class Findings:
    escaped: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    answers: list[str] = field(default_factory=list)
    staff_seen: list[str] = field(default_factory=list)
    staff_changed: list[str] = field(default_factory=list)
    tracebacks: list[str] = field(default_factory=list)  # of the first errors
    not_modified: int = 0
    kinds: Counter[str] = field(default_factory=Counter)


class Walker:
    def __init__(self, app: App, client: BotClient, logged: list[logging.LogRecord]) -> None:
        self.app = app
        self.client = client
        self.logged = logged
        self.rng = random.Random(SEED)
        self.ids = itertools.count(50_000_000)
        self.people = [
            Person(User(id=uid, is_bot=False, first_name="Аня", language_code=lang))
            for uid, lang in PEOPLE
        ]
        self.people.append(Person(User(id=SPECIALIST, is_bot=False, first_name="Мария")))
        self.people.append(
            Person(User(id=ADMIN, is_bot=False, first_name="Админ", language_code="ru"), True)
        )
        self.found = Findings()
        self.copies: dict[int, list[Message]] = {}  # every message of a chat as sent or edited
        client.session.listeners.append(self.keep_copy)
        self.pressed: list[str] = []  # callback query ids of this action
        self.labels = sorted(
            {
                label
                for key in (
                    "menu-catalog",
                    "menu-consult",
                    "menu-events",
                    "menu-settings",
                    "menu-help",
                    "btn-cancel",
                    "btn-back",
                )
                for label in app.locales.all(key)
            }
        )

    # --- feeding ------------------------------------------------------------------------------
    async def feed(self, update: Update) -> None:
        try:
            await self.client.dispatcher.feed_update(self.client.bot, update)
        except Exception as error:
            self.found.escaped.append(f"{type(error).__name__}: {error}")

    def message(self, person: Person, **content: Any) -> Update:
        message = Message(
            message_id=next(self.ids),
            date=datetime.now(UTC),
            chat=person.chat,
            from_user=person.user,
            **content,
        )
        return Update(update_id=next(self.ids), message=message)

    async def send(self, person: Person, text: str) -> None:
        entities = None
        if text.startswith("/"):
            command = text.split()[0]
            entities = [MessageEntity(type="bot_command", offset=0, length=len(command))]
        await self.feed(self.message(person, text=text, entities=entities))

    def press_update(
        self, person: Person, message: Message | InaccessibleMessage | None, data: str | None
    ) -> Update:
        query_id = f"walk{next(self.ids)}"
        self.pressed.append(query_id)
        query = CallbackQuery(
            id=query_id,
            from_user=person.user,
            chat_instance="walk",
            message=message,
            inline_message_id="inline-walk" if message is None else None,
            data=data,
            game_short_name="walk" if data is None else None,
        )
        return Update(update_id=next(self.ids), callback_query=query)

    async def press(
        self, person: Person, message: Message | InaccessibleMessage | None, data: str | None
    ) -> None:
        await self.feed(self.press_update(person, message, data))

    # --- what a person can see -----------------------------------------------------------------
    def shown(self, person: Person) -> list[Message]:
        return list(self.client.session.chat(person.user.id).messages.values())

    def keep_copy(self, out: Outgoing) -> None:
        if out.message is not None:
            self.copies.setdefault(out.message.chat.id, []).append(out.message)

    def snapshots(self, person: Person) -> list[Message]:
        """Every message as it was when sent or edited: old copies carry stale buttons."""
        return self.copies.get(person.user.id, [])

    @staticmethod
    def buttons(message: Message) -> list[str]:
        markup = message.reply_markup
        if markup is None:
            return []
        return [b.callback_data for row in markup.inline_keyboard for b in row if b.callback_data]

    def pick_button(
        self, messages: list[Message], newest: bool = False
    ) -> tuple[Message, str] | None:
        with_buttons = [m for m in messages if self.buttons(m)]
        if not with_buttons:
            return None
        message = with_buttons[-1] if newest else self.rng.choice(with_buttons[-30:])
        return message, self.rng.choice(self.buttons(message))

    def all_data(self) -> list[str]:
        data = [
            d
            for out in self.client.session.log[-400:]
            if out.message
            for d in self.buttons(out.message)
        ]
        return data or ["lv:list:all:0::::0:1"]

    # --- actions -------------------------------------------------------------------------------
    async def menu_text(self, person: Person) -> None:
        keyboard = self.client.session.chat(person.user.id).reply_keyboard
        labels = [b for row in keyboard.keyboard for b in row] if keyboard else []
        button = self.rng.choice(labels) if labels and self.rng.random() < 0.6 else None
        if button is not None and button.request_location:
            await self.feed(
                self.message(person, location=Location(latitude=56.48, longitude=84.95))
            )
        elif button is not None and button.request_contact:
            contact = Contact(phone_number="+79991234567", first_name="Аня", user_id=person.user.id)
            await self.feed(self.message(person, contact=contact))
        else:
            await self.send(person, button.text if button else self.rng.choice(self.labels))

    async def command(self, person: Person) -> None:
        await self.send(person, self.rng.choice(COMMANDS))

    async def free_text(self, person: Person) -> None:
        await self.send(person, self.rng.choice(TEXTS))

    async def visible_press(self, person: Person) -> None:
        found = self.pick_button(self.shown(person), newest=self.rng.random() < 0.5)
        if found is None:
            await self.command(person)
            return
        await self.press(person, *found)

    async def stale_press(self, person: Person) -> None:
        found = self.pick_button(self.snapshots(person))
        if found is None:
            await self.command(person)
            return
        await self.press(person, *found)

    def mutate(self, data: str) -> str:
        parts = data.split(":")
        roll = self.rng.random()
        if roll < 0.1:  # another button's prefix with these fields
            parts[0] = self.rng.choice(self.all_data()).split(":")[0]
        elif roll < 0.15:  # a field more or less
            parts = parts[:-1] if len(parts) > 1 and self.rng.random() < 0.5 else [*parts, "1"]
        else:
            index = self.rng.randrange(1, len(parts)) if len(parts) > 1 else 0
            looks_numeric = parts[index].lstrip("-").isdigit()
            pool = NUMBERS if looks_numeric or self.rng.random() < 0.3 else CODES
            parts[index] = self.rng.choice(pool)
        return ":".join(parts)[:64]

    async def forged_press(self, person: Person) -> None:
        found = self.pick_button(self.shown(person))
        message, data = found if found else (None, self.rng.choice(self.all_data()))
        if message is None:
            chat_messages = self.shown(person)
            message = chat_messages[-1] if chat_messages else None
        await self.press(person, message, self.mutate(data))

    async def foreign_press(self, person: Person) -> None:
        """A button seen by someone else (an admin's, a specialist's), pressed by this person."""
        other = self.rng.choice([p for p in self.people if p is not person])
        found = self.pick_button(self.snapshots(other))
        mine = self.shown(person)
        if found is None or not mine:
            await self.command(person)
            return
        await self.press(person, mine[-1], found[1])

    async def double_tap(self, person: Person) -> None:
        found = self.pick_button(self.shown(person), newest=True)
        if found is None:
            await self.command(person)
            return
        await self.press(person, *found)
        await self.press(person, *found)

    async def two_at_once(self, person: Person) -> None:
        first = self.pick_button(self.shown(person), newest=True)
        if first is None:
            await self.command(person)
            return
        second = (
            first
            if self.rng.random() < 0.5
            else (first[0], self.rng.choice(self.buttons(first[0])))
        )
        await asyncio.gather(
            self.feed(self.press_update(person, *first)),
            self.feed(self.press_update(person, *second)),
        )

    async def odd_origin_press(self, person: Person) -> None:
        found = self.pick_button(self.snapshots(person))
        if found is None:
            await self.command(person)
            return
        message, data = found
        shape = self.rng.choice(("inaccessible", "document", "location", "inline"))
        origin: Message | InaccessibleMessage | None
        if shape == "inaccessible":
            origin = InaccessibleMessage(chat=message.chat, message_id=message.message_id, date=0)
        elif shape == "inline":
            origin = None
        else:
            content: dict[str, Any] = (
                {"document": Document(file_id="walk", file_unique_id="walk", file_name="a.ics")}
                if shape == "document"
                else {"location": Location(latitude=56.48, longitude=84.95)}
            )
            origin = Message(
                message_id=message.message_id,
                date=message.date,
                chat=message.chat,
                from_user=message.from_user,
                reply_markup=message.reply_markup,
                **content,
            )
        await self.press(person, origin, data)

    async def odd_update(self, person: Person) -> None:
        kind = self.rng.randrange(9)
        if kind == 0:
            sticker = Sticker(
                file_id="s", file_unique_id="s", type="regular", width=1, height=1,
                is_animated=False, is_video=False,
            )  # fmt: skip
            await self.feed(self.message(person, sticker=sticker))
        elif kind == 1:
            photo = [PhotoSize(file_id="p", file_unique_id="p", width=10, height=10)]
            await self.feed(
                self.message(person, photo=photo, caption=self.rng.choice(TEXTS)[:1024])
            )
        elif kind == 2:
            document = Document(file_id="walk-doc", file_unique_id="d", file_name="catalog.xlsx")
            await self.feed(self.message(person, document=document))
        elif kind == 3:
            await self.feed(self.message(person, location=Location(latitude=0.0, longitude=0.0)))
        elif kind == 4:  # someone else's phone
            contact = Contact(phone_number="+79990000000", first_name="Кто-то", user_id=1)
            await self.feed(self.message(person, contact=contact))
        elif kind == 5:
            update = self.message(person, text=self.rng.choice(TEXTS))
            edited = Update(update_id=next(self.ids), edited_message=update.message)
            await self.feed(edited)
        elif kind == 6:  # the same text in a group
            group = Chat(id=-100777, type="supergroup", title="Родители")
            message = Message(
                message_id=next(self.ids), date=datetime.now(UTC), chat=group,
                from_user=person.user, text=self.rng.choice(COMMANDS + TEXTS),
            )  # fmt: skip
            await self.feed(Update(update_id=next(self.ids), message=message))
        elif kind == 7:  # blocked, then back
            bot_user = User(id=self.client.bot.id, is_bot=True, first_name="bot")
            blocked = ChatMemberBanned(user=bot_user, until_date=0)
            member = ChatMemberMember(user=bot_user)
            old, new = (member, blocked) if self.rng.random() < 0.5 else (blocked, member)
            change = ChatMemberUpdated(
                chat=person.chat, from_user=person.user, date=datetime.now(UTC),
                old_chat_member=old, new_chat_member=new,
            )  # fmt: skip
            await self.feed(Update(update_id=next(self.ids), my_chat_member=change))
        else:  # a game button: a press without data
            shown = self.shown(person)
            await self.press(person, shown[-1] if shown else None, None)

    # --- the walk ------------------------------------------------------------------------------
    WEIGHTS: tuple[tuple[str, int], ...] = (
        ("menu_text", 12),
        ("command", 10),
        ("free_text", 12),
        ("visible_press", 30),
        ("stale_press", 8),
        ("forged_press", 8),
        ("foreign_press", 3),
        ("double_tap", 5),
        ("two_at_once", 5),
        ("odd_origin_press", 5),
        ("odd_update", 2),
    )

    async def step(self, number: int) -> None:
        names, weights = zip(*self.WEIGHTS, strict=True)
        name = self.rng.choices(names, weights)[0]
        person = (
            self.rng.choice(self.people[:3])
            if self.rng.random() < 0.55
            else self.rng.choice(self.people[3:])
        )
        before_log, before_errors = len(self.client.session.log), len(self.logged)
        before_staff = None if person.staff else await self.fingerprint()
        self.pressed = []
        action: Callable[[Person], Awaitable[None]] = getattr(self, name)
        await action(person)
        self.found.kinds[name] += 1
        where = f"#{number} {name} by {person.user.id}"
        self.check(where, person, self.client.session.log[before_log:], before_errors)
        if before_staff is not None and await self.fingerprint() != before_staff:
            self.found.staff_changed.append(where)
        if person.user.id == SPECIALIST:
            await self._keep_specialist_linked()

    def check(self, where: str, person: Person, outgoing: list[Outgoing], errors: int) -> None:
        for record in self.logged[errors:]:
            self.found.errors.append(f"{where}: {record.getMessage()}")
            if record.exc_info and len(self.found.tracebacks) < 3:
                self.found.tracebacks.append("".join(traceback.format_exception(*record.exc_info)))
        for out in outgoing:
            if out.error is not None:
                if NOT_MODIFIED in str(out.error):
                    self.found.not_modified += 1
                else:
                    self.found.refused.append(f"{where}: {type(out.method).__name__}: {out.error}")
            if (
                not person.staff
                and out.message is not None
                and out.message.chat.id == person.user.id
            ):
                for data in self.buttons(out.message):
                    head = data.split(":")
                    if (
                        head[0] in STAFF_PREFIXES
                        or (head[0], head[-1]) in STAFF_ACTS
                        or data.startswith("sv:a:")
                    ):
                        self.found.staff_seen.append(f"{where}: {data}")
        answers = Counter(
            out.method.callback_query_id
            for out in outgoing
            if isinstance(out.method, AnswerCallbackQuery) and out.error is None
        )
        for query_id in self.pressed:
            if answers[query_id] != 1:
                self.found.answers.append(f"{where}: answered {answers[query_id]} times")

    async def fingerprint(self) -> tuple[Any, ...]:
        async with self.app.sessions() as session:
            return tuple((await session.execute(FINGERPRINT)).one())

    async def _keep_specialist_linked(self) -> None:
        """/forget unlinks a specialist; the walk keeps one linked (specialist 1, a demo one)."""
        async with self.app.sessions() as session:
            await session.execute(
                update(Specialist)
                .where(Specialist.id == 1, Specialist.telegram_user_id.is_(None))
                .values(telegram_user_id=SPECIALIST)
            )
            await session.commit()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=needs_postgres)])
async def walk_app(request, settings: Settings) -> AsyncIterator[App]:
    engine = await fresh_postgres() if request.param == "postgres" else None
    app = build_app(settings, engine=engine)
    await prepare_database(app)
    yield app
    await app.close()


@pytest.fixture
async def walker(walk_app: App, logged_errors) -> AsyncIterator[Walker]:
    client = BotClient(walk_app)

    async def downloader(bot, document):  # type: ignore[no-untyped-def]
        return b"PK\x03\x04 not really a workbook"

    client.dispatcher["downloader"] = downloader
    walker = Walker(walk_app, client, logged_errors)
    yield walker
    await client.dispatcher.storage.close()
    logged_errors.clear()  # reported by the test itself, action by action


async def test_a_random_walk_through_the_bot_breaks_nothing(walker: Walker):
    for person in walker.people:  # everyone starts where a new person starts
        await walker.send(person, "/start")
    backend = walker.app.engine.dialect.name
    actions = ACTIONS if backend == "sqlite" else ACTIONS // 2  # PostgreSQL: slower per action
    for number in range(actions):
        await walker.step(number)
    found = walker.found
    print(f"\nwalk of {actions} actions on {backend}, seed {SEED}: {dict(found.kinds)}")
    print(f"edits that changed nothing, taken as done: {found.not_modified}")
    problems = {
        "escaped the dispatcher": found.escaped,
        "logged errors": found.errors,
        "calls Telegram would refuse": found.refused,
        "presses not answered exactly once": found.answers,
        "staff buttons shown to others": found.staff_seen,
        "staff's data changed by others": found.staff_changed,
    }
    for name, items in problems.items():
        kinds = Counter(item.rsplit(": ", 1)[-1][:60] for item in items)
        print(f"{name}: {len(items)} {dict(kinds) if items else ''}", *items[:5], sep="\n  ")
    print(*found.tracebacks, sep="\n")
    assert not any(problems.values()), {k: len(v) for k, v in problems.items()}
    assert found.kinds["visible_press"] > actions // 10  # the walk did walk
