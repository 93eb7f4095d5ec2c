-- What the optional LLM answered, kept so that no request waits for it and no answer is
-- asked for twice: highlight picks per discussion scope, and edition overviews.

-- scope: -1 for the whole briefing's discussion, else the story's position in it.
-- comment_ids: a JSON array of comment ids, best first, all among that scope's comments.
-- comments_seen: how many comments the scope had when they were picked (re-picked once
-- the discussion has grown enough).
CREATE TABLE llm_highlight_picks (
    briefing_id INTEGER NOT NULL REFERENCES briefings (id) ON DELETE CASCADE,
    scope INTEGER NOT NULL CHECK (scope >= -1),
    comment_ids TEXT NOT NULL,
    comments_seen INTEGER NOT NULL CHECK (comments_seen >= 0),
    picked_at TEXT NOT NULL,
    PRIMARY KEY (briefing_id, scope)
) WITHOUT ROWID;

-- key: a digest of exactly what was asked (the edition's stories and summaries), so a
-- changed edition asks again and an unchanged one never does.
CREATE TABLE llm_overviews (
    key TEXT PRIMARY KEY,
    overview TEXT NOT NULL,
    written_at TEXT NOT NULL
) WITHOUT ROWID;
