"""The bot's Telegram HTML cut to MAX's subset (`format: html`): MAX reads b/strong, i/em,
u/ins, s/del, code, pre, a href, blockquote and mark; <strike> becomes <s>, Telegram's own tags
(spoilers, custom emoji, <span>) give way to their text, tg:// mentions become max:// ones."""

from __future__ import annotations

import re

KEPT = frozenset(
    {"b", "strong", "i", "em", "u", "ins", "s", "del", "code", "pre", "a", "blockquote", "mark"}
)
RENAMED = {"strike": "s"}
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>")
_HREF = re.compile(r"""href\s*=\s*(["'])(.*?)\1""", re.DOTALL)
_TG_USER = re.compile(r"^tg://user\?id=(\d+)$")


def to_max_html(html: str) -> str:
    return _TAG.sub(_tag, html)


def _tag(match: re.Match[str]) -> str:
    closing, name, attributes = match.group(1), match.group(2).lower(), match.group(3)
    name = RENAMED.get(name, name)
    if name not in KEPT:
        return ""
    if closing:
        return f"</{name}>"
    if name == "a":
        href = _HREF.search(attributes)
        url = href.group(2) if href else ""
        user = _TG_USER.match(url)
        if user:
            url = f"max://user/{user.group(1)}"
        return f'<a href="{url}">'
    return f"<{name}>"  # attributes dropped: code's language, blockquote's `expandable`
