"""Notices to people of the other messenger: queued by the process that cannot reach them,
sent by the one that can (services/notices/queue.py)."""
