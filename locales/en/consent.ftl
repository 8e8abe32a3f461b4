## Consent and personal data: opt-in announcements, the booking notice, booking clashes

# The last onboarding screen (after consent): topics offered, none ticked in advance.
subs-offer =
    🔔 <b>Announcements</b>

    Which announcements should I send you? Tick the topics, or just tap “Done” if you want none.
btn-subs-done = Done
subs-chosen = 🔔 Announcements on: { $topics }. To change them: ⚙️ Settings → 🔔 Subscriptions or /subscribe.
subs-chosen-none = 🔔 I will send no announcements. You can subscribe at any time: ⚙️ Settings → 🔔 Subscriptions or /subscribe.
# Subscribing without consent: asked first.
subs-consent-intro = To send you announcements I need to remember the topics you subscribe to, and that needs your consent.
subs-consent-refused = All right: no announcements without consent. Nothing has been saved.

# Shown at the booking step to everyone, with or without profile consent.
booking-notice =
    <b>Who will see the booking's data</b> (notice, version { $version })

    Next I will ask for your name, phone, the child's age and your question to the specialist. Only the specialist you book with (at their organisation) and the education department's staff who run the consultation bookings will see them. The data is not passed to third parties.

    I keep it for { $days } { $days ->
        [one] day
       *[other] days
    } after the consultation, then delete it. To delete it sooner, use /forget.

    Do you agree to hand over this data for the booking?
booking-notice-refused = Without consent to hand over this data, booking through the bot is not possible. Nothing has been stored. You can also book by the organisation's phone.

# Another active booking of the same parent at the same time.
booking-clash =
    ⛔ <b>You already have a booking at this time</b>

    { $details }

    Two consultations at once are not possible. Choose another time, or cancel that booking in “My bookings”.

# /mydata: the booking notice accepted with each booking.
privacy-booking-notice = Booking data notice: version { $version }, accepted { $when }
privacy-booking-notice-none = Booking data notice: not shown (the booking is older than the notice)

# A date with the year, in the configured time zone (bot/dates.py date_text).
date-full = { $day } { $month } { $year }
