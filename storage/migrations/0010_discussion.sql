-- Chat comments know who wrote them and which Telegram message they are, so that they can be
-- edited, deleted, muted and answered; a sent message may show one comment; a comment that
-- waits for its reader to pick a story; per-user reply notifications and mutes.

ALTER TABLE comments ADD COLUMN author_user_id INTEGER;  -- NULL: a source, an anonymous admin
ALTER TABLE comments ADD COLUMN chat_id INTEGER;         -- the message that wrote it
ALTER TABLE comments ADD COLUMN message_id INTEGER;
ALTER TABLE comments ADD COLUMN created_at TEXT;         -- by the bot's clock, for rate limits
ALTER TABLE comments ADD COLUMN edited_at TEXT;
ALTER TABLE comments ADD COLUMN deleted_at TEXT;
CREATE UNIQUE INDEX comments_by_message ON comments (chat_id, message_id)
    WHERE chat_id IS NOT NULL;
CREATE INDEX comments_by_author ON comments (author_user_id, created_at)
    WHERE author_user_id IS NOT NULL;

-- The message shows this one comment (a comments page entry picked, a reply notification).
ALTER TABLE sent_messages ADD COLUMN comment_id INTEGER
    REFERENCES comments (id) ON DELETE SET NULL;

CREATE TABLE pending_comments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    briefing_id INTEGER NOT NULL REFERENCES briefings (id) ON DELETE CASCADE,
    chat_id INTEGER NOT NULL,
    message_id INTEGER NOT NULL,
    user_id INTEGER,
    author TEXT,
    body TEXT NOT NULL,
    published_at TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (chat_id, message_id)
);

CREATE TABLE reply_notifications_off (
    user_id INTEGER PRIMARY KEY
);

CREATE TABLE muted_users (
    user_id INTEGER PRIMARY KEY,
    muted_by INTEGER,
    muted_at TEXT NOT NULL
);
