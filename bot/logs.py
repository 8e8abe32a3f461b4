"""Logging set-up: tokens never reach a log line."""

from __future__ import annotations

import logging
import re

TOKEN_RE = re.compile(r"\d{5,}:[A-Za-z0-9_-]{20,}")


class RedactTokens(logging.Filter):
    """Masks anything shaped like a bot token, in the message and in tracebacks."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = TOKEN_RE.sub("<token>", record.getMessage())
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            trace = logging.Formatter().formatException(record.exc_info)
            record.exc_text = TOKEN_RE.sub("<token>", trace)
            record.exc_info = None
        return True


def setup_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactTokens())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
