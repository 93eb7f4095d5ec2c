-- Sources, briefings with their ordered stories, threaded comments, chats, and the link
-- from a sent Telegram message to the story it shows. AUTOINCREMENT: ids appear in buttons
-- and commands already sent, so a deleted row's id must never name a new one.

CREATE TABLE sources (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    url TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('feed', 'wordpress', 'digest', 'wxr')),
    title TEXT,
    interval_seconds INTEGER NOT NULL DEFAULT 900 CHECK (interval_seconds > 0),
    etag TEXT,
    last_modified TEXT,
    last_success_at TEXT,
    last_error TEXT,
    last_error_at TEXT,
    failures INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);

CREATE TABLE briefings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    source_id INTEGER REFERENCES sources (id) ON DELETE SET NULL,
    key TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    url TEXT,
    published_at TEXT,
    comment_count INTEGER,
    content_hash TEXT NOT NULL,
    ingested_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX briefings_by_date ON briefings (coalesce(published_at, ingested_at) DESC, id DESC);

CREATE TABLE stories (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    briefing_id INTEGER NOT NULL REFERENCES briefings (id) ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position >= 0),
    heading TEXT NOT NULL,
    blocks TEXT NOT NULL,   -- JSON: [[kind, text], ...]
    url TEXT,
    summary TEXT NOT NULL,  -- JSON: [sentence, ...]
    UNIQUE (briefing_id, position)
);

CREATE TABLE comments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    briefing_id INTEGER NOT NULL REFERENCES briefings (id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    parent_key TEXT,
    story_position INTEGER,
    author TEXT,
    body TEXT NOT NULL,
    published_at TEXT,
    origin TEXT NOT NULL CHECK (origin IN ('source', 'chat')),
    position INTEGER NOT NULL,
    UNIQUE (briefing_id, key)
);

CREATE TABLE chats (
    id INTEGER PRIMARY KEY,  -- Telegram's chat id
    type TEXT NOT NULL,
    title TEXT,
    blocked INTEGER NOT NULL DEFAULT 0,
    first_seen_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL
);

CREATE TABLE sent_messages (
    chat_id INTEGER NOT NULL,
    message_id INTEGER NOT NULL,
    briefing_id INTEGER NOT NULL REFERENCES briefings (id) ON DELETE CASCADE,
    story_id INTEGER REFERENCES stories (id) ON DELETE CASCADE,
    sent_at TEXT NOT NULL,
    PRIMARY KEY (chat_id, message_id)
);
