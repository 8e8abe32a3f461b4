"""The terminal shell, run for real: dispatcher, handlers and a temporary SQLite database."""

import argparse
import io
import re
from pathlib import Path

import pytest
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import BufferedInputFile

from bot.cli import shell
from bot.config import Settings


@pytest.fixture
def settings(tmp_path):
    # No .env, no Redis: the shell's words in Russian, its state in a fresh SQLite file.
    return Settings(
        _env_file=None,
        database_url="sqlite+aiosqlite:///" + str(tmp_path / "s.sqlite3"),
        redis_url=None,
        default_locale="ru",
    )


async def converse(settings, *lines, **identity):
    """Runs the shell on a script; returns [(input line, what was printed after it)]."""
    out = io.StringIO()
    # the files the bot sends go beside the test's database, not into a new temporary folder
    identity.setdefault("files", Path(settings.database_url.split(":///", 1)[1]).parent / "files")
    await shell.run(settings, shell.script_reader(lines, out), out, **identity)
    chunks = re.split(r"^> (.*)\n", out.getvalue(), flags=re.MULTILINE)
    return list(zip(chunks[1::2], chunks[2::2], strict=True))


async def test_onboarding_then_settings(settings):
    start, role, place, skip, consent, screen = await converse(
        settings, "/start", "1", "Томск", "1", "1", "/settings"
    )

    assert start[0] == "/start"
    assert "💬 сообщение 1:\n  Здравствуйте! Я — навигатор" in start[1]
    assert "💬 сообщение 2:\n  Кто вы?\n  [1] Родитель\n  [2] Ученик\n" in start[1]
    # the reply keyboard is numbered on after the inline buttons
    assert "⌨ клавиатура:\n  (4) 🔎 Кружки и центры  (5) 👨‍👩‍👧 Консультации\n" in start[1]

    # the role question turns into the locality list; the location button comes under it
    assert (
        "✎ сообщение 2 изменено:\n  Населённые пункты:\n  [1] Александровское  [2] Асино\n"
        in (role[1])
    )
    assert "  [11] ◀️ Назад\n💬 сообщение 3:" in role[1]
    assert "(12) 📍 Отправить геопозицию (геопозиция)\n  (13) Отмена" in role[1]

    assert "Населённый пункт: Томск ✓" in place[1]
    assert "✎ сообщение 2: кнопки убраны\n" in place[1]  # the list
    assert "  [1] Пропустить\n  [2] ◀️ Назад\n⌨ клавиатура:\n  (3) 🔎 Кружки и центры" in place[1]

    assert "✎ сообщение 5 изменено:\n  Согласие на обработку персональных данных" in skip[1]
    assert "  [1] ✅ Согласен(на)\n  [2] Не сейчас\n  [3] ◀️ Назад\n" in skip[1]

    saved, done = consent[1].split("💬 сообщение 7:")
    assert saved.startswith("💬 сообщение 6:\n  Готово! Профиль сохранён")
    assert "✎ сообщение 5: кнопки убраны" in saved
    # the last screen offers the topics, none ticked; the keyboard is numbered on after them
    assert "  [1] ⬜ Профориентация и мероприятия\n" in done and "  [4] Готово\n" in done
    assert "(5) 🔎 Кружки и центры" in done

    assert screen[0] == "/settings"
    assert "⚙️ Настройки" in screen[1]
    assert "Роль: Родитель" in screen[1]
    assert "Населённый пункт: Томск\n" in screen[1]
    assert "[3] 📍 Населённый пункт" in screen[1]


async def test_shared_location_picks_the_nearest_locality(settings):
    *_, shared = await converse(settings, "/start", "1", ":loc 56.48 84.95")

    assert "Ближе всего к вам — Томск" in shared[1]
    assert "Населённый пункт: Томск ✓" in shared[1]


async def test_location_button_asks_for_coordinates(settings):
    out = io.StringIO()
    lines = ["/start", "1", "12", "56.48 84.95"]
    await shell.run(settings, shell.script_reader(lines, out), out)
    printed = out.getvalue()

    assert "(12) 📍 Отправить геопозицию" in printed
    assert "Широта и долгота через пробел (пустая строка — отмена): 56.48 84.95\n" in printed
    assert "Населённый пункт: Томск ✓" in printed


