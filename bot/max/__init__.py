"""The bot in MAX: the same dispatcher, handlers and services, carried over MAX's Bot API.

- `session.MaxSession`: an aiogram session that turns the Bot API calls the bot makes into MAX
  calls (`api.MaxApi`) and MAX's answers back into aiogram's types;
- `updates.MaxUpdates`: MAX's updates as aiogram `Update`s for `Dispatcher.feed_update`;
- `keyboards`, `html`, `messages`, `errors`: the translations both directions share.
- `polling`, `webhook`, `runner`, `runtime`: the running bot in MAX (MESSENGER=max), around
  the Telegram runner's shared pieces (bot/runner.py).

A MAX message's string `mid` and the integer id aiogram wants are paired in the database
(services/messengers/max_messages.py). A MAX person is `from_max(MAX user id)` in the bot
(services/messengers/ids.py): a Telegram and a MAX process share one database, and each sends
only to its own people (bot/messenger_guard.py).
"""
