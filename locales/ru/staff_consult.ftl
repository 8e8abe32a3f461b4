## Consultation set-up by staff: files (services/consult_import.py, handlers/staff_consult_files.py)
## and the chat menu /consult_admin (handlers/staff_consult.py)

# Problems of a cell, a header, a sheet or the whole file (generic ones are import-problem-*).
cimp-problem-time = «{ $value }» — нужно время ЧЧ:ММ, например 09:00
cimp-problem-date = «{ $value }» — нужна дата ДД.ММ.ГГГГ, например 31.12.2026
cimp-problem-end-before-start = конец приёма должен быть позже начала
cimp-problem-slot-too-long = консультация длиннее всего окна приёма ({ $minutes } мин)
cimp-problem-break-pair = укажите и начало, и конец перерыва — или оставьте оба пустыми
cimp-problem-break-outside = перерыв должен быть внутри окна приёма и кончаться позже, чем начинается
cimp-problem-overlap = окно пересекается с окном того же специалиста в тот же день (строка { $other })
cimp-problem-one-target = заполните что-то одно: «ИД специалиста» или «ИД организации»
cimp-problem-days-order = последний день раньше первого
cimp-problem-days-too-many = не больше { $max } дней в одной строке
cimp-problem-duplicate = «{ $value }» уже есть в строке { $other }
cimp-problem-no-provider = организации «{ $value }» нет ни в файле, ни в боте
cimp-problem-no-service = услуги «{ $value }» нет ни в файле, ни в боте
cimp-problem-no-specialist = специалиста «{ $value }» нет ни в файле, ни в боте
cimp-problem-nobody = в организации «{ $value }» нет ни одного специалиста
cimp-problem-sheet-twice = этот лист встречается в файле дважды
cimp-problem-too-many-rows = больше { $max } строк на листе
cimp-problem-no-sheets = в файле нет ни одного листа настройки консультаций: «Услуги», «Организации», «Специалисты», «Расписание», «Исключения» (шаблон — /consult_import)

# The report.
cimp-report-done = ✅ <b>Настройка консультаций обновлена</b> из файла «{ $file }».
cimp-report-checked = ✅ Файл «{ $file }» проверен: ошибок нет. Это была только проверка — ничего не изменено.
cimp-report-failed = ❌ <b>Ничего не изменено.</b> В файле «{ $file }» найдено проблем: { $count }. Исправьте их и загрузите файл снова.
cimp-report-problem = • лист «{ $sheet }», строка { $row }, «{ $column }»: { $reason }
cimp-report-problem-sheet = • лист «{ $sheet }»: { $reason }
cimp-report-problem-file = • { $reason }
cimp-report-more = …и ещё { $count }.
cimp-report-rows = Строк с данными: { $rows }.
cimp-report-would = Если загрузить этот файл:
cimp-report-services = Услуги: добавлено { $added }, изменено { $changed }, без изменений { $unchanged }.
cimp-report-providers = Организации: добавлено { $added }, изменено { $changed }, без изменений { $unchanged }.
cimp-report-specialists = Специалисты: добавлено { $added }, изменено { $changed }, без изменений { $unchanged }.
cimp-report-templates = Расписание (специалистов): добавлено { $added }, изменено { $changed }, без изменений { $unchanged }.
cimp-report-exceptions = Исключения: добавлено { $added }, изменено { $changed }, без изменений { $unchanged }.
cimp-report-slots = Новых слотов для записи: { $count }.
cimp-report-cancelled = Отменено записей на закрытые дни: { $count }. Каждый родитель получит сообщение на своём языке.
cimp-report-keep-note = Загрузка только добавляет и обновляет: то, чего нет в файле, остаётся как было. Чтобы убрать услугу, организацию или специалиста из записи, напишите «да» в столбце «Скрыта» / «Скрыт». Расписание специалиста из файла заменяет прежнее; уже сделанные записи сохраняются.

# Chat.
cimp-progress-read = ⏳ Проверяю листы настройки консультаций…
cimp-progress-write = ⏳ Ошибок нет, записываю…
cimp-progress-finished = Файл обработан — отчёт ниже.
cimp-help =
    <b>Настройка консультаций файлом</b>

    Пришлите сюда книгу Excel (.xlsx) с листами «Услуги», «Организации», «Специалисты», «Расписание», «Исключения» — все или только нужные; столбцы как в шаблоне ниже (лист «Пояснения» объясняет каждый). Можно и отдельные файлы .csv — по одному на лист, с теми же заголовками.

    Я проверю каждую строку. Если найдётся хоть одна ошибка, ничего не изменится, а я перечислю листы, строки и причины. Иначе добавлю новое и обновлю изменённое (по ИД); повторная загрузка того же файла ничего не меняет. Новые дни в «Исключениях» закрывают запись, а записи на эти дни отменяются — родителям придёт сообщение.

    Только проверить файл — подпись «проверка». Выгрузить текущую настройку: /consult_export
cimp-template-caption = Шаблон настройки консультаций: листы, заголовки и строки-примеры.
cimp-export-caption = Настройка консультаций: услуг — { $services }, организаций — { $providers }, специалистов — { $specialists } (вместе со скрытыми). Этот файл можно исправить и загрузить обратно.

# Command line.
cimp-cli-what-arg = что загружать или выгружать: catalog (каталог) или consultations (настройка консультаций)
cimp-cli-export-done = Настройка консультаций выгружена в { $file }: услуг — { $services }, организаций — { $providers }, специалистов — { $specialists }.
cimp-cli-xlsx-only = настройка консультаций выгружается только в .xlsx
cimp-cli-phase-read = Проверка файла…
cimp-cli-phase-write = Запись…

