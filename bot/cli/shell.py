"""`python -m bot shell`: talk to the bot in the terminal, without Telegram.

The shell builds the bot exactly as `make run` does (same handlers, same database), but on an
`OfflineSession`, and plays one private chat with the user `settings.shell.user_id`.
It prints every Bot API call the bot makes; the syntax is in `shell-syntax` in the locales
(shown by `python -m bot shell --help` and by `:help` inside the shell):

    💬 сообщение 3:          a new message, its text indented below
      [1] Родитель           inline buttons under it, row by row
    ✎ сообщение 3 изменено:  an edit of message 3 (or "new buttons" / "buttons removed")
    ⌨ клавиатура:            the reply keyboard under the input field,
      (4) 🔎 Кружки и центры  numbered on after the inline buttons
    🔔 …  a callback answer; ⚠ …  a call Telegram would have rejected

Typing a number presses that button of the last output; other text is a message;
lines starting with ":" are the shell's own commands (:help, :loc, :contact, :file, :wait, ...).

The background jobs of `make run` run here too (bot/runner.py attach_background): reminders,
notices, broadcasts, event notices; what they send is printed as it comes. Files the bot sends
(.ics, xlsx, PNG) are saved in a folder named at the start (--files, or a new temporary one).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import itertools
import logging
import mimetypes
import os
import sys
import tempfile
import threading
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, TextIO

from aiogram.methods import AnswerCallbackQuery, EditMessageReplyMarkup, EditMessageText
from aiogram.types import (
    CallbackQuery,
    Chat,
    Contact,
    Document,
    InlineKeyboardButton,
    KeyboardButton,
    Location,
    Message,
    MessageEntity,
    Update,
    User,
)

from bot.app import build_app, create_bot, create_dispatcher, prepare_database
from bot.clock import Ticker
from bot.config import Settings
from bot.runner import attach_background
from bot.telegram.i18n import Html, Locales, Translator
from bot.testing.offline_session import OfflineSession, Outgoing

log = logging.getLogger(__name__)

PROMPT = "> "
EXIT_SCRIPT_UNREADABLE = 2
EXIT_INTERRUPTED = 130
BACKGROUND_SETTLE_SECONDS = 0.2  # what background jobs send is printed after this quiet spell
MAX_WAIT_SECONDS = 600

LineReader = Callable[[str], Awaitable[str | None]]
"""Reads one line after showing a prompt; None at the end of input."""


@dataclass(frozen=True, slots=True)
class InlineTarget:
    """An inline button, and the message it was under when its number was printed."""

    chat_id: int
    message_id: int
    button: InlineKeyboardButton


Target = InlineTarget | KeyboardButton


# --- command line ---------------------------------------------------------------------------


def add_parser(commands: Any) -> None:
    """`shell` among the CLI's sub-commands (the parser itself: bot/cli/parsers.py)."""
    from bot.cli.parsers import add_shell_parser

    add_shell_parser(commands, Locales().get(None))


def main(settings: Settings, args: argparse.Namespace) -> int:
    t = Locales().get(settings.default_locale)
    if args.script is not None:
        try:
            lines = args.script.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            error = exc.strerror or str(exc)
            message = t("shell-script-unreadable", path=Html(args.script), error=Html(error))
            print(message, file=sys.stderr)
            return EXIT_SCRIPT_UNREADABLE
        read = script_reader(lines, sys.stdout)
    else:
        try:
            importlib.import_module("readline")  # line editing and history for input()
        except ImportError:
            pass
        read = terminal_reader
    root = logging.getLogger()
    level = root.level
    if level < logging.WARNING and settings.log_level != "DEBUG":
        # The shell's output is the conversation; routine INFO lines would bury it.
        root.setLevel(logging.WARNING)
    try:
        asyncio.run(
            run(
                settings,
                read,
                user_id=args.user_id,
                language_code=args.lang,
                files=getattr(args, "files", None),
                messenger=getattr(args, "messenger", "telegram"),
            )
        )
    except KeyboardInterrupt:
        print(flush=True)
        if args.script is None and not sys.stdin.isatty():
            # input() on a pipe holds stdin's lock in the reader thread; a normal interpreter
            # shutdown would abort on that lock. Everything is closed by now.
            os._exit(EXIT_INTERRUPTED)
        return EXIT_INTERRUPTED
    finally:
        root.setLevel(level)
    return 0


