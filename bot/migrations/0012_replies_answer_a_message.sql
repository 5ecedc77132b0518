-- Byline schema version 12: a reply remembers which member's message it answered.
--
-- A link auto-reply or a 📰 answers one member's message, and each message gets at most one analysis reply. Which
-- messages were answered used to be known in memory only, so after a restart a 📰 on a message Byline had already
-- answered got a second public reply. source_message_id is the id of that member's message (it is in the reply's
-- own channel_id: a reply goes where the message is). Listings (/recent, /search, /lookup) answer no message and
-- keep NULL, as do the rows recorded before this version.
--
-- The column lives on the reply's row, so it goes wherever the row goes: with its document (retention, /forget,
-- by cascade), with the message in a forget-me, and when the reply itself is deleted in Discord, so a deleted reply
-- leaves the message free for a new 📰. Look-ups are per guild, by (guild_id, source_message_id).

ALTER TABLE replies ADD COLUMN source_message_id INTEGER;

CREATE INDEX replies_source ON replies (guild_id, source_message_id) WHERE source_message_id IS NOT NULL;
