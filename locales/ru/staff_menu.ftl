# The staff menu: /admin and the command menu that admins see in their chat.

cmd-admin = Что могут сотрудники
cmd-import = Загрузить каталог из Excel/CSV
cmd-export = Выгрузить каталог в Excel
cmd-consult_admin = Консультации: услуги, специалисты, закрыть дни
cmd-bookings = Записи на консультации по дням
cmd-reports = Выгрузка записей и отчёт по плану
cmd-events_admin = Мероприятия
cmd-broadcast = Рассылка подписчикам

staff-help =
    <b>Для сотрудников</b>

    <b>Каталог кружков</b>
    /import — как загрузить каталог из Excel или CSV (файл можно просто прислать в чат)
    /export — выгрузить каталог в Excel, в том же формате
    В карточке программы или центра есть кнопки «Скрыть» и «Места».

    <b>Консультации</b>
    /consult_admin — услуги и специалисты: скрыть, показать, закрыть дни
    /consult_import — загрузить настройку консультаций из Excel
    /consult_export — выгрузить настройку консультаций
    /bookings — записи по дням
    /linkcode — код, чтобы специалист привязал свой Telegram

    <b>Мероприятия и рассылки</b>
    /events_admin — мероприятия
    /broadcast — новая рассылка подписчикам

    <b>Отчёты</b>
    /reports — выгрузка записей за период и отчёт по годовому плану
