## Consultation set-up by staff: files (services/consult_import.py, handlers/staff_consult_files.py)
## and the chat menu /consult_admin (handlers/staff_consult.py)

# Problems of a cell, a header, a sheet or the whole file (generic ones are import-problem-*).
cimp-problem-time = “{ $value }” — a time HH:MM is needed, e.g. 09:00
cimp-problem-date = “{ $value }” — a date DD.MM.YYYY is needed, e.g. 31.12.2026
cimp-problem-end-before-start = the end must be later than the start
cimp-problem-slot-too-long = a consultation is longer than the whole window ({ $minutes } min)
cimp-problem-break-pair = give both the start and the end of the break — or leave both empty
cimp-problem-break-outside = the break must be inside the window and end after it starts
cimp-problem-overlap = overlaps another window of the same specialist on the same day (row { $other })
cimp-problem-one-target = fill in one of “ИД специалиста” and “ИД организации”, not both
cimp-problem-days-order = the last day is before the first
cimp-problem-days-too-many = at most { $max } days in one row
cimp-problem-duplicate = “{ $value }” is already in row { $other }
cimp-problem-no-provider = organisation “{ $value }” is neither in the file nor in the bot
cimp-problem-no-service = service “{ $value }” is neither in the file nor in the bot
cimp-problem-no-specialist = specialist “{ $value }” is neither in the file nor in the bot
cimp-problem-nobody = organisation “{ $value }” has no specialists
cimp-problem-sheet-twice = this sheet is in the file twice
cimp-problem-too-many-rows = more than { $max } rows on the sheet
cimp-problem-no-sheets = the file has none of the consultation set-up sheets: “Услуги”, “Организации”, “Специалисты”, “Расписание”, “Исключения” (template: /consult_import)

# The report.
cimp-report-done = ✅ <b>Consultation set-up updated</b> from “{ $file }”.
cimp-report-checked = ✅ “{ $file }” checked: no problems. This was only a check — nothing changed.
cimp-report-failed = ❌ <b>Nothing changed.</b> Problems found in “{ $file }”: { $count }. Fix them and upload the file again.
cimp-report-problem = • sheet “{ $sheet }”, row { $row }, “{ $column }”: { $reason }
cimp-report-problem-sheet = • sheet “{ $sheet }”: { $reason }
cimp-report-problem-file = • { $reason }
cimp-report-more = …and { $count } more.
cimp-report-rows = Rows with data: { $rows }.
cimp-report-would = If this file is loaded:
cimp-report-services = Services: added { $added }, changed { $changed }, unchanged { $unchanged }.
cimp-report-providers = Organisations: added { $added }, changed { $changed }, unchanged { $unchanged }.
cimp-report-specialists = Specialists: added { $added }, changed { $changed }, unchanged { $unchanged }.
cimp-report-templates = Weekly hours (specialists): added { $added }, changed { $changed }, unchanged { $unchanged }.
cimp-report-exceptions = Days off: added { $added }, changed { $changed }, unchanged { $unchanged }.
cimp-report-slots = New bookable slots: { $count }.
cimp-report-cancelled = Bookings cancelled on closed days: { $count }. Each parent gets a message in their language.
cimp-report-keep-note = Loading only adds and updates: whatever is not in the file stays as it was. To take a service, organisation or specialist out of booking, write “да” in the “Скрыта” / “Скрыт” column. A specialist's hours in the file replace the old ones; bookings already made are kept.

# Chat.
cimp-progress-read = ⏳ Checking the consultation set-up sheets…
cimp-progress-write = ⏳ No problems, writing…
cimp-progress-finished = File processed — the report is below.
cimp-help =
    <b>Consultation set-up from a file</b>

    Send an Excel workbook (.xlsx) here with the sheets “Услуги”, “Организации”, “Специалисты”, “Расписание”, “Исключения” — all of them or just the ones you need; columns as in the template below (the “Пояснения” sheet explains each). Separate .csv files work too — one per sheet, with the same headers.

    I check every row. If there is even one problem, nothing changes and I list the sheets, rows and reasons. Otherwise I add what is new and update what changed (by ИД); loading the same file again changes nothing. New days in “Исключения” close booking, and bookings on those days are cancelled — the parents get a message.

    To check a file only, caption it “check”. The current set-up: /consult_export
cimp-template-caption = Consultation set-up template: sheets, headers and example rows.
cimp-export-caption = Consultation set-up: { $services } services, { $providers } organisations, { $specialists } specialists (hidden ones included). Edit this file and upload it back.

# Command line.
cimp-cli-what-arg = what to load or save: catalog or consultations (the consultation set-up)
cimp-cli-export-done = Consultation set-up saved to { $file }: { $services } services, { $providers } organisations, { $specialists } specialists.
cimp-cli-xlsx-only = the consultation set-up is saved as .xlsx only
cimp-cli-phase-read = Checking the file…
cimp-cli-phase-write = Writing…

