## Family consultations: booking, my bookings

booking-intro =
    <b>👨‍👩‍👧 Consultations for parents</b>

    Free consultations with specialists — for parents and for people who want to take a child into their family:
    psychological and pedagogical, methodical and advisory help.
    Choose a topic, an organisation, a specialist and a convenient time — booking takes a couple of minutes.
booking-btn-book = 📝 Book
booking-btn-mine = 📋 My bookings

booking-ask-service = <b>Booking a consultation</b>

    Choose a topic:
booking-no-services = There is nothing to book right now. Please come back later.
booking-ask-provider =
    Topic: <b>{ $service }</b>

    Which organisation suits you?
booking-any-provider = Any organisation
booking-any-provider-value = any
booking-ask-specialist =
    { $summary }

    Which specialist?
booking-any-specialist = Any free specialist
booking-any-specialist-value = any free one
booking-summary-service = Topic: <b>{ $service }</b>
booking-summary-provider = Organisation: { $provider }
booking-summary-specialist = Specialist: { $specialist }
booking-ask-day =
    { $summary }

    Choose a day — the numbers are days with free time:
booking-no-days = There is no free time in the next { $days } { $days ->
        [one] day
       *[other] days
    }. Go back and choose another organisation or specialist.
booking-cal-noop = No appointments on this day — choose a number.
booking-day-empty = No free time is left on this day — choose another one.
booking-ask-time = <b>{ $day }</b>: choose a time.
booking-time-gone = This time is no longer available — choose another one.
booking-choice-gone = This option is no longer available — choose from the list.
booking-ask-format =
    <b>{ $when }</b>
    Specialist: { $specialist }
    Place: { $place }

    How would you like to hold the consultation?
booking-format-in-person = in person
booking-format-phone = by phone
booking-format-video = by video call
booking-btn-format-in-person = 🏫 In person
booking-btn-format-phone = 📞 By phone
booking-btn-format-video = 💻 By video call

booking-ask-name = How should we address you? Type your name, e.g. “Anna Petrova”.
booking-name-invalid = A name is 2 to 100 characters: letters, spaces and hyphens. Please type it again.
booking-ask-phone = A phone number to reach you: press “📱 Share my number” below or type the number, e.g. +7 999 123-45-67 or 8 (999) 123-45-67.
booking-btn-share-phone = 📱 Share my number
booking-phone-placeholder = +7 999 123-45-67
booking-phone-invalid = That does not look like a Russian phone number. Type it as +7 999 123-45-67 or 8 (999) 123-45-67 — or press “📱 Share my number”.
booking-phone-not-yours = This is another person’s contact. We need your own number: press “📱 Share my number” or type it.
booking-phone-ok = 📞 Phone: { $phone } ✓
booking-back-note = All right, one step back.
booking-ask-age = How old is the child? Type a number from 3 to 18 or skip this question.
booking-age-invalid = Please type the age as a number from 3 to 18, e.g. “9”. Or press “Skip”.
booking-ask-question = Briefly describe your question for the specialist (up to { $limit } characters) — it makes the consultation more useful. You may skip this step.
booking-question-too-long = The question is longer than { $limit } characters (now { $length }). Please shorten it — you can tell more at the consultation.
booking-text-only = This step needs a text answer. To leave the booking: /cancel.
booking-use-buttons = Please choose with the buttons in the message above. To leave the booking: /cancel.

booking-not-given = not given
booking-confirm =
    <b>Please check your booking</b>

    Topic: { $service }
    Organisation: { $place }
    Specialist: { $specialist }
    Date and time: <b>{ $when }</b>
    Format: { $format }
    Name: { $name }
    Phone: { $phone }
    Child’s age: { $age }
    Question: { $question }
booking-btn-confirm = ✅ Confirm
booking-details =
    <b>{ $when }</b>
    Topic: { $service }
    Specialist: { $specialist }
    Place: { $place }
    Format: { $format }
    Booking code: <code>{ $code }</code>
booking-done =
    ✅ <b>You are booked!</b>

    { $details }

    I will remind you before the consultation. To cancel or move it: “Consultations” → “My bookings”.
booking-ics-caption = 📅 Open the file to add the consultation to your calendar.
booking-ics-caption-moved = 📅 The new time for your calendar: open the file and the event is updated.
booking-ics-summary = Consultation: { $service }
booking-ics-description =
    Booking code: { $code }
    Specialist: { $specialist }
    Format: { $format }
    To cancel or move: the bot, “Consultations” → “My bookings”.

booking-slot-taken = 😔 This time has just been taken. Here are the nearest free times — choose one, your other answers are kept:
booking-slot-taken-none = 😔 This time has just been taken and there is no other suitable time yet. Choose another day.
booking-btn-other-day = 📅 Choose another day
booking-limit = You already have { $limit } active { $limit ->
        [one] booking
       *[other] bookings
    } — that is the maximum. Cancel or move one of them in “My bookings”.
booking-gone = This choice is no longer available: the schedule has changed. Please start the booking again.
booking-not-found = The booking was not found or has already been cancelled.
booking-too-late = This consultation has already started or passed — it cannot be changed.

booking-mine-header = <b>📋 My bookings</b>
booking-mine-empty = You have no upcoming bookings.
booking-btn-cancel-item = ❌ Cancel { $when }
booking-btn-move-item = 🔁 Move { $when }
booking-ask-reason =
    Cancel the booking for <b>{ $when }</b> (code <code>{ $code }</code>)?

    Give a reason (optional) — type it or press “No reason”.
booking-btn-no-reason = No reason
booking-reason-too-long = The reason is longer than { $limit } characters — please shorten it.
booking-cancelled = The booking for <b>{ $when }</b> (code <code>{ $code }</code>) is cancelled. Thank you for letting us know: the time is free for other families.
booking-move-ask-day =
    Moving booking <code>{ $code }</code> ({ $when }).

    Choose a new day — the numbers are days with free time:
booking-move-confirm =
    <b>Move booking <code>{ $code }</code>?</b>

    Was: { $old }
    Will be: <b>{ $when }</b>
    Specialist: { $specialist }
    Place: { $place }
    Format: { $format }
booking-moved =
    ✅ <b>The booking is moved</b> (was: { $old }).

    { $details }
