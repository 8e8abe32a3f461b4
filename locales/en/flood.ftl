## Per-person flood control (bot/middlewares/flood.py): said once when someone sends too much.

flood-notice =
    You are sending messages faster than I can answer.
    Please wait a little: a few seconds after you pause I will answer everything again.
flood-notice-short = Too many taps in a row. Please wait a few seconds.
