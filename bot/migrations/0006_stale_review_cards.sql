-- Byline schema version 6: the messages Byline posted can be found, and cleaned up, after the data behind them goes.
--
-- A forget-me or retention deletes flags whose cards still sit in the review channel, quoting the article and
-- mentioning the member; a forget-me also renames the member's verdicts, and should take down Byline's public
-- replies that show the member's article. Those messages are listed in stale_cards in the same transaction as the
-- change, and the bot empties, re-draws or deletes each one and then removes its row, so a crash, a Discord outage
-- or a command-line prune never leaves one behind for good.

CREATE TABLE stale_cards (
    guild_id    INTEGER NOT NULL CHECK (guild_id >= 0),
    message_id  INTEGER NOT NULL,
    channel_id  INTEGER NOT NULL,
    reason      TEXT    NOT NULL CHECK (reason IN ('forget', 'retention', 'redraw', 'reply')),
    created_at  TEXT    NOT NULL,
    PRIMARY KEY (guild_id, message_id)
) WITHOUT ROWID;

-- The flags a card shows, by its message id: each clean-up and superseded re-draw is then a look-up.
CREATE INDEX flags_review_message ON flags (guild_id, review_message_id) WHERE review_message_id IS NOT NULL;

-- Byline's public replies (an analysis posted in a channel), by the document they show.
CREATE TABLE replies (
    guild_id     INTEGER NOT NULL CHECK (guild_id >= 0),
    message_id   INTEGER NOT NULL,
    channel_id   INTEGER NOT NULL,
    document_id  INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    PRIMARY KEY (guild_id, message_id)
) WITHOUT ROWID;

CREATE INDEX replies_document ON replies (document_id);
