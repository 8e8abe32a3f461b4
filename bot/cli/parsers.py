"""The command line's parser, every word in one language (the settings' DEFAULT_LOCALE).

This module imports nothing of the bot itself (no aiogram, no SQLAlchemy): `python -m bot
--help` and a mistyped command answer at once. argparse's own words (usage, section titles,
-h, errors) come from the locales too (`LocalParser`).
"""

from __future__ import annotations

import argparse
import html
import re
import sys
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from bot.telegram.i18n import Translator

WHAT = ["catalog", "consultations"]
TAG_RE = re.compile(r"<[^>]+>")

# argparse's own error messages (Python 3.11), said again in the locale's words.
ARGPARSE_ERRORS = (
    (re.compile(r"the following arguments are required: (?P<names>.*)"), "tools-argparse-required"),
    (
        re.compile(r"invalid choice: (?P<value>.*) \(choose from (?P<choices>.*)\)"),
        "tools-argparse-invalid-choice",
    ),
    (re.compile(r"invalid \S+ value: (?P<value>.*)"), "tools-argparse-invalid-value"),
    (re.compile(r"unrecognized arguments: (?P<args>.*)"), "tools-argparse-unrecognized"),
    (re.compile(r"expected one argument"), "tools-argparse-one-argument"),
)
ARGUMENT_RE = re.compile(r"argument (?P<name>\S+): (?P<message>.*)", re.DOTALL)


def plain(text: str) -> str:
    """A locale message as terminal text: tags dropped, entities decoded."""
    return html.unescape(TAG_RE.sub("", text))


