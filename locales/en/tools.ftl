## Terminal shell: background jobs and files (bot/cli/shell.py)

tools-shell-arg-files = folder for the files the bot sends (by default a new temporary folder)
tools-shell-files-folder = Files from the bot (.ics, .xlsx, PNG) are saved in { $folder }
tools-shell-file-saved = 💾 saved: { $path }
tools-shell-file-not-saved = (the file was sent again by file_id: not saved)
tools-shell-file-needed = A path is needed, e.g. :file catalogue.xlsx
tools-shell-file-missing = There is no file { $path }.
tools-shell-bad-wait = A number of seconds from 0 to { $most } is needed, e.g. :wait 3
tools-shell-background = ⏰ sent by the bot on its own (background jobs):
