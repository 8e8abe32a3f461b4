"""Command line: python -m bot {run,shell,migrate}."""

from __future__ import annotations

import argparse
import asyncio
import sys

from bot.config import ConfigError, Settings, load_settings
from bot.i18n import Locales
from bot.logs import setup_logging

EXIT_CONFIG = 2
EXIT_NO_TOKEN = 3


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="start the bot with long polling")
    commands.add_parser("migrate", help="apply database migrations and load demo data")
    from bot import shell

    shell.add_parser(commands)
    args = parser.parse_args(argv)

    cli = Locales().get(None)
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(cli("cli-config-invalid"), file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_CONFIG
    setup_logging(settings.log_level)

    if args.command == "run":
        if settings.bot_token is None:
            print(cli("cli-no-token"), file=sys.stderr)
            return EXIT_NO_TOKEN
        from bot.runner import run_polling

        asyncio.run(run_polling(settings))
        return 0
    if args.command == "migrate":
        asyncio.run(_migrate(settings))
        print(cli("cli-migrated"))
        return 0
    return shell.main(settings, args)


async def _migrate(settings: Settings) -> None:
    from bot.app import build_app, prepare_database

    app = build_app(settings)
    try:
        await prepare_database(app)
    finally:
        await app.close()


if __name__ == "__main__":
    sys.exit(main())
