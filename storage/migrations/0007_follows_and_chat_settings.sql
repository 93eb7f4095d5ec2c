-- What each chat follows and how it wants its news. A new chat follows every source, so only
-- the sources a chat turned off are stored; a chat without settings uses the bot's defaults.

CREATE TABLE unfollowed_sources (
    chat_id INTEGER NOT NULL,
    source_id INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    PRIMARY KEY (chat_id, source_id)
) WITHOUT ROWID;

CREATE TABLE chat_settings (
    chat_id INTEGER PRIMARY KEY,
    timezone TEXT,          -- IANA name or a fixed offset such as "UTC+02:00"; NULL: the bot's
    daily_time TEXT,        -- local "HH:MM" of the daily edition; NULL: off
    next_daily_at TEXT,     -- UTC, fixed-width ISO text, for the delivery tick's index
    language TEXT           -- NULL: follow the user's Telegram language
);
CREATE INDEX chat_settings_by_next_daily ON chat_settings (next_daily_at)
    WHERE next_daily_at IS NOT NULL;
