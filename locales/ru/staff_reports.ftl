## Staff reports (/reports, admins): bookings by day, bookings export, the yearly plan report

srep-admin-only = Этот раздел — только для администраторов.
srep-menu =
    📈 <b>Отчёты по консультациям</b>

    📅 <b>Записи по дням</b> — все специалисты, с контактами родителей.
    📤 <b>Выгрузка записей</b> — файл Excel и/или CSV за период.
    📊 <b>План на год</b> — сколько консультаций состоялось против годового плана, по организациям и темам, с диаграммой.
srep-btn-day = 📅 Записи по дням
srep-btn-export = 📤 Выгрузка записей
srep-btn-plan = 📊 План на год

## Export
srep-export-ask-period = 📤 <b>Выгрузка записей.</b> За какой период?
srep-btn-period-month = Этот месяц
srep-btn-period-last-month = Прошлый месяц
srep-btn-period-year = Этот год
srep-btn-period-custom = ✍️ Другой период
srep-export-type-period =
    Напишите период двумя датами, например: <code>01.09.2026–31.12.2026</code>.
    Одна дата — один день. Выйти — /cancel.
srep-period-bad-shape = Не понял период «{ $text }». Напишите две даты через тире, например: <code>01.09.2026–31.12.2026</code>.
srep-period-bad-date = Такой даты нет: «{ $text }». Проверьте число и месяц, например: <code>01.09.2026–31.12.2026</code>.
srep-period-bad-order = Конец периода раньше начала. Напишите сначала первую дату, потом последнюю.
srep-period-bad-long = Слишком длинный период: не больше { $days } дней за одну выгрузку. Разбейте его на части.
srep-export-ask-kind = 📤 Период: <b>{ $period }</b>. В каком формате прислать?
srep-btn-kind-xlsx = Excel (XLSX)
srep-btn-kind-csv = CSV
srep-btn-kind-both = Оба файла
srep-export-preparing = Готовлю файл…
srep-export-empty = За период { $period } записей нет — файл не отправлен.
srep-export-progress = ⏳ Готовлю выгрузку за { $period }: { $done } из { $total } записей…
srep-export-finished = ✅ Выгрузка за { $period } готова: записей — { $rows }.
srep-export-caption = Записи на консультации за { $period }: { $rows }. Здесь персональные данные родителей — не пересылайте файл посторонним.
srep-export-too-big = Файл получился больше { $limit } МБ — { $messenger } такой не примет. Выберите период короче или выгрузите записи на сервере: <code>python -m bot export bookings</code>.

## Yearly plan report
srep-plan-title = 📊 <b>Консультации за { $year } год</b> (на { $day })
srep-plan-total = Состоялось: <b>{ $done }</b> из { $plan } по плану — { $percent } %.
srep-plan-total-no-plan = Состоялось: <b>{ $done }</b>. Годовой план не задан (BOOKING__YEARLY_PLAN).
srep-plan-pace-behind = По графику к сегодняшнему дню должно быть { $expected } — отстаём на { $gap }.
srep-plan-pace-ahead = По графику к сегодняшнему дню должно быть { $expected } — опережаем на { $gap }.
srep-plan-pace-on = По графику к сегодняшнему дню должно быть { $expected } — идём точно по графику.
srep-plan-others = Кроме того: { $others }.
srep-plan-upcoming = впереди { $count }
srep-plan-unmarked = не отмечено { $count }
srep-plan-missed = не пришли { $count }
srep-plan-cancelled = отменено { $count }
srep-plan-by-provider = <b>По организациям</b>
srep-plan-by-service = <b>По темам</b>
srep-plan-none = — пока нет
srep-plan-line = • { $name } — { $held }{ $others }
srep-plan-line-planned = <b>{ $done }</b> из { $plan } ({ $percent } %)
srep-plan-line-done = <b>{ $done }</b>
srep-plan-caption = 📊 Консультации за { $year } год: состоялось и план.
srep-plan-chart-failed = Диаграмму построить не удалось — таблица выше.
srep-btn-plan-year = { $year }

## The chart (plain text: no HTML here)
srep-chart-total = Всего
srep-chart-all = Все организации
srep-chart-by-provider = По организациям
srep-chart-by-service = По темам
srep-chart-other-providers = Остальные ({ $count })
srep-chart-other-services = Остальные ({ $count })
srep-chart-legend-done = Состоялось
srep-chart-legend-plan = План
srep-chart-legend-pace = По графику на сегодня

## Command line: python -m bot export bookings / report plan
srep-cli-export-what = что выгружать: catalog, consultations или bookings
srep-cli-from-arg = первый день периода, ГГГГ-ММ-ДД (для bookings и demand)
srep-cli-to-arg = последний день периода, ГГГГ-ММ-ДД (для bookings и demand)
srep-cli-period-needed = Для выгрузки записей укажите период: --from ГГГГ-ММ-ДД --to ГГГГ-ММ-ДД.
srep-cli-file-type = Файл «{ $file }»: нужен .xlsx или .csv.
srep-cli-export-done = Записи за { $period } сохранены в «{ $file }»: { $rows }.
srep-cli-report-help = отчёты: plan — консультации за год против плана; demand — что ищут семьи и не находят (XLSX и PNG)
srep-cli-report-what = какой отчёт (plan или demand)
srep-cli-year-arg = год (по умолчанию — текущий)
srep-cli-chart-arg = сохранить диаграмму в PNG-файл
srep-cli-chart-saved = Диаграмма сохранена в «{ $file }».
srep-cli-failed = Не удалось записать «{ $file }»: { $error }
