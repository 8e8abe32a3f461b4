## Privacy: what the bot stores about a user (/mydata) and forgetting it (/forget)

cmd-mydata = Какие мои данные хранит бот
cmd-forget = Удалить мои данные

privacy-title =
    🔐 <b>Что бот хранит о вас</b>
    { $messenger } ID: <code>{ $user_id }</code>
privacy-profile =
    <b>Профиль</b>
    Язык: { $language }
    Роль: { $role }
    Населённый пункт: { $locality }
    Согласие на обработку данных: { $consent }
    Первое обращение: { $created }
    Настройка пройдена: { $onboarded }
privacy-profile-none = <b>Профиль</b>: не сохранён.
privacy-consent-given = редакция { $version }, дано { $when }
privacy-consent-none = не давалось
privacy-blocked = Сообщения бота не доставлялись (бот заблокирован): { $when }
privacy-state =
    <b>Незавершённый диалог</b>
    Шаг: <code>{ $state }</code>
    Введённые ответы: <code>{ $data }</code>
privacy-state-none = <b>Незавершённый диалог</b>: нет.
privacy-specialist = <b>Аккаунт специалиста</b>: привязан к «{ $name }», { $provider }.
privacy-bookings-title = <b>Записи на консультации</b>: { $count }
privacy-bookings-none = <b>Записи на консультации</b>: нет.
privacy-booking =
    <code>{ $code }</code> · { $when } · { $status }
    { $service }, { $specialist }, { $format }
    Имя: { $name } · Телефон: { $phone }
    Возраст ребёнка: { $age }
    Вопрос: { $question }
    Оценка: { $rating } · Комментарий: { $comment }
    Причина отмены: { $reason }
    Запись создана: { $created }
privacy-status-active = предстоит
privacy-status-cancelled = отменена
privacy-status-done = состоялась
privacy-status-missed = пропущена
privacy-subscriptions = <b>Подписки на анонсы</b>: { $topics }
privacy-subscriptions-none = <b>Подписки на анонсы</b>: нет.
privacy-reminders-title = <b>Напоминания о мероприятиях</b>: { $count }
privacy-reminders-none = <b>Напоминания о мероприятиях</b>: нет.
privacy-reminder = <b>{ $title }</b> · { $when } · { $state }
privacy-reminder-pending = напомню { $due }
privacy-reminder-sent = напоминание отправлено { $sent }
privacy-reminder-uncertain = напоминание, возможно, отправлено
privacy-reminder-skipped = не отправлено: мероприятие началось или снято
privacy-none = —
privacy-footer = Удалить эти данные: /forget

privacy-forget-ask =
    ⚠️ <b>Удалить ваши данные?</b>

    • предстоящие записи на консультации будут отменены (специалисты получат уведомление);
    • из всех ваших записей удалятся имя, телефон, возраст ребёнка, вопрос, комментарий и причина отмены;
    • удалится профиль: язык, роль, населённый пункт, возраст или класс ребёнка, согласие;
    • удалятся подписки на анонсы и напоминания о мероприятиях, а ещё не отправленные вам анонсы не придут;
    • сбросится незавершённый диалог.
privacy-forget-warning = В отчётах управления останутся только обезличенный счёт консультаций и отметки о доставке уже отправленных вам анонсов. Из резервных копий базы данные исчезнут, когда копии будут удалены по истечении срока хранения; уведомления о ваших записях, которые специалисты уже получили в мессенджере, бот удалить не может. Вернуть данные будет нельзя.
privacy-forget-ask-specialist = • аккаунт будет отвязан от специалиста «{ $name }» — записи к нему будут видны только администраторам, пока не привяжут новый аккаунт.
privacy-btn-forget-yes = Да, удалить
privacy-btn-forget-no = Отмена
privacy-forget-done =
    ✅ Ваши данные удалены.
    Отменено предстоящих записей: { $cancelled }. Обезличено записей: { $anonymised }.
    В резервных копиях базы они останутся, пока эти копии не будут удалены по истечении срока хранения.

    Если напишете боту снова, он начнёт с чистого листа, как с новым пользователем.
privacy-forget-kept = Хорошо, ничего не удалено.
privacy-forget-reason = родитель удалил свои данные из бота