# /consult_admin
scadm-staff-only = This is for staff of the education department.
scadm-menu =
    <b>Consultations: set-up</b>
    Services, specialists and organisations — view, hide or show again. “Close days” — a holiday, sick leave, a public holiday: booking on those days closes, and booked parents get a message.
    By file: /consult_import (template), /consult_export (current set-up).
scadm-btn-services = 🗂 Services
scadm-btn-specialists = 👩‍🏫 Specialists
scadm-btn-providers = 🏢 Organisations
scadm-btn-close = 🚫 Close days
scadm-btn-menu = ⬅️ Set-up menu
scadm-btn-back = ◀️ Back
scadm-btn-prev = ◀️ Earlier
scadm-btn-next = Next ▶️
scadm-btn-hide = 🙈 Hide
scadm-btn-show = 👁 Show
scadm-btn-close-days = 🚫 Close days
scadm-btn-whole = Whole organisation ({ $count } spec.)
scadm-btn-no-reason = No reason
scadm-btn-confirm = ✅ Close
scadm-btn-cancel = ✖️ Cancel
scadm-empty = Nothing yet. Load the set-up from a file: /consult_import
scadm-none = —
scadm-services-header = <b>Services</b> ({ $count }):
scadm-service-line = { $n }. { $name } — specialists: { $staff }
scadm-service-line-hidden = { $n }. 🙈 { $name } — specialists: { $staff } (hidden)
scadm-service-card =
    <b>{ $name }</b>
    In English: { $name_en }
    ID: <code>{ $ref }</code>
    Specialists: { $staff }
    { $status }
scadm-specialists-header = <b>Specialists</b> ({ $count }), page { $page } of { $pages }:
scadm-specialist-line = { $n }. { $name } — { $provider }
scadm-specialist-line-hidden = { $n }. 🙈 { $name } — { $provider } (hidden)
scadm-specialist-card =
    <b>{ $name }</b>
    { $position }
    { $provider }
    ID: <code>{ $ref }</code>
    { $status }
scadm-providers-header = <b>Organisations</b> ({ $count }), page { $page } of { $pages }:
scadm-provider-line = { $n }. { $name } — specialists: { $staff }
scadm-provider-line-hidden = { $n }. 🙈 { $name } — specialists: { $staff } (hidden)
scadm-provider-card =
    <b>{ $name }</b>
    ID: <code>{ $ref }</code>
    Specialists: { $staff }
    { $status }
scadm-status-shown = 👁 Open for booking.
scadm-status-hidden = 🙈 Hidden: no new bookings; the ones made stay.
scadm-hidden-toast = Hidden
scadm-shown-toast = Open for booking again
scadm-gone-toast = This is gone — open the list again.
scadm-close-providers = Whose days to close? Choose the organisation:
scadm-close-provider = <b>{ $name }</b>: close the days of the whole organisation or of one specialist?
scadm-target-specialist = specialist “{ $name }”
scadm-target-provider = the whole organisation “{ $name }”
scadm-ask-days = Which days to close for { $target }? Write a date or a period, e.g. { $example } or { $example }–{ $example }
scadm-days-range = { $first } to { $last }
scadm-days-format = I did not understand the date. Write e.g. 05.12.2026 or 05.12.2026–09.12.2026.
scadm-days-order = The last day is before the first. Write the period again.
scadm-days-past = Those days are over. Write a date from today on.
scadm-days-too-long = The period is too long: at most { $max } days at once.
scadm-ask-reason = Days: { $days }. The reason (holiday, sick leave, public holiday)? Write it (up to { $max } characters) or press “No reason”.
scadm-reason-too-long = The reason is longer than { $max } characters ({ $length } now). Write it shorter.
scadm-not-text = Write the answer as text or press “✖️ Cancel”.
scadm-confirm =
    <b>Close booking?</b>
    Whom: { $target }
    Days: { $days }
    Reason: { $reason }
    { $count ->
        [0] There are no bookings on those days — nobody is cancelled.
        [one] { $count } booking will be cancelled; the parent gets a message.
       *[other] { $count } bookings will be cancelled; the parents get a message.
    }
scadm-closed =
    ✅ Booking closed for { $target }: { $days }.
    { $count ->
        [0] Nobody had to be cancelled.
        [one] { $count } booking cancelled; the parent gets a message within a minute.
       *[other] { $count } bookings cancelled; the parents get a message within a minute.
    }
scadm-close-cancelled = Nothing changed.

# Closed days already recorded: the list and opening them again (handlers/staff_closed_days.py).
scadm-btn-closed-list = 📅 Closed days
scadm-closed-header = <b>Closed days</b> (the next { $count }). To open again, press the button with its number; cancelled bookings do not come back, but those days can be booked again.
scadm-closed-none = No closed days ahead.
scadm-closed-line = { $n }. { $who }: { $days }{ $reason }
scadm-closed-everyone = all specialists
scadm-closed-reason = {" "}— { $reason }
scadm-btn-reopen = { $n }. Open again
scadm-reopened-toast = Days opened, slots bookable again: { $count }
