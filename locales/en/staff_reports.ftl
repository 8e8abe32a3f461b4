## Staff reports (/reports, admins): bookings by day, bookings export, the yearly plan report

srep-admin-only = This section is for administrators only.
srep-menu =
    📈 <b>Consultation reports</b>

    📅 <b>Bookings by day</b> — every specialist, with parents' contacts.
    📤 <b>Export bookings</b> — an Excel and/or CSV file for a period.
    📊 <b>Yearly plan</b> — consultations held against the yearly plan, by organisation and topic, with a chart.
srep-btn-day = 📅 Bookings by day
srep-btn-export = 📤 Export bookings
srep-btn-plan = 📊 Yearly plan

## Export
srep-export-ask-period = 📤 <b>Export bookings.</b> For which period?
srep-btn-period-month = This month
srep-btn-period-last-month = Last month
srep-btn-period-year = This year
srep-btn-period-custom = ✍️ Other period
srep-export-type-period =
    Type the period as two dates, e.g. <code>01.09.2026–31.12.2026</code>.
    One date means one day. To leave: /cancel.
srep-period-bad-shape = I could not read the period “{ $text }”. Type two dates with a dash, e.g. <code>01.09.2026–31.12.2026</code>.
srep-period-bad-date = There is no such date: “{ $text }”. Check the day and month, e.g. <code>01.09.2026–31.12.2026</code>.
srep-period-bad-order = The period ends before it starts. Type the first date first, then the last.
srep-period-bad-long = The period is too long: at most { $days } days per export. Split it into parts.
srep-export-ask-kind = 📤 Period: <b>{ $period }</b>. Which format?
srep-btn-kind-xlsx = Excel (XLSX)
srep-btn-kind-csv = CSV
srep-btn-kind-both = Both files
srep-export-preparing = Preparing the file…
srep-export-empty = There are no bookings for { $period }; no file was sent.
srep-export-progress = ⏳ Exporting { $period }: { $done } of { $total } bookings…
srep-export-finished = ✅ The export for { $period } is ready: { $rows } bookings.
srep-export-caption = Consultation bookings for { $period }: { $rows }. It holds parents' personal data: do not forward the file to anyone else.
srep-export-too-big = The file is larger than { $limit } MB, which { $messenger } does not accept. Choose a shorter period or export on the server: <code>python -m bot export bookings</code>.

## Yearly plan report
srep-plan-title = 📊 <b>Consultations in { $year }</b> (as of { $day })
srep-plan-total = Held: <b>{ $done }</b> of { $plan } planned — { $percent } %.
srep-plan-total-no-plan = Held: <b>{ $done }</b>. No yearly plan is set (BOOKING__YEARLY_PLAN).
srep-plan-pace-behind = At an even pace there should be { $expected } by today — { $gap } behind.
srep-plan-pace-ahead = At an even pace there should be { $expected } by today — { $gap } ahead.
srep-plan-pace-on = At an even pace there should be { $expected } by today — exactly on track.
srep-plan-others = Also: { $others }.
srep-plan-upcoming = { $count } ahead
srep-plan-unmarked = { $count } not marked
srep-plan-missed = { $count } no-shows
srep-plan-cancelled = { $count } cancelled
srep-plan-by-provider = <b>By organisation</b>
srep-plan-by-service = <b>By topic</b>
srep-plan-none = — none yet
srep-plan-line = • { $name } — { $held }{ $others }
srep-plan-line-planned = <b>{ $done }</b> of { $plan } ({ $percent } %)
srep-plan-line-done = <b>{ $done }</b>
srep-plan-caption = 📊 Consultations in { $year }: held and planned.
srep-plan-chart-failed = The chart could not be drawn; the table is above.
srep-btn-plan-year = { $year }

## The chart (plain text: no HTML here)
srep-chart-total = Total
srep-chart-all = All organisations
srep-chart-by-provider = By organisation
srep-chart-by-service = By topic
srep-chart-other-providers = Others ({ $count })
srep-chart-other-services = Others ({ $count })
srep-chart-legend-done = Held
srep-chart-legend-plan = Plan
srep-chart-legend-pace = Even pace to date

## Command line: python -m bot export bookings / report plan
srep-cli-export-what = what to export: catalog, consultations or bookings
srep-cli-from-arg = first day of the period, YYYY-MM-DD (for bookings and demand)
srep-cli-to-arg = last day of the period, YYYY-MM-DD (for bookings and demand)
srep-cli-period-needed = To export bookings give the period: --from YYYY-MM-DD --to YYYY-MM-DD.
srep-cli-file-type = File “{ $file }”: it must be .xlsx or .csv.
srep-cli-export-done = Bookings for { $period } saved to “{ $file }”: { $rows }.
srep-cli-report-help = reports: plan — consultations of a year against the plan; demand — what families look for and don't find (XLSX and PNG)
srep-cli-report-what = which report (plan or demand)
srep-cli-year-arg = the year (default: the current one)
srep-cli-chart-arg = save the chart to a PNG file
srep-cli-chart-saved = Chart saved to “{ $file }”.
srep-cli-failed = Could not write “{ $file }”: { $error }
