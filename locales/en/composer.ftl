## Broadcast composer (/broadcast, staff)

cmp-staff-only = Broadcasts are sent by the education department's staff. If you are staff, ask the administrator to add you.
cmp-ask-content =
    <b>📣 New broadcast.</b> Step 1: send the announcement as a normal message; bold, italics and links are kept.
    You may send a photo or a file with a caption instead (the caption up to 1024 characters).
cmp-ask-english = Step 2: send the same text in English: people who use the bot in English get it. Or tap «Skip»: then everyone gets the Russian text.
cmp-btn-skip-english = Skip
cmp-ask-button = Step 3: add a button under the announcement?
cmp-btn-link = 🔗 Link button
cmp-btn-event = 📅 Button to an event
cmp-btn-no-button = No button
cmp-ask-button-text = Write the button's label (up to { $limit } characters), e.g. «Sign up».
cmp-ask-button-url = Send the button's link (https://…).
cmp-ask-event = Choose the event: the button opens its card in the bot:
cmp-no-events = There are no upcoming events. Go back and choose another button.
cmp-event-button = 📅 About the event
cmp-button-text-invalid = A label is needed, at most { $limit } characters. Please write it again.
cmp-url-invalid = This does not look like a link. It should look like https://example.org/…
cmp-caption-too-long = A photo's or file's caption can be at most { $limit } characters. Shorten the text and send it again.
cmp-audience =
    Step 4: <b>who gets it</b>. Topics: those subscribed to them; the rest narrows it down (none marked: all).

    Topics: { $topics }
    Roles: { $roles }
    Grades: { $grades }
    Localities: { $places }
    Languages: { $languages }
cmp-audience-size = 👥 Recipients now: <b>{ $count }</b>
cmp-audience-empty = 👥 No recipients: mark at least one topic or loosen the conditions.
cmp-btn-preview = 👁 Preview
cmp-empty-audience-toast = No recipients: mark at least one topic or loosen the conditions.
cmp-empty-audience = No recipients: the broadcast was not created. Start again: /broadcast
cmp-preview-ru = 👁 This is what recipients will see:
cmp-preview-en = 👁 The English version:
cmp-confirm = Recipients: { $count }. Send the announcement?
cmp-btn-send-now = 🚀 Send now
cmp-btn-schedule = 🕒 Schedule
cmp-btn-cancel = ✖️ Cancel
cmp-ask-when = When should it go? Write the date and time as DD.MM.YYYY HH:MM (time zone { $zone }), e.g. { $example }.
cmp-cancelled = The broadcast was cancelled. Nothing was saved.
cmp-use-buttons = Answer the question above or use the buttons under it. To leave: /cancel.
cmp-sent-toast = Broadcast No. { $id } is queued.
cmp-launched = ✅ Broadcast No. { $id } is created. Its progress is in the message below.
cmp-progress-queued =
    📣 Broadcast No. { $id }: scheduled, sending starts in a few seconds…
    Recipients: { $count }
cmp-progress-scheduled =
    📣 Broadcast No. { $id }: scheduled for { $when }.
    Recipients now: { $count }
cmp-btn-pause = ⏸ Pause
cmp-btn-resume = ▶️ Resume
cmp-btn-stop = ⛔ Cancel
cmp-btn-stop-yes = ⛔ Yes, cancel the broadcast
cmp-btn-stop-no = ◀️ Keep it
cmp-ctl-paused = ⏸ The broadcast is paused.
cmp-ctl-resumed = ▶️ The broadcast goes on.
cmp-ctl-cancelled = ⛔ The broadcast is cancelled.
cmp-ctl-not-started = The broadcast has not started yet: pausing is possible once it runs. You can cancel it.
cmp-ctl-already-paused = The broadcast is already paused.
cmp-ctl-not-paused = The broadcast is not paused.
cmp-ctl-finished = The broadcast is already over.
cmp-ctl-gone = There is no such broadcast.
