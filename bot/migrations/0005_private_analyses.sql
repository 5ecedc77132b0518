-- Byline schema version 5: private analyses. A document marked private came from an ephemeral /analyse or from
-- a channel @everyone cannot read; the library (/recent, /search, /lookup, the Full report button) shows it only
-- to its author. The server-wide counts in /stats still include it, and its flags still reach the moderators.
--
-- A private document is stored under its own key (the text's hash plus its author), so the same text shared
-- publicly gets a separate public document and neither request can reveal the other.

ALTER TABLE documents ADD COLUMN private INTEGER NOT NULL DEFAULT 0 CHECK (private IN (0, 1));

-- Searches hide other members' private analyses; this keeps finding them cheap however big the guild is.
CREATE INDEX documents_guild_private ON documents (guild_id, author_id) WHERE private = 1;
