-- Byline schema version 14: retention goes by each analysis's own time.
--
-- Retention used to delete documents by when the article was first seen, so an analysis made yesterday of an
-- article first shared long ago (a new engine version) went with it, flags under review included. It now deletes
-- the analyses older than the guild's retention, and a document only with its last analysis. The hourly pass finds
-- them through this index: without it every pass would read each of the guild's analyses, large results and all.

CREATE INDEX analyses_guild_created ON analyses (guild_id, created_at);
