## Privacy: what the bot stores about a user (/mydata) and forgetting it (/forget)

cmd-mydata = What data the bot keeps about me
cmd-forget = Delete my data

privacy-title =
    🔐 <b>What the bot keeps about you</b>
    { $messenger } ID: <code>{ $user_id }</code>
privacy-profile =
    <b>Profile</b>
    Language: { $language }
    Role: { $role }
    Locality: { $locality }
    Consent to data processing: { $consent }
    First contact: { $created }
    Set-up finished: { $onboarded }
privacy-profile-none = <b>Profile</b>: not stored.
privacy-consent-given = version { $version }, given { $when }
privacy-consent-none = not given
privacy-blocked = The bot's messages could not be delivered (bot blocked): { $when }
privacy-state =
    <b>Unfinished dialog</b>
    Step: <code>{ $state }</code>
    Answers entered: <code>{ $data }</code>
privacy-state-none = <b>Unfinished dialog</b>: none.
privacy-specialist = <b>Specialist account</b>: linked to “{ $name }”, { $provider }.
privacy-bookings-title = <b>Consultation bookings</b>: { $count }
privacy-bookings-none = <b>Consultation bookings</b>: none.
privacy-booking =
    <code>{ $code }</code> · { $when } · { $status }
    { $service }, { $specialist }, { $format }
    Name: { $name } · Phone: { $phone }
    Child's age: { $age }
    Question: { $question }
    Rating: { $rating } · Comment: { $comment }
    Cancellation reason: { $reason }
    Booked at: { $created }
privacy-status-active = upcoming
privacy-status-cancelled = cancelled
privacy-status-done = held
privacy-status-missed = missed
privacy-subscriptions = <b>Announcement subscriptions</b>: { $topics }
privacy-subscriptions-none = <b>Announcement subscriptions</b>: none.
privacy-reminders-title = <b>Event reminders</b>: { $count }
privacy-reminders-none = <b>Event reminders</b>: none.
privacy-reminder = <b>{ $title }</b> · { $when } · { $state }
privacy-reminder-pending = reminder due { $due }
privacy-reminder-sent = reminder sent { $sent }
privacy-reminder-uncertain = the reminder may have been sent
privacy-reminder-skipped = not sent: the event started or was withdrawn
privacy-none = —
privacy-footer = To delete this data: /forget

privacy-forget-ask =
    ⚠️ <b>Delete your data?</b>

    • upcoming consultation bookings will be cancelled (the specialists are told);
    • name, phone, child's age, question, comment and cancellation reason are removed from all your bookings;
    • the profile is deleted: language, role, locality, child's age or grade, consent;
    • announcement subscriptions and event reminders are deleted, and announcements not yet sent to you will not come;
    • an unfinished dialog is reset.
privacy-forget-warning = The department's reports keep only an anonymous count of consultations and the delivery records of announcements already sent to you. Database backups keep your data until those backups are deleted at the end of their retention period; notices about your bookings that specialists have already received in their messenger cannot be deleted by the bot. This cannot be undone.
privacy-forget-ask-specialist = • the account is unlinked from specialist “{ $name }” — their bookings are visible only to administrators until a new account is linked.
privacy-btn-forget-yes = Yes, delete
privacy-btn-forget-no = Cancel
privacy-forget-done =
    ✅ Your data has been deleted.
    Upcoming bookings cancelled: { $cancelled }. Bookings anonymised: { $anonymised }.
    Database backups keep it until those backups are deleted at the end of their retention period.

    If you write to the bot again, it starts afresh, as with a new user.
privacy-forget-kept = All right, nothing was deleted.
privacy-forget-reason = the parent deleted their data from the bot
