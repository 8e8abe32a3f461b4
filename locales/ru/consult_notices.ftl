## Consultations: reminders and notices sent by the bot on its own

notice-reminder =
    ⏰ <b>Напоминание о консультации</b> — { $when }
    { $service }
    Специалист: { $specialist }
    Где: { $place }
    Формат: { $format }
    Код записи: <code>{ $code }</code>
    Отменить или перенести можно в разделе «Консультации» → «Мои записи».
notice-format-in_person = очно
notice-format-phone = по телефону
notice-format-video = по видеосвязи
notice-slot-closed =
    😔 К сожалению, консультация { $when } ({ $specialist }) отменена: специалист в этот день не принимает.
    Запишитесь, пожалуйста, на другое время в разделе «Консультации». Код отменённой записи: <code>{ $code }</code>.
notice-specialist-booked =
    🆕 Новая запись — { $when }
    { $service }, { $format }
    Родитель: { $name }, { $phone }
    Возраст ребёнка: { $age }
    Вопрос: { $question }
    Код: <code>{ $code }</code>
notice-specialist-cancelled = ❌ Запись отменена — { $when }, код <code>{ $code }</code>. Причина: { $reason }
notice-specialist-moved = 🔁 Запись перенесена: было { $old }, стало { $when }. Код <code>{ $code }</code>.
notice-none = —
notice-reason-closed = сотрудники закрыли этот день
