"""Settings from `.env` and the environment (pydantic-settings)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, ClassVar, Literal
from urllib.parse import SplitResult, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "data" / "bot.sqlite3"
SUPPORTED_LOCALES = ("ru", "en")
TOKEN_SHAPE = re.compile(r"\d{5,}:[A-Za-z0-9_-]{30,}")
# setWebhook's secret_token: 1-256 characters A-Z, a-z, 0-9, _ and -.
WEBHOOK_SECRET_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,256}")
# Telegram's own Bot API delivers webhooks only to these ports (a self-hosted one: to any).
TELEGRAM_WEBHOOK_PORTS = (443, 80, 88, 8443)
# POST /subscriptions' secret: 5-256 characters A-Z, a-z, 0-9 and - (MAX's rule).
MAX_SECRET_SHAPE = re.compile(r"[A-Za-z0-9-]{5,256}")
MAX_API_URL = "https://platform-api2.max.ru"


class ShellSettings(BaseModel):
    """Identity of the simulated user in `python -m bot shell`."""

    user_id: int = 1000001
    first_name: str = "Shell"
    language_code: str = "ru"


class BookingSettings(BaseModel):
    """Family consultations: BOOKING__MAX_ACTIVE, BOOKING__REMINDER_HOURS=24,2, ..."""

    max_active: int = Field(3, ge=1, le=20)
    reminder_hours: Annotated[list[int], NoDecode] = Field(default_factory=lambda: [24, 2])
    horizon_days: int = Field(28, ge=1, le=180)
    yearly_plan: int = Field(200, ge=0)
    # Optional plans of single organisations, by the provider's external id: "P1=120,P2=80".
    provider_plans: Annotated[dict[str, int], NoDecode] = Field(default_factory=dict)

    @field_validator("reminder_hours", mode="before")
    @classmethod
    def _split_hours(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("reminder_hours")
    @classmethod
    def _positive_hours(cls, value: list[int]) -> list[int]:
        if any(hours <= 0 or hours > 24 * 14 for hours in value):
            raise ValueError("hours before the consultation, each from 1 to 336")
        return sorted(set(value), reverse=True)

    @field_validator("provider_plans", mode="before")
    @classmethod
    def _split_plans(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        plans: dict[str, str] = {}
        for part in value.replace(";", ",").split(","):
            if not part.strip():
                continue
            key, sep, number = part.partition("=")
            if not sep or not key.strip():
                raise ValueError("expected ORGANISATION_ID=PLAN pairs, e.g. P1=120,P2=80")
            plans[key.strip()] = number.strip()
        return plans

    @field_validator("provider_plans")
    @classmethod
    def _plans_not_negative(cls, value: dict[str, int]) -> dict[str, int]:
        if any(plan < 0 for plan in value.values()):
            raise ValueError("a plan cannot be negative")
        return value


class BroadcastSettings(BaseModel):
    """Announcements: BROADCAST__RATE (messages a second), BROADCAST__PAID (paid broadcasts)."""

    rate: int = Field(25, ge=1, le=1000)
    paid: bool = False
    # The MAX process's cap (BROADCAST__MAX_RATE): MAX allows a bot about 30 requests/s in all;
    # as in Telegram, 25 of them leave room for replies to people and for the way there varying.
    max_rate: int = Field(25, ge=1, le=30)
    progress_every: float = Field(3.0, ge=1.0)

    @model_validator(mode="after")
    def _rate_within_telegram(self) -> BroadcastSettings:
        if self.rate > 30 and not self.paid:
            raise ValueError("rate above 30 messages/s needs BROADCAST__PAID=true")
        return self


class RetentionSettings(BaseModel):
    """How long data is kept: RETENTION__BOOKING_DAYS (a booking's name, phone and question after
    its consultation), RETENTION__CONVERSATION_HOURS (an abandoned dialog's state),
    RETENTION__HOUSEKEEPING_DAYS (letters of finished broadcasts, past slots, sent reminders),
    RETENTION__DEMAND_DAYS (the demand log: searches without the person, for /insights)."""

    booking_days: int = Field(365, ge=1, le=3650)
    conversation_hours: int = Field(24, ge=1, le=24 * 30)
    housekeeping_days: int = Field(90, ge=1, le=3650)
    demand_days: int = Field(365, ge=1, le=3650)


def url_path(value: str) -> str:
    """A webhook's path: /segments of letters, digits, . _ ~ -."""
    value = value.strip()
    if not re.fullmatch(r"(/[A-Za-z0-9._~-]+)+", value):
        raise ValueError("a path such as /telegram/webhook: letters, digits, . _ ~ - and /")
    return value


def blank_is_none(value: object) -> object:
    if isinstance(value, str) and not value.strip():
        return None
    return value


class WaitlistSettings(BaseModel):
    """Waitlists: WAITLIST__NOTICE_HOURS (how long a person told of a free seat has it before
    the next in line is told too), WAITLIST__REMIND_HOUR (local hour of the «запись началась»
    reminder on the enrolment's first day)."""

    notice_hours: int = Field(48, ge=1, le=24 * 14)
    remind_hour: int = Field(9, ge=0, le=23)


class HookListener(BaseModel):
    """What both messengers' webhooks share: a public address without a path, the path, the
    listener behind the reverse proxy and a secret of the messenger's shape."""

    # Set by each messenger's settings below.
    SECRET_SHAPE: ClassVar[re.Pattern[str]]
    SECRET_RULE: ClassVar[str]
    PATH_SETTING: ClassVar[str]

    public_url: str = ""  # https://bot.example.org, without the path
    path: str
    listen_host: str = "127.0.0.1"
    secret: SecretStr | None = None  # required in webhook mode

    @classmethod
    def check_origin(cls, parts: SplitResult) -> None:
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise ValueError(f"expected https://host[:port] (the path goes to {cls.PATH_SETTING})")

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if not value:
            return value
        parts = urlsplit(value)
        cls.check_origin(parts)
        if parts.path or parts.query or parts.fragment:
            raise ValueError(f"give the address without a path; the path is {cls.PATH_SETTING}")
        return value

    @field_validator("path")
    @classmethod
    def _path(cls, value: str) -> str:
        return url_path(value)

    @field_validator("secret", mode="before")
    @classmethod
    def _empty_secret_is_none(cls, value: object) -> object:
        return blank_is_none(value)

    @field_validator("secret")
    @classmethod
    def _secret_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not cls.SECRET_SHAPE.fullmatch(value.get_secret_value()):
            raise ValueError(cls.SECRET_RULE)
        return value

    @property
    def url(self) -> str:
        return self.public_url + self.path


class WebhookSettings(HookListener):
    """BOT_MODE=webhook: Telegram posts updates to WEBHOOK__PUBLIC_URL + WEBHOOK__PATH, which a
    reverse proxy (TLS) forwards to WEBHOOK__LISTEN_HOST:WEBHOOK__LISTEN_PORT."""

    SECRET_SHAPE = WEBHOOK_SECRET_SHAPE
    SECRET_RULE = "1 to 256 characters, only A-Z, a-z, 0-9, _ and - (Telegram's rule)"
    PATH_SETTING = "WEBHOOK__PATH"

    path: str = "/telegram/webhook"
    listen_port: int = Field(8080, ge=0, le=65535)  # 0: any free port (tests)
    max_connections: int = Field(40, ge=1, le=100)
    drop_pending: bool = False


class MaxWebhookSettings(HookListener):
    """MESSENGER=max with BOT_MODE=webhook: MAX posts updates to MAX_WEBHOOK__PUBLIC_URL +
    MAX_WEBHOOK__PATH (HTTPS on port 443 only), which a reverse proxy forwards to
    MAX_WEBHOOK__LISTEN_HOST:MAX_WEBHOOK__LISTEN_PORT. Without a public URL the listener serves
    a subscription made by hand."""

    SECRET_SHAPE = MAX_SECRET_SHAPE
    SECRET_RULE = "5 to 256 characters, only A-Z, a-z, 0-9 and - (MAX's rule)"
    PATH_SETTING = "MAX_WEBHOOK__PATH"

    path: str = "/max/webhook"
    listen_port: int = Field(8081, ge=0, le=65535)  # 0: any free port (tests)

    @classmethod
    def check_origin(cls, parts: SplitResult) -> None:
        if parts.scheme != "https" or not parts.hostname:
            raise ValueError("MAX delivers webhooks only to https://host (port 443)")
        if (parts.port or 443) != 443:
            raise ValueError("MAX delivers webhooks only to port 443")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        env_nested_delimiter="__",
        extra="ignore",
    )

    # Which messenger this process serves; a Telegram and a MAX process may share one database.
    messenger: Literal["telegram", "max"] = "telegram"
    bot_token: SecretStr | None = None
    max_token: SecretStr | None = None
    max_api_url: str = MAX_API_URL
    admin_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    # Staff by their MAX user ids (as MAX shows them); kept in admin_ids as the bot's ids.
    max_admin_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    database_url: str = f"sqlite:///{DEFAULT_SQLITE_PATH}"
    redis_url: str | None = None
    timezone: str = "Asia/Tomsk"
    default_locale: str = "ru"
    bot_api_url: str = ""
    log_level: str = "INFO"
    # Log lines as text (default) or as JSON objects, one a line (for a log collector).
    log_format: Literal["text", "json"] = "text"
    # How updates arrive: long polling (default) or a webhook (WEBHOOK__* below).
    bot_mode: Literal["polling", "webhook"] = "polling"
    # /healthz and /metrics on a separate listener; 0 = off. In webhook mode the webhook
    # listener serves them too.
    metrics_host: str = "127.0.0.1"
    metrics_port: int = Field(0, ge=0, le=65535)
    webhook: WebhookSettings = Field(default_factory=WebhookSettings)
    max_webhook: MaxWebhookSettings = Field(default_factory=MaxWebhookSettings)
    booking: BookingSettings = Field(default_factory=BookingSettings)
    broadcast: BroadcastSettings = Field(default_factory=BroadcastSettings)
    retention: RetentionSettings = Field(default_factory=RetentionSettings)
    waitlist: WaitlistSettings = Field(default_factory=WaitlistSettings)
    # Aliased: a plain SHELL variable (/bin/bash) is in every environment.
    shell: ShellSettings = Field(default_factory=ShellSettings, validation_alias="shell_user")

    @field_validator("admin_ids", "max_admin_ids", mode="before")
    @classmethod
    def _split_admin_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
        if isinstance(value, int):
            return [value]
        return value

    @field_validator("bot_token", "max_token", "redis_url", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        if not TOKEN_SHAPE.fullmatch(value.get_secret_value()):
            raise ValueError("expected the form 123456789:AAE... as @BotFather gives it")
        return value

    @field_validator("max_token")
    @classmethod
    def _max_token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not re.fullmatch(r"[\x21-\x7e]{8,512}", value.get_secret_value()):
            raise ValueError("expected the token the MAX business platform gives (no spaces)")
        return value

    @field_validator("max_admin_ids")
    @classmethod
    def _max_ids(cls, value: list[int]) -> list[int]:
        if any(not 0 < number < 2**53 for number in value):
            raise ValueError("MAX user ids, as MAX shows them (positive numbers)")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}, e.g. Asia/Tomsk") from exc
        return value

    @field_validator("default_locale")
    @classmethod
    def _known_locale(cls, value: str) -> str:
        if value not in SUPPORTED_LOCALES:
            raise ValueError(f"must be one of {', '.join(SUPPORTED_LOCALES)}")
        return value

    @field_validator("database_url")
    @classmethod
    def _known_driver(cls, value: str) -> str:
        # sqlite:// is taken as sqlite+aiosqlite:// (db/engine.py).
        if not value.startswith(("sqlite://", "sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("use sqlite:///path or postgresql+asyncpg://user@host/db")
        return value

    @field_validator("bot_api_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if value and not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https:// (or be empty for Telegram's)")
        return value

    @field_validator("max_api_url")
    @classmethod
    def _max_url(cls, value: str) -> str:
        value = value.strip().rstrip("/") or MAX_API_URL
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"must start with https:// (MAX's is {MAX_API_URL})")
        return value

    @field_validator("log_level")
    @classmethod
    def _level(cls, value: str) -> str:
        value = value.upper()
        if value not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ValueError("one of DEBUG, INFO, WARNING, ERROR")
        return value

    @field_validator("bot_mode", "log_format", "messenger", mode="before")
    @classmethod
    def _mode_lower(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _max_admins(self) -> Settings:
        if not self.max_admin_ids:
            return self
        from services.messengers.ids import from_max  # `--help` loads no more than settings

        for number in self.max_admin_ids:
            if from_max(number) not in self.admin_ids:
                self.admin_ids.append(from_max(number))
        return self

    @model_validator(mode="after")
    def _webhook_complete(self) -> Settings:
        """Webhook mode needs an address and a secret; each problem is named by its key."""
        if self.bot_mode != "webhook":
            return self
        if self.messenger == "max":
            return self._max_webhook_complete()
        hook = self.webhook
        problems: list[tuple[tuple[str, ...], str]] = []
        if not hook.public_url:
            problems.append((("webhook", "public_url"), "required when BOT_MODE=webhook"))
        elif not self.bot_api_url:
            parts = urlsplit(hook.public_url)
            if parts.scheme != "https":
                problems.append(
                    (
                        ("webhook", "public_url"),
                        "Telegram delivers webhooks only over https:// "
                        "(http:// works with a self-hosted BOT_API_URL)",
                    )
                )
            elif (parts.port or 443) not in TELEGRAM_WEBHOOK_PORTS:
                problems.append(
                    (("webhook", "public_url"), "Telegram delivers only to ports 443, 80, 88, 8443")
                )
        if hook.secret is None:
            problems.append(
                (
                    ("webhook", "secret"),
                    "required when BOT_MODE=webhook: 1-256 characters A-Z, a-z, 0-9, _ and -",
                )
            )
        if self.metrics_port and self.metrics_port == hook.listen_port:
            problems.append(
                (
                    ("metrics_port",),
                    "the webhook listener already serves /healthz and /metrics: "
                    "use another port or 0",
                )
            )
        if problems:
            raise _problems(problems)
        return self

    def _max_webhook_complete(self) -> Settings:
        problems: list[tuple[tuple[str, ...], str]] = []
        if self.max_webhook.secret is None:
            problems.append(
                (
                    ("max_webhook", "secret"),
                    "required when MESSENGER=max and BOT_MODE=webhook: "
                    "5-256 characters A-Z, a-z, 0-9 and -",
                )
            )
        if self.metrics_port and self.metrics_port == self.max_webhook.listen_port:
            problems.append(
                (
                    ("metrics_port",),
                    "the MAX webhook listener already serves /healthz and /metrics: "
                    "use another port or 0",
                )
            )
        if problems:
            raise _problems(problems)
        return self

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def _problems(problems: list[tuple[tuple[str, ...], str]]) -> ValidationError:
    """A ValidationError in which each problem keeps its own key (WEBHOOK__SECRET)."""
    return ValidationError.from_exception_data(
        "Settings",
        [
            InitErrorDetails(
                type=PydanticCustomError("webhook_settings", message), loc=loc, input=None
            )
            for loc, message in problems
        ],
    )


class ConfigError(Exception):
    """Invalid configuration, with one readable line per bad key."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def load_settings(**overrides: object) -> Settings:
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        problems = []
        for error in exc.errors(include_input=False, include_url=False):
            key = (
                "".join(
                    f"[{part}]" if isinstance(part, int) else f"__{part}" for part in error["loc"]
                )
                .removeprefix("__")
                .upper()
            )
            message = error["msg"].removeprefix("Value error, ")
            problems.append(f"{key}: {message}")
        raise ConfigError(problems) from None
