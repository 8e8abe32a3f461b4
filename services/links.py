"""Links that staff give (enrolment pages, websites, event pages, broadcast buttons): only what
Telegram accepts as a button's URL and a browser opens as a public web page. An http(s) URL of a
real host name (labels of letters, digits and hyphens, a dot, a top-level domain of letters),
no user name or password in it, no spaces, quotes, angle brackets, backslashes or control and
formatting characters (no way out of an HTML attribute, no text turned around), valid
percent-escapes, at most MAX_LENGTH characters.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

MAX_LENGTH = 2048
SCHEMES = frozenset({"http", "https"})
_FORBIDDEN = frozenset("\"'<>\\`{}|^")
_LABEL = re.compile(r"[^\W_](?:[\w-]{0,61}[^\W_])?")
_TOP_LEVEL = re.compile(r"[^\W\d_]{2,63}|xn--[a-z0-9-]{1,59}")
_PERCENT = re.compile(r"%(?![0-9a-fA-F]{2})")


def is_button_url(text: str) -> bool:
    if not text or len(text) > MAX_LENGTH or _PERCENT.search(text):
        return False
    for char in text:
        if char in _FORBIDDEN or unicodedata.category(char)[0] in "CZ":
            return False  # C: control, format (U+202E…), unassigned; Z: any space
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        return False
    if parts.scheme.lower() not in SCHEMES or "@" in parts.netloc or not parts.hostname:
        return False
    if not text.lower().startswith(f"{parts.scheme.lower()}://"):
        return False
    return _is_host_name(parts.hostname)


def _is_host_name(host: str) -> bool:
    host = host.removesuffix(".")
    labels = host.split(".")
    if len(host) > 253 or len(labels) < 2 or host == "localhost":
        return False
    if not all(_LABEL.fullmatch(label) for label in labels):
        return False
    return bool(_TOP_LEVEL.fullmatch(labels[-1])) and labels[-1] != "localhost"
