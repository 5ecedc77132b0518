-- Byline schema version 7: find the flags that are still waiting for a review card.
--
-- A flag normally gets its card when its analysis is stored, but that chance can be missed: no review channel was
-- set yet, Discord refused the post, or the threshold was lowered later. The bot then posts such flags in later
-- catch-up runs, oldest first, and looks for them after every stored analysis. Only pending flags without a card
-- are in this index, so that look-up stays small however many flags were already posted or decided. Its status
-- and review_message_id columns hold one value each; they are there so that SQLite's planner, which keeps no
-- statistics here, sees that this index narrows the search more than flags_guild_status does.

CREATE INDEX flags_waiting_for_card ON flags (guild_id, status, review_message_id, severity_rank)
    WHERE status = 'pending' AND review_message_id IS NULL;
