## Events as dialogs: the families' list and the staff's editor (handlers/events)

events-list-line = { $n }. { $at } — { $title }
events-item = { $n }. { $title }
