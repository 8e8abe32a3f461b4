# The bot in a container: python -m bot run (long polling).
#   docker build -t edu-navigator-bot .
#   docker run -d --name bot --env-file .env -v bot-state:/var/lib/bot edu-navigator-bot
# With PostgreSQL and Redis: docker compose up -d (docker-compose.yml, docs/deploy.ru.md).
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
# volume over it would keep the first version forever.
ENV DATABASE_URL=sqlite:////var/lib/bot/bot.sqlite3
VOLUME ["/var/lib/bot"]

USER bot

# No HEALTHCHECK: `python -m bot check` calls getMe, too heavy to run every few seconds;
# an HTTP /healthz comes with the webhook mode.
# docker stop sends SIGTERM: the bot stops polling, closes its connections and exits.
CMD ["python", "-m", "bot", "run"]
