## The bot in MAX: the command line (run, check)

cli-no-max-token =
    MAX_TOKEN is not set, so the bot cannot connect to MAX (MESSENGER=max).
    The MAX business platform (business.max.ru) gives tokens to verified organisations only:
    verify your organisation, create a bot under «Chat bots», wait for its moderation and copy
    the token from the «Integration» tab. Put it into .env as MAX_TOKEN=... and run make run
    again. For Telegram, remove MESSENGER=max.

ops-check-max = MAX
ops-max-ok = token accepted, bot { $name } (id { $id }) at { $server }
ops-max-no-token = MAX_TOKEN is not set: the MAX business platform gives one to a verified organisation once the bot passed moderation
ops-max-rejected = token rejected: { $server } answered 401. Check MAX_TOKEN in .env (the bot's «Integration» tab on the MAX platform)
ops-max-unreachable = MAX unreachable ({ $server }): { $error }
ops-max-error = { $server } answered GET /me with an error: { $error }
