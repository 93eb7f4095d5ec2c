-- Messages the bot sends on its own initiative: each (chat, kind, item) is queued once, in
-- the transaction of the change that caused it, and sent by the delivery service.

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    chat_id INTEGER NOT NULL,
    kind TEXT NOT NULL,
    item_key TEXT NOT NULL,
    text TEXT NOT NULL,
    buttons TEXT NOT NULL DEFAULT '[]',  -- JSON: [[[text, callback_data, url], ...], ...]
    briefing_id INTEGER REFERENCES briefings (id) ON DELETE SET NULL,
    story_id INTEGER REFERENCES stories (id) ON DELETE SET NULL,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed', 'dropped')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    created_at TEXT NOT NULL,
    sent_at TEXT,
    message_id INTEGER,
    error TEXT,
    UNIQUE (chat_id, kind, item_key)
);
CREATE INDEX outbox_pending ON outbox (next_attempt_at) WHERE state = 'pending';
