-- Byline schema version 11: a flag can carry the verdict a moderator already gave the same claim.
--
-- When the same text is analysed again under another engine version, each new flag whose category, evidence and
-- sentence match a flag a moderator confirmed or dismissed on an earlier analysis of that document takes that
-- verdict (status, reviewer, time and note) instead of waiting in the queue again. verdict_from names the flag the
-- verdict came from (same document, so the same guild, and deleted with it); the audit log gets a 'carried' line.
-- Flags decided by a moderator's own click keep NULL here.

ALTER TABLE flags ADD COLUMN verdict_from INTEGER;