async def run(
    settings: Settings,
    read: LineReader,
    out: TextIO | None = None,
    *,
    user_id: int | None = None,
    language_code: str | None = None,
    files: Path | None = None,
    messenger: str = "telegram",
) -> None:
    """`messenger` "max": the bot carried to MAX, shown as MAX shows it (bot/cli/shell_max.py)."""
    kind = Shell
    if messenger == "max":
        from bot.cli.shell_max import MaxShell

        kind = MaxShell
    async with kind(
        settings, read, out, user_id=user_id, language_code=language_code, files=files
    ) as shell:
        await shell.loop()


# --- input ----------------------------------------------------------------------------------


def script_reader(lines: Iterable[str], out: TextIO) -> LineReader:
    """Lines from a script, echoed after the prompt as if typed."""
    remaining = iter(lines)

    async def read(prompt: str) -> str | None:
        line = next(remaining, None)
        if line is not None:
            print(prompt + line, file=out)
        return line

    return read


async def terminal_reader(prompt: str) -> str | None:
    """input() in a daemon thread: the event loop keeps running, and Ctrl-C is not held up."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[str | None] = loop.create_future()

    def settle(line: str | None, error: BaseException | None) -> None:
        if future.done():
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(line)

    def work() -> None:
        try:
            line = input(prompt)
        except EOFError:
            loop.call_soon_threadsafe(settle, None, None)
        except BaseException as exc:
            loop.call_soon_threadsafe(settle, None, exc)
        else:
            loop.call_soon_threadsafe(settle, line, None)

    threading.Thread(target=work, name="shell-input", daemon=True).start()
    return await future


# --- the shell ------------------------------------------------------------------------------


class Shell:
    def __init__(
        self,
        settings: Settings,
        read: LineReader,
        out: TextIO | None = None,
        *,
        user_id: int | None = None,
        language_code: str | None = None,
        files: Path | None = None,
    ) -> None:
        self.settings = settings
        self.files = files
        self.read = read
        self.out = out if out is not None else sys.stdout
        self._t: Translator = Locales().get(settings.default_locale)
        self.user = User(
            id=user_id or settings.shell.user_id,
            is_bot=False,
            first_name=settings.shell.first_name,
            language_code=language_code or settings.shell.language_code,
        )
        self.session = OfflineSession()
        self.session.keep_log = False  # the listener below sees everything; no need to hoard
        self._pending: list[Outgoing] = []
        self.session.listeners.append(self._sent)
        self._feeding = False
        self._background_flush: asyncio.TimerHandle | None = None
        self._saved_names: set[str] = set()
        self.targets: dict[int, Target] = {}
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._query_ids = itertools.count(1)
        self.app: Any = None
        self.bot: Any = None
        self.dispatcher: Any = None
        self.ticker: Ticker | None = None

    async def __aenter__(self) -> Shell:
        self.app = build_app(self.settings)
        try:
            await prepare_database(self.app)
            self.bot = create_bot(self.settings, session=self.session)
            self.dispatcher = create_dispatcher(self.app)
            # The same jobs as `make run`: a broadcast or a closed day reaches this chat.
            self.ticker = attach_background(self.dispatcher, self.bot, self.app)
            if self.files is None:  # the same folder every time for this user; made when needed
                self.files = Path(tempfile.gettempdir()) / f"bot-shell-files-{self.user.id}"
            self.ticker.start()
        except BaseException:
            await self.app.close()
            raise
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._background_flush is not None:
            self._background_flush.cancel()
        if self.ticker is not None:
            await self.ticker.stop()
        if self.dispatcher is not None:
            await self.dispatcher.storage.close()
        if self.bot is not None:
            await self.bot.session.close()
        await self.app.close()

    @property
    def chat_id(self) -> int:
        return self.user.id

    def t(self, key: str, **kwargs: object) -> str:
        # Terminal text: arguments go in as they are, not HTML-escaped, numbers not grouped.
        return self._t(key, **{name: Html(str(value)) for name, value in kwargs.items()})

    def say(self, text: str) -> None:
        print(text, file=self.out)

    async def loop(self) -> None:
        self.say(self.t("shell-welcome", user=self.user.id, lang=self.user.language_code))
        self.say(self.t("tools-shell-files-folder", folder=self.files))
        while (line := await self.read(PROMPT)) is not None:
            if not await self.handle(line):
                break
        self.say(self.t("shell-bye"))

    async def handle(self, line: str) -> bool:
        """One line of input; False when the user wants to leave."""
        line = line.strip()
        if not line:
            return True
        if line.startswith(":"):
            return await self.command(line)
        if line.isascii() and line.isdigit():
            await self.press(int(line))
        else:
            await self.send(text=line)
        return True

    async def command(self, line: str) -> bool:
        name, _, rest = line[1:].partition(" ")
        rest = rest.strip()
        match name.lower():
            case "q" | "quit" | "exit":
                return False
            case "h" | "help" | "?":
                self.say(self.t("shell-syntax"))
            case "text" | "t":
                if rest:
                    await self.send(text=rest)
                else:
                    self.say(self.t("shell-bad-text"))
            case "loc" | "location":
                await self.share_location(rest)
            case "contact":
                phone, _, contact_name = rest.partition(" ")
                await self.share_contact(phone, contact_name.strip() or None)
            case "lang":
                if rest:
                    self.user = self.user.model_copy(update={"language_code": rest})
                self.say(self.t("shell-lang-set", lang=self.user.language_code))
            case "buttons" | "b":
                self.show_buttons()
            case "file" | "f":
                await self.send_file(rest)
            case "wait" | "w":
                await self.wait(rest)
            case _:
                self.say(self.t("shell-unknown-command", command=":" + name))
        return True

    # --- what the user sends ----------------------------------------------------------------

    async def send(self, **content: Any) -> None:
        text = content.get("text")
        if text and text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            length = len(command.encode("utf-16-le")) // 2
            content["entities"] = [MessageEntity(type="bot_command", offset=0, length=length)]
        message = Message(
            message_id=next(self._message_ids),
            date=datetime.now(UTC),
            chat=Chat(id=self.chat_id, type="private", first_name=self.user.first_name),
            from_user=self.user,
            **content,
        )
        await self.feed(message=message)

    async def send_file(self, name: str) -> None:
        """`:file PATH`: the user sends that file as a document (an xlsx to import, say)."""
        if not name:
            self.say(self.t("tools-shell-file-needed"))
            return
        path = Path(name)
        try:
            data = await asyncio.to_thread(_read_user_file, path)
        except FileNotFoundError:
            self.say(self.t("tools-shell-file-missing", path=path))
            return
        except OSError as exc:
            self.say(self.t("shell-script-unreadable", path=path, error=exc.strerror or exc))
            return
        file_id = self.session.add_user_file(data)
        document = Document(
            file_id=file_id,
            file_unique_id=file_id,
            file_name=path.name,
            file_size=len(data),
            mime_type=mimetypes.guess_type(path.name)[0],
        )
        await self.send(document=document)

    async def wait(self, text: str) -> None:
        """`:wait N`: let the background jobs run N seconds (in a script, say)."""
        try:
            seconds = float(text.replace(",", ".")) if text else 1.0
        except ValueError:
            seconds = -1.0
        if not 0 <= seconds <= MAX_WAIT_SECONDS:
            self.say(self.t("tools-shell-bad-wait", most=MAX_WAIT_SECONDS))
            return
        await asyncio.sleep(seconds)
        self.flush_background()

    async def share_location(self, text: str | None) -> None:
        coordinates = _coordinates(text)
        if coordinates is None:
            self.say(self.t("shell-bad-location"))
            return
        latitude, longitude = coordinates
        await self.send(location=Location(latitude=latitude, longitude=longitude))

    async def share_contact(self, phone: str, name: str | None) -> None:
        if not phone:
            self.say(self.t("shell-bad-contact"))
            return
        # Without a name it is the user's own contact, as a request_contact button sends it.
        contact = Contact(
            phone_number=phone,
            first_name=name or self.user.first_name,
            user_id=None if name else self.user.id,
        )
        await self.send(contact=contact)

    async def press(self, number: int) -> None:
        target = self.targets.get(number)
        if target is None:
            self.say(self.t("shell-no-button", number=number))
        elif isinstance(target, InlineTarget):
            await self.press_inline(number, target)
        else:
            await self.press_reply(target)

    async def press_inline(self, number: int, target: InlineTarget) -> None:
        message = self.session.chat(target.chat_id).messages.get(target.message_id)
        if message is None or target.button not in _inline_buttons(message):
            self.say(self.t("shell-button-gone", number=number, id=target.message_id))
            return
        button = target.button
        if button.callback_data is not None:
            query = CallbackQuery(
                id=str(next(self._query_ids)),
                from_user=self.user,
                chat_instance=str(self.chat_id),
                message=message,
                data=button.callback_data,
            )
            await self.feed(callback_query=query)
        elif button.url is not None:
            self.say(self.t("shell-opens-url", url=button.url))
        elif button.copy_text is not None:
            self.say(self.t("shell-copied", text=button.copy_text.text))
        else:
            self.say(self.t("shell-button-unsupported"))

    async def press_reply(self, button: KeyboardButton) -> None:
        if button.request_location:
            answer = await self.read(self.t("shell-ask-location") + " ")
            if answer and answer.strip():
                await self.share_location(answer)
            else:
                self.say(self.t("shell-cancelled"))
        elif button.request_contact:
            answer = await self.read(self.t("shell-ask-phone") + " ")
            if answer and answer.strip():
                await self.share_contact(answer.strip(), None)
            else:
                self.say(self.t("shell-cancelled"))
        elif _special_request(button):
            self.say(self.t("shell-button-unsupported"))
        else:
            await self.send(text=button.text)

    async def feed(self, **event: Any) -> None:
        update = Update(update_id=next(self._update_ids), **event)
        self.flush_background()  # what came before this input is printed before it
        self._feeding = True
        try:
            await self.dispatcher.feed_update(self.bot, update)
        except Exception:  # the bot's own error handler did not take it; keep the shell alive
            log.exception("update %s failed", update.update_id)
        finally:
            self._feeding = False
        self.flush()

    # --- what the bot sent ------------------------------------------------------------------

    def _sent(self, outgoing: Outgoing) -> None:
        """Every call the bot makes. Those of background jobs (no input being handled) are
        printed once they settle, under a line saying they came on their own."""
        self._pending.append(outgoing)
        if self._feeding:
            return
        if self._background_flush is not None:
            self._background_flush.cancel()
        loop = asyncio.get_running_loop()
        self._background_flush = loop.call_later(BACKGROUND_SETTLE_SECONDS, self.flush_background)

    def flush_background(self) -> None:
        if self._background_flush is not None:
            self._background_flush.cancel()
            self._background_flush = None
        if self._feeding or not self._pending:
            return
        if any(_shown(event) for event in self._pending):  # not only setMyCommands and such
            self.say(self.t("tools-shell-background"))
        self.flush(quiet=True)

    def flush(self, *, quiet: bool = False) -> None:
        """Print the calls made for the last input and renumber the buttons."""
        events = list(self._pending)
        self._pending.clear()
        numbered: dict[int, Target] = {}
        printed = in_chat = False
        for event in events:
            printed |= self.show_event(event, numbered)
            in_chat |= event.error is None and _chat_id(event.message) == self.chat_id
        if not printed and not quiet:
            self.say(self.t("shell-no-reply"))
        if not in_chat:
            return  # nothing new on the user's screen: the numbers stay as they were
        if not numbered:
            # No new inline buttons: those still under earlier messages keep their numbers.
            numbered = {n: t for n, t in self.targets.items() if self._still_shown(t)}
        self.show_keyboard(numbered)
        self.targets = numbered

    def show_event(self, event: Outgoing, numbered: dict[int, Target]) -> bool:
        method, message = event.method, event.message
        if event.error is not None:
            error = event.error.message.removeprefix("Bad Request: ")
            self.say(self.t("shell-rejected", method=type(method).__name__, error=error))
            return True
        if isinstance(method, AnswerCallbackQuery):
            if not method.text:
                return False
            self.say(
                self.t("shell-alert" if method.show_alert else "shell-toast", text=method.text)
            )
            return True
        if message is None:
            return False  # setMyCommands and other calls that change nothing on screen
        if isinstance(method, EditMessageReplyMarkup):
            key = "shell-markup-edited" if message.reply_markup else "shell-markup-removed"
            self.say(self.t(key, id=message.message_id))
        else:
            self.show_header(message, edited=isinstance(method, EditMessageText))
            self.show_content(message)
            self.save_file(event)
        self.show_inline(message, numbered if message.chat.id == self.chat_id else None)
        return True

    def show_header(self, message: Message, *, edited: bool) -> None:
        if message.chat.id != self.chat_id:
            self.say(self.t("shell-sent-other-chat", id=message.message_id, chat=message.chat.id))
        else:
            self.say(self.t("shell-edited" if edited else "shell-sent", id=message.message_id))

    def show_content(self, message: Message) -> None:
        for line in self.content_lines(message):
            self.say(f"  {line}".rstrip())

    def content_lines(self, message: Message) -> list[str]:
        lines = []
        if message.venue:
            venue = message.venue
            lines.append(
                self.t(
                    "shell-venue",
                    title=venue.title,
                    address=venue.address,
                    lat=venue.location.latitude,
                    lon=venue.location.longitude,
                )
            )
        elif message.location:
            location = message.location
            lines.append(self.t("shell-location", lat=location.latitude, lon=location.longitude))
        if message.document:
            lines.append(self.t("shell-document", name=message.document.file_name or ""))
        if message.photo:
            lines.append(self.t("shell-photo"))
        text = message.text if message.text is not None else message.caption
        if text:
            lines.extend(text.splitlines() or [""])
        return lines or [f"({message.content_type})"]

    def save_file(self, event: Outgoing) -> None:
        """A document or photo the bot uploaded, saved in the shell's folder."""
        message = event.message
        if message is None or not (message.document or message.photo):
            return
        if event.upload is None:  # sent again by file_id: no bytes came with it
            self.say("  " + self.t("tools-shell-file-not-saved"))
            return
        if message.document:
            name = Path(message.document.file_name or "file").name or "file"
        else:
            png = event.upload.startswith(b"\x89PNG")
            name = f"photo-{message.message_id}.{'png' if png else 'jpg'}"
        path = self._free_path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(event.upload)
        self.say("  " + self.t("tools-shell-file-saved", path=path))

    def _free_path(self, name: str) -> Path:
        """`name` in the folder; `name-2`, `name-3`… when this shell already saved one so."""
        assert self.files is not None
        stem, suffix = Path(name).stem, Path(name).suffix
        candidate, number = name, 1
        while candidate in self._saved_names:
            number += 1
            candidate = f"{stem}-{number}{suffix}"
        self._saved_names.add(candidate)
        return self.files / candidate

    def show_inline(self, message: Message, numbered: dict[int, Target] | None) -> None:
        """Inline buttons row by row; numbered when they are the user's to press."""
        markup = message.reply_markup
        for row in markup.inline_keyboard if markup else []:
            cells = []
            for button in row:
                label = button.text + (f" → {button.url}" if button.url else "")
                if numbered is None:
                    cells.append(f"[-] {label}")
                    continue
                number = len(numbered) + 1
                numbered[number] = InlineTarget(message.chat.id, message.message_id, button)
                cells.append(f"[{number}] {label}")
            self.say("  " + "  ".join(cells))

    def show_keyboard(self, numbered: dict[int, Target]) -> None:
        keyboard = self.session.chat(self.chat_id).reply_keyboard
        if keyboard is None:
            return
        self.say(self.t("shell-keyboard"))
        number = max(numbered, default=0)
        for row in keyboard.keyboard:
            cells = []
            for button in row:
                number += 1
                numbered[number] = button
                cells.append(f"({number}) {button.text}{self.request_mark(button)}")
            self.say("  " + "  ".join(cells))

    def request_mark(self, button: KeyboardButton) -> str:
        if button.request_location:
            return " " + self.t("shell-request-location")
        if button.request_contact:
            return " " + self.t("shell-request-contact")
        if _special_request(button):
            return " " + self.t("shell-request-other")
        return ""

    def show_buttons(self) -> None:
        """`:buttons`: the newest message with inline buttons and the keyboard, renumbered."""
        view = self.session.chat(self.chat_id)
        with_buttons = [m for m in view.messages.values() if _inline_buttons(m)]
        numbered: dict[int, Target] = {}
        if with_buttons:
            message = max(with_buttons, key=lambda m: m.message_id)
            self.show_header(message, edited=False)
            self.show_content(message)
            self.show_inline(message, numbered)
        self.show_keyboard(numbered)
        if not numbered:
            self.say(self.t("shell-no-buttons"))
        self.targets = numbered

    def _still_shown(self, target: Target) -> bool:
        if not isinstance(target, InlineTarget):
            return False  # keyboard buttons are numbered afresh after the inline ones
        message = self.session.chat(target.chat_id).messages.get(target.message_id)
        return message is not None and target.button in _inline_buttons(message)


def _shown(event: Outgoing) -> bool:
    """Whether `show_event` prints something for this call."""
    if event.error is not None or event.message is not None:
        return True
    return isinstance(event.method, AnswerCallbackQuery) and bool(event.method.text)


def _read_user_file(path: Path) -> bytes:
    return path.expanduser().read_bytes()


def _chat_id(message: Message | None) -> int | None:
    return message.chat.id if message is not None else None


def _inline_buttons(message: Message) -> list[InlineKeyboardButton]:
    markup = message.reply_markup
    return [button for row in markup.inline_keyboard for button in row] if markup else []


def _special_request(button: KeyboardButton) -> bool:
    """Keyboard buttons that open something in the client instead of sending their text."""
    return any(
        getattr(button, name, None) is not None
        for name in ("request_users", "request_chat", "request_poll", "web_app")
    )


def _coordinates(text: str | None) -> tuple[float, float] | None:
    parts = (text or "").replace(",", " ").split()
    if len(parts) != 2:
        return None
    try:
        latitude, longitude = float(parts[0]), float(parts[1])
    except ValueError:
        return None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    return latitude, longitude
