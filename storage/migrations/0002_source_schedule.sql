-- When each source is due for its next poll: now + interval after a success, now + backoff
-- after a failure; NULL for a source never polled, which is due at once.

ALTER TABLE sources ADD COLUMN next_poll_at TEXT;

CREATE INDEX sources_by_next_poll ON sources (next_poll_at);
