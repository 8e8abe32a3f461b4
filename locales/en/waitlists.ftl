# Waitlists: a full programme's seats, a consultation topic's free time, enrolment start dates.

## A programme's card
programme-enrol-starts = 📅 Enrolment opens on { $day }
waitlist-btn-join = 🔔 Tell me when a place frees up
waitlist-btn-leave = ✖️ Stop telling me
enrol-btn-remind = ⏰ Remind me when enrolment opens
enrol-btn-unremind = ✖️ No enrolment reminder
waitlist-joined = 🔔 I'll tell you when a place frees up. You're in the queue — first come, first told.
waitlist-already = You are already on this programme's waitlist.
waitlist-has-seats = There are places now — you can enrol.
waitlist-left = I won't tell you about this programme any more.
waitlist-not-waiting = You are not on this programme's waitlist.
enrol-remind-set = ⏰ I'll remind you on the morning enrolment opens.
enrol-remind-already = The enrolment reminder is already set.
enrol-remind-open = Enrolment is already open — you can enrol.
enrol-remind-gone = The enrolment date is unknown — I can't remind you.
enrol-remind-cancelled = Enrolment reminder removed.
enrol-remind-none = There was no enrolment reminder.

## Staff: the day enrolment opens
btn-enrol-opens = 📅 Enrolment opens
staff-opens-ask = When does enrolment in “{ $name }” open? Now: { $now }. Type a date, e.g. 01.09.2027, or “-” to clear it.
staff-opens-none = not set
staff-opens-invalid = I couldn't read the date. Type it as 01.09.2027, or “-” to clear it.
staff-opens-past = That date has passed — give today or a later day.
staff-opens-saved = Enrolment opens: { $day }.

## The September campaign
btn-campaign = 📅 When enrolment opens
campaign-header = <b>📅 When enrolment opens</b> — programmes: { $total }
campaign-empty = No programme has a future enrolment date yet.
campaign-line = { $n }. { $day } — <b>{ $name }</b> · { $org }

## Notices the bot sends
waitlist-seat-notice = 🔔 <b>A place is free!</b> You were waiting for one in this programme. It is held for you for { $hours } h — then the next in the queue is told too.
waitlist-time-notice = 🔔 <b>Free time has opened</b> for a “{ $service }” consultation. Book before someone else does.
waitlist-btn-book = 📝 Book
enrol-reminder-notice = ⏰ <b>Enrolment opens today</b> for the programme you asked me to remind you about.

## Booking: no free time within the horizon
waitlist-btn-join-time = 🔔 Tell me when time frees up
waitlist-btn-leave-time = ✖️ Stop telling me about free time
waitlist-time-joined = 🔔 I'll tell you when free time appears.
waitlist-time-already = You are already waiting for free time on this topic.
waitlist-time-has-room = There is free time already — choose a day.
waitlist-time-left = I won't tell you about free time any more.
waitlist-time-gone = This topic or organisation is no longer available.

## /mydata
privacy-waits-title = <b>Waitlists</b> ({ $count }):
privacy-waits-none = No waitlists.
privacy-wait-programme = • programme “{ $title }” — since { $joined }, { $state }
privacy-wait-consult = • consultation “{ $title }” — since { $joined }, { $state }
privacy-wait-state-waiting = waiting
privacy-wait-state-told = told { $at }
privacy-wait-state-telling = being told
privacy-wait-state-failed = could not be told
privacy-enrol-title = <b>Enrolment reminders</b> ({ $count }):
privacy-enrol-none = No enrolment reminders.
privacy-enrol-line = • “{ $title }” — { $day }, { $state }
privacy-enrol-state-pending = will remind
privacy-enrol-state-sent = reminded
privacy-enrol-state-other = not sent
privacy-enrol-no-day = no date set

## Catalogue import
import-problem-day = “{ $value }” — write a date, e.g. 01.09.2027
import-problem-day-past = { $value } — this date has passed
