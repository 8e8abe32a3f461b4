## Two messengers (Telegram and MAX): what differs between them

cmp-text-too-long = Текст рассылки — не длиннее { $limit } символов: столько принимает MAX, а рассылка уходит и в Telegram, и в MAX. Сократите текст и пришлите ещё раз.
shell-arg-messenger = мессенджер, который изображает оболочка: telegram (по умолчанию) или max — кнопки и HTML так, как их показывает MAX
