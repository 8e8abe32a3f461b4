## Catalogue import and export (files of staff; handlers/staff/files.py, handlers/catalog/files.py, python -m bot import/export)

# Problems of one cell, one header or the whole file.
import-problem-required = не заполнено — это обязательное поле
import-problem-too-long = текст длиннее { $max } символов (сейчас { $length })
import-problem-word = «{ $value }» — такого значения нет; допустимо: { $allowed }
import-problem-integer = «{ $value }» — нужно целое число
import-problem-number = «{ $value }» — нужно число, например 56.4847
import-problem-range = { $value } — вне допустимого диапазона от { $min } до { $max }
import-problem-yes-no = «{ $value }» — напишите «да» или «нет»
import-problem-url = «{ $value }» — нужна ссылка на страницу в интернете вида https://сайт.ru/…, без пробелов и кавычек
import-problem-locality = «{ $value }» — такого населённого пункта нет в списке бота
import-problem-locality-ambiguous = «{ $value }» — так называются несколько населённых пунктов; добавьте район в скобках, например «Название (Томский район)»
import-problem-coordinates-pair = укажите и широту, и долготу — или оставьте обе пустыми (тогда возьмём центр населённого пункта)
import-problem-age-order = «Возраст до» ({ $value }) меньше, чем «Возраст от» ({ $min })
import-problem-seats = свободных мест ({ $value }) больше, чем всего ({ $max })
import-problem-price-required = у платной программы должна быть цена
import-problem-org-conflict = организация { $org } в строке { $other } описана иначе — данные организации должны совпадать во всех её строках
import-problem-duplicate-programme = программа { $programme } уже есть в строке { $other }
import-problem-programme-id-missing = заполнены поля программы, но пуст «ИД программы»
import-problem-unknown-header = неизвестный столбец; названия столбцов — как в шаблоне (/import)
import-problem-duplicate-header = столбец встречается дважды
import-problem-missing-header = нет обязательного столбца
import-problem-empty-file = в файле нет ни одной строки
import-problem-unreadable = файл не удалось прочитать ({ $error }). Сохраните его заново в Excel как .xlsx или .csv
import-problem-file-type = подходят только файлы .xlsx и .csv

# The report after a file was checked (and, when it had no problems, loaded).
import-report-done = ✅ <b>Каталог обновлён</b> из файла «{ $file }».
import-report-checked = ✅ Файл «{ $file }» проверен: ошибок нет. Это была только проверка — каталог не изменён.
import-report-failed = ❌ <b>Каталог не изменён.</b> В файле «{ $file }» найдено проблем: { $count }. Исправьте их и загрузите файл снова.
import-report-rows = Строк с данными: { $rows }.
import-report-would = Если загрузить этот файл:
import-report-organisations = Организации: добавлено { $added }, изменено { $changed }, без изменений { $unchanged }.
import-report-programmes = Программы: добавлено { $added }, изменено { $changed }, без изменений { $unchanged }.
import-report-keep-note = Импорт только добавляет и обновляет: организации и программы, которых нет в файле, остаются как были. Чтобы убрать программу из поиска, напишите «да» в столбце «Программа скрыта».
import-report-problem = • строка { $row }, «{ $column }»: { $reason }
import-report-problem-file = • { $reason }
import-report-more = …и ещё { $count }. Исправьте эти строки и загрузите файл снова — я покажу остальные.

# Progress: chat message and the command line's bar.
import-progress-read = ⏳ Проверяю строки: { $done } из { $total }…
import-progress-write = ⏳ Записываю в каталог: { $done } из { $total }…
import-progress-finished = Файл обработан — отчёт ниже.
import-phase-read = Проверка строк
import-phase-write = Запись в каталог

# Chat.
import-received = ⏳ Получил файл «{ $file }», проверяю…
import-not-admin = Спасибо! Файлы я не принимаю: каталог загружают сотрудники управления образования. Найти кружок можно в разделе «🔎 Кружки и центры».
import-wrong-type = Файл «{ $file }» не подходит: пришлите таблицу каталога в формате .xlsx или .csv. Шаблон и подсказка — /import.
import-too-big = Файл больше { $limit } МБ — такой { $messenger } не даёт боту скачать. Разделите его на части или загрузите командой python -m bot import catalog ФАЙЛ на сервере.
import-download-failed = Не удалось скачать файл из { $messenger }. Попробуйте отправить его ещё раз.
import-admin-only = Эта команда — для сотрудников управления образования.
import-help =
    <b>Загрузка каталога</b>

    Пришлите сюда файл .xlsx или .csv — одна строка на программу, столбцы как в шаблоне ниже.
    Данные организации повторяются в каждой строке её программ; строка с пустым «ИД программы» описывает организацию без программ.

    Я проверю весь файл. Если найдётся хоть одна ошибка, ничего не изменится, а я перечислю строки и причины. Иначе добавлю новые записи и обновлю изменённые (по ИД). Записи, которых нет в файле, остаются: чтобы убрать программу, поставьте «да» в «Программа скрыта».

    Чтобы только проверить файл, ничего не меняя, добавьте к нему подпись «проверка».
    Выгрузить текущий каталог: /export
import-template-caption = Шаблон каталога: заголовки и две строки-примера.
export-caption = Каталог: организаций — { $organisations }, программ — { $programmes } (вместе со скрытыми). Этот файл можно исправить и загрузить обратно.

# Command line.
cli-file-arg = путь к файлу
cli-dry-run-arg = только проверить файл, ничего не записывая
cli-export-done = Каталог выгружен в { $file }: организаций — { $organisations }, программ — { $programmes }.
cli-export-failed = Не удалось записать { $file }: { $error }
