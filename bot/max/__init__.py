"""The bot in MAX: the same dispatcher, handlers and services, carried over MAX's Bot API.

- `session.MaxSession`: an aiogram session that turns the Bot API calls the bot makes into MAX
  calls (`api.MaxApi`) and MAX's answers back into aiogram's types;
- `updates.MaxUpdates`: MAX's updates as aiogram `Update`s for `Dispatcher.feed_update`;
- `keyboards`, `html`, `messages`, `errors`: the translations both directions share.

A MAX message's string `mid` and the integer id aiogram wants are paired in the database
(services/messengers/max_messages.py). MAX's user ids serve as aiogram's user ids: a person in
MAX and a person in Telegram are different users of the bot (one messenger per process). Both
are 9–10 digit numbers, so a Telegram and a MAX process on one database need the users kept
apart (a messenger column, or MAX ids moved above Telegram's 52 bits) before they run together.

Not yet (issue 16): choosing the messenger by settings (MESSENGER, MAX_TOKEN) in the app
factory and runner; MAX long polling and the webhook (secret header `X-Max-Bot-Api-Secret`)
around `feed.MaxFeeder`; broadcasts paced at MAX's limit; the harness's MAX mode; benches.
"""
