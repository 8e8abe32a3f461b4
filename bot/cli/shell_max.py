"""`python -m bot shell --messenger max`: the shell with the bot carried to MAX, to see MAX's
rendering: the bot's calls go through the MAX transport (`MaxSession`) to a fake MAX server in
the same process, what you type arrives as MAX updates (message_created, message_callback,
bot_started) through `MaxFeeder`, and each message is printed as the MAX chat shows it: the text
after MAX's HTML subset, and every button inline (MAX has no reply keyboard: the main menu and
«📍 Отправить геопозицию» are inline buttons, the latter a geo request). `--user-id` is a MAX id.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aiogram.types import Message
from maxapi.types.attachments import (
    ClipboardButton,
    ContactAttachmentPayload,
    File,
    LinkButton,
    OtherAttachmentPayload,
    RequestContactButton,
    RequestGeoLocationButton,
)
from maxapi.types.attachments import Contact as MaxContact
from maxapi.types.attachments import Location as MaxLocation

from bot.app import build_app, create_bot, create_dispatcher, prepare_database
from bot.cli.shell import Shell, Target, log
from bot.max.feed import MaxFeeder
from bot.max.updates import MaxUpdates
from bot.runner import attach_background
from bot.telegram.i18n import Locales
from bot.testing.fake_max_api import FakeMaxApi, Shown
from bot.testing.max_recording import NotedIds, RecordingMaxSession, person_id_offset

TOKEN = "max-shell-token"


@dataclass(frozen=True, slots=True)
class MaxTarget:
    """A button of a MAX message, as it was when its number was printed."""

    mid: str
    button: Any


class MaxShell(Shell):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._t = Locales().get(self.settings.default_locale, "max")
        self.server = FakeMaxApi(token=TOKEN)
        self.max_id = self.user.id
        self.offset = 0
        self.ids: NotedIds | None = None
        self.feeder: MaxFeeder | None = None

    async def __aenter__(self) -> MaxShell:
        await self.server.__aenter__()
        self.app = build_app(self.settings)
        try:
            await prepare_database(self.app)
            self.ids = NotedIds(self.app.sessions, self.app.write_sessions)
            self.session = RecordingMaxSession(TOKEN, self.ids, api_url=self.server.url)
            self.session.listeners.append(self._sent)
            self.bot = create_bot(self.settings, session=self.session)
            self.dispatcher = create_dispatcher(self.app)
            self.offset = await person_id_offset()
            updates = MaxUpdates(self.ids, await self.bot.me(), files=self.session.files)
            self.feeder = MaxFeeder(self.dispatcher, self.bot, updates)
            self.ticker = attach_background(self.dispatcher, self.bot, self.app)
            if self.files is None:
                self.files = self._default_files()
            self.ticker.start()
        except BaseException:
            await self.app.close()
            await self.server.__aexit__(None, None, None)
            raise
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        try:
            await super().__aexit__(*exc_info)
        finally:
            await self.server.__aexit__(None, None, None)

    def _default_files(self) -> Any:
        import tempfile
        from pathlib import Path

        return Path(tempfile.gettempdir()) / f"bot-shell-files-max-{self.max_id}"

    @property
    def chat_id(self) -> int:
        return self.max_id + self.offset

    # --- what the user sends ----------------------------------------------------------------

    async def send(self, **content: Any) -> None:
        text = content.pop("text", None)
        words = (text or "").split(maxsplit=1)
        locale = self.user.language_code
        if words and words[0] == "/start":  # opening the bot, or a deep link's payload
            payload = words[1] if len(words) > 1 else None
            await self.feed_max(self.server.start_update(self.max_id, payload, locale or "ru"))
            return
        attachments = [self._attachment(kind, value) for kind, value in content.items() if value]
        update = self.server.message_update(self.max_id, text, attachments, locale or "ru")
        await self.feed_max(update)

    def _attachment(self, kind: str, value: Any) -> Any:
        if kind == "location":
            return MaxLocation(type="location", latitude=value.latitude, longitude=value.longitude)
        if kind == "contact":
            vcf = f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{value.first_name}\r\n"
            vcf += f"TEL;TYPE=cell:{value.phone_number}\r\nEND:VCARD\r\n"
            own = self.server.user(self.max_id) if value.user_id else None
            return MaxContact(
                type="contact", payload=ContactAttachmentPayload(vcf_info=vcf, max_info=own)
            )
        if kind == "document":
            url = f"{self.server.url}/_files/{value.file_id}"
            payload = OtherAttachmentPayload(url=url, token=value.file_id)
            return File(
                type="file", payload=payload, filename=value.file_name, size=value.file_size
            )
        raise ValueError(f"a MAX person cannot send {kind}")

    async def send_file(self, name: str) -> None:
        """`:file PATH` in MAX: the file lands in the fake server's storage first."""
        self.session.add_user_file = self._add_user_file  # type: ignore[attr-defined]
        await super().send_file(name)

    def _add_user_file(self, data: bytes) -> str:
        token, _ = self.server.user_file(data)
        return token

    async def feed_max(self, data: dict[str, Any]) -> None:
        assert self.feeder is not None and self.ids is not None
        self.flush_background()
        self._feeding = True
        try:
            await self.feeder.feed(data)
            for mid in self.server.messages:
                if mid not in self.ids.noted:
                    await self.ids.id_of(mid)
        except Exception:  # the bot's own error handler did not take it; keep the shell alive
            log.exception("MAX update failed")
        finally:
            self._feeding = False
        self.flush()

    # --- pressing ---------------------------------------------------------------------------

    async def press(self, number: int) -> None:
        target = self.targets.get(number)
        if not isinstance(target, MaxTarget):
            self.say(self.t("shell-no-button", number=number))
            return
        shown = self.server.messages.get(target.mid)
        if shown is None or not self._still_shown(target):
            self.say(self.t("shell-button-gone", number=number, id=self._id(target.mid)))
            return
        button = target.button
        if isinstance(button, RequestGeoLocationButton):
            answer = await self.read(self.t("shell-ask-location") + " ")
            if answer and answer.strip():
                await self.share_location(answer)
            else:
                self.say(self.t("shell-cancelled"))
        elif isinstance(button, RequestContactButton):
            answer = await self.read(self.t("shell-ask-phone") + " ")
            if answer and answer.strip():
                await self.share_contact(answer.strip(), None)
            else:
                self.say(self.t("shell-cancelled"))
        elif isinstance(button, LinkButton):
            self.say(self.t("shell-opens-url", url=button.url))
        elif isinstance(button, ClipboardButton):
            self.say(self.t("shell-copied", text=button.payload))
        else:
            locale = self.user.language_code or "ru"
            await self.feed_max(
                self.server.callback_update(self.max_id, shown, button.payload, locale)
            )

    # --- what the chat shows ----------------------------------------------------------------

    def show_content(self, message: Message) -> None:
        shown = self._shown(message.message_id)
        if shown is None or message.chat.id != self.chat_id:
            super().show_content(message)
            return
        lines = (shown.text or "").splitlines() or [f"({message.content_type})"]
        lines += [self.t("shell-document", name=name) for name in shown.files]
        for line in lines:
            self.say(f"  {line}".rstrip())

    def show_inline(self, message: Message, numbered: dict[int, Target] | None) -> None:
        shown = self._shown(message.message_id)
        if shown is None or shown.keyboard is None:
            return
        for row in shown.keyboard.buttons:
            cells = []
            for button in row:
                label = button.text + self._mark(button)
                if numbered is None:
                    cells.append(f"[-] {label}")
                    continue
                number = len(numbered) + 1
                numbered[number] = MaxTarget(shown.mid, button)  # type: ignore[assignment]
                cells.append(f"[{number}] {label}")
            self.say("  " + "  ".join(cells))

    def _mark(self, button: Any) -> str:
        if isinstance(button, RequestGeoLocationButton):
            return " " + self.t("shell-request-location")
        if isinstance(button, RequestContactButton):
            return " " + self.t("shell-request-contact")
        if isinstance(button, LinkButton):
            return f" → {button.url}"
        return ""

    def show_keyboard(self, numbered: dict[int, Target]) -> None:
        return None  # MAX has no reply keyboard: its buttons are printed inline

    def show_buttons(self) -> None:
        chat = [s for s in self.server.chat(self.max_id) if s.keyboard is not None]
        numbered: dict[int, Target] = {}
        if chat:
            shown = chat[-1]
            self.say(self.t("shell-sent", id=self._id(shown.mid)))
            for line in (shown.text or "").splitlines():
                self.say(f"  {line}".rstrip())
            message = Message.model_validate(
                {
                    "message_id": self._id(shown.mid),
                    "date": 0,
                    "chat": {"id": self.chat_id, "type": "private"},
                }
            )
            self.show_inline(message, numbered)
        if not numbered:
            self.say(self.t("shell-no-buttons"))
        self.targets = numbered

    def _still_shown(self, target: Target) -> bool:
        if not isinstance(target, MaxTarget):
            return False
        shown = self.server.messages.get(target.mid)
        return (
            shown is not None
            and not shown.deleted
            and shown.keyboard is not None
            and any(target.button in row for row in shown.keyboard.buttons)
        )

    def _shown(self, message_id: int) -> Shown | None:
        assert self.ids is not None
        mid = self.ids.mids.get(message_id)
        return self.server.messages.get(mid) if mid else None

    def _id(self, mid: str) -> int:
        assert self.ids is not None
        return self.ids.noted.get(mid, 0)
