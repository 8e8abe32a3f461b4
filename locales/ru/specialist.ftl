## Specialists: linking an account, bookings by day, marking; the parent's rating; admins' view

spec-admin-only = Эта команда — только для администраторов.
spec-only =
    Этот раздел — только для специалистов, которые ведут консультации.
    Если вы специалист, попросите у администратора код привязки и отправьте его так: <code>/link КОД</code>.

spec-linkcode-usage =
    Укажите специалиста после команды — внешний код или номер, например <code>/linkcode { $example }</code>.

    <b>Специалисты</b> (✅ — аккаунт привязан):
    { $list }
spec-linkcode-line = <code>{ $ref }</code> — { $name }, { $provider }
spec-linkcode-line-linked = <code>{ $ref }</code> — { $name }, { $provider } ✅
spec-linkcode-more = …и ещё { $count }.
spec-linkcode-empty = Специалистов пока нет: сначала загрузите расписание консультаций.
spec-not-found = Специалист «{ $ref }» не найден. Отправьте /linkcode без параметров — покажу список.
spec-linkcode-made =
    🔑 Код привязки для специалиста <b>{ $name }</b> ({ $provider }):

    <code>{ $code }</code>

    Передайте код специалисту лично: пусть отправит боту <code>/link { $code }</code>.
    Код одноразовый; новый код отменяет прежний.
spec-linkcode-relink = ⚠️ К этому специалисту уже привязан аккаунт в мессенджере — после ввода кода привязка перейдёт на новый аккаунт.

spec-link-usage = Отправьте код привязки, который дал администратор, например: <code>/link ABCD2345</code>.
spec-link-bad = Код не подошёл: он неверный или уже использован. Проверьте его или попросите у администратора новый. Ничего не изменилось.
spec-link-taken = Этот аккаунт уже привязан к специалисту { $name }. Один аккаунт — один специалист; чтобы сменить привязку, обратитесь к администратору. Ничего не изменилось.
spec-link-done =
    ✅ Готово! Аккаунт привязан: <b>{ $name }</b>, { $provider }.

    Что теперь доступно:
    /today — записи на сегодня
    /week — записи на 7 дней вперёд

    Когда консультация началась, под ней появятся кнопки «✅ Состоялась» и «🚫 Не пришли» — отметьте, как прошло (кнопка «🔄 Обновить» показывает их, не открывая список заново). После отметки «Состоялась» родитель получит просьбу оценить встречу.
    О новых записях и отменах бот сообщит сам.

spec-unlink-usage = Укажите специалиста: <code>/unlink { $example }</code>.
spec-unlink-done = Аккаунт в мессенджере отвязан от специалиста { $name }.
spec-unlink-none = К специалисту { $name } аккаунт не привязан — отвязывать нечего.

spec-day-header = 📋 <b>Ваши записи на { $day }</b>
spec-week-header = 📋 <b>Ваши записи: { $first } — { $last }</b>
spec-all-header = 🗂 <b>Все записи на { $day }</b>
spec-day-title = <b>{ $day }</b>
spec-day-empty = Записей на этот день нет.
spec-week-empty = Записей на эти дни нет.
spec-page = Страница { $page } из { $pages }
spec-booking =
    <b>{ $time }</b> · { $service } · { $format }
    👤 { $name }, { $phone }
    🧒 Возраст ребёнка: { $age }
    💬 { $question }
    Код <code>{ $code }</code> · { $status }
spec-booking-all =
    <b>{ $time }</b> · { $specialist }
    { $service } · { $format }
    👤 { $name }, { $phone }
    🧒 Возраст ребёнка: { $age }
    💬 { $question }
    Код <code>{ $code }</code> · { $status }
spec-none = —
spec-status-active = 🕓 ожидается
spec-status-unmarked = ❔ не отмечена
spec-status-done = ✅ состоялась
spec-status-missed = 🚫 не пришли
spec-status-rated = { $status } · оценка { $rating }/5
spec-btn-done = ✅ { $time } Состоялась
spec-btn-missed = 🚫 { $time } Не пришли
spec-btn-prev = ◀️
spec-btn-next = ▶️
spec-btn-today = Сегодня
spec-btn-refresh = 🔄 Обновить
spec-btn-page-prev = ⬅️ стр. { $page }
spec-btn-page-next = стр. { $page } ➡️

spec-marked-done = Отмечено: консультация состоялась. Родителя попросим её оценить.
spec-marked-missed = Отмечено: не пришли.
spec-mark-already = Эта запись уже отмечена: { $status }.
spec-mark-cancelled = Эта запись отменена — отмечать нечего.
spec-mark-too-early = Консультация ещё не началась — отметить её можно после начала.
spec-mark-not-found = Такой записи среди ваших нет.

rate-ask =
    🙏 Как прошла консультация { $when }?
    { $service }, специалист { $specialist }.

    Оцените её от 1 до 5 — это поможет нам работать лучше.
rate-btn = ⭐{ $stars }
rate-saved = Спасибо! Ваша оценка: { $stars }
rate-comment-ask = Хотите добавить комментарий? Напишите его одним сообщением (до { $max } символов) или нажмите «Без комментария».
rate-btn-no-comment = Без комментария
rate-already = Вы уже оценили эту консультацию. Спасибо!
rate-not-found = Эту консультацию оценить нельзя.
rate-comment-saved = Спасибо за отзыв! Он сохранён.
rate-comment-skipped = Хорошо, без комментария. Спасибо за оценку!
rate-comment-too-long = Комментарий длиннее { $max } символов (у вас { $length }). Сократите его, пожалуйста, или нажмите «Без комментария».
rate-comment-empty = Напишите комментарий текстом или нажмите «Без комментария».
rate-comment-already = Комментарий к этой консультации уже сохранён.
