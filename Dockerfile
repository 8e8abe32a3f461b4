# The bot in a container: python -m bot run (long polling, or a webhook with BOT_MODE=webhook).
#   docker build -t edu-navigator-bot .
#   docker run -d --name bot --env-file .env -v bot-state:/var/lib/bot edu-navigator-bot
# With PostgreSQL and Redis: docker compose up -d (docker-compose.yml; README, «Развёртывание»).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# A dedicated user without a login shell, and the folder for what the bot writes.
RUN groupadd --system --gid 10001 bot \
    && useradd --system --uid 10001 --gid bot --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin bot \
    && install -d -o bot -g bot -m 0750 /var/lib/bot

WORKDIR /app

# Dependencies first: this layer is rebuilt only when pyproject.toml changes. The project
# declares no packages, so this installs the dependencies; the code runs from /app.
COPY pyproject.toml README.md ./
RUN pip install --no-cache-dir .

COPY bot ./bot
COPY db ./db
COPY handlers ./handlers
COPY services ./services
COPY locales ./locales
COPY data ./data

# The embedded SQLite database (unless DATABASE_URL says otherwise) and its backups go to the
# volume /var/lib/bot, not to /app/data: that folder holds shipped files (demo catalogue, FAQ,
# synonyms, import template) which must come fresh from the image on every update, and a
# volume over it would keep the first version forever. matplotlib (the yearly plan chart)
# keeps its font cache there too: the user has no home folder to write one to.
ENV DATABASE_URL=sqlite:////var/lib/bot/bot.sqlite3 \
    MPLCONFIGDIR=/var/lib/bot/.matplotlib
VOLUME ["/var/lib/bot"]

USER bot

# Listen on every interface of the container (the port is published to the host's loopback
# in docker-compose.yml); outside a container the default 127.0.0.1 is right.
ENV WEBHOOK__LISTEN_HOST=0.0.0.0 \
    METRICS_HOST=0.0.0.0

# /healthz of the webhook listener (BOT_MODE=webhook) or of METRICS_PORT: database and clock.
# In polling mode with METRICS_PORT=0 there is no /healthz and the check always passes.
# (Not `python -m bot check`: it calls Telegram, too heavy to run every half minute.)
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["python", "-m", "bot.healthcheck"]

# docker stop sends SIGTERM: the bot stops taking updates, finishes the ones in flight,
# closes its connections and exits 0.
CMD ["python", "-m", "bot", "run"]
