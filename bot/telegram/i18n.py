"""Fluent translations from `locales/<lang>/*.ftl`, HTML-safe by default.

Every message may name the messenger the person writes in with `{ $messenger }` («Telegram»,
«MAX»): a translator is one language in one messenger (`Locales.get(locale, messenger)`)."""

from __future__ import annotations

import html
import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from fluent.runtime import FluentBundle, FluentResource

from bot.config import PROJECT_ROOT, SUPPORTED_LOCALES

LOCALES_DIR = PROJECT_ROOT / "locales"
T = TypeVar("T")
log = logging.getLogger(__name__)


class Html(str):
    """A string that is already safe HTML: passed into a message unescaped."""

    __slots__ = ()


MESSENGER_NAMES = {"telegram": "Telegram", "max": "MAX"}


class Translator:
    """Formats messages of one locale; string arguments are HTML-escaped unless `Html`."""

    def __init__(self, locale: str, bundle: FluentBundle, messenger: str = "telegram") -> None:
        self.locale = locale
        self.messenger = messenger
        self._messenger_name = MESSENGER_NAMES[messenger]
        self._bundle = bundle
        self._cache: dict[str, str] = {}
        self._memo: dict[str, Any] = {}

    def __call__(self, key: str, /, **kwargs: object) -> str:
        if not kwargs:
            cached = self._cache.get(key)
            if cached is not None:
                return cached
        if not self._bundle.has_message(key):
            log.error("missing translation %s for locale %s", key, self.locale)
            return key
        args = {"messenger": self._messenger_name}
        args.update((name, _safe(value)) for name, value in kwargs.items())
        text, errors = self._bundle.format_pattern(self._bundle.get_message(key).value, args)
        if errors:
            log.error("translation %s/%s: %s", self.locale, key, errors)
        if not kwargs:
            self._cache[key] = text
        return text

    def memo(self, name: str, build: Callable[[], T]) -> T:
        """Something built from this language's texts once (e.g. a keyboard), then reused."""
        if name not in self._memo:
            self._memo[name] = build()
        return self._memo[name]

    def has(self, key: str) -> bool:
        return self._bundle.has_message(key)


def _safe(value: object) -> object:
    if isinstance(value, Html):
        return str(value)
    if isinstance(value, str):
        return html.escape(value, quote=False)
    return value


class Locales:
    """All translators, loaded once at start."""

    def __init__(self, default: str = "ru", directory: Path = LOCALES_DIR) -> None:
        self.default = default
        self.directory = directory
        bundles = {locale: _load_bundle(directory / locale, locale) for locale in SUPPORTED_LOCALES}
        self._translators = {
            locale: Translator(locale, bundle) for locale, bundle in bundles.items()
        }
        self._by_messenger = {
            messenger: {
                locale: Translator(locale, bundle, messenger) for locale, bundle in bundles.items()
            }
            for messenger in MESSENGER_NAMES
            if messenger != "telegram"
        }
        self._by_messenger["telegram"] = self._translators

    @property
    def available(self) -> tuple[str, ...]:
        return tuple(self._translators)

    def get(self, locale: str | None, messenger: str = "telegram") -> Translator:
        translators = self._by_messenger[messenger]
        return translators.get(locale or "", translators[self.default])

    def pick(self, language_code: str | None) -> str:
        """The locale for a Telegram `language_code` such as 'en-US'."""
        base = (language_code or "").split("-")[0].lower()
        return base if base in self._translators else self.default

    def all(self, key: str, /, **kwargs: object) -> Iterable[str]:
        return (translator(key, **kwargs) for translator in self._translators.values())


def _load_bundle(directory: Path, locale: str) -> FluentBundle:
    bundle = FluentBundle([locale], use_isolating=False)
    for path in sorted(directory.glob("*.ftl")):
        bundle.add_resource(FluentResource(path.read_text(encoding="utf-8")))
    return bundle
