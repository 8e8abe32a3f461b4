## Consultations: reminders and notices sent by the bot on its own

notice-reminder =
    ⏰ <b>Consultation reminder</b>: { $when }
    { $service }
    Specialist: { $specialist }
    Where: { $place }
    Format: { $format }
    Booking code: <code>{ $code }</code>
    You can cancel or move it in «Consultations» → «My bookings».
notice-format-in_person = in person
notice-format-phone = by phone
notice-format-video = by video call
notice-slot-closed =
    😔 Sorry, the consultation on { $when } ({ $specialist }) is cancelled: the specialist is not available that day.
    Please book another time in «Consultations». Code of the cancelled booking: <code>{ $code }</code>.
notice-specialist-booked =
    🆕 New booking: { $when }
    { $service }, { $format }
    Parent: { $name }, { $phone }
    Child's age: { $age }
    Question: { $question }
    Code: <code>{ $code }</code>
notice-specialist-cancelled = ❌ Booking cancelled: { $when }, code <code>{ $code }</code>. Reason: { $reason }
notice-specialist-moved = 🔁 Booking moved: was { $old }, now { $when }. Code <code>{ $code }</code>.
notice-none = —
notice-reason-closed = staff closed this day
