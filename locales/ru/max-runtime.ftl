## The bot in MAX: the command line (run, check)

cli-no-max-token =
    Не задан MAX_TOKEN — бот не может подключиться к MAX (MESSENGER=max).
    Токен выдаёт платформа MAX для бизнеса (business.max.ru) только проверенным организациям:
    пройдите верификацию организации, создайте бота в разделе «Чат-боты», дождитесь его
    модерации и скопируйте токен на вкладке «Интеграция». Впишите его в .env строкой
    MAX_TOKEN=... и снова выполните make run. Для Telegram уберите MESSENGER=max.

ops-check-max = MAX
ops-max-ok = токен принят, бот { $name } (id { $id }) на { $server }
ops-max-no-token = MAX_TOKEN не задан — токен выдаёт платформа MAX для бизнеса проверенной организации после модерации бота
ops-max-rejected = токен отклонён: { $server } ответил 401. Проверьте MAX_TOKEN в .env (вкладка «Интеграция» бота на платформе MAX)
ops-max-unreachable = MAX недоступен ({ $server }): { $error }
ops-max-error = { $server } ответил на GET /me ошибкой: { $error }
