## Events as dialogs: the families' list and the staff's editor (handlers/events)

events-list-line = { $n }. { $at } — { $title }
events-item = { $n }. { $title }
event-card = { $card }

eadm-dialog-line = { $n }. { $at } — { $title }
eadm-dialog-line-hidden = { $n }. { $at } — { $title } (🙈 hidden)
eadm-role-on = ✅ { $role }
eadm-role-off = ⬜ { $role }
eadm-btn-edit-title = ✏️ Title
eadm-btn-edit-description = ✏️ Description
eadm-btn-edit-starts = ✏️ Date and time
eadm-btn-edit-place = ✏️ Place
eadm-btn-edit-registration = ✏️ Registration
