-- Byline schema version 1: documents, analyses, flags, the review audit log, guild settings, opt-outs.
-- Every table carries guild_id, and children reference (id, guild_id) so a row can never hang off
-- another guild's parent.

CREATE TABLE documents (
    id            INTEGER PRIMARY KEY,
    guild_id      INTEGER NOT NULL CHECK (guild_id >= 0),
    content_hash  TEXT    NOT NULL,
    text          TEXT    NOT NULL,
    title         TEXT,
    url           TEXT,
    site          TEXT,
    author_id     INTEGER,
    channel_id    INTEGER,
    message_link  TEXT,
    created_at    TEXT    NOT NULL,
    UNIQUE (guild_id, content_hash),
    UNIQUE (id, guild_id)
);
CREATE INDEX documents_guild_created ON documents (guild_id, created_at);
CREATE INDEX documents_guild_author ON documents (guild_id, author_id);
CREATE INDEX documents_guild_url ON documents (guild_id, url);

CREATE TABLE analyses (
    seq             INTEGER PRIMARY KEY,
    id              TEXT    NOT NULL UNIQUE,
    guild_id        INTEGER NOT NULL,
    document_id     INTEGER NOT NULL,
    engine_version  TEXT    NOT NULL,
    result_json     TEXT    NOT NULL CHECK (json_valid(result_json)),
    n_named         INTEGER NOT NULL DEFAULT 0,
    n_anonymous     INTEGER NOT NULL DEFAULT 0,
    n_vague         INTEGER NOT NULL DEFAULT 0,
    n_pronoun       INTEGER NOT NULL DEFAULT 0,
    n_none          INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT    NOT NULL,
    UNIQUE (id, guild_id),
    FOREIGN KEY (document_id, guild_id) REFERENCES documents (id, guild_id) ON DELETE CASCADE
);
CREATE INDEX analyses_document ON analyses (document_id, engine_version);
CREATE INDEX analyses_guild_seq ON analyses (guild_id, seq);

CREATE TABLE flags (
    id              INTEGER PRIMARY KEY,
    guild_id        INTEGER NOT NULL,
    analysis_id     TEXT    NOT NULL,
    position        INTEGER NOT NULL,
    category        TEXT    NOT NULL,
    severity        TEXT    NOT NULL CHECK (severity IN ('low', 'medium', 'high')),
    severity_rank   INTEGER NOT NULL,
    span_start      INTEGER NOT NULL,
    span_end        INTEGER NOT NULL,
    evidence        TEXT    NOT NULL,
    reason          TEXT    NOT NULL,
    sentence        TEXT    NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'confirmed', 'dismissed')),
    reviewer_id     INTEGER,
    reviewer_name   TEXT,
    reviewed_at     TEXT,
    note            TEXT,
    created_at      TEXT    NOT NULL,
    UNIQUE (id, guild_id),
    FOREIGN KEY (analysis_id, guild_id) REFERENCES analyses (id, guild_id) ON DELETE CASCADE
);
CREATE INDEX flags_analysis ON flags (analysis_id, position);
CREATE INDEX flags_guild_status ON flags (guild_id, status, severity_rank);

CREATE TABLE review_events (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    flag_id     INTEGER NOT NULL,
    action      TEXT    NOT NULL,
    actor_id    INTEGER,
    actor_name  TEXT,
    note        TEXT,
    created_at  TEXT    NOT NULL,
    FOREIGN KEY (flag_id, guild_id) REFERENCES flags (id, guild_id) ON DELETE CASCADE
);
CREATE INDEX review_events_flag ON review_events (flag_id, id);

-- The audit log is append-only: no edits ever, and rows go only when their flag itself is deleted
-- (retention or a user's "forget me"), which the cascade does after removing the flag.
CREATE TRIGGER review_events_no_update BEFORE UPDATE ON review_events
BEGIN
    SELECT RAISE(ABORT, 'review_events is append-only');
END;

CREATE TRIGGER review_events_no_delete BEFORE DELETE ON review_events
WHEN EXISTS (SELECT 1 FROM flags WHERE id = OLD.flag_id)
BEGIN
    SELECT RAISE(ABORT, 'review_events is append-only');
END;

CREATE TABLE guild_settings (
    guild_id               INTEGER PRIMARY KEY,
    review_channel_id      INTEGER,
    mod_role_id            INTEGER,
    autoreply_channel_ids  TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(autoreply_channel_ids)),
    summary_sentences      INTEGER,
    flag_threshold         TEXT    NOT NULL DEFAULT 'medium' CHECK (flag_threshold IN ('low', 'medium', 'high')),
    retention_days         INTEGER CHECK (retention_days IS NULL OR retention_days > 0),
    updated_at             TEXT
);

CREATE TABLE opt_outs (
    guild_id    INTEGER NOT NULL,
    user_id     INTEGER NOT NULL,
    created_at  TEXT    NOT NULL,
    PRIMARY KEY (guild_id, user_id)
) WITHOUT ROWID;
