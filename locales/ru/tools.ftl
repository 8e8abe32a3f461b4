## Terminal shell: background jobs and files (bot/cli/shell.py)

tools-shell-arg-files = папка для файлов, которые присылает бот (по умолчанию — bot-shell-files-ID во временной папке системы)
tools-shell-files-folder = Файлы от бота (.ics, .xlsx, PNG) сохраняются в папку { $folder }
tools-shell-file-saved = 💾 сохранён: { $path }
tools-shell-file-not-saved = (файл отправлен повторно по file_id — не сохранён)
tools-shell-file-needed = Нужен путь к файлу, например :file каталог.xlsx
tools-shell-file-missing = Файла { $path } нет.
tools-shell-bad-wait = Нужно число секунд от 0 до { $most }, например :wait 3
tools-shell-background = ⏰ бот отправил сам (фоновые задачи):

## Command line: python -m bot … (bot/cli/parsers.py, bot/cli/main.py)

tools-cli-description =
    Навигатор по дополнительному образованию: бот и его служебные команды.
    Настройки берутся из файла .env и переменных окружения.
tools-cli-epilog =
    Подробно о команде: python -m bot КОМАНДА --help
    Примеры:
      python -m bot run                              запустить бота
      python -m bot shell                            поговорить с ботом в терминале
      python -m bot import catalog каталог.xlsx --dry-run
      python -m bot export bookings --from 2026-09-01 --to 2026-12-31 записи.xlsx
      python -m bot report plan --chart план.png
tools-cli-commands-title = команды
tools-cli-command-metavar = КОМАНДА
tools-cli-run-help = запустить бота (long polling; при BOT_MODE=webhook — вебхук) вместе с фоновыми задачами: напоминаниями, рассылками, уведомлениями
tools-cli-migrate-help = обновить схему базы данных до последней версии и загрузить демо-данные, если база пуста
tools-cli-import-help = загрузить каталог (catalog ФАЙЛ, .xlsx или .csv) или настройку консультаций (consultations ФАЙЛ, .xlsx); с --dry-run только проверить файл
tools-cli-chart-arg = сохранить диаграммы в PNG: план по организациям и услугам — в ФАЙЛ, помесячную (проведено, не пришли, отменено) — рядом, с окончанием -months
tools-cli-date-metavar = ГГГГ-ММ-ДД
tools-cli-year-metavar = ГОД
tools-cli-file-metavar = ФАЙЛ
tools-cli-folder-metavar = ПАПКА
tools-cli-code-metavar = КОД
tools-cli-bad-date = «{ $value }» — не дата; нужна дата вида ГГГГ-ММ-ДД, например 2026-09-01
tools-cli-bad-year = «{ $value }» — не год; нужен год от 2000 до 2100
tools-cli-file-missing = Файла «{ $file }» нет. Проверьте путь и имя файла.
tools-cli-not-a-file = «{ $file }» — не файл (папка?). Укажите путь к файлу .xlsx или .csv.
tools-cli-folder-missing = Папки «{ $folder }» нет — некуда сохранить «{ $file }». Создайте папку или укажите другой путь.

## argparse's own words

tools-argparse-usage = использование:{" "}
tools-argparse-positional = аргументы
tools-argparse-options = параметры
tools-argparse-help = показать эту справку и выйти
tools-argparse-error = { $prog }: ошибка: { $message }
tools-argparse-required = не хватает аргументов: { $names }
tools-argparse-invalid-choice = недопустимое значение { $value } (можно: { $choices })
tools-argparse-invalid-value = недопустимое значение { $value }
tools-argparse-unrecognized = непонятные аргументы: { $args }
tools-argparse-one-argument = нужно одно значение
tools-argparse-argument = аргумент { $name }: { $message }
tools-cli-export-help = выгрузить каталог (catalog ФАЙЛ, .xlsx или .csv), настройку консультаций (consultations ФАЙЛ, .xlsx) или записи на консультации за период (bookings --from ГГГГ-ММ-ДД --to ГГГГ-ММ-ДД ФАЙЛ)
tools-cli-what-metavar = ЧТО

## The plan report's charts (handlers/booking/plan_chart.py)

tools-chart-title = Консультации за { $year } год на { $day }: { $done } из { $plan } ({ $percent } %)
tools-chart-title-no-plan = Консультации за { $year } год на { $day }: { $done }
tools-chart-months-title = Консультации за { $year } год по месяцам (на { $day })
tools-chart-month-names = янв фев мар апр май июн июл авг сен окт ноя дек
tools-chart-legend-missed = Не пришли
tools-chart-legend-cancelled = Отменено
tools-plan-months-caption = 📊 Консультации за { $year } год по месяцам: состоялось, не пришли, отменено.
tools-cli-months-saved = Помесячная диаграмма сохранена в «{ $file }».

## Import templates: example rows (services/example_ids.py)

import-problem-example-id = «{ $value }» — строка-образец из шаблона: замените её своими данными со своим ИД или удалите
