"""Getting messages to Telegram: pacing, retries, and what a failed send says about a chat."""
