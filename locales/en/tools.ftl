## Terminal shell: background jobs and files (bot/cli/shell.py)

tools-shell-arg-files = folder for the files the bot sends (by default bot-shell-files-ID in the system's temporary folder)
tools-shell-files-folder = Files from the bot (.ics, .xlsx, PNG) are saved in { $folder }
tools-shell-file-saved = 💾 saved: { $path }
tools-shell-file-not-saved = (the file was sent again by file_id: not saved)
tools-shell-file-needed = A path is needed, e.g. :file catalogue.xlsx
tools-shell-file-missing = There is no file { $path }.
tools-shell-bad-wait = A number of seconds from 0 to { $most } is needed, e.g. :wait 3
tools-shell-background = ⏰ sent by the bot on its own (background jobs):

## Command line: python -m bot … (bot/cli/parsers.py, bot/cli/main.py)

tools-cli-description =
    Navigator of out-of-school education: the bot and its service commands.
    Settings come from the .env file and the environment.
tools-cli-epilog =
    About one command: python -m bot COMMAND --help
    Examples:
      python -m bot run                              start the bot
      python -m bot shell                            talk to the bot in the terminal
      python -m bot import catalog catalogue.xlsx --dry-run
      python -m bot export bookings --from 2026-09-01 --to 2026-12-31 bookings.xlsx
      python -m bot report plan --chart plan.png
tools-cli-commands-title = commands
tools-cli-command-metavar = COMMAND
tools-cli-run-help = start the bot (long polling; a webhook with BOT_MODE=webhook) with its background jobs: reminders, broadcasts, notices
tools-cli-migrate-help = bring the database schema to the latest version and load the demo data into an empty database
tools-cli-import-help = load the catalogue (catalog FILE, .xlsx or .csv) or the consultation set-up (consultations FILE, .xlsx); with --dry-run only check the file
tools-cli-chart-arg = save the charts as PNG: the plan by organisation and service in FILE, the monthly one (held, no-show, cancelled) beside it, ending in -months
tools-cli-date-metavar = YYYY-MM-DD
tools-cli-year-metavar = YEAR
tools-cli-file-metavar = FILE
tools-cli-folder-metavar = FOLDER
tools-cli-code-metavar = CODE
tools-cli-bad-date = “{ $value }” is not a date; a date like YYYY-MM-DD is needed, e.g. 2026-09-01
tools-cli-bad-year = “{ $value }” is not a year; a year from 2000 to 2100 is needed
tools-cli-file-missing = There is no file “{ $file }”. Check the path and the file name.
tools-cli-not-a-file = “{ $file }” is not a file (a folder?). Give the path of an .xlsx or .csv file.
tools-cli-folder-missing = There is no folder “{ $folder }” to save “{ $file }” in. Create it or give another path.

## argparse's own words

tools-argparse-usage = usage:{" "}
tools-argparse-positional = positional arguments
tools-argparse-options = options
tools-argparse-help = show this help message and exit
tools-argparse-error = { $prog }: error: { $message }
tools-argparse-required = the following arguments are required: { $names }
tools-argparse-invalid-choice = invalid choice: { $value } (choose from { $choices })
tools-argparse-invalid-value = invalid value: { $value }
tools-argparse-unrecognized = unrecognized arguments: { $args }
tools-argparse-one-argument = expected one argument
tools-argparse-argument = argument { $name }: { $message }
tools-cli-export-help = save the catalogue (catalog FILE, .xlsx or .csv), the consultation set-up (consultations FILE, .xlsx) or the consultation bookings of a period (bookings --from YYYY-MM-DD --to YYYY-MM-DD FILE)
tools-cli-what-metavar = WHAT

## The plan report's charts (handlers/booking/plan_chart.py)

tools-chart-title = Consultations in { $year } as of { $day }: { $done } of { $plan } ({ $percent }%)
tools-chart-title-no-plan = Consultations in { $year } as of { $day }: { $done }
tools-chart-months-title = Consultations in { $year } by month (as of { $day })
tools-chart-month-names = Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec
tools-chart-legend-missed = No-show
tools-chart-legend-cancelled = Cancelled
tools-plan-months-caption = 📊 Consultations in { $year } by month: held, no-show, cancelled.
tools-cli-months-saved = The monthly chart is saved in “{ $file }”.

## Import templates: example rows (services/example_ids.py)

import-problem-example-id = “{ $value }” is an example row of the template: replace it with your own data and id, or delete it
