"""Command line: python -m bot {run,shell,migrate,import,export,report,check,backup}.

Only the parser (bot/cli/parsers.py) is imported up front; each command imports what it needs,
so `--help` and a mistyped command answer without loading aiogram or SQLAlchemy.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import TextIO

from bot.cli.parsers import build_parser, plain
from bot.config import ConfigError, Settings, load_settings
from bot.logs import setup_logging
from bot.telegram.i18n import Locales, Translator

EXIT_PROBLEMS = 1
EXIT_CONFIG = 2
EXIT_NO_TOKEN = 3


def main(argv: list[str] | None = None) -> int:
    settings: Settings | None = None
    try:
        settings = load_settings()
    except ConfigError as exc:
        problems = exc.problems
    locales = Locales()
    cli = locales.get(settings.default_locale if settings is not None else None)
    args = build_parser(cli).parse_args(argv)

    if settings is None:
        print(cli("cli-config-invalid"), file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_CONFIG
    setup_logging(settings.log_level, settings.log_format)
    t = locales.get(settings.default_locale)
    missing = _missing_path(t, args)
    if missing is not None:
        print(missing, file=sys.stderr)
        return EXIT_PROBLEMS
    if args.command not in ("check", "backup"):  # `check` names it among the other checks
        from bot.cli import quiz_file

        bank, said = quiz_file.check(t)
        if bank is None:
            print(f"{said} {plain(t('quiz-file-not-started'))}", file=sys.stderr)
            return EXIT_CONFIG

    if args.command == "run":
        if settings.messenger == "max" and settings.max_token is None:
            print(plain(cli("cli-no-max-token")), file=sys.stderr)
            return EXIT_NO_TOKEN
        if settings.messenger == "telegram" and settings.bot_token is None:
            print(cli("cli-no-token"), file=sys.stderr)
            return EXIT_NO_TOKEN
        from bot.runner import run_polling

        asyncio.run(run_polling(settings))
        return 0
    if args.command == "migrate":
        asyncio.run(_migrate(settings))
        print(cli("cli-migrated"))
        return 0
    if args.command == "import":
        if args.what == "consultations":
            return _import_consultations(settings, t, args.file, dry_run=args.dry_run)
        return _import_catalog(settings, t, args.file, dry_run=args.dry_run)
    if args.command in ("export", "report"):
        from bot.cli import reports as staff_cli

        if args.command == "report" and args.what == "demand":
            return staff_cli.demand_report(settings, t, args)
        if args.command == "report":
            return staff_cli.plan_report(settings, t, args)
        if args.what == "bookings":
            return staff_cli.export_bookings(settings, t, args)
        if args.what == "consultations":
            return _export_consultations(settings, t, args.file)
        return _export_catalog(settings, t, args.file)
    if args.command in ("check", "backup"):
        from bot.cli import ops

        if args.command == "check":
            return ops.main_check(settings)
        return ops.main_backup(settings, args.folder)
    from bot.cli import shell

    return shell.main(settings, args)


def _missing_path(t: Translator, args: object) -> str | None:
    """A file to read that is not there, or a folder to write into that is not there: named
    before anything starts (no migrations run, no half-made report)."""
    command = getattr(args, "command", None)
    if command == "import":
        path: Path = args.file  # type: ignore[attr-defined]
        if not path.exists():
            return plain(t("tools-cli-file-missing", file=str(path)))
        if not path.is_file():
            return plain(t("tools-cli-not-a-file", file=str(path)))
    written = []
    if command == "export":
        written.append(args.file)  # type: ignore[attr-defined]
    if command == "report" and getattr(args, "chart", None) is not None:
        written.append(args.chart)  # type: ignore[attr-defined]
    if command == "report" and getattr(args, "file", None) is not None:
        written.append(args.file)  # type: ignore[attr-defined]
    for path in written:
        folder = path.parent
        if not folder.is_dir():
            return plain(t("tools-cli-folder-missing", folder=str(folder), file=str(path)))
    return None


async def _migrate(settings: Settings) -> None:
    from bot.app import build_app, prepare_database

    app = build_app(settings)
    try:
        await prepare_database(app)
    finally:
        await app.close()


# --- catalogue files: python -m bot import catalog FILE [--dry-run] / export catalog FILE -------


def _plain(html: str) -> str:
    """A message of the locales as terminal text: tags dropped, entities decoded."""
    from bot.telegram.html import parse_html

    return parse_html(html)[0]


class ProgressBar:
    """progress(done, total, phase) drawn on a terminal line; on a pipe, a line per 10%."""

    WIDTH = 30

    def __init__(self, t: Translator, stream: TextIO) -> None:
        self.t = t
        self.stream = stream
        self.tty = stream.isatty()
        self.phase: str | None = None
        self.step = -1
        self.open_line = False

    def __call__(self, done: int, total: int, phase: str) -> None:
        if phase != self.phase:
            self.finish()
            self.phase, self.step = phase, -1
        percent = done * 100 // total if total else 100
        if not self.tty:
            if percent // 10 == self.step:
                return
            self.step = percent // 10
        filled = self.WIDTH * percent // 100
        bar = "#" * filled + "." * (self.WIDTH - filled)
        line = f"{self.t(f'import-phase-{phase}')} [{bar}] {percent:3d}% {done}/{total}"
        if self.tty:
            self.stream.write("\r" + line)
            self.open_line = True
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def finish(self) -> None:
        if self.open_line:
            self.stream.write("\n")
            self.stream.flush()
            self.open_line = False


def _import_catalog(settings: Settings, t: Translator, path: Path, *, dry_run: bool) -> int:
    from handlers.staff.import_reports import catalog_report

    bar = ProgressBar(t, sys.stderr)
    report = asyncio.run(_run_import(settings, path, dry_run, bar))
    bar.finish()
    print(_plain(catalog_report(t, report, max_problems=None, max_length=None)))
    return 0 if report.ok else EXIT_PROBLEMS


async def _run_import(settings: Settings, path: Path, dry_run: bool, bar: ProgressBar):  # type: ignore[no-untyped-def]
    from bot.app import build_app
    from db import migrate
    from services.catalog.imports import import_catalog
    from services.demo_data import load_localities_if_empty

    app = build_app(settings)
    try:
        # The catalogue refers to localities; the demo catalogue is not loaded here.
        await migrate.upgrade(app.engine)
        await load_localities_if_empty(app.sessions)
        return await import_catalog(app.sessions, path, dry_run=dry_run, progress=bar)
    finally:
        await app.close()


def _export_failed(t: Translator, path: Path, error: str) -> int:
    print(_plain(t("cli-export-failed", file=str(path), error=error)), file=sys.stderr)
    return EXIT_PROBLEMS


def _export_catalog(settings: Settings, t: Translator, path: Path) -> int:
    from services.catalog.imports import file_kind

    if file_kind(path.name) is None:
        return _export_failed(t, path, _plain(t("import-problem-file-type")))
    try:
        summary = asyncio.run(_run_export(settings, path))
    except OSError as exc:
        return _export_failed(t, path, exc.strerror or str(exc))
    done = t(
        "cli-export-done",
        file=str(path),
        organisations=summary.organisations,
        programmes=summary.programmes,
    )
    print(_plain(done))
    return 0


async def _run_export(settings: Settings, path: Path):  # type: ignore[no-untyped-def]
    from bot.app import build_app
    from db import migrate
    from services.catalog.exports import export_catalog

    app = build_app(settings)
    try:
        await migrate.upgrade(app.engine)
        return await export_catalog(app.sessions, path)
    finally:
        await app.close()


# --- the consultation set-up: python -m bot import/export consultations FILE ------------------


def _import_consultations(settings: Settings, t: Translator, path: Path, *, dry_run: bool) -> int:
    from bot.cli.consultations import import_consultations_file
    from handlers.staff.import_reports import setup_report

    report = asyncio.run(import_consultations_file(settings, t, path, dry_run=dry_run))
    print(_plain(setup_report(t, report, max_problems=None, max_length=None)))
    return 0 if report.ok else EXIT_PROBLEMS


def _export_consultations(settings: Settings, t: Translator, path: Path) -> int:
    from bot.cli.consultations import export_consultations_file

    if path.suffix.lower() != ".xlsx":
        return _export_failed(t, path, _plain(t("cimp-cli-xlsx-only")))
    try:
        summary = asyncio.run(export_consultations_file(settings, path))
    except OSError as exc:
        return _export_failed(t, path, exc.strerror or str(exc))
    done = t(
        "cimp-cli-export-done",
        file=str(path),
        services=summary.services,
        providers=summary.providers,
        specialists=summary.specialists,
    )
    print(_plain(done))
    return 0


if __name__ == "__main__":
    sys.exit(main())
