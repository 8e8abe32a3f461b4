"""The harness's MAX mode: the same `TestUser` API (send, press by label, share, texts(),
visible_labels(), edits(), callback_answer(), reply_keyboard), but the bot's calls go through the
MAX transport (`MaxSession`) to the fake MAX server, and the person's actions arrive as MAX
updates (message_created, message_callback, bot_started with its payload) through `MaxUpdates`
and `MaxFeeder`, as in production.

What a person sees is read from the fake server's chat and shown in the shapes the flow tests
look at: aiogram `Message`s with their text and inline buttons, and the menu. MAX has no reply
keyboard: the main menu and «📍 Отправить геопозицию» are inline buttons (bot/max/keyboards.py);
`reply_keyboard` presents the newest such buttons as the keyboard Telegram would show, and
`press` presses them as MAX does (a callback the feeder answers).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aiogram.methods import AnswerCallbackQuery
from aiogram.types import (
    Document,
    InlineKeyboardMarkup,
    KeyboardButton,
    Location,
    Message,
    PhotoSize,
    ReplyKeyboardMarkup,
    User,
)
from maxapi.types.attachments import (
    CallbackButton,
    ContactAttachmentPayload,
    File,
    Image,
    LinkButton,
    OtherAttachmentPayload,
    PhotoAttachmentPayload,
    RequestContactButton,
    RequestGeoLocationButton,
)
from maxapi.types.attachments import Contact as MaxContact
from maxapi.types.attachments import Location as MaxLocation
from maxapi.types.updates.bot_stopped import BotStopped

from bot.app import App, create_bot, create_dispatcher
from bot.max.feed import MaxFeeder
from bot.max.keyboards import inline_markup, menu_label
from bot.max.markup import max_markup, tg_entities
from bot.max.updates import MaxUpdates
from bot.testing.fake_max_api import DIALOG_OFFSET, FakeMaxApi, Shown
from bot.testing.max_recording import NotedIds, RecordingMaxSession, person_id_offset
from bot.testing.offline_session import Outgoing
from harness import TestUser

MAX_TOKEN = "max-harness-token"
REQUESTS = (RequestGeoLocationButton, RequestContactButton)


async def bot_id_of(max_user_id: int) -> int:
    """The id the bot gives a MAX person (its messenger id namespace)."""
    return max_user_id + await person_id_offset()


class MaxBotClient:
    messenger = "max"

    def __init__(self, app: App, server: FakeMaxApi) -> None:
        self.app = app
        self.server = server
        self.ids = NotedIds(app.sessions, app.write_sessions)
        self.session = RecordingMaxSession(
            server.token, self.ids, api_url=server.url, upload_delay=0.0
        )
        self.bot = create_bot(app.settings, session=self.session)
        self.dispatcher = create_dispatcher(app)
        self.feeder: MaxFeeder | None = None
        self.bot_user: User | None = None
        self.id_offset = 0  # the bot's id of a MAX person is their MAX id plus this

    @classmethod
    async def start(cls, app: App, server: FakeMaxApi) -> MaxBotClient:
        client = cls(app, server)
        client.bot_user = await client.bot.me()
        client.id_offset = await person_id_offset()
        updates = MaxUpdates(client.ids, client.bot_user, files=client.session.files)
        client.feeder = MaxFeeder(client.dispatcher, client.bot, updates)
        return client

    async def close(self) -> None:
        await self.dispatcher.storage.close()
        await self.session.close()

    async def again(self, app: App) -> MaxBotClient:
        """A client of another instance of the bot (a restart, a second process), in the same
        MAX chats."""
        return await MaxBotClient.start(app, self.server)

    def person_id(self, max_id: int) -> int:
        return max_id + self.id_offset

    def user(
        self, user_id: int = 5001, language_code: str | None = "ru", first_name: str = "Анна"
    ) -> MaxTestUser:
        """`user_id`: the person's MAX id; `.id` of the result is the bot's id for them."""
        return MaxTestUser(self, user_id, language_code, first_name)

    async def feed(self, data: dict[str, Any]) -> list[Outgoing]:
        assert self.feeder is not None, "MaxBotClient.start() first"
        start = len(self.session.log)
        await self.feeder.feed(data)
        for mid in self.server.messages:
            if mid not in self.ids.noted:
                await self.ids.id_of(mid)
        return self.session.log[start:]

    def start_link(self, payload: str) -> str:
        """The link that opens this bot in MAX with `payload` (it arrives with bot_started)."""
        assert self.bot_user is not None, "MaxBotClient.start() first"
        return f"https://max.ru/{self.bot_user.username}?start={payload}"

    def add_user_file(self, data: bytes) -> str:
        """A file a person sends: the file_id (MAX's token) to put in `send_message`."""
        token, _ = self.server.user_file(data)
        return token

    @property
    def rejections(self) -> list[Outgoing]:
        return [out for out in self.session.log if out.error is not None]


class MaxTestUser(TestUser):
    """A person in a MAX dialog with the bot; `max_id` is their MAX user id."""

    __test__ = False

    def __init__(
        self, client: MaxBotClient, max_id: int, language_code: str | None, first_name: str
    ) -> None:
        user = User(
            id=client.person_id(max_id),
            is_bot=False,
            first_name=first_name,
            language_code=language_code,
        )
        super().__init__(client, user)  # type: ignore[arg-type]
        self.max = client
        self.max_id = max_id
        self.locale = language_code

    # --- sending -------------------------------------------------------------------------
    async def send(self, text: str) -> list[Outgoing]:
        words = text.split(maxsplit=1)
        if words and words[0] == "/start":  # opening the bot, or a deep link max.ru/<bot>?start=
            payload = words[1] if len(words) > 1 else None
            return await self._feed(self.max.server.start_update(self.max_id, payload, self.locale))
        return await self.send_message(text=text)

    async def send_message(self, **content: Any) -> list[Outgoing]:
        text = content.pop("text", None) or content.pop("caption", None)
        entities = content.pop("entities", None) or content.pop("caption_entities", None)
        if text is not None and text.startswith("/"):
            entities = None  # a command's entity: MAX marks none
        attachments = [self._attachment(kind, value) for kind, value in content.items() if value]
        update = self.max.server.message_update(
            self.max_id, text, attachments, self.locale, max_markup(entities or [])
        )
        return await self._feed(update)

    def _attachment(self, kind: str, value: Any) -> Any:
        if kind == "location":
            if isinstance(value, dict):
                value = Location.model_validate(value)
            return MaxLocation(type="location", latitude=value.latitude, longitude=value.longitude)
        if kind == "contact":
            vcf = f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{value.first_name}\r\n"
            vcf += f"TEL;TYPE=cell:{value.phone_number}\r\nEND:VCARD\r\n"
            own = value.user_id == self.user.id
            payload = ContactAttachmentPayload(
                vcf_info=vcf, max_info=self.max.server.user(self.max_id) if own else None
            )
            return MaxContact(type="contact", payload=payload)
        if kind == "document":
            url = self._file_url(value.file_id)
            return File(
                type="file",
                payload=OtherAttachmentPayload(url=url, token=value.file_id),
                filename=value.file_name,
                size=value.file_size,
            )
        if kind == "photo":
            file_id = value[-1].file_id
            url = self._file_url(file_id)
            return Image(
                type="image", payload=PhotoAttachmentPayload(photo_id=1, token=file_id, url=url)
            )
        raise NotImplementedError(f"a MAX person cannot send {kind}")

    def _file_url(self, token: str) -> str:
        """Where MAX serves a file the person sends; a test's made-up file_id becomes a file
        the fake knows (its token then sendable again, as broadcasts send an admin's photo)."""
        self.max.server.uploads.setdefault(token, b"\x89PNG\r\n\x1a\n")
        return f"{self.max.server.url}/_files/{token}"

    async def block(self) -> list[Outgoing]:
        """The person stops the bot (MAX's `bot_stopped`)."""
        stopped = BotStopped(
            timestamp=int(datetime.now(UTC).timestamp() * 1000),
            chat_id=DIALOG_OFFSET + self.max_id,
            user=self.max.server.user(self.max_id),
            user_locale=self.locale,
        )
        return await self._feed(stopped.model_dump(mode="json", by_alias=True, exclude_none=True))

    def message(self, message_id: int) -> Message:
        """One message of this chat as it is shown now."""
        for message in self.messages:
            if message.message_id == message_id:
                return message
        raise KeyError(message_id)

    async def _feed(self, data: dict[str, Any]) -> list[Outgoing]:
        self.last = await self.max.feed(data)
        return self.last

    # --- pressing --------------------------------------------------------------------------
    async def press(self, label: str) -> list[Outgoing]:
        """The newest button labelled so: the bot's own inline buttons first, then the menu and
        share buttons (what Telegram shows as the reply keyboard)."""
        found = self._max_button(label)
        if found is None:
            raise AssertionError(f"no button {label!r}; visible: {self.visible_labels()}")
        shown, button = found
        if isinstance(button, LinkButton):
            raise AssertionError(f"button {label!r} is a link ({button.url}), not a callback")
        if isinstance(button, REQUESTS):
            raise AssertionError(f"{label!r} asks to share; use share_location/contact")
        return await self._press(shown, button.payload or "")

    def _max_button(self, label: str) -> tuple[Shown, Any] | None:
        chat = list(reversed(self.max.server.chat(self.max_id)))
        for menu in (False, True):
            for shown in chat:
                for row in shown.keyboard.buttons if shown.keyboard else []:
                    for button in row:
                        if button.text == label and _is_menu(button) == menu:
                            return shown, button
        return None

    async def _callback(self, message: Message, data: str) -> list[Outgoing]:
        mid = await self.max.ids.mid_of(message.message_id)
        shown = self.max.server.messages.get(mid or "")
        if shown is None:
            raise AssertionError(f"message {message.message_id} was never shown in MAX")
        return await self._press(shown, data)

    async def _press(self, shown: Shown, payload: str) -> list[Outgoing]:
        update = self.max.server.callback_update(self.max_id, shown, payload, self.locale or "ru")
        await self._feed(update)
        answers = [o for o in self.last if isinstance(o.method, AnswerCallbackQuery)]
        assert len(answers) == 1, f"callback {payload!r} answered {len(answers)} times"
        return self.last

    # --- looking -----------------------------------------------------------------------------
    @property
    def messages(self) -> list[Message]:
        return [self._as_message(shown) for shown in self.max.server.chat(self.max_id)]

    def _as_message(self, shown: Shown) -> Message:
        entities = tg_entities(shown.markup) if shown.text else None
        content: dict[str, Any] = {"text": shown.text, "entities": entities}
        for name in shown.files:
            kind, token = name.split(":", 1)
            content = {"caption": shown.text, "caption_entities": entities}
            if kind == "image":
                content["photo"] = [
                    PhotoSize(file_id=token, file_unique_id=token, width=1, height=1)
                ]
            else:
                content["document"] = Document(file_id=token, file_unique_id=token)
        return Message(
            message_id=self.max.ids.noted.get(shown.mid, 0),
            date=datetime.now(UTC),
            chat=self.chat,
            from_user=self.max.bot_user,
            reply_markup=_inline_markup(shown),
            **content,
        )

    @property
    def reply_keyboard(self) -> ReplyKeyboardMarkup | None:
        """The newest menu or share buttons, as the reply keyboard Telegram would show."""
        for shown in reversed(self.max.server.chat(self.max_id)):
            rows = [
                [_keyboard_button(b) for b in row if _is_menu(b)]
                for row in (shown.keyboard.buttons if shown.keyboard else [])
            ]
            rows = [row for row in rows if row]
            if rows:
                return ReplyKeyboardMarkup(keyboard=rows)
        return None

    def visible_labels(self) -> list[str]:
        return [label for shown in self.max.server.chat(self.max_id) for label in shown.labels()]


def _is_menu(button: Any) -> bool:
    """A button Telegram shows under the input field: the menu's, or a share request."""
    if isinstance(button, REQUESTS):
        return True
    return isinstance(button, CallbackButton) and menu_label(button.payload) is not None


def _keyboard_button(button: Any) -> KeyboardButton:
    return KeyboardButton(
        text=button.text,
        request_location=isinstance(button, RequestGeoLocationButton) or None,
        request_contact=isinstance(button, RequestContactButton) or None,
    )


def _inline_markup(shown: Shown) -> InlineKeyboardMarkup | None:
    return inline_markup(shown.keyboard) if shown.keyboard else None
