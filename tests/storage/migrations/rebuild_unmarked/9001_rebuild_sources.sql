-- The rebuild of ../rebuild without its foreign_keys=off marker.

CREATE TABLE sources_rebuilt (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    url TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('feed', 'wordpress', 'digest', 'wxr')),
    title TEXT CHECK (title IS NULL OR trim(title) != ''),
    interval_seconds INTEGER NOT NULL DEFAULT 900 CHECK (interval_seconds > 0),
    etag TEXT,
    last_modified TEXT,
    last_success_at TEXT,
    last_error TEXT,
    last_error_at TEXT,
    failures INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),
    created_at TEXT NOT NULL,
    next_poll_at TEXT
);

INSERT INTO sources_rebuilt (id, url, kind, title, interval_seconds, etag, last_modified,
    last_success_at, last_error, last_error_at, failures, created_at, next_poll_at)
SELECT id, url, kind, title, interval_seconds, etag, last_modified, last_success_at,
    last_error, last_error_at, failures, created_at, next_poll_at
FROM sources;

DROP TABLE sources;

ALTER TABLE sources_rebuilt RENAME TO sources;

CREATE INDEX sources_by_next_poll ON sources (next_poll_at);
