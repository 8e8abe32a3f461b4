"""Drive the real dispatcher as Telegram would, and look at what a person would see.

`BotClient` builds the bot through the same factory as `make run`, with the offline session
(which rejects what Telegram rejects). `TestUser` sends text, presses buttons by their visible
label, shares a location or a contact. The same API in MAX: tests/max_harness.py (the `client`
fixture gives either, by the `messenger` fixture: tests/conftest.py).
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.methods import AnswerCallbackQuery, EditMessageReplyMarkup, EditMessageText
from aiogram.types import (
    CallbackQuery,
    Chat,
    ChatMemberBanned,
    ChatMemberMember,
    ChatMemberUpdated,
    Contact,
    InlineKeyboardButton,
    Location,
    Message,
    MessageEntity,
    Update,
    User,
)

from bot.app import App, create_bot, create_dispatcher
from bot.testing.offline_session import OfflineSession, Outgoing

_update_ids = itertools.count(1)
_user_message_ids = itertools.count(1_000_000)  # one sequence for every instance of the bot


class BotClient:
    messenger = "telegram"

    def __init__(
        self,
        app: App,
        dispatcher: Dispatcher | None = None,
        session: OfflineSession | None = None,
    ) -> None:
        """`session`: another client's, for a second instance of the bot in the same chats."""
        self.app = app
        self.session = session or OfflineSession()
        self.bot: Bot = create_bot(app.settings, session=self.session)
        self.dispatcher = dispatcher or create_dispatcher(app)

    def user(
        self, user_id: int = 5001, language_code: str | None = "ru", first_name: str = "Анна"
    ) -> TestUser:
        return TestUser(
            self, User(id=user_id, is_bot=False, first_name=first_name, language_code=language_code)
        )

    async def feed(self, update: Update) -> list[Outgoing]:
        start = len(self.session.log)
        await self.dispatcher.feed_update(self.bot, update)
        return self.session.log[start:]

    async def close(self) -> None:
        await self.dispatcher.storage.close()

    async def again(self, app: App) -> BotClient:
        """A client of another instance of the bot (a restart, a second process)."""
        return BotClient(app)

    def person_id(self, user_id: int) -> int:
        """The bot's id of the person this messenger knows as `user_id` (the same, here)."""
        return user_id

    def add_user_file(self, data: bytes) -> str:
        """A file a person sends: the file_id to put in `send_message`."""
        return self.session.add_user_file(data)

    def start_link(self, payload: str) -> str:
        """The link that opens this bot in Telegram with `/start <payload>`."""
        return f"https://t.me/{self.session.bot_user.username}?start={payload}"

    def next_message_id(self) -> int:
        return next(_user_message_ids)

    @property
    def rejections(self) -> list[Outgoing]:
        return [out for out in self.session.log if out.error is not None]


