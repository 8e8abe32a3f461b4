## Terminal shell: background jobs and files (bot/cli/shell.py)

tools-shell-arg-files = папка для файлов, которые присылает бот (по умолчанию — новая временная папка)
tools-shell-files-folder = Файлы от бота (.ics, .xlsx, PNG) сохраняются в папку { $folder }
tools-shell-file-saved = 💾 сохранён: { $path }
tools-shell-file-not-saved = (файл отправлен повторно по file_id — не сохранён)
tools-shell-file-needed = Нужен путь к файлу, например :file каталог.xlsx
tools-shell-file-missing = Файла { $path } нет.
tools-shell-bad-wait = Нужно число секунд от 0 до { $most }, например :wait 3
tools-shell-background = ⏰ бот отправил сам (фоновые задачи):
