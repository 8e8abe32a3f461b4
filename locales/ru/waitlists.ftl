# Waitlists: a full programme's seats, a consultation topic's free time, enrolment start dates.

## A programme's card
programme-enrol-starts = 📅 Начало записи: { $day }
waitlist-btn-join = 🔔 Сообщить, когда появится место
waitlist-btn-leave = ✖️ Не сообщать
enrol-btn-remind = ⏰ Напомнить о начале записи
enrol-btn-unremind = ✖️ Не напоминать о начале записи
waitlist-joined = 🔔 Сообщу, когда появится место. Вы в очереди — кто раньше встал, тому раньше.
waitlist-already = Вы уже в списке ожидания этой программы.
waitlist-has-seats = Места сейчас есть — можно записываться.
waitlist-left = Больше не сообщу об этой программе.
waitlist-not-waiting = Вас нет в списке ожидания этой программы.
enrol-remind-set = ⏰ Напомню утром в день начала записи.
enrol-remind-already = Напоминание о начале записи уже стоит.
enrol-remind-open = Запись уже открыта — можно записываться.
enrol-remind-gone = Дата начала записи неизвестна — напомнить не получится.
enrol-remind-cancelled = Напоминание о начале записи снято.
enrol-remind-none = Напоминания о начале записи не было.

## Staff: the day enrolment opens
btn-enrol-opens = 📅 Начало записи
staff-opens-ask = Когда начинается запись в «{ $name }»? Сейчас: { $now }. Напишите дату, например 01.09.2027, или «-», чтобы убрать.
staff-opens-none = не указано
staff-opens-invalid = Не понял дату. Напишите её как 01.09.2027 или «-», чтобы убрать.
staff-opens-past = Эта дата уже прошла — укажите сегодняшнюю или будущую.
staff-opens-saved = Начало записи: { $day }.

## The September campaign
btn-campaign = 📅 Когда начинается запись
campaign-header = <b>📅 Когда начинается запись</b> — программ: { $total }
campaign-empty = Пока ни у одной программы не указана будущая дата начала записи.
campaign-line = { $n }. { $day } — <b>{ $name }</b> · { $org }

## Notices the bot sends
waitlist-seat-notice = 🔔 <b>Появилось место!</b> Вы ждали его в этой программе. Место держится за вами { $hours } ч — потом узнает следующий в очереди.
waitlist-time-notice = 🔔 <b>Появилось свободное время</b> для консультации «{ $service }». Запишитесь, пока его не заняли.
waitlist-btn-book = 📝 Записаться
enrol-reminder-notice = ⏰ <b>Сегодня начинается запись</b> в программу, о которой вы просили напомнить.

## Booking: no free time within the horizon
waitlist-btn-join-time = 🔔 Сообщить, когда появится время
waitlist-btn-leave-time = ✖️ Не сообщать о свободном времени
waitlist-time-joined = 🔔 Сообщу, когда появится свободное время.
waitlist-time-already = Вы уже ждёте свободное время по этой теме.
waitlist-time-has-room = Свободное время уже есть — выберите день.
waitlist-time-left = Больше не сообщу о свободном времени.
waitlist-time-gone = Эта тема или организация больше недоступна.

## /mydata
privacy-waits-title = <b>Списки ожидания</b> ({ $count }):
privacy-waits-none = Списков ожидания нет.
privacy-wait-programme = • программа «{ $title }» — с { $joined }, { $state }
privacy-wait-consult = • консультация «{ $title }» — с { $joined }, { $state }
privacy-wait-state-waiting = ждёте
privacy-wait-state-told = сообщили { $at }
privacy-wait-state-telling = сообщаем
privacy-wait-state-failed = сообщить не удалось
privacy-enrol-title = <b>Напоминания о начале записи</b> ({ $count }):
privacy-enrol-none = Напоминаний о начале записи нет.
privacy-enrol-line = • «{ $title }» — { $day }, { $state }
privacy-enrol-state-pending = напомню
privacy-enrol-state-sent = напомнил
privacy-enrol-state-other = не отправлено
privacy-enrol-no-day = дата не указана

## Catalogue import
import-problem-day = «{ $value }» — напишите дату, например 01.09.2027
import-problem-day-past = { $value } — эта дата уже прошла
