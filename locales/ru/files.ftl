## Limits on staff files (services/file_limits.py): why a file was refused as a whole.
## Shown as one line of an import report; nothing was changed.

files-limit-size = файл больше { $limit } МБ. Разделите его на части
files-limit-unpacked = после распаковки файл занимает больше { $limit } МБ. Удалите лишние листы и пустые отформатированные строки или сохраните таблицу как .csv
files-limit-part = часть файла «{ $part }» после распаковки больше { $limit } МБ. Сохраните таблицу как .csv
files-limit-ratio = файл сжат подозрительно сильно: в { $ratio } раз при допустимых { $limit }. Так выглядят «zip-бомбы»; если это обычная таблица, сохраните её заново в Excel или как .csv
files-limit-parts = в файле больше { $limit } частей — это не похоже на обычную таблицу
files-limit-rows = в файле больше { $limit } строк с данными. Разделите его на части
files-limit-cell = в строке { $row } есть ячейка длиннее { $limit } символов
files-limit-line = строка { $row } длиннее { $limit } символов
files-limit-time = файл не удалось проверить за { $limit } с. Разделите его на части
files-limit-memory = файл слишком сложный: для его проверки не хватило { $limit } МБ памяти. Сохраните таблицу как .csv
files-worker-crash = проверка файла прервалась. Сохраните его заново в Excel как .xlsx или .csv и загрузите снова
files-no-rows = в файле есть заголовок, но нет ни одной строки с данными
files-stopped-at = Чтение остановлено на строке { $row }: дальше { $count } пустых строк подряд. Если ниже есть данные, удалите пустые строки и загрузите файл снова.