async def test_buttons_of_an_edited_message_keep_their_numbers(settings):
    screen, consent, cancel, stale = await converse(settings, "/settings", "2", "/cancel", "1")

    assert "[2] 👤 Роль" in screen[1]
    # pressing "Роль" without consent edits the same message into the consent question
    assert "✎ сообщение 1 изменено:\n  Согласие на обработку" in consent[1]
    assert "  [1] ✅ Согласен(на)\n  [2] Не сейчас\n" in consent[1]
    # /cancel takes the left dialog's buttons away: the keyboard's are numbered from (1)
    assert "Хорошо, вышли." in cancel[1]
    assert "✎ сообщение 1: кнопки убраны" in cancel[1]
    assert "(1) 🔎 Кружки и центры" in cancel[1]
    # so «1» is the menu's first button now, not a consent button that would be outdated
    assert "Выберите направление" in stale[1] and "устарела" not in stale[1]


async def test_own_commands_and_bad_input(settings):
    chunks = await converse(
        settings, "42", ":text 42", ":loc north", ":nope", ":lang en", ":help", ":quit", "/start"
    )
    printed = dict(chunks)

    assert "Нет кнопки 42." in printed["42"]
    assert "Ищу:" in printed[":text 42"]  # typed text outside a dialog is a question
    assert "Нужны два числа" in printed[":loc north"]
    assert "Неизвестная команда :nope" in printed[":nope"]
    assert "language_code клиента: en" in printed[":lang en"]
    assert ":contact ТЕЛЕФОН ИМЯ" in printed[":help"]
    assert "/start" not in printed  # nothing is read after :quit
    assert printed[":quit"] == "До свидания.\n"


async def test_rejected_calls_and_callback_answers_are_shown(settings):
    out = io.StringIO()
    async with shell.Shell(settings, shell.script_reader([], out), out) as sh:
        with pytest.raises(TelegramBadRequest):
            await sh.bot.send_message(sh.chat_id, "<b>unclosed")
        await sh.bot.answer_callback_query("1", text="Готово")
        await sh.bot.answer_callback_query("2")
        sh.flush()
        sh.flush()

    first, *rest = out.getvalue().splitlines()
    assert first.startswith("⚠ Telegram отклонил бы SendMessage: can't parse entities")
    # an answer without text shows nothing; an input with no visible reply says so
    assert rest == ["🔔 Готово", "(бот ничего не ответил)"]


def test_command_line_with_a_script(settings, tmp_path, capsys):
    script = tmp_path / "demo.txt"
    script.write_text("/start\n2\n", encoding="utf-8")
    parser = argparse.ArgumentParser()
    shell.add_parser(parser.add_subparsers(dest="command"))
    received = str(tmp_path / "received")
    options = ["--script", str(script), "--user-id", "42", "--lang", "en", "--files", received]
    args = parser.parse_args(["shell", *options])

    assert shell.main(settings, args) == 0
    printed = capsys.readouterr().out
    # the shell's own words follow the settings (ru), the bot's follow the client (en)
    assert "> /start\n💬 сообщение 1:\n  Hello!" in printed
    assert "✎ сообщение 2 изменено:\n  Localities:" in printed
    assert "[2] Asino" in printed


def test_command_line_errors(settings, tmp_path, capsys):
    parser = argparse.ArgumentParser()
    shell.add_parser(parser.add_subparsers(dest="command"))
    with pytest.raises(SystemExit):
        parser.parse_args(["shell", "--help"])
    assert ":contact ТЕЛЕФОН ИМЯ" in capsys.readouterr().out

    args = parser.parse_args(["shell", "--script", str(tmp_path / "missing.txt")])
    assert shell.main(settings, args) == shell.EXIT_SCRIPT_UNREADABLE
    assert "missing.txt" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        parser.parse_args(["shell", "--user-id", "0"])


