"""`python -m bot.healthcheck`: asks the running bot's /healthz, for Docker's HEALTHCHECK.

Where it asks follows the same settings as the bot: the webhook listener in webhook mode,
else METRICS_HOST:METRICS_PORT. Exit 0 when /healthz answers 200, 1 when it answers anything
else or nothing. A bot in polling mode with METRICS_PORT=0 serves no HTTP at all: then there
is nothing to ask, and the check passes (exit 0) saying so. Light on purpose: it imports no
aiogram and opens no database, so running it every half minute costs little.
"""

from __future__ import annotations

import sys
import urllib.error
import urllib.request

from bot.config import ConfigError, Settings, load_settings

TIMEOUT_SECONDS = 5.0
EXIT_OK = 0
EXIT_UNHEALTHY = 1


def health_url(settings: Settings) -> str | None:
    """The /healthz this process's settings point at, or None when the bot serves no HTTP."""
    if settings.bot_mode == "webhook":
        host, port = settings.webhook.listen_host, settings.webhook.listen_port
    elif settings.metrics_port:
        host, port = settings.metrics_host, settings.metrics_port
    else:
        return None
    if host in {"0.0.0.0", "::", ""}:  # listening everywhere: ask over loopback
        host = "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}/healthz"


def check(settings: Settings, timeout: float = TIMEOUT_SECONDS) -> tuple[int, str]:
    url = health_url(settings)
    if url is None:
        return EXIT_OK, "no /healthz to ask: polling mode with METRICS_PORT=0"
    try:
        # No proxy: the bot is on this host, whatever http_proxy the environment names.
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(url, timeout=timeout) as answer:
            return EXIT_OK, f"{url}: {answer.status}"
    except urllib.error.HTTPError as exc:
        body = exc.read(500).decode("utf-8", "replace")
        return EXIT_UNHEALTHY, f"{url}: {exc.code} {body}"
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        return EXIT_UNHEALTHY, f"{url}: no answer ({reason})"


def main() -> int:
    try:
        settings = load_settings()
    except ConfigError as exc:
        print("settings are invalid:", *exc.problems, sep="\n  ", file=sys.stderr)
        return EXIT_UNHEALTHY
    code, line = check(settings)
    print(line, file=sys.stderr if code else sys.stdout)
    return code


if __name__ == "__main__":
    sys.exit(main())