# /consult_admin
scadm-staff-only = Это — для сотрудников управления образования.
scadm-menu =
    <b>Консультации: настройка</b>
    Услуги, специалисты и организации — посмотреть, скрыть или снова показать. «Закрыть дни» — отпуск, больничный, праздник: запись на эти дни закроется, записанным родителям придёт сообщение.
    Файлом: /consult_import (шаблон), /consult_export (текущая настройка).
scadm-btn-services = 🗂 Услуги
scadm-btn-specialists = 👩‍🏫 Специалисты
scadm-btn-providers = 🏢 Организации
scadm-btn-close = 🚫 Закрыть дни
scadm-btn-menu = ⬅️ Меню настройки
scadm-btn-back = ◀️ Назад
scadm-btn-prev = ◀️ Раньше
scadm-btn-next = Дальше ▶️
scadm-btn-hide = 🙈 Скрыть
scadm-btn-show = 👁 Показать
scadm-btn-close-days = 🚫 Закрыть дни
scadm-btn-whole = Вся организация ({ $count } спец.)
scadm-btn-no-reason = Без причины
scadm-btn-confirm = ✅ Закрыть
scadm-btn-cancel = ✖️ Отмена
scadm-empty = Пока пусто. Загрузите настройку файлом: /consult_import
scadm-none = —
scadm-services-header = <b>Услуги</b> ({ $count }):
scadm-service-line = { $n }. { $name } — специалистов: { $staff }
scadm-service-line-hidden = { $n }. 🙈 { $name } — специалистов: { $staff } (скрыта)
scadm-service-card =
    <b>{ $name }</b>
    По-английски: { $name_en }
    ИД: <code>{ $ref }</code>
    Специалистов: { $staff }
    { $status }
scadm-specialists-header = <b>Специалисты</b> ({ $count }), страница { $page } из { $pages }:
scadm-specialist-line = { $n }. { $name } — { $provider }
scadm-specialist-line-hidden = { $n }. 🙈 { $name } — { $provider } (скрыт)
scadm-specialist-card =
    <b>{ $name }</b>
    { $position }
    { $provider }
    ИД: <code>{ $ref }</code>
    { $status }
scadm-providers-header = <b>Организации</b> ({ $count }), страница { $page } из { $pages }:
scadm-provider-line = { $n }. { $name } — специалистов: { $staff }
scadm-provider-line-hidden = { $n }. 🙈 { $name } — специалистов: { $staff } (скрыта)
scadm-provider-card =
    <b>{ $name }</b>
    ИД: <code>{ $ref }</code>
    Специалистов: { $staff }
    { $status }
scadm-status-shown = 👁 Доступно для записи.
scadm-status-hidden = 🙈 Скрыто: новые записи не принимаются, сделанные остаются.
scadm-hidden-toast = Скрыто
scadm-shown-toast = Снова доступно для записи
scadm-gone-toast = Этого уже нет — откройте список заново.
scadm-close-providers = Чьи дни закрыть? Выберите организацию:
scadm-close-provider = <b>{ $name }</b>: закрыть дни всей организации или одного специалиста?
scadm-target-specialist = специалиста «{ $name }»
scadm-target-provider = всей организации «{ $name }»
scadm-ask-days = Какие дни закрыть для { $target }? Напишите дату или период, например: { $example } или { $example }–{ $example }
scadm-days-range = с { $first } по { $last }
scadm-days-format = Не понял дату. Напишите, например, 05.12.2026 или 05.12.2026–09.12.2026.
scadm-days-order = Последний день раньше первого. Напишите период ещё раз.
scadm-days-past = Эти дни уже прошли. Напишите дату не раньше сегодняшней.
scadm-days-too-long = Слишком длинный период: не больше { $max } дней за раз.
scadm-ask-reason = Дни: { $days }. Причина (отпуск, больничный, праздник)? Напишите её (до { $max } символов) или нажмите «Без причины».
scadm-reason-too-long = Причина длиннее { $max } символов (сейчас { $length }). Напишите короче.
scadm-not-text = Напишите ответ текстом или нажмите «✖️ Отмена».
scadm-confirm =
    <b>Закрыть запись?</b>
    Кого: { $target }
    Дни: { $days }
    Причина: { $reason }
    { $count ->
        [0] Записей на эти дни нет — никого отменять не придётся.
        [one] Будет отменена { $count } запись; родитель получит сообщение.
        [few] Будут отменены { $count } записи; родители получат сообщение.
       *[other] Будут отменены { $count } записей; родители получат сообщение.
    }
scadm-closed =
    ✅ Запись для { $target } закрыта: { $days }.
    { $count ->
        [0] Отменять никого не пришлось.
        [one] Отменена { $count } запись; родитель получит сообщение в течение минуты.
        [few] Отменены { $count } записи; родители получат сообщение в течение минуты.
       *[other] Отменено { $count } записей; родители получат сообщение в течение минуты.
    }
scadm-close-cancelled = Ничего не изменено.

# Closed days already recorded: the list and opening them again (handlers/staff_closed_days.py).
scadm-btn-closed-list = 📅 Закрытые дни
scadm-closed-header = <b>Закрытые дни</b> (ближайшие { $count }). Открыть снова — кнопка с номером; отменённые записи не вернутся, но на эти дни снова можно будет записаться.
scadm-closed-none = Закрытых дней впереди нет.
scadm-closed-line = { $n }. { $who }: { $days }{ $reason }
scadm-closed-everyone = все специалисты
scadm-closed-reason = {" "}— { $reason }
scadm-btn-reopen = { $n }. Открыть снова
scadm-reopened-toast = Дни открыты, слотов снова доступно: { $count }
