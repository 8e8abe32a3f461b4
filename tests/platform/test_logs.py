"""Log lines: text by default, JSON on request; never a token or a phone number in either."""

from __future__ import annotations

import io
import json
import logging

import pytest

from bot.config import ConfigError, load_settings
from bot.logs import PHONE_MASK, TOKEN_MASK, make_handler, redact, setup_logging

TOKEN = "123456789:AAE" + "x" * 32
PHONES = (
    "+7 999 123-45-67",
    "+79991234567",
    "8 (999) 123-45-67",
    "8(999)1234567",
    "89991234567",
    "79991234567",
    "8-999-123-45-67",
    "+44 20 7946 0958",
)
NOT_PHONES = (
    "update 123456789",
    "user 5123456789",  # a Telegram user id: ten digits
    "booking 12 at 2026-11-22 18:27:23",
    "took 0.81234567890 s",
)


@pytest.fixture
def capture():
    """A logger whose lines go to a buffer through the bot's own handler."""
    made: list[tuple[logging.Logger, io.StringIO, logging.Handler]] = []

    def make(log_format: str) -> tuple[logging.Logger, io.StringIO]:
        stream = io.StringIO()
        handler = make_handler(log_format, stream)  # type: ignore[arg-type]
        logger = logging.getLogger(f"test.logs.{log_format}.{len(made)}")
        logger.propagate = False
        logger.setLevel(logging.DEBUG)
        logger.addHandler(handler)
        made.append((logger, stream, handler))
        return logger, stream

    yield make
    for logger, _, handler in made:
        logger.removeHandler(handler)


@pytest.mark.parametrize("phone", PHONES)
def test_phone_numbers_are_masked(phone):
    assert redact(f"contact {phone}, thanks") == f"contact {PHONE_MASK}, thanks"


@pytest.mark.parametrize("text", NOT_PHONES)
def test_ids_dates_and_numbers_are_not_taken_for_phones(text):
    assert redact(text) == text


def _log_everything(logger: logging.Logger) -> None:
    try:
        # A connection error's text is kept in tracebacks (bot/error_text.py): masked here.
        raise ConnectionError(
            f"POST https://api.telegram.org/bot{TOKEN}/sendMessage phone=+79991234567"
        )
    except ConnectionError:
        logger.exception(
            "update %s: booking for %s failed",
            4242,
            "8 (999) 123-45-67",
            extra={"update_id": 4242, "contact": "+7 913 000-11-22", "chat": 5123456789},
        )


def test_text_lines_carry_no_token_and_no_phone(capture):
    logger, stream = capture("text")
    _log_everything(logger)
    out = stream.getvalue()
    assert "update 4242: booking for <phone> failed" in out
    assert "Traceback" in out and "ConnectionError" in out
    assert TOKEN not in out and TOKEN_MASK in out
    for digits in ("9991234567", "999) 123-45-67", "913 000-11-22"):
        assert digits not in out
    assert out.splitlines()[0].split()[2:4] == ["ERROR", logger.name + ":"]


def test_json_lines_have_the_fields_and_the_extras_masked(capture):
    logger, stream = capture("json")
    _log_everything(logger)
    logger.info("plain line")
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2  # the traceback is inside the first object, not on lines of its own
    first, second = (json.loads(line) for line in lines)
    assert first["level"] == "ERROR" and first["logger"] == logger.name
    assert first["message"] == "update 4242: booking for <phone> failed"
    assert first["time"].endswith("+00:00") and "T" in first["time"]
    assert first["update_id"] == 4242 and first["chat"] == 5123456789
    assert first["contact"] == PHONE_MASK
    assert "ConnectionError" in first["exception"]
    assert TOKEN_MASK in first["exception"] and PHONE_MASK in first["exception"]
    text = "\n".join(lines)
    assert TOKEN not in text and "9991234567" not in text
    assert set(second) == {"time", "level", "logger", "message"}
    assert second["message"] == "plain line" and second["level"] == "INFO"


def test_setup_logging_installs_one_handler_of_the_chosen_format():
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    try:
        setup_logging("WARNING", "json")
        [handler] = root.handlers
        assert root.level == logging.WARNING
        record = logging.LogRecord(
            "x", logging.WARNING, __file__, 1, "to %s", ("+79991234567",), None
        )
        for check in handler.filters:
            check.filter(record)  # type: ignore[union-attr]
        assert json.loads(handler.format(record))["message"] == "to <phone>"
        setup_logging("INFO")
        [handler] = root.handlers
        assert handler.format(record).endswith("WARNING x: to <phone>")
        # The clock's per-tick lines are for DEBUG only.
        assert not logging.getLogger("apscheduler.executors.default").isEnabledFor(logging.INFO)
        setup_logging("DEBUG")
        assert logging.getLogger("apscheduler.executors.default").isEnabledFor(logging.INFO)
    finally:
        root.handlers[:] = saved_handlers
        root.setLevel(saved_level)
        logging.getLogger("apscheduler").setLevel(logging.NOTSET)


def test_log_format_setting(monkeypatch):
    assert load_settings(_env_file=None).log_format == "text"
    monkeypatch.setenv("LOG_FORMAT", "JSON")
    assert load_settings(_env_file=None).log_format == "json"
    monkeypatch.setenv("LOG_FORMAT", "yaml")
    with pytest.raises(ConfigError) as error:
        load_settings(_env_file=None)
    assert [problem.split(":")[0] for problem in error.value.problems] == ["LOG_FORMAT"]
