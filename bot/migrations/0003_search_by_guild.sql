-- Byline schema version 3: the search index carries the guild as a token, so a search only walks its own
-- guild's postings and its cost follows the guild's size, not the whole database's.

DROP TRIGGER analyses_fts_insert;
DROP TRIGGER analyses_fts_delete;
DROP TABLE analyses_fts;

-- guild holds one token, 'g' followed by the guild id; user terms are confined to the other columns.
CREATE VIRTUAL TABLE analyses_fts USING fts5 (
    title, summary, text, guild,
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER analyses_fts_insert AFTER INSERT ON analyses
BEGIN
    DELETE FROM analyses_fts
    WHERE rowid IN (SELECT seq FROM analyses WHERE document_id = NEW.document_id AND seq <> NEW.seq);
    INSERT INTO analyses_fts (rowid, title, summary, text, guild)
    SELECT NEW.seq,
           coalesce(d.title, json_extract(NEW.result_json, '$.title'), ''),
           coalesce((SELECT group_concat(json_extract(s.value, '$.text'), ' ')
                     FROM json_each(NEW.result_json, '$.summary') AS s), ''),
           d.text,
           'g' || NEW.guild_id
    FROM documents AS d WHERE d.id = NEW.document_id;
END;

CREATE TRIGGER analyses_fts_delete AFTER DELETE ON analyses
BEGIN
    DELETE FROM analyses_fts WHERE rowid = OLD.seq;
END;

INSERT INTO analyses_fts (rowid, title, summary, text, guild)
SELECT a.seq,
       coalesce(d.title, json_extract(a.result_json, '$.title'), ''),
       coalesce((SELECT group_concat(json_extract(s.value, '$.text'), ' ')
                 FROM json_each(a.result_json, '$.summary') AS s), ''),
       d.text,
       'g' || a.guild_id
FROM analyses AS a JOIN documents AS d ON d.id = a.document_id
WHERE a.seq = (SELECT max(seq) FROM analyses WHERE document_id = a.document_id);
