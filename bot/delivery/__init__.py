"""Push delivery: the outbox sender, its error handling and its pacing."""
