"""Push delivery: the outbox sender, its pacing, and the reply limiter that keeps a flood wait
to its own chat."""
