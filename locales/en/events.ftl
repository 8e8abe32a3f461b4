## Events for families: the list, cards, reminders, sharing

events-intro = 📅 <b>Career guidance events</b>: «Ticket to the Future», «ProeKTOria» lessons, profession festivals, open days.
events-btn-open = 📅 Show events
events-header-mine =
    <b>📅 Events for you</b> (in all: { $count })
    Chosen by your profile: role, child's grade, locality. Tap an event to open its card.
events-header-all =
    <b>📅 All upcoming events</b> (in all: { $count })
    Tap an event to open its card.
events-empty-mine = 📅 No upcoming events for you yet. See all events or come back later.
events-empty-all = 📅 No upcoming events yet. Come back later: announcements will appear here.
events-btn-all = 📋 All events
events-btn-mine = 🎯 Only for me

event-card-title = <b>{ $title }</b>
event-card-description = { $text }
event-card-when = 🗓 { $when }
event-card-place = 📍 { $place }
event-card-online = 💻 Online: <a href="{ $url }">stream link</a>
event-card-audience = 👥 For: { $audience }
event-for-everyone = everyone
event-role-parent = parents
event-role-pupil = pupils
event-role-teacher = teachers
event-grade-one = grade { $grade }
event-grades = grades { $first }–{ $last }
event-btn-register = 📝 Register
event-btn-online = 💻 Open the stream
event-btn-remind = 🔔 Remind me
event-btn-share = 🔗 Share
event-btn-unremind = 🔕 Don't remind me

event-gone = This event is no longer available: it is over or was taken off the calendar. Other events are in «📅 Events».
event-gone-toast = This event is no longer available: it is over or was taken off the calendar.
event-remind-set = 🔔 I will remind you { $when }.
event-remind-already = 🔔 A reminder about «{ $title }» is already set: { $when }.
event-unremind-done = 🔕 All right, no reminder about «{ $title }».
event-unremind-done-toast = Reminder cancelled.
event-unremind-none = There is no reminder any more.
event-share-text =
    A link to the event «{ $title }»:
    { $link }
    Forward it: it opens the event's card in the bot.

event-reminder = ⏰ Reminder: <b>{ $title }</b> — { $when }
event-reminder-where = 📍 { $where }

## Subscriptions (from the settings screen)

settings-btn-subs = 🔔 Subscriptions
subs-screen =
    <b>🔔 Subscriptions</b>

    Which announcements should I send you? Tap a topic to switch it on or off; changes are saved at once.
subs-screen-none =
    <b>🔔 Subscriptions</b>

    You receive no announcements now. Tap a topic to subscribe.
subs-topic-orientation = Career guidance and events
subs-topic-clubs = Clubs and enrolment
subs-topic-consultations = Family consultations
subs-on-toast = Subscribed ✓
subs-off-toast = Unsubscribed

## Events for staff (/events_admin)

eadm-staff-only = This section is for the education department's staff.
eadm-list-header = <b>🗂 Events (staff)</b>: { $count } upcoming
eadm-list-empty = No upcoming events. Add the first one.
eadm-btn-new = ➕ New event
eadm-btn-hide = 🙈 Hide from the calendar
eadm-btn-show = 👁 Show on the calendar
eadm-btn-list = ◀️ To the list
eadm-status-shown = Status: on the calendar.
eadm-status-hidden = Status: 🙈 hidden, users do not see it.
eadm-hidden-toast = Hidden from the calendar.
eadm-shown-toast = Back on the calendar.
eadm-btn-cancel = ✖️ Cancel
eadm-btn-skip = Skip
eadm-btn-next = Next ▶️
eadm-btn-no-registration = No registration
eadm-btn-publish = ✅ Publish
eadm-cancelled = Creating the event was cancelled. Nothing was saved.
eadm-use-buttons = Answer the question above or use the buttons under it. To leave: /cancel.
eadm-ask-title = <b>New event.</b> Step 1 of 6: write its title.
eadm-ask-description = Step 2 of 6: describe the event briefly (or tap «Skip»).
eadm-ask-starts = Step 3 of 6: when does it start? Write the date and time as DD.MM.YYYY HH:MM (time zone { $zone }), e.g. { $example }.
eadm-ask-place = Step 4 of 6: where does it take place? Write the address or a link to the online stream (starting with https://).
eadm-ask-registration = Step 5 of 6: the registration link (https://…), or tap «No registration».
eadm-audience =
    Step 6 of 6: <b>who is it for</b>? Mark the roles (none marked: everyone) and, if needed, grades and localities.

    Roles: { $roles }
    Grades: { $grades }
    Localities: { $places }
eadm-confirm = <b>Check the event</b>: this is how users will see it:
eadm-published = ✅ The event «{ $title }» is published.
eadm-published-toast = Published ✓
eadm-error-title = A title is needed, at most { $limit } characters. Please write it again.
eadm-error-title-empty = The title cannot be empty.
eadm-error-description = The description is too long: at most { $limit } characters, please.
eadm-error-place = Write an address (at most { $limit } characters) or an https://… link.
eadm-error-url = This does not look like a link. It should look like https://example.org/…
eadm-error-roles = Unknown role.
eadm-error-date-format = I could not read the date. Write it as DD.MM.YYYY HH:MM, e.g. 25.12.2026 15:30.
eadm-error-date-past = That time has passed. A date in the future is needed.
eadm-error-grades-format = Write a grade (e.g. 8) or a range (e.g. 6-11).
eadm-error-grades-range = Grades go from 1 to 11, the first not above the last.

## Audience segments (events and broadcasts)

segment-all-roles = all
segment-all-grades = all grades
segment-all-places = all localities
segment-all-languages = all
segment-btn-grades = 🎓 Grades
segment-btn-places = 📍 Localities
segment-btn-all-grades = All grades
segment-btn-all-places = All localities
segment-ask-grades = For which grades? Write a grade (e.g. 8) or a range (e.g. 6-11).
segment-ask-places = For which localities? Write the names separated by commas, e.g.: Tomsk, Seversk.
segment-places-unclear = Could not find exactly: { $names }. Check the names and write them again, separated by commas.
