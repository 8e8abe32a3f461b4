"""Logging set-up: text lines by default, JSON lines on request (LOG_FORMAT=json).

Whatever the format, a log line never carries a bot token or a phone number: both are
masked in the message, in the traceback and in extra fields, before any handler formats the
record. Names are kept out by the code itself: log lines name users by their Telegram id; a
traceback withholds the exception messages that may quote people's data (bot/error_text.py).

A JSON line is one object: time (UTC, ISO 8601 with milliseconds), level, logger, message,
then every extra field the call passed (`log.info(..., extra={"update_id": 7})`), then
`exception` with the traceback when there is one.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime
from typing import Any, Literal

from bot.error_text import safe_traceback

TOKEN_RE = re.compile(r"\d{5,}:[A-Za-z0-9_-]{20,}")
# Phone numbers as people write them: +7 999 123-45-67, 8 (999) 123 45 67, 89991234567, and
# any international number that starts with "+" and has 10 to 15 digits. A bare run of 10
# digits (a Telegram user id) is not a phone; an 11-digit run starting with 7 or 8 is.
PHONE_RE = re.compile(
    r"(?<![\w+.])(?:"
    r"(?:\+7|8|7)[\s(-]{0,2}\d{3}[\s)-]{0,2}\d{3}[\s-]?\d{2}[\s-]?\d{2}"
    r"|\+\d(?:[\s()-]{0,2}\d){9,14}"
    r")(?!\w)"
)
TOKEN_MASK = "<token>"
PHONE_MASK = "<phone>"
LogFormat = Literal["text", "json"]
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

# Attributes every LogRecord has; anything else on a record came in through `extra`.
_STANDARD = frozenset(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {
    "message",
    "asctime",
    "taskName",
}


def redact(text: str) -> str:
    """The text with tokens and phone numbers masked."""
    return PHONE_RE.sub(PHONE_MASK, TOKEN_RE.sub(TOKEN_MASK, text))


def extra_fields(record: logging.LogRecord) -> dict[str, Any]:
    return {key: value for key, value in record.__dict__.items() if key not in _STANDARD}


class Redact(logging.Filter):
    """Masks tokens and phone numbers in the message, the traceback and string extras.

    The message is rendered once here (args merged) and the traceback turned into text, so
    every formatter after it sees only the masked versions.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            trace = safe_traceback(record.exc_info[1])
            record.exc_text = redact(trace)
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        for key, value in extra_fields(record).items():
            if isinstance(value, str):
                setattr(record, key, redact(value))
        return True


RedactTokens = Redact  # the earlier name


class JsonFormatter(logging.Formatter):
    """One JSON object a line (see the module's docstring for the fields)."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in extra_fields(record).items():
            entry.setdefault(key, value)
        if record.exc_info and record.exc_info[1] is not None:
            entry["exception"] = redact(self.formatException(record.exc_info))
        elif record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = record.stack_info
        return json.dumps(entry, ensure_ascii=False, default=str)


def make_handler(log_format: LogFormat = "text", stream: Any = None) -> logging.Handler:
    handler = logging.StreamHandler(stream)
    formatter = JsonFormatter() if log_format == "json" else logging.Formatter(TEXT_FORMAT)
    handler.setFormatter(formatter)
    handler.addFilter(Redact())
    return handler


# Loggers that write a line per clock tick at INFO (several a second): heard only at DEBUG.
CHATTY = ("apscheduler",)
# Loggers whose INFO lines are routine to anyone but a developer: alembic's «Context impl
# SQLiteImpl», «Running upgrade …» before every command; matplotlib's font cache.
ROUTINE = ("alembic", "matplotlib")


def setup_logging(level: str = "INFO", log_format: LogFormat = "text") -> None:
    root = logging.getLogger()
    root.handlers[:] = [make_handler(log_format)]
    root.setLevel(level)
    for name in (*CHATTY, *ROUTINE):
        logging.getLogger(name).setLevel(logging.DEBUG if level == "DEBUG" else logging.WARNING)