class LocalParser(argparse.ArgumentParser):
    """An ArgumentParser whose own words (usage, section titles, -h, errors) come from the
    locales: `parser_class(t)` makes one for a translator; its sub-commands are of it too."""

    t: Translator

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        word = self.word
        base = kwargs.get("formatter_class", argparse.HelpFormatter)

        class Formatter(base):  # type: ignore[valid-type, misc]
            def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
                if prefix is None:
                    prefix = word("tools-argparse-usage")
                super().add_usage(usage, actions, groups, prefix)

        kwargs["formatter_class"] = Formatter
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self.arguments_group = self.add_argument_group(word("tools-argparse-positional"))
        self.options_group = self.add_argument_group(word("tools-argparse-options"))
        self.options_group.add_argument(
            "-h",
            "--help",
            action="help",
            default=argparse.SUPPRESS,
            help=word("tools-argparse-help"),
        )

    def word(self, key: str, **kwargs: object) -> str:
        return plain(self.t(key, **kwargs))

    def add_argument(self, *args: Any, **kwargs: Any) -> argparse.Action:
        """Positionals under «аргументы», options under «параметры»."""
        if not hasattr(self, "options_group"):
            return super().add_argument(*args, **kwargs)
        option = bool(args) and str(args[0]).startswith(tuple(self.prefix_chars))
        group = self.options_group if option else self.arguments_group
        return group.add_argument(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        text = self.word("tools-argparse-error", prog=self.prog, message=self.say(message))
        self.exit(2, text + "\n")

    def say(self, message: str) -> str:
        argument = ARGUMENT_RE.fullmatch(message)
        if argument is not None:
            inner = self.say(argument["message"])
            return self.word("tools-argparse-argument", name=argument["name"], message=inner)
        for pattern, key in ARGPARSE_ERRORS:
            found = pattern.fullmatch(message)
            if found is not None:
                return self.word(key, **found.groupdict())
        return message  # our own messages (ArgumentTypeError) are in the locale already


def parser_class(t: Translator) -> type[LocalParser]:
    return type("LocalParser", (LocalParser,), {"t": t})


def build_parser(t: Translator) -> argparse.ArgumentParser:
    """`python -m bot COMMAND …`, described in `t`'s language."""

    def tr(key: str) -> str:
        return plain(t(key))

    parser = parser_class(t)(
        prog="python -m bot",
        description=tr("tools-cli-description"),
        epilog=tr("tools-cli-epilog"),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(
        dest="command",
        required=True,
        title=tr("tools-cli-commands-title"),
        metavar=tr("tools-cli-command-metavar"),
    )
    for name, key in (("run", "tools-cli-run-help"), ("migrate", "tools-cli-migrate-help")):
        commands.add_parser(name, help=tr(key), description=tr(key))
    add_file_parsers(commands, t)
    add_report_parser(commands, t)
    add_shell_parser(commands, t)
    add_ops_parsers(commands, t)
    return parser


def add_file_parsers(commands: Any, t: Translator) -> None:
    def tr(key: str) -> str:
        return plain(t(key))

    importer = commands.add_parser(
        "import", help=tr("tools-cli-import-help"), description=tr("tools-cli-import-help")
    )
    what = tr("tools-cli-what-metavar")
    importer.add_argument("what", choices=WHAT, metavar=what, help=tr("cimp-cli-what-arg"))
    importer.add_argument(
        "file", type=Path, metavar=tr("tools-cli-file-metavar"), help=tr("cli-file-arg")
    )
    importer.add_argument("--dry-run", action="store_true", help=tr("cli-dry-run-arg"))
    exporter = commands.add_parser(
        "export", help=tr("tools-cli-export-help"), description=tr("tools-cli-export-help")
    )
    exporter.add_argument(
        "what", choices=[*WHAT, "bookings"], metavar=what, help=tr("srep-cli-export-what")
    )
    exporter.add_argument(
        "file", type=Path, metavar=tr("tools-cli-file-metavar"), help=tr("cli-file-arg")
    )
    add_export_period(exporter, t)


def add_export_period(exporter: argparse.ArgumentParser, t: Translator) -> None:
    exporter.add_argument(
        "--from",
        dest="first",
        type=_day(t),
        metavar=plain(t("tools-cli-date-metavar")),
        help=plain(t("srep-cli-from-arg")),
    )
    exporter.add_argument(
        "--to",
        dest="last",
        type=_day(t),
        metavar=plain(t("tools-cli-date-metavar")),
        help=plain(t("srep-cli-to-arg")),
    )


def _day(t: Translator) -> Any:
    def day(text: str) -> date:
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise argparse.ArgumentTypeError(plain(t("tools-cli-bad-date", value=text))) from None

    return day


def add_report_parser(commands: Any, t: Translator) -> None:
    def year(text: str) -> int:
        if not (text.isascii() and text.isdigit() and 2000 <= int(text) <= 2100):
            raise argparse.ArgumentTypeError(plain(t("tools-cli-bad-year", value=text)))
        return int(text)

    help_text = plain(t("srep-cli-report-help"))
    report = commands.add_parser("report", help=help_text, description=help_text)
    # A report each with its own arguments: `report demand --from D --to D FILE` takes a
    # file after the options, which one parser with an optional FILE could not.
    kinds = report.add_subparsers(
        dest="what",
        required=True,
        title=plain(t("tools-argparse-positional")),
        metavar=plain(t("tools-cli-what-metavar")),
        help=plain(t("srep-cli-report-what")),
    )
    plan_help = plain(t("insights-cli-plan-help"))
    plan = kinds.add_parser("plan", help=plan_help, description=plan_help)
    plan.add_argument(
        "--year",
        type=year,
        metavar=plain(t("tools-cli-year-metavar")),
        help=plain(t("srep-cli-year-arg")),
    )
    plan.add_argument(
        "--chart",
        type=Path,
        metavar=plain(t("tools-cli-file-metavar")),
        help=plain(t("tools-cli-chart-arg")),
    )
    demand_help = plain(t("insights-cli-demand-help"))
    demand = kinds.add_parser("demand", help=demand_help, description=demand_help)
    demand.add_argument(
        "file",
        type=Path,
        metavar=plain(t("tools-cli-file-metavar")),
        help=plain(t("insights-cli-file-arg")),
    )
    add_export_period(demand, t)


def add_shell_parser(commands: Any, t: Translator) -> None:
    parser = commands.add_parser(
        "shell",
        help=plain(t("shell-help")),
        description=plain(t("shell-description")),
        epilog=plain(t("shell-syntax")),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )

    def positive_int(value: str) -> int:
        if not (value.isascii() and value.isdigit() and int(value) > 0):
            raise argparse.ArgumentTypeError(plain(t("shell-arg-user-id-invalid")))
        return int(value)

    parser.add_argument(
        "--user-id", type=positive_int, metavar="ID", help=plain(t("shell-arg-user-id"))
    )
    parser.add_argument(
        "--lang", metavar=plain(t("tools-cli-code-metavar")), help=plain(t("shell-arg-lang"))
    )
    parser.add_argument(
        "--script",
        type=Path,
        metavar=plain(t("tools-cli-file-metavar")),
        help=plain(t("shell-arg-script")),
    )
    parser.add_argument(
        "--files",
        type=Path,
        metavar=plain(t("tools-cli-folder-metavar")),
        help=plain(t("tools-shell-arg-files")),
    )
    parser.add_argument(
        "--messenger",
        choices=("telegram", "max"),
        default="telegram",
        help=plain(t("shell-arg-messenger")),
    )


def add_ops_parsers(commands: Any, t: Translator) -> None:
    """`check` and `backup [FOLDER]`."""
    check = plain(t("ops-cli-check-help"))
    commands.add_parser("check", help=check, description=check)
    backup = plain(t("ops-cli-backup-help"))
    parser = commands.add_parser("backup", help=backup, description=backup)
    parser.add_argument(
        "folder",
        nargs="?",
        type=Path,
        default=None,
        metavar=plain(t("tools-cli-folder-metavar")),
        help=plain(t("ops-cli-backup-folder")),
    )
