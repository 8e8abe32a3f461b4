## Broadcast progress and final report (shown to the admin who sent it)

broadcast-status-scheduled = scheduled
broadcast-status-running = running
broadcast-status-paused = paused
broadcast-status-done = finished
broadcast-status-cancelled = cancelled
broadcast-progress-running =
    📣 Broadcast #{ $id }: { $status }
    Sent: { $sent } of { $total }
    Not delivered: { $failed } · blocked the bot: { $blocked }
    Rate: { $rate } msg/s · about { $eta } left
broadcast-progress-done =
    ✅ Broadcast #{ $id } finished
    Delivered: { $sent } of { $total }
    Not delivered: { $failed } · blocked the bot: { $blocked }
    Average rate: { $rate } msg/s
broadcast-progress-cancelled =
    ⛔ Broadcast #{ $id } cancelled
    Sent before it stopped: { $sent } of { $total } (not sent: { $left })
    Not delivered: { $failed } · blocked the bot: { $blocked }
