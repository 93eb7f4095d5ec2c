-- Topic alerts: each distinct topic once (by its canonical form, shared by every chat that
-- follows it), an inverted index of its anchor stems for matching new stories, and which
-- chats follow which topic, in the words the chat typed.

CREATE TABLE topics (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    canonical TEXT NOT NULL UNIQUE,
    query TEXT NOT NULL,  -- JSON: {"any": [[[stem, ...], ...], ...], "not": [[stem, ...], ...]}
    created_at TEXT NOT NULL
);

CREATE TABLE topic_terms (
    term TEXT NOT NULL,
    topic_id INTEGER NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
    PRIMARY KEY (term, topic_id)
) WITHOUT ROWID;
CREATE INDEX topic_terms_by_topic ON topic_terms (topic_id);

CREATE TABLE subscriptions (
    chat_id INTEGER NOT NULL,
    topic_id INTEGER NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (chat_id, topic_id)
);
CREATE INDEX subscriptions_by_topic ON subscriptions (topic_id);
