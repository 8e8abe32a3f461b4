## Consent and personal data: opt-in announcements, the booking notice, booking clashes

# The last onboarding screen (after consent): topics offered, none ticked in advance.
subs-offer =
    🔔 <b>Анонсы</b>

    О чём присылать анонсы? Отметьте темы — или просто нажмите «Готово», если анонсы не нужны.
btn-subs-done = Готово
subs-chosen = 🔔 Анонсы на темы: { $topics }. Изменить: ⚙️ Настройки → 🔔 Подписки или /subscribe.
subs-chosen-none = 🔔 Анонсы присылать не буду. Подписаться можно в любой момент: ⚙️ Настройки → 🔔 Подписки или /subscribe.
# Subscribing without consent: asked first.
subs-consent-intro = Чтобы присылать анонсы, мне нужно запомнить, на какие темы вы подписаны, — для этого нужно ваше согласие.
subs-consent-refused = Хорошо, без согласия анонсы не присылаю. Ничего не сохранено.

# Shown at the booking step to everyone, with or without profile consent.
booking-notice =
    <b>Кто увидит данные записи</b> (уведомление, редакция { $version })

    Дальше я спрошу имя, телефон, возраст ребёнка и ваш вопрос к специалисту. Их увидят только специалист, к которому вы записываетесь (в его организации), и сотрудники управления образования, которые ведут запись на консультации. Третьим лицам данные не передаются.

    Храню их { $days } { $days ->
        [one] день
        [few] дня
       *[many] дней
    } после консультации, затем удаляю. Удалить раньше можно командой /forget.

    Согласны передать эти данные для записи?
booking-notice-refused = Без согласия на передачу этих данных записаться через бота нельзя. Ничего не сохранено. Записаться можно и по телефону организации.

# Another active booking of the same parent at the same time.
booking-clash =
    ⛔ <b>В это время у вас уже есть запись</b>

    { $details }

    Две консультации в одно время не получится. Выберите другое время или отмените ту запись в «Моих записях».

# /mydata: the booking notice accepted with each booking.
privacy-booking-notice = Уведомление о данных записи: редакция { $version }, принято { $when }
privacy-booking-notice-none = Уведомление о данных записи: не показывалось (запись сделана раньше)

# A date with the year, in the configured time zone (bot/dates.py date_text).
date-full = { $day } { $month } { $year }
