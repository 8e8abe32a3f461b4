"""An exception described without the data it may carry, for logs and admin alerts.

An error's message can quote what a person typed: a database error quotes the failing row
(PostgreSQL's "Failing row contains (…)") and, unless the engine hides them, the SQL
parameters; `int("Анна")` quotes its input. So messages are left out, except of exception
types whose text comes from code, the system, SQLite or Telegram, never from a person's data.
What stays: the class, the frames (file, line, function, source line) and, for database
errors, the driver's error code and the schema names it reports (constraint, table, column).
"""

from __future__ import annotations

import sqlite3
import traceback

# Messages of these types are written by code (attribute and type names), by the system
# (errno texts, hosts, paths) or by SQLite (which names columns, never values); Telegram's
# errors are added below.
_SAFE_MESSAGES = (
    AttributeError,
    TypeError,
    NameError,
    ImportError,
    NotImplementedError,
    RecursionError,
    ZeroDivisionError,
    OSError,
    sqlite3.Error,
)
# Attributes of database drivers' errors (sqlite3, asyncpg, SQLAlchemy's adapters) that name
# an error code or a schema object, never a value.
_DETAILS = ("sqlite_errorname", "sqlstate", "constraint_name", "table_name", "column_name")
WITHHELD = "(message withheld: it may hold personal data)"


def _safe_message(error: BaseException) -> bool:
    if isinstance(error, _SAFE_MESSAGES):
        return True
    from aiogram.exceptions import TelegramAPIError

    return isinstance(error, TelegramAPIError)


def _name(error: BaseException) -> str:
    kind = type(error)
    return (
        kind.__qualname__
        if kind.__module__ == "builtins"
        else f"{kind.__module__}.{kind.__qualname__}"
    )


def _chain(error: BaseException) -> list[BaseException]:
    """The error and what it came from, the innermost first (as Python prints them)."""
    chain: list[BaseException] = []
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append(current)
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__
        )
    return chain[::-1]


def _details(error: BaseException) -> list[str]:
    return [
        f"{attribute}={value}"
        for attribute in _DETAILS
        if isinstance(value := getattr(error, attribute, None), str) and value
    ]


def error_label(error: BaseException) -> str:
    """`module.Class (detail=value, …)`: the error's class and the codes and schema names
    reported along its chain."""
    details: list[str] = []
    for link in _chain(error):
        details += [detail for detail in _details(link) if detail not in details]
    return f"{_name(error)} ({', '.join(details)})" if details else _name(error)


def safe_traceback(error: BaseException) -> str:
    """Like Python's traceback of the error, with the messages withheld as described above."""
    blocks = []
    for link in _chain(error):
        if blocks:
            blocks.append(
                "\nThe above exception was the direct cause of the following exception:\n\n"
                if link.__cause__ is not None
                else "\nDuring handling of the above exception, another exception occurred:\n\n"
            )
        frames = traceback.extract_tb(link.__traceback__)
        if frames:
            blocks.append("Traceback (most recent call last):\n")
            blocks.extend(frames.format())
        message = str(link) if _safe_message(link) else WITHHELD
        blocks.append(f"{' '.join([_name(link), *_details(link)])}: {message}\n")
    return "".join(blocks).rstrip("\n")
