## Family consultations: booking, my bookings

booking-intro =
    <b>👨‍👩‍👧 Консультации для родителей</b>

    Бесплатные консультации специалистов — для родителей и для тех, кто хочет принять ребёнка в семью:
    психолого-педагогическая, методическая и консультативная помощь.
    Выберите тему, организацию, специалиста и удобное время — запись займёт пару минут.
booking-btn-book = 📝 Записаться
booking-btn-mine = 📋 Мои записи

booking-ask-service = <b>Запись на консультацию</b>

    Выберите тему:
booking-no-services = Сейчас нет тем для записи. Загляните, пожалуйста, позже.
booking-ask-provider =
    Тема: <b>{ $service }</b>

    В какой организации удобнее?
booking-any-provider = Любая организация
booking-any-provider-value = любая
booking-ask-specialist =
    { $summary }

    К какому специалисту?
booking-any-specialist = Любой свободный специалист
booking-any-specialist-value = любой свободный
booking-summary-service = Тема: <b>{ $service }</b>
booking-summary-provider = Организация: { $provider }
booking-summary-specialist = Специалист: { $specialist }
booking-ask-day =
    { $summary }

    Выберите день — числами отмечены дни, когда есть свободное время:
booking-no-days = Свободного времени на { $days } { $days ->
        [one] день
        [few] дня
       *[many] дней
    } вперёд нет. Вернитесь назад и выберите другую организацию или специалиста.
booking-cal-noop = В этот день записи нет — выберите число.
booking-day-empty = На этот день свободного времени не осталось — выберите другой.
booking-ask-time = <b>{ $day }</b>: выберите время.
booking-time-gone = Это время уже недоступно — выберите другое.
booking-choice-gone = Этот вариант больше недоступен — выберите из списка.
booking-ask-format =
    <b>{ $when }</b>
    Специалист: { $specialist }
    Место: { $place }

    Как удобнее провести консультацию?
booking-format-in-person = очно
booking-format-phone = по телефону
booking-format-video = по видеосвязи
booking-btn-format-in-person = 🏫 Очно
booking-btn-format-phone = 📞 По телефону
booking-btn-format-video = 💻 По видеосвязи

booking-ask-name = Как к вам обращаться? Напишите имя, например «Анна Петровна».
booking-name-invalid = Имя — от 2 до 100 символов: буквы, пробелы и дефис. Напишите, пожалуйста, ещё раз.
booking-ask-phone = Номер телефона для связи: нажмите «📱 Поделиться номером» ниже или напишите номер, например +7 999 123-45-67 или 8 (999) 123-45-67.
booking-btn-share-phone = 📱 Поделиться номером
booking-phone-placeholder = +7 999 123-45-67
booking-phone-invalid = Не похоже на номер российского телефона. Напишите его как +7 999 123-45-67 или 8 (999) 123-45-67 — или нажмите «📱 Поделиться номером».
booking-phone-not-yours = Это контакт другого человека. Нужен ваш номер: нажмите «📱 Поделиться номером» или напишите его.
booking-phone-ok = 📞 Телефон: { $phone } ✓
booking-back-note = Хорошо, вернёмся на шаг назад.
booking-ask-age = Сколько лет ребёнку? Напишите число от 3 до 18 или пропустите этот вопрос.
booking-age-invalid = Нужен возраст числом от 3 до 18, например «9». Или нажмите «Пропустить».
booking-ask-question = Коротко опишите вопрос к специалисту (до { $limit } символов) — так консультация будет полезнее. Этот шаг можно пропустить.
booking-question-too-long = Вопрос получился длиннее { $limit } символов (сейчас { $length }). Сократите его, пожалуйста, — подробнее расскажете на консультации.
booking-text-only = На этом шаге нужен ответ текстом. Выйти из записи — /cancel.
booking-use-buttons = Выберите вариант кнопками в сообщении выше. Выйти из записи — /cancel.

booking-not-given = не указано
booking-confirm =
    <b>Проверьте запись</b>

    Тема: { $service }
    Организация: { $place }
    Специалист: { $specialist }
    Дата и время: <b>{ $when }</b>
    Формат: { $format }
    Имя: { $name }
    Телефон: { $phone }
    Возраст ребёнка: { $age }
    Вопрос: { $question }
booking-btn-confirm = ✅ Подтвердить
booking-details =
    <b>{ $when }</b>
    Тема: { $service }
    Специалист: { $specialist }
    Место: { $place }
    Формат: { $format }
    Код записи: <code>{ $code }</code>
booking-done =
    ✅ <b>Вы записаны!</b>

    { $details }

    Я напомню о консультации заранее. Отменить или перенести запись — «Консультации» → «Мои записи».
booking-ics-caption = 📅 Откройте файл, чтобы добавить консультацию в календарь.
booking-ics-caption-moved = 📅 Новое время для календаря: откройте файл, событие обновится.
booking-ics-summary = Консультация: { $service }
booking-ics-description =
    Код записи: { $code }
    Специалист: { $specialist }
    Формат: { $format }
    Отменить или перенести: бот, «Консультации» → «Мои записи».

booking-slot-taken = 😔 Это время только что заняли. Вот ближайшее свободное — выберите, остальные ответы сохранятся:
booking-slot-taken-none = 😔 Это время только что заняли, а другого подходящего времени пока нет. Выберите другой день.
booking-btn-other-day = 📅 Выбрать другой день
booking-limit = У вас уже { $limit } { $limit ->
        [one] активная запись
        [few] активные записи
       *[many] активных записей
    } — это максимум. Отмените или перенесите одну из них в «Моих записях».
booking-gone = Этот выбор больше недоступен: расписание изменилось. Начните запись заново.
booking-not-found = Запись не найдена или уже отменена.
booking-too-late = Эта консультация уже началась или прошла — изменить её нельзя.

booking-mine-header = <b>📋 Мои записи</b>
booking-mine-empty = У вас нет предстоящих записей.
booking-btn-cancel-item = ❌ Отменить { $when }
booking-btn-move-item = 🔁 Перенести { $when }
booking-ask-reason =
    Отменить запись на <b>{ $when }</b> (код <code>{ $code }</code>)?

    Укажите причину (необязательно) — напишите её или нажмите «Без причины».
booking-btn-no-reason = Без причины
booking-reason-too-long = Причина длиннее { $limit } символов — сократите её, пожалуйста.
booking-cancelled = Запись на <b>{ $when }</b> (код <code>{ $code }</code>) отменена. Спасибо, что предупредили: время освободилось для других семей.
booking-move-ask-day =
    Перенос записи <code>{ $code }</code> ({ $when }).

    Выберите новый день — числами отмечены дни, когда есть свободное время:
booking-move-confirm =
    <b>Перенести запись <code>{ $code }</code>?</b>

    Было: { $old }
    Станет: <b>{ $when }</b>
    Специалист: { $specialist }
    Место: { $place }
    Формат: { $format }
booking-moved =
    ✅ <b>Запись перенесена</b> (было: { $old }).

    { $details }
