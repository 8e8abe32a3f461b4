"""Both languages have the same keys and placeholders, and every key renders to valid HTML."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fluent.syntax import FluentParser, ast
from fluent.syntax.visitor import Visitor

from bot.config import SUPPORTED_LOCALES
from bot.telegram.html import parse_html
from bot.telegram.i18n import LOCALES_DIR, Html, Locales

PROJECT = LOCALES_DIR.parent


class _Variables(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def visit_VariableReference(self, node: ast.VariableReference) -> None:
        self.names.add(node.id.name)
        self.generic_visit(node)


def _messages(locale: str) -> dict[str, set[str]]:
    messages: dict[str, set[str]] = {}
    parser = FluentParser()
    for path in sorted((LOCALES_DIR / locale).glob("*.ftl")):
        resource = parser.parse(path.read_text(encoding="utf-8"))
        junk = [entry for entry in resource.body if isinstance(entry, ast.Junk)]
        assert not junk, f"{path}: syntax error near {junk[0].content[:60]!r}"
        for entry in resource.body:
            if isinstance(entry, ast.Message):
                assert entry.id.name not in messages, f"{locale}: duplicate {entry.id.name}"
                visitor = _Variables()
                visitor.visit(entry)
                messages[entry.id.name] = visitor.names
    return messages


def test_every_locale_has_the_same_keys_and_placeholders():
    reference = _messages("ru")
    assert reference
    for locale in SUPPORTED_LOCALES:
        messages = _messages(locale)
        assert messages.keys() == reference.keys(), (
            f"{locale}: missing {sorted(reference.keys() - messages.keys())}, "
            f"extra {sorted(messages.keys() - reference.keys())}"
        )
        for key, names in reference.items():
            assert messages[key] == names, f"{locale}/{key}: {messages[key]} != ru {names}"


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_every_key_renders_without_errors_and_parses_as_telegram_html(locale):
    locales = Locales()
    translator = locales.get(locale)
    for key, names in _messages(locale).items():
        for sample in (1, 3, 5, 21):
            args = {name: sample for name in names}
            text, errors = translator._bundle.format_pattern(
                translator._bundle.get_message(key).value, args
            )
            assert not errors, f"{locale}/{key}: {errors}"
            assert text.strip(), f"{locale}/{key} renders empty"
            parse_html(text)  # raises like Telegram on bad HTML


def test_user_text_is_escaped_but_html_marked_values_are_not():
    t = Locales().get("ru")
    assert "&lt;b&gt;" in t("locality-not-found", text="<b>")
    assert "<i>x</i>" in t("locality-not-found", text=Html("<i>x</i>"))


def test_every_key_used_in_code_exists():
    known = _messages("ru").keys()
    pattern = re.compile(r"""\bt\(\s*f?["']([a-z0-9-]+)["']""")
    used: set[str] = set()
    for folder in ("bot", "handlers", "services"):
        for path in (PROJECT / folder).rglob("*.py"):
            used |= set(pattern.findall(Path(path).read_text(encoding="utf-8")))
    assert used, "no translation keys found in code"
    assert used - known == set(), f"keys used in code but missing in locales: {used - known}"
