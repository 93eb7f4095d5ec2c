-- Chat membership as Telegram's my_chat_member updates report it. `blocked` stays the one
-- flag that says the bot may not write to a chat (1 = inactive: blocked, kicked, left);
-- `status` is the bot's last known status there, `member_since` when it last became
-- reachable, `left_at` when it last stopped being reachable.

ALTER TABLE chats ADD COLUMN status TEXT;
ALTER TABLE chats ADD COLUMN member_since TEXT;
ALTER TABLE chats ADD COLUMN left_at TEXT;
UPDATE chats SET member_since = first_seen_at WHERE blocked = 0;
