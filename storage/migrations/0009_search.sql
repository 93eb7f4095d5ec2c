-- Full-text search over stories: an external-content FTS5 index whose content is a view
-- holding each story's plain text (its heading, the text of its JSON blocks, its summary
-- sentences), kept in step by triggers, as sqlite-utils does. Snippets read the view.

CREATE VIEW stories_text (id, heading, body, summary) AS
SELECT
    s.id,
    s.heading,
    (SELECT group_concat(json_extract(b.value, '$[1]'), char(10)) FROM json_each(s.blocks) b),
    (SELECT group_concat(m.value, ' ') FROM json_each(s.summary) m)
FROM stories s;

CREATE VIRTUAL TABLE stories_fts USING fts5 (
    heading, body, summary,
    content = 'stories_text', content_rowid = 'id',
    tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE TRIGGER stories_fts_insert AFTER INSERT ON stories BEGIN
    INSERT INTO stories_fts (rowid, heading, body, summary) VALUES (
        new.id, new.heading,
        (SELECT group_concat(json_extract(value, '$[1]'), char(10)) FROM json_each(new.blocks)),
        (SELECT group_concat(value, ' ') FROM json_each(new.summary))
    );
END;

CREATE TRIGGER stories_fts_delete AFTER DELETE ON stories BEGIN
    INSERT INTO stories_fts (stories_fts, rowid, heading, body, summary) VALUES (
        'delete', old.id, old.heading,
        (SELECT group_concat(json_extract(value, '$[1]'), char(10)) FROM json_each(old.blocks)),
        (SELECT group_concat(value, ' ') FROM json_each(old.summary))
    );
END;

CREATE TRIGGER stories_fts_update AFTER UPDATE OF heading, blocks, summary ON stories BEGIN
    INSERT INTO stories_fts (stories_fts, rowid, heading, body, summary) VALUES (
        'delete', old.id, old.heading,
        (SELECT group_concat(json_extract(value, '$[1]'), char(10)) FROM json_each(old.blocks)),
        (SELECT group_concat(value, ' ') FROM json_each(old.summary))
    );
    INSERT INTO stories_fts (rowid, heading, body, summary) VALUES (
        new.id, new.heading,
        (SELECT group_concat(json_extract(value, '$[1]'), char(10)) FROM json_each(new.blocks)),
        (SELECT group_concat(value, ' ') FROM json_each(new.summary))
    );
END;

-- Backfill the stories stored before this migration.
INSERT INTO stories_fts (rowid, heading, body, summary)
SELECT id, heading, body, summary FROM stories_text;

-- Search leaves out the stories of sources a chat turned off through this index.
CREATE INDEX briefings_by_source ON briefings (source_id);

-- The recent searches of each chat, so that a page button names a search by its id: the
-- query itself may not fit Telegram's 64 bytes of callback data.
CREATE TABLE searches (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    chat_id INTEGER NOT NULL,
    query TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX searches_by_chat ON searches (chat_id, id);
