"""The command line's help and errors: one language per locale, every command described,
`--help` without the bot's heavy imports, missing files named, alembic quiet at INFO."""

import argparse
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main as cli
from bot.cli.parsers import build_parser
from bot.logs import setup_logging
from bot.telegram.i18n import Locales

ROOT = Path(__file__).resolve().parents[2]
COMMANDS = {"run", "migrate", "import", "export", "report", "shell", "check", "backup"}
CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)
ARGPARSE_ENGLISH = ("usage:", "positional arguments", "options:", "show this help", "error:")


def helps(locale):
    """Every help screen of the command line (the main one and each command's)."""
    t = Locales().get(locale)
    parser = build_parser(t)
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    screens = {"": parser.format_help()}
    screens |= {name: command.format_help() for name, command in sub.choices.items()}
    return parser, sub, screens


@pytest.mark.parametrize("locale", ["ru", "en"])
def test_every_command_and_argument_is_described(locale):
    _, sub, screens = helps(locale)

    assert set(sub.choices) == COMMANDS
    described = {action.dest for action in sub._choices_actions if action.help}
    assert described == COMMANDS
    for name, command in sub.choices.items():
        assert command.description, name
        for action in command._actions:
            assert action.help, f"{name} {action.option_strings or action.dest}"
    for name in COMMANDS:
        assert re.search(rf"^    {name} +\S", screens[""], re.MULTILINE), name


def test_russian_help_has_no_english_and_english_help_no_russian():
    _, _, russian = helps("ru")
    _, english_sub, english = helps("en")

    for name, screen in english.items():
        assert not CYRILLIC.search(screen), (name, CYRILLIC.search(screen))
    english_helps = [a.help for a in english_sub._choices_actions]
    for name, screen in russian.items():
        for phrase in ARGPARSE_ENGLISH:
            assert phrase not in screen, (name, phrase)
        flat = " ".join(screen.split())
        for text in english_helps:
            assert " ".join(text.split()) not in flat
    assert "использование: python -m bot" in russian[""]
    assert "параметры:" in russian["import"] and "показать эту справку и выйти" in russian["import"]


def test_errors_of_the_command_line_are_in_the_locale(monkeypatch, tmp_path, capsys):
    monkeypatch.chdir(tmp_path)  # no .env here
    monkeypatch.setenv("DEFAULT_LOCALE", "ru")
    with pytest.raises(SystemExit):
        cli.main(["report", "plan", "--year", "199"])
    err = capsys.readouterr().err
    assert "ошибка: аргумент --year: «199» — не год" in err
    with pytest.raises(SystemExit):
        cli.main(["import", "catalog"])
    err = capsys.readouterr().err
    assert err.startswith("использование: python -m bot import")
    assert "ошибка: не хватает аргументов: ФАЙЛ" in err

    monkeypatch.setenv("DEFAULT_LOCALE", "en")
    with pytest.raises(SystemExit):
        cli.main(["export", "bookings", "--from", "1 September", "x.xlsx"])
    err = capsys.readouterr().err
    assert "error: argument --from: “1 September” is not a date" in err
    with pytest.raises(SystemExit):
        cli.main(["import", "programmes", "x.xlsx"])
    err = capsys.readouterr().err
    assert "error: argument WHAT: invalid choice: 'programmes'" in err
    assert not CYRILLIC.search(err)


def test_help_does_not_import_the_bot():
    # A fresh interpreter: what `python -m bot --help` loads, measured by -X importtime.
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "bot", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "DEFAULT_LOCALE": "ru"},
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "python -m bot" in result.stdout and "shell" in result.stdout
    imported = {
        line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if "|" in line
    }
    assert "bot.cli.parsers" in imported  # the measurement itself works
    heavy = {name for name in imported if name.split(".")[0] in HEAVY}
    assert heavy == set()


HEAVY = {"aiogram", "sqlalchemy", "alembic", "matplotlib", "openpyxl", "handlers", "services", "db"}


def run_cli(capsys, *args):
    code = cli.main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_missing_files_and_folders_are_named(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DEFAULT_LOCALE", "ru")
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/c.db")
    monkeypatch.setattr(cli, "setup_logging", lambda *args: None)
    missing = tmp_path / "кружки-2026.xlsx"

    for what in ("catalog", "consultations"):
        code, out, err = run_cli(capsys, "import", what, str(missing))
        assert code == cli.EXIT_PROBLEMS
        assert f"Файла «{missing}» нет." in err and out == ""
    code, _, err = run_cli(capsys, "import", "catalog", str(tmp_path))
    assert code == cli.EXIT_PROBLEMS and "не файл" in err

    nowhere = tmp_path / "нет-папки" / "выгрузка.xlsx"
    for args in (
        ("export", "catalog", str(nowhere)),
        ("export", "bookings", "--from", "2026-09-01", "--to", "2026-09-30", str(nowhere)),
        ("report", "plan", "--chart", str(nowhere.with_suffix(".png"))),
    ):
        code, _, err = run_cli(capsys, *args)
        assert code == cli.EXIT_PROBLEMS
        assert f"Папки «{nowhere.parent}» нет" in err
    assert not (tmp_path / "c.db").exists()  # named before any database work


def test_alembic_is_quiet_at_the_default_level(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/m.db")
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        assert cli.main(["migrate"]) == 0
        err = capsys.readouterr().err
        assert "alembic" not in err and "Running upgrade" not in err
        setup_logging("DEBUG")
        assert logging.getLogger("alembic.runtime.migration").isEnabledFor(logging.INFO)
    finally:
        setup_logging("INFO")
        root.handlers[:], root.level = handlers, level
