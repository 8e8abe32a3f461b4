## Broadcast progress and final report (shown to the admin who sent it)

broadcast-status-scheduled = запланирована
broadcast-status-running = идёт
broadcast-status-paused = на паузе
broadcast-status-done = завершена
broadcast-status-cancelled = отменена
broadcast-progress-running =
    📣 Рассылка №{ $id } — { $status }
    Отправлено: { $sent } из { $total }
    Не доставлено: { $failed } · заблокировали бота: { $blocked }
    Скорость: { $rate } сообщ./с · осталось примерно { $eta }
broadcast-progress-done =
    ✅ Рассылка №{ $id } завершена
    Доставлено: { $sent } из { $total }
    Не доставлено: { $failed } · заблокировали бота: { $blocked }
    Средняя скорость: { $rate } сообщ./с
broadcast-progress-cancelled =
    ⛔ Рассылка №{ $id } отменена
    Успели отправить: { $sent } из { $total } (не отправлено: { $left })
    Не доставлено: { $failed } · заблокировали бота: { $blocked }
