-- Byline schema version 4: a flag whose text was analysed again becomes 'superseded' instead of waiting
-- in the review queue forever, and the audit log allows exactly one kind of edit: forgetting who acted.
--
-- The store runs every migration with foreign keys off and checks them (PRAGMA foreign_key_check) before
-- it commits, so rebuilding flags below neither cascades into the audit log nor leaves a dangling row.

-- The audit triggers name the flags table; drop them first so the rebuild and rename see no stale reference.
DROP TRIGGER review_events_no_update;
DROP TRIGGER review_events_no_delete;

-- SQLite cannot alter a CHECK constraint, so flags is rebuilt with the same ids and one more status.
CREATE TABLE flags_v4 (
    id                 INTEGER PRIMARY KEY,
    guild_id           INTEGER NOT NULL,
    analysis_id        TEXT    NOT NULL,
    position           INTEGER NOT NULL,
    category           TEXT    NOT NULL,
    severity           TEXT    NOT NULL CHECK (severity IN ('low', 'medium', 'high')),
    severity_rank      INTEGER NOT NULL,
    span_start         INTEGER NOT NULL,
    span_end           INTEGER NOT NULL,
    evidence           TEXT    NOT NULL,
    reason             TEXT    NOT NULL,
    sentence           TEXT    NOT NULL,
    status             TEXT    NOT NULL DEFAULT 'pending'
                               CHECK (status IN ('pending', 'confirmed', 'dismissed', 'superseded')),
    reviewer_id        INTEGER,
    reviewer_name      TEXT,
    reviewed_at        TEXT,
    note               TEXT,
    created_at         TEXT    NOT NULL,
    review_channel_id  INTEGER,
    review_message_id  INTEGER,
    superseded_by      TEXT,   -- the analysis (same document, other engine version) that replaced this one
    UNIQUE (id, guild_id),
    FOREIGN KEY (analysis_id, guild_id) REFERENCES analyses (id, guild_id) ON DELETE CASCADE
);

INSERT INTO flags_v4 (id, guild_id, analysis_id, position, category, severity, severity_rank, span_start,
                      span_end, evidence, reason, sentence, status, reviewer_id, reviewer_name, reviewed_at, note,
                      created_at, review_channel_id, review_message_id)
SELECT id, guild_id, analysis_id, position, category, severity, severity_rank, span_start, span_end, evidence,
       reason, sentence, status, reviewer_id, reviewer_name, reviewed_at, note, created_at, review_channel_id,
       review_message_id
FROM flags;

DROP TABLE flags;
ALTER TABLE flags_v4 RENAME TO flags;

CREATE INDEX flags_analysis ON flags (analysis_id, position);
CREATE INDEX flags_guild_status ON flags (guild_id, status, severity_rank);
CREATE INDEX flags_guild_created ON flags (guild_id, created_at);
CREATE INDEX flags_guild_reviewer ON flags (guild_id, reviewer_id);
CREATE INDEX review_events_guild_actor ON review_events (guild_id, actor_id);

-- Append-only, with one exception: "forget me" may replace an actor's id and name with the placeholder
-- (id 0, 'forgotten user'). Nothing else in the row may change, and a placeholder is never edited again,
-- so the verdicts, notes and times stay exactly as recorded.
CREATE TRIGGER review_events_no_update BEFORE UPDATE ON review_events
WHEN NOT (
    OLD.actor_id IS NOT NULL AND OLD.actor_id <> 0
    AND NEW.actor_id = 0 AND NEW.actor_name = 'forgotten user'
    AND NEW.id = OLD.id AND NEW.guild_id = OLD.guild_id AND NEW.flag_id = OLD.flag_id
    AND NEW.action = OLD.action AND NEW.note IS OLD.note AND NEW.created_at = OLD.created_at
)
BEGIN
    SELECT RAISE(ABORT, 'review_events is append-only');
END;

CREATE TRIGGER review_events_no_delete BEFORE DELETE ON review_events
WHEN EXISTS (SELECT 1 FROM flags WHERE id = OLD.flag_id)
BEGIN
    SELECT RAISE(ABORT, 'review_events is append-only');
END;

-- Clear the backlog: pending flags of any analysis that is not its document's latest are superseded by the
-- latest one, each with its audit line. Times use the store's fixed-width format (microseconds, 'Z').
CREATE TEMP TABLE stale_flags AS
SELECT f.id AS flag_id, f.guild_id AS guild_id,
       (SELECT l.id FROM analyses AS l WHERE l.document_id = a.document_id ORDER BY l.seq DESC LIMIT 1) AS by_id,
       strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.' || substr(strftime('%f', 'now'), 4) || '000Z' AS stamp
FROM flags AS f JOIN analyses AS a ON a.id = f.analysis_id
WHERE f.status = 'pending'
  AND a.seq <> (SELECT max(seq) FROM analyses WHERE document_id = a.document_id);

-- Correlated subqueries rather than UPDATE ... FROM, which needs SQLite 3.33 (some distributions ship older).
UPDATE flags SET status = 'superseded',
                 reviewed_at = (SELECT stamp FROM stale_flags WHERE flag_id = flags.id),
                 superseded_by = (SELECT by_id FROM stale_flags WHERE flag_id = flags.id)
WHERE id IN (SELECT flag_id FROM stale_flags);

INSERT INTO review_events (guild_id, flag_id, action, actor_id, actor_name, note, created_at)
SELECT guild_id, flag_id, 'superseded', NULL, NULL, 'Replaced by analysis ' || by_id, stamp
FROM stale_flags ORDER BY flag_id;

DROP TABLE stale_flags;

-- The bot asks, after each new analysis, which posted cards show flags it superseded.
CREATE INDEX flags_superseded_by ON flags (guild_id, superseded_by) WHERE superseded_by IS NOT NULL;
