## Operator commands: python -m bot check / backup (printed in the terminal)

ops-cli-check-help = check the settings, database, migrations, Redis and the token
ops-cli-backup-help = back up the SQLite database
ops-cli-backup-folder = folder for the copy (default: data/backups beside the database)

ops-check-settings = Settings
ops-check-database = Database
ops-check-migrations = Migrations
ops-check-redis = Redis
ops-check-telegram = Telegram

ops-no-answer = no answer within { $seconds } s
ops-settings-ok = read (.env and environment variables); database: { $database }

ops-db-ok = answers
ops-db-no-file = the file { $path } does not exist; python -m bot migrate creates it
ops-db-failed = does not answer: { $error }

ops-migrations-ok = the schema is at the latest revision ({ $head })
ops-migrations-none = no migrations applied (the latest revision is { $head }): run python -m bot migrate
ops-migrations-behind = the schema is at revision { $current }, the latest is { $head }: run python -m bot migrate
ops-migrations-unknown = the schema is at revision { $current }, which this version of the bot does not know (its latest is { $head }): is the code older than the database?
ops-migrations-skipped = not checked: the database is unreachable
ops-migrations-failed = could not read the schema revision: { $error }

ops-redis-off = not used (REDIS_URL is empty): conversation state is kept in the database
ops-redis-ok = { $target } answers PING
ops-redis-failed = { $target } does not answer: { $error }

ops-telegram-server = api.telegram.org
ops-telegram-ok = token accepted, bot @{ $username } (id { $id })
ops-telegram-no-token = BOT_TOKEN is not set: get a token from @BotFather (the /newbot command) and put it into .env
ops-telegram-rejected = token rejected: { $server } answered 401 Unauthorized. Check BOT_TOKEN in .env or get a new one from @BotFather
ops-telegram-unreachable = Telegram unreachable ({ $server }): { $error }
ops-telegram-error = { $server } answered getMe with an error: { $error }

ops-backup-done = Backup written: { $path } ({ $kilobytes } KB)
ops-backup-failed = No backup made: { $error }
ops-backup-no-file = No backup made: the database file { $path } does not exist.
ops-backup-not-a-file = No backup made: the SQLite database is not a file (DATABASE_URL).
ops-backup-corrupt = No backup made: the copy of { $path } failed the integrity check ({ $error }).
ops-backup-postgres = The database is PostgreSQL: back it up with pg_dump, e.g. { $command } (the password from PGPASSWORD or ~/.pgpass). Restore with pg_restore.
