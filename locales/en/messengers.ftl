## Two messengers (Telegram and MAX): what differs between them

cmp-text-too-long = A broadcast's text can be at most { $limit } characters: MAX accepts no more, and a broadcast goes to Telegram and MAX alike. Please shorten it and send it again.
shell-arg-messenger = the messenger the shell plays: telegram (the default) or max — buttons and HTML as MAX shows them
