-- Byline schema version 2: full-text search, and where each flag's review card was posted.

ALTER TABLE flags ADD COLUMN review_channel_id INTEGER;
ALTER TABLE flags ADD COLUMN review_message_id INTEGER;

-- Title, summary and text of each document's latest analysis. The FTS rowid is analyses.seq, an
-- INTEGER PRIMARY KEY, so VACUUM cannot renumber it. The guild is checked through the join to analyses.
CREATE VIRTUAL TABLE analyses_fts USING fts5 (
    title, summary, text,
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER analyses_fts_insert AFTER INSERT ON analyses
BEGIN
    DELETE FROM analyses_fts
    WHERE rowid IN (SELECT seq FROM analyses WHERE document_id = NEW.document_id AND seq <> NEW.seq);
    INSERT INTO analyses_fts (rowid, title, summary, text)
    SELECT NEW.seq,
           coalesce(d.title, json_extract(NEW.result_json, '$.title'), ''),
           coalesce((SELECT group_concat(json_extract(s.value, '$.text'), ' ')
                     FROM json_each(NEW.result_json, '$.summary') AS s), ''),
           d.text
    FROM documents AS d WHERE d.id = NEW.document_id;
END;

CREATE TRIGGER analyses_fts_delete AFTER DELETE ON analyses
BEGIN
    DELETE FROM analyses_fts WHERE rowid = OLD.seq;
END;

-- Index what version 1 already stored: each document's latest analysis.
INSERT INTO analyses_fts (rowid, title, summary, text)
SELECT a.seq,
       coalesce(d.title, json_extract(a.result_json, '$.title'), ''),
       coalesce((SELECT group_concat(json_extract(s.value, '$.text'), ' ')
                 FROM json_each(a.result_json, '$.summary') AS s), ''),
       d.text
FROM analyses AS a JOIN documents AS d ON d.id = a.document_id
WHERE a.seq = (SELECT max(seq) FROM analyses WHERE document_id = a.document_id);

CREATE INDEX flags_guild_created ON flags (guild_id, created_at);