class TestUser:
    """A person in a private chat with the bot."""

    __test__ = False  # not a pytest class

    def __init__(self, client: BotClient, user: User) -> None:
        self.client = client
        self.user = user
        self.chat = Chat(id=user.id, type="private", first_name=user.first_name)
        self.last: list[Outgoing] = []

    @property
    def id(self) -> int:
        """The bot's id of this person (what the database stores)."""
        return self.user.id

    # --- sending -------------------------------------------------------------------------
    async def send(self, text: str) -> list[Outgoing]:
        entities = None
        if text.startswith("/"):
            command = text.split()[0]
            entities = [MessageEntity(type="bot_command", offset=0, length=len(command))]
        return await self.send_message(text=text, entities=entities)

    async def share_location(self, latitude: float, longitude: float) -> list[Outgoing]:
        return await self.send_message(location=Location(latitude=latitude, longitude=longitude))

    async def share_contact(self, phone: str, first_name: str | None = None) -> list[Outgoing]:
        contact = Contact(
            phone_number=phone, first_name=first_name or self.user.first_name, user_id=self.user.id
        )
        return await self.send_message(contact=contact)

    async def send_message(self, **content: Any) -> list[Outgoing]:
        message = Message(
            message_id=self.client.next_message_id(),
            date=datetime.now(UTC),
            chat=self.chat,
            from_user=self.user,
            **content,
        )
        self.last = await self.client.feed(Update(update_id=next(_update_ids), message=message))
        return self.last

    async def block(self) -> list[Outgoing]:
        """The person blocks the bot (`my_chat_member`: kicked)."""
        bot_user = self.client.session.bot_user
        change = ChatMemberUpdated(
            chat=self.chat,
            from_user=self.user,
            date=datetime.now(UTC),
            old_chat_member=ChatMemberMember(user=bot_user),
            new_chat_member=ChatMemberBanned(user=bot_user, until_date=0),
        )
        self.last = await self.client.feed(
            Update(update_id=next(_update_ids), my_chat_member=change)
        )
        return self.last

    # --- pressing --------------------------------------------------------------------------
    async def press(self, label: str) -> list[Outgoing]:
        """Press the newest visible button whose label is `label` (inline first, then keyboard)."""
        found = self._inline_button(label)
        if found is not None:
            message, button = found
            if button.callback_data is None:
                raise AssertionError(f"button {label!r} is a link ({button.url}), not a callback")
            return await self._callback(message, button.callback_data)
        keyboard = self.reply_keyboard
        for row in keyboard.keyboard if keyboard else []:
            for button in row:
                if button.text == label:
                    if button.request_location or button.request_contact:
                        raise AssertionError(f"{label!r} asks to share; use share_location/contact")
                    return await self.send(button.text)
        raise AssertionError(f"no button {label!r}; visible: {self.visible_labels()}")

    async def _callback(self, message: Message, data: str) -> list[Outgoing]:
        query_id = f"cq{next(_update_ids)}"
        query = CallbackQuery(
            id=query_id, from_user=self.user, chat_instance="ci", message=message, data=data
        )
        self.last = await self.client.feed(
            Update(update_id=next(_update_ids), callback_query=query)
        )
        answers = [o for o in self.last if isinstance(o.method, AnswerCallbackQuery)]
        assert len(answers) == 1, f"callback {data!r} answered {len(answers)} times"
        return self.last

    def _inline_button(self, label: str) -> tuple[Message, InlineKeyboardButton] | None:
        for message in reversed(list(self.messages)):
            markup = message.reply_markup
            for row in markup.inline_keyboard if markup else []:
                for button in row:
                    if button.text == label:
                        return message, button
        return None

    # --- looking -----------------------------------------------------------------------------
    @property
    def messages(self) -> list[Message]:
        return list(self.client.session.chat(self.chat.id).messages.values())

    @property
    def reply_keyboard(self):  # type: ignore[no-untyped-def]
        return self.client.session.chat(self.chat.id).reply_keyboard

    def message(self, message_id: int) -> Message:
        """One message of this chat as it is shown now."""
        return self.client.session.chat(self.chat.id).messages[message_id]

    def visible_labels(self) -> list[str]:
        labels = [
            button.text
            for message in self.messages
            for row in (message.reply_markup.inline_keyboard if message.reply_markup else [])
            for button in row
        ]
        keyboard = self.reply_keyboard
        labels += [b.text for row in (keyboard.keyboard if keyboard else []) for b in row]
        return labels

    def texts(self) -> list[str]:
        """Texts the bot sent or edited in reply to the last action (not those of messages
        that only lost or changed their buttons)."""
        return [
            (out.message.text or out.message.caption or "")
            for out in self.last
            if out.message is not None and not isinstance(out.method, EditMessageReplyMarkup)
        ]

    def text(self) -> str:
        return "\n---\n".join(self.texts())

    def edits(self) -> list[Outgoing]:
        return [
            o for o in self.last if isinstance(o.method, EditMessageText | EditMessageReplyMarkup)
        ]

    def callback_answer(self) -> AnswerCallbackQuery | None:
        for out in self.last:
            if isinstance(out.method, AnswerCallbackQuery):
                return out.method
        return None