async def test_locations_venues_and_files_are_printed(settings, tmp_path):
    out = io.StringIO()
    async with shell.Shell(settings, shell.script_reader([], out), out, files=tmp_path) as sh:
        await sh.bot.send_location(sh.chat_id, 56.4847, 84.9482)
        await sh.bot.send_venue(sh.chat_id, 56.47, 84.95, "Кванториум", "пр. Ленина, 1")
        document = BufferedInputFile(b"%PDF", filename="afisha.pdf")
        await sh.bot.send_document(sh.chat_id, document, caption="<b>Афиша</b>")
        await sh.bot.send_message(42, "админу")
        sh.flush()

    assert out.getvalue().splitlines() == [
        "💬 сообщение 1:",
        "  📍 геопозиция 56.4847, 84.9482",
        "💬 сообщение 2:",
        "  📍 Кванториум, пр. Ленина, 1 (56.47, 84.95)",
        "💬 сообщение 3:",
        "  📄 файл afisha.pdf",
        "  Афиша",
        f"  💾 сохранён: {tmp_path / 'afisha.pdf'}",
        "💬 сообщение 4 в чат 42:",
        "  админу",
    ]


async def test_a_broadcast_reaches_the_shell_through_the_background_jobs(settings):
    from services.broadcasts.service import Audience

    out = io.StringIO()
    async with shell.Shell(settings, shell.script_reader([], out), out) as sh:
        for line in ("/start", "1", "Томск", "1", "1"):  # a parent who gave consent
            await sh.handle(line)
        broadcast = await sh.app.broadcasts.create(
            1, Audience(), text="<b>Неделя открытых дверей</b> в Кванториуме"
        )
        assert await sh.app.broadcasts.schedule(broadcast)
        before = out.getvalue()
        for _ in range(20):  # the engine ticks every 2 s; nothing types meanwhile
            await sh.wait("0.5")
            if "Неделя открытых дверей" in out.getvalue():
                break
        printed = out.getvalue()[len(before) :]

    assert printed.startswith("⏰ бот отправил сам (фоновые задачи):\n💬 сообщение")
    assert "  Неделя открытых дверей в Кванториуме" in printed


async def test_files_from_the_bot_are_saved_in_the_named_folder(settings, tmp_path):
    folder = tmp_path / "received"
    out = io.StringIO()
    async with shell.Shell(settings, shell.script_reader([], out), out, files=folder) as sh:
        await sh.loop()  # no input: the welcome names the folder
        for _ in range(2):
            event = BufferedInputFile(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "event.ics")
            await sh.bot.send_document(sh.chat_id, event)
        await sh.bot.send_photo(sh.chat_id, BufferedInputFile(PNG_1x1, "chart.png"))
        sh.flush()

    printed = out.getvalue()
    assert f"сохраняются в папку {folder}\n" in printed
    assert f"  💾 сохранён: {folder / 'event.ics'}\n" in printed
    assert f"  💾 сохранён: {folder / 'event-2.ics'}\n" in printed  # the first one kept
    assert (folder / "event-2.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")
    photos = list(folder.glob("photo-*.png"))
    assert len(photos) == 1 and photos[0].read_bytes() == PNG_1x1


async def test_file_command_sends_a_document_the_bot_can_download(settings, tmp_path):
    sheet = tmp_path / "каталог.xlsx"
    sheet.write_bytes(b"PK\x03\x04 not really a workbook")
    out = io.StringIO()
    async with shell.Shell(settings, shell.script_reader([], out), out) as sh:
        seen = []
        original = sh.feed

        async def feed(**event):
            seen.append(event)
            await original(**event)

        sh.feed = feed
        await sh.handle(f":file {sheet}")
        await sh.handle(f":file {tmp_path / 'нет-такого.xlsx'}")
        await sh.handle(":file")
        document = seen[0]["message"].document
        downloaded = await sh.bot.download(document)

    assert len(seen) == 1  # the missing file never reached the bot
    assert document.file_name == "каталог.xlsx" and document.file_size == sheet.stat().st_size
    assert downloaded.read() == sheet.read_bytes()
    printed = out.getvalue()
    assert f"Файла {tmp_path / 'нет-такого.xlsx'} нет." in printed
    assert "Нужен путь к файлу" in printed


PNG_1x1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100ffff03000006000557bfabd40000000049454e44ae426082"
)
