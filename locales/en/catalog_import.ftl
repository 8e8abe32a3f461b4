## Catalogue import and export (files of staff; handlers/staff/files.py, handlers/catalog/files.py, python -m bot import/export)

# Problems of one cell, one header or the whole file.
import-problem-required = empty, but this field is required
import-problem-too-long = text longer than { $max } characters (now { $length })
import-problem-word = “{ $value }” is not a known value; allowed: { $allowed }
import-problem-integer = “{ $value }” must be a whole number
import-problem-number = “{ $value }” must be a number, e.g. 56.4847
import-problem-range = { $value } is out of range { $min } to { $max }
import-problem-yes-no = “{ $value }”: write “да” (yes) or “нет” (no)
import-problem-url = “{ $value }”: a link to a web page is needed, like https://site.org/…, without spaces or quotes
import-problem-locality = “{ $value }” is not in the bot's list of localities
import-problem-locality-ambiguous = “{ $value }”: several localities have this name; add the district in brackets, e.g. “Name (Томский район)”
import-problem-coordinates-pair = give both latitude and longitude, or leave both empty (then the locality's centre is used)
import-problem-age-order = “Возраст до” ({ $value }) is less than “Возраст от” ({ $min })
import-problem-seats = free seats ({ $value }) exceed the total ({ $max })
import-problem-price-required = a paid programme needs a price
import-problem-org-conflict = organisation { $org } is described differently in row { $other }; an organisation's columns must agree in all its rows
import-problem-duplicate-programme = programme { $programme } is already in row { $other }
import-problem-programme-id-missing = programme columns are filled but “ИД программы” is empty
import-problem-unknown-header = unknown column; column names are as in the template (/import)
import-problem-duplicate-header = the column appears twice
import-problem-missing-header = a required column is missing
import-problem-empty-file = the file has no rows
import-problem-unreadable = the file could not be read ({ $error }). Save it again in Excel as .xlsx or .csv
import-problem-file-type = only .xlsx and .csv files are accepted

# The report after a file was checked (and, when it had no problems, loaded).
import-report-done = ✅ <b>Catalogue updated</b> from “{ $file }”.
import-report-checked = ✅ “{ $file }” checked: no problems. This was a check only — the catalogue is unchanged.
import-report-failed = ❌ <b>Catalogue unchanged.</b> “{ $file }” has { $count } problems. Fix them and upload the file again.
import-report-rows = Rows with data: { $rows }.
import-report-would = Loading this file would give:
import-report-organisations = Organisations: { $added } added, { $changed } changed, { $unchanged } unchanged.
import-report-programmes = Programmes: { $added } added, { $changed } changed, { $unchanged } unchanged.
import-report-keep-note = The import only adds and updates: organisations and programmes missing from the file stay as they were. To take a programme out of search, write “да” in the “Программа скрыта” column.
import-report-problem = • row { $row }, “{ $column }”: { $reason }
import-report-problem-file = • { $reason }
import-report-more = …and { $count } more. Fix these rows and upload the file again to see the rest.

# Progress: chat message and the command line's bar.
import-progress-read = ⏳ Checking rows: { $done } of { $total }…
import-progress-write = ⏳ Writing to the catalogue: { $done } of { $total }…
import-progress-finished = File processed — the report is below.
import-phase-read = Checking rows
import-phase-write = Writing

# Chat.
import-received = ⏳ Got “{ $file }”, checking…
import-not-admin = Thank you! I do not take files: the catalogue is uploaded by the education department's staff. To find a club, open “🔎 Clubs and centres”.
import-wrong-type = “{ $file }” does not fit: send the catalogue table as .xlsx or .csv. Template and help: /import.
import-too-big = The file is larger than { $limit } MB, which { $messenger } does not let bots download. Split it, or load it on the server with python -m bot import catalog FILE.
import-download-failed = Could not download the file from { $messenger }. Please send it again.
import-admin-only = This command is for the education department's staff.
import-help =
    <b>Uploading the catalogue</b>

    Send an .xlsx or .csv file here: one row per programme, columns as in the template below.
    An organisation's columns repeat on every row of its programmes; a row with an empty “ИД программы” describes an organisation without programmes.

    I check the whole file. If there is even one problem nothing changes, and I list the rows and reasons. Otherwise I add new records and update changed ones (by id). Records missing from the file stay: to remove a programme, write “да” in “Программа скрыта”.

    To only check a file without changing anything, add the caption “check”.
    Download the current catalogue: /export
import-template-caption = Catalogue template: headers and two example rows.
export-caption = Catalogue: { $organisations } organisations, { $programmes } programmes (hidden ones included). You can edit this file and upload it back.

# Command line.
cli-file-arg = path of the file
cli-dry-run-arg = only check the file, write nothing
cli-export-done = Catalogue written to { $file }: { $organisations } organisations, { $programmes } programmes.
cli-export-failed = Could not write { $file }: { $error }
