## Events as dialogs: the families' list and the staff's editor (handlers/events)

events-list-line = { $n }. { $at } — { $title }
events-item = { $n }. { $title }
event-card = { $card }

eadm-dialog-line = { $n }. { $at } — { $title }
eadm-dialog-line-hidden = { $n }. { $at } — { $title } (🙈 скрыто)
eadm-role-on = ✅ { $role }
eadm-role-off = ⬜ { $role }
eadm-btn-edit-title = ✏️ Название
eadm-btn-edit-description = ✏️ Описание
eadm-btn-edit-starts = ✏️ Дата и время
eadm-btn-edit-place = ✏️ Место
eadm-btn-edit-registration = ✏️ Регистрация
