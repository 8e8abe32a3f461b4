## Events for families: the list, cards, reminders, sharing

events-intro = 📅 <b>Мероприятия по профориентации</b>: «Билет в будущее», уроки «ПроеКТОрии», фестивали профессий, дни открытых дверей.
events-btn-open = 📅 Показать мероприятия
events-header-mine =
    <b>📅 Мероприятия для вас</b> (всего: { $count })
    Подобраны по профилю: роль, класс ребёнка, населённый пункт. Нажмите на мероприятие, чтобы открыть карточку.
events-header-all =
    <b>📅 Все ближайшие мероприятия</b> (всего: { $count })
    Нажмите на мероприятие, чтобы открыть карточку.
events-empty-mine = 📅 Ближайших мероприятий для вас пока нет. Посмотрите все мероприятия или загляните позже.
events-empty-all = 📅 Ближайших мероприятий пока нет. Загляните позже — анонсы появятся здесь.
events-btn-all = 📋 Все мероприятия
events-btn-mine = 🎯 Только для меня

event-card-title = <b>{ $title }</b>
event-card-description = { $text }
event-card-when = 🗓 { $when }
event-card-place = 📍 { $place }
event-card-online = 💻 Онлайн: <a href="{ $url }">ссылка на трансляцию</a>
event-card-audience = 👥 Для кого: { $audience }
event-for-everyone = для всех
event-role-parent = родители
event-role-pupil = ученики
event-role-teacher = педагоги
event-grade-one = { $grade } класс
event-grades = { $first }–{ $last } классы
event-btn-register = 📝 Зарегистрироваться
event-btn-online = 💻 Открыть трансляцию
event-btn-remind = 🔔 Напомнить
event-btn-share = 🔗 Поделиться
event-btn-unremind = 🔕 Не напоминать

event-gone = Это мероприятие больше недоступно: оно уже прошло или снято с афиши. Другие мероприятия — в разделе «📅 События».
event-gone-toast = Это мероприятие больше недоступно: оно уже прошло или снято с афиши.
event-remind-set = 🔔 Напомню { $when }.
event-remind-already = 🔔 Напоминание о «{ $title }» уже стоит: { $when }.
event-unremind-done = 🔕 Хорошо, не напомню о «{ $title }».
event-unremind-done-toast = Напоминание отменено.
event-unremind-none = Напоминания уже нет.
event-share-text =
    Ссылка на мероприятие «{ $title }»:
    { $link }
    Перешлите её — она откроет карточку мероприятия в боте.

event-reminder = ⏰ Напоминание: <b>{ $title }</b> — { $when }
event-reminder-where = 📍 { $where }

## Subscriptions (from the settings screen)

settings-btn-subs = 🔔 Подписки
subs-screen =
    <b>🔔 Подписки</b>

    О чём присылать анонсы? Нажмите на тему, чтобы включить или выключить её — изменения сохраняются сразу.
subs-screen-none =
    <b>🔔 Подписки</b>

    Сейчас вы не получаете анонсов. Нажмите на тему, чтобы подписаться.
subs-topic-orientation = Профориентация и мероприятия
subs-topic-clubs = Кружки и набор в них
subs-topic-consultations = Консультации для семьи
subs-on-toast = Подписка включена ✓
subs-off-toast = Подписка выключена

## Events for staff (/events_admin)

eadm-staff-only = Этот раздел — для сотрудников управления образования.
eadm-list-header = <b>🗂 Мероприятия (для сотрудников)</b> — предстоящих: { $count }
eadm-list-empty = Предстоящих мероприятий нет. Добавьте первое.
eadm-btn-new = ➕ Новое мероприятие
eadm-btn-hide = 🙈 Скрыть с афиши
eadm-btn-show = 👁 Вернуть на афишу
eadm-btn-list = ◀️ К списку
eadm-status-shown = Статус: на афише.
eadm-status-hidden = Статус: 🙈 скрыто — пользователи его не видят.
eadm-hidden-toast = Скрыто с афиши.
eadm-shown-toast = Возвращено на афишу.
eadm-btn-cancel = ✖️ Отмена
eadm-btn-skip = Пропустить
eadm-btn-next = Далее ▶️
eadm-btn-no-registration = Без регистрации
eadm-btn-publish = ✅ Опубликовать
eadm-cancelled = Создание мероприятия отменено. Ничего не сохранено.
eadm-use-buttons = Ответьте на вопрос выше или воспользуйтесь кнопками под ним. Выйти — /cancel.
eadm-ask-title = <b>Новое мероприятие.</b> Шаг 1 из 6: напишите название.
eadm-ask-description = Шаг 2 из 6: коротко опишите мероприятие (или нажмите «Пропустить»).
eadm-ask-starts = Шаг 3 из 6: когда начало? Напишите дату и время в формате ДД.ММ.ГГГГ ЧЧ:ММ (часовой пояс { $zone }), например { $example }.
eadm-ask-place = Шаг 4 из 6: где пройдёт? Напишите адрес или ссылку на онлайн-трансляцию (начинается с https://).
eadm-ask-registration = Шаг 5 из 6: ссылка на регистрацию (https://…) — или нажмите «Без регистрации».
eadm-audience =
    Шаг 6 из 6: <b>для кого</b> мероприятие? Отметьте роли (ничего не отмечено — для всех) и при необходимости классы и населённые пункты.

    Роли: { $roles }
    Классы: { $grades }
    Населённые пункты: { $places }
eadm-confirm = <b>Проверьте мероприятие</b> — так его увидят пользователи:
eadm-published = ✅ Мероприятие «{ $title }» опубликовано.
eadm-published-toast = Опубликовано ✓
eadm-error-title = Название нужно, не длиннее { $limit } символов. Напишите ещё раз.
eadm-error-title-empty = Название не может быть пустым.
eadm-error-description = Описание длинновато: не больше { $limit } символов. Сократите, пожалуйста.
eadm-error-place = Напишите адрес (не длиннее { $limit } символов) или ссылку https://…
eadm-error-url = Это не похоже на ссылку. Нужна ссылка вида https://example.ru/…
eadm-error-roles = Неизвестная роль.
eadm-error-date-format = Не получилось понять дату. Напишите её в формате ДД.ММ.ГГГГ ЧЧ:ММ, например 25.12.2026 15:30.
eadm-error-date-past = Это время уже прошло. Нужна дата в будущем.
eadm-error-grades-format = Напишите класс (например, 8) или диапазон (например, 6-11).
eadm-error-grades-range = Классы — от 1 до 11, и первый не больше последнего.

## Audience segments (events and broadcasts)

segment-all-roles = все
segment-all-grades = все классы
segment-all-places = все населённые пункты
segment-all-languages = все
segment-btn-grades = 🎓 Классы
segment-btn-places = 📍 Населённые пункты
segment-btn-all-grades = Все классы
segment-btn-all-places = Все населённые пункты
segment-ask-grades = Для каких классов? Напишите класс (например, 8) или диапазон (например, 6-11).
segment-ask-places = Для каких населённых пунктов? Напишите названия через запятую, например: Томск, Северск.
segment-places-unclear = Не удалось однозначно найти: { $names }. Проверьте названия и напишите их через запятую ещё раз.
