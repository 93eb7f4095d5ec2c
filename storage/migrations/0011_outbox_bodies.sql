-- Message bodies shared by many chats, stored once: an alert's text and buttons are the
-- same for every chat that follows the same topics, and thousands of chats may. An outbox
-- row that names a body (body_id) is sent with the body's text and buttons; its own text
-- is then empty. Retention forgets a body once no outbox row names it.

CREATE TABLE outbox_bodies (
    id INTEGER PRIMARY KEY,
    text TEXT NOT NULL,
    buttons TEXT NOT NULL DEFAULT '[]'  -- JSON, as outbox.buttons
);
ALTER TABLE outbox ADD COLUMN body_id INTEGER REFERENCES outbox_bodies (id);
CREATE INDEX outbox_by_body ON outbox (body_id) WHERE body_id IS NOT NULL;
