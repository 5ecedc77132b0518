-- Byline schema version 8: a card the bot may not edit is retried a bounded number of times, with growing gaps.
--
-- A card listed in stale_cards that Discord refuses with a 403 used to be requested again on every clean-up pass,
-- for ever. A server that removed Byline refuses for good, so its cards never left the list and each pass spent
-- Discord's invalid-request budget on them. Each row now counts its refused attempts and says when it may be tried
-- again (NULL: at the next pass); the bot gives a card up after a fixed number of attempts.

ALTER TABLE stale_cards ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0);
ALTER TABLE stale_cards ADD COLUMN next_try_at TEXT;
