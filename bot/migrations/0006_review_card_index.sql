-- Byline schema version 6: find the flags a posted review card shows by its message id. A forget-me re-draws
-- every card that showed the member, and a newer analysis re-draws the cards it replaced; without this index
-- each re-draw scanned all of the guild's flags.

CREATE INDEX flags_review_message ON flags (guild_id, review_message_id) WHERE review_message_id IS NOT NULL;
