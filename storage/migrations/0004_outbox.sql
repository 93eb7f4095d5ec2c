-- Messages the bot sends on its own initiative: each (chat, kind, item) is queued once, in
-- the transaction of the change that caused it, and sent by the delivery service.
-- state: pending (to send, possibly after next_attempt_at), sent (message_id set),
-- failed (a permanent error, or too many attempts: error says which), dropped (the chat
-- blocked the bot, or a copy was already queued for the chat it migrated to).

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
-- The sender takes the oldest pending message of each chat: messages to a chat keep order.
CREATE INDEX outbox_pending_by_chat ON outbox (chat_id, id) WHERE state = 'pending';
