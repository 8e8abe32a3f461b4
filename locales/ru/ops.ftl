## Operator commands: python -m bot check / backup (printed in the terminal)

ops-cli-check-help = проверить настройки, базу, миграции, Redis и токен
ops-cli-backup-help = сделать резервную копию базы SQLite
ops-cli-backup-folder = папка для копии (по умолчанию data/backups рядом с базой)

ops-check-settings = Настройки
ops-check-database = База данных
ops-check-migrations = Миграции
ops-check-redis = Redis
ops-check-telegram = Telegram

ops-no-answer = нет ответа за { $seconds } с
ops-settings-ok = прочитаны (.env и переменные окружения); база — { $database }

ops-db-ok = отвечает
ops-db-no-file = файла { $path } нет — его создаст команда python -m bot migrate
ops-db-failed = не отвечает: { $error }

ops-migrations-ok = схема на последней версии ({ $head })
ops-migrations-none = миграции не применялись (последняя версия — { $head }): выполните python -m bot migrate
ops-migrations-behind = схема на версии { $current }, последняя — { $head }: выполните python -m bot migrate
ops-migrations-unknown = схема на версии { $current }, которой нет в этой версии бота (последняя здесь — { $head }): код старее базы?
ops-migrations-skipped = не проверены: база недоступна
ops-migrations-failed = не удалось прочитать версию схемы: { $error }

ops-redis-off = не используется (REDIS_URL пуст): состояние диалогов хранится в базе
ops-redis-ok = { $target } отвечает на PING
ops-redis-failed = { $target } не отвечает: { $error }

ops-telegram-server = api.telegram.org
ops-telegram-ok = токен принят, бот @{ $username } (id { $id })
ops-telegram-no-token = BOT_TOKEN не задан — получите токен у @BotFather (команда /newbot) и впишите его в .env
ops-telegram-rejected = токен отклонён: { $server } ответил 401 Unauthorized. Проверьте BOT_TOKEN в .env или получите новый у @BotFather
ops-telegram-unreachable = Telegram недоступен ({ $server }): { $error }
ops-telegram-error = { $server } ответил на getMe ошибкой: { $error }

ops-backup-done = Резервная копия готова: { $path } ({ $kilobytes } КБ)
ops-backup-failed = Резервная копия не сделана: { $error }
ops-backup-no-file = Резервная копия не сделана: файла базы { $path } нет.
ops-backup-not-a-file = Резервная копия не сделана: база SQLite не в файле (DATABASE_URL).
ops-backup-corrupt = Резервная копия не сделана: копия базы { $path } не прошла проверку целостности ({ $error }).
ops-backup-postgres = База — PostgreSQL: её копию делает pg_dump, например { $command } (пароль — из PGPASSWORD или ~/.pgpass). Восстановление — pg_restore.
