"""What a messenger other than Telegram needs the database to remember."""
