-- Highlight rankings kept per discussion scope, so that no request ranks a discussion.
-- scope: -1 for the briefing's whole discussion, else the story's position (as in
-- llm_highlight_picks). A scope with no row was never ranked: the first read ranks it.
-- The triggers mark a scope stale in the same transaction as the comment write that
-- changes it; a stale scope is ranked again on its next read when it is small, and by a
-- repeating job (at most every few seconds) when it is big.

CREATE TABLE highlight_scopes (
    briefing_id INTEGER NOT NULL REFERENCES briefings (id) ON DELETE CASCADE,
    scope INTEGER NOT NULL CHECK (scope >= -1),
    stale INTEGER NOT NULL DEFAULT 1 CHECK (stale IN (0, 1)),
    comments INTEGER NOT NULL DEFAULT 0,  -- comments (not deleted) when last ranked
    shown INTEGER NOT NULL DEFAULT 0,     -- of them, those the discussion view shows
    newest_chat_id INTEGER,               -- the newest chat comment, when ranked
    ranked_at TEXT,                       -- NULL: never ranked
    PRIMARY KEY (briefing_id, scope)
) WITHOUT ROWID;
CREATE INDEX highlight_scopes_stale ON highlight_scopes (stale, ranked_at);

-- place: 0 is the best. replies: how many comments answer it, directly or not.
-- No foreign key to comments: reads join them (a hard-deleted comment drops out), and
-- deleting a briefing's comments must not look each one up here.
CREATE TABLE highlight_ranks (
    briefing_id INTEGER NOT NULL,
    scope INTEGER NOT NULL,
    place INTEGER NOT NULL CHECK (place >= 0),
    comment_id INTEGER NOT NULL,
    replies INTEGER NOT NULL CHECK (replies >= 0),
    PRIMARY KEY (briefing_id, scope, place),
    FOREIGN KEY (briefing_id, scope) REFERENCES highlight_scopes (briefing_id, scope)
        ON DELETE CASCADE
) WITHOUT ROWID;

CREATE TRIGGER highlight_stale_on_insert AFTER INSERT ON comments
BEGIN
    INSERT INTO highlight_scopes (briefing_id, scope) VALUES (NEW.briefing_id, -1)
        ON CONFLICT (briefing_id, scope) DO UPDATE SET stale = 1;
    INSERT INTO highlight_scopes (briefing_id, scope)
        SELECT NEW.briefing_id, NEW.story_position WHERE NEW.story_position IS NOT NULL
        ON CONFLICT (briefing_id, scope) DO UPDATE SET stale = 1;
END;

CREATE TRIGGER highlight_stale_on_update
AFTER UPDATE OF body, parent_key, story_position, author, published_at, deleted_at ON comments
BEGIN
    UPDATE highlight_scopes SET stale = 1
        WHERE briefing_id = OLD.briefing_id AND stale = 0
        AND scope IN (-1, coalesce(OLD.story_position, -1), coalesce(NEW.story_position, -1));
END;

CREATE TRIGGER highlight_stale_on_delete AFTER DELETE ON comments
BEGIN
    UPDATE highlight_scopes SET stale = 1
        WHERE briefing_id = OLD.briefing_id AND stale = 0
        AND scope IN (-1, coalesce(OLD.story_position, -1));
END;
