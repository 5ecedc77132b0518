-- Byline schema version 9: one of Byline's public messages may show several members' articles.
--
-- /lookup, /recent and /search post public messages that show stored articles, and /recent or one page of /search
-- lists several at once, each possibly shared by another member. A message is now recorded once per document it
-- shows, so a forget-me of any of those members finds it and deletes it (the message goes whole: a member's title
-- cannot be taken out of someone else's listing any other way).

-- The key's columns come first, in the key's order: SQLite stores a WITHOUT ROWID row that way, and some versions'
-- integrity_check misreads a NOT NULL column declared between key columns.
CREATE TABLE replies_per_document (
    guild_id     INTEGER NOT NULL CHECK (guild_id >= 0),
    message_id   INTEGER NOT NULL,
    document_id  INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    channel_id   INTEGER NOT NULL,
    PRIMARY KEY (guild_id, message_id, document_id)
) WITHOUT ROWID;

INSERT INTO replies_per_document (guild_id, message_id, channel_id, document_id)
SELECT guild_id, message_id, channel_id, document_id FROM replies;

DROP TABLE replies;

ALTER TABLE replies_per_document RENAME TO replies;

CREATE INDEX replies_document ON replies (document_id);
