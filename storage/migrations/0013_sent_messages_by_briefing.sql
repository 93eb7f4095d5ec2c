-- Matching leaves out the chats that were sent a briefing in full: one probe of this index
-- per subscription row, where the table's own key (chat, message) made it read every
-- message link of the chat (two a day a reader, kept a year). Deleting a briefing finds
-- its links here too.

CREATE INDEX sent_messages_by_briefing ON sent_messages (briefing_id, chat_id);
