## Replies to typed messages that are not catalogue questions (handlers/search/replies.py).

intent-greeting =
    Hello! I help you find clubs and sections, book a consultation with a specialist and learn about events.

    Type a question in your own words, for example: <i>robotics for a 10-year-old</i>, or choose a section in the menu.
intent-thanks = You're welcome! If you have more questions, just write.
intent-howareyou = All good, thank you! How can I help? I can find a club, book a consultation or tell you about events.
intent-bye = Goodbye! Come back whenever you need help.
intent-ack = All right! If you need anything else, write or choose a section in the menu.
intent-who = I am the education department's bot: I help with clubs, consultations and events. Type a question in your own words or choose a section in the menu.
intent-offtopic = I can't help with that: I help with clubs, consultations and events. Ask about them or choose a section in the menu.

intent-consult =
    Specialists can help with this: psychologists, teachers, advisers for families taking in a child. <b>Consultations are free</b>, in person, by phone or by video.

    Choose a convenient time with the button below.
intent-consult-topic = Topic: <b>{ $topic }</b>
intent-btn-book = 📝 Book a consultation

intent-events-found = 📅 <b>Events for your question:</b>
intent-events-nearest = No such events yet. 📅 <b>The nearest ones:</b>
intent-events-empty = There are no upcoming events for you right now. Look into «📅 Events» later.
intent-event-line = { $n }. { $when } — { $title }
intent-btn-events = 📅 All events
