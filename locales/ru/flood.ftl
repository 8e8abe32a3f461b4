## Per-person flood control (bot/middlewares/flood.py): said once when someone sends too much.

flood-notice =
    Вы отправляете сообщения слишком часто, и я не успеваю отвечать.
    Пожалуйста, подождите немного — через несколько секунд после паузы я снова буду отвечать на всё.
flood-notice-short = Слишком много нажатий подряд. Подождите, пожалуйста, несколько секунд.
