-- Byline schema version 10: words in Chinese, Japanese and Korean text can be searched for.
--
-- These scripts put no spaces between words, and the unicode61 tokenizer of analyses_fts makes a whole run of
-- such characters one token, so a word inside a sentence ("地震" in 「東京で大きな地震が発生した。」) was never
-- found. analyses_cjk holds the same columns for the analyses whose title or text has such characters, with each
-- run written as its overlapping character pairs ("東京 京で で大 ..."); a query word becomes the phrase of its
-- pairs. SQL cannot split the runs, so the triggers only queue an analysis in analyses_cjk_pending and Byline
-- writes its row (in the transaction that saves it; rows queued here are written when the store next opens).
-- The guild token and the rowid (analyses.seq) are those of analyses_fts, so guild scope and the hiding of
-- private analyses work the same way, and deleting an analysis (forget-me, retention) deletes its row here too.
--
-- The GLOB class below is bot.search_query.CJK_CHARS: keep the two in step.

CREATE VIRTUAL TABLE analyses_cjk USING fts5 (
    title, summary, text, guild,
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TABLE analyses_cjk_pending (
    seq INTEGER PRIMARY KEY
);

CREATE TRIGGER analyses_cjk_insert AFTER INSERT ON analyses
BEGIN
    DELETE FROM analyses_cjk
    WHERE rowid IN (SELECT seq FROM analyses WHERE document_id = NEW.document_id AND seq <> NEW.seq);
    DELETE FROM analyses_cjk_pending
    WHERE seq IN (SELECT seq FROM analyses WHERE document_id = NEW.document_id AND seq <> NEW.seq);
    INSERT INTO analyses_cjk_pending (seq)
    SELECT NEW.seq FROM documents AS d
    WHERE d.id = NEW.document_id
      AND (d.text GLOB '*[ᄀ-ᇿ぀-ヿ㄰-㆏ㇰ-ㇿ㐀-䶿一-鿿가-힯豈-﫿ｦ-ﾟ𠀀-𯿿]*'
           OR coalesce(d.title, json_extract(NEW.result_json, '$.title'), '') GLOB '*[ᄀ-ᇿ぀-ヿ㄰-㆏ㇰ-ㇿ㐀-䶿一-鿿가-힯豈-﫿ｦ-ﾟ𠀀-𯿿]*');
END;

CREATE TRIGGER analyses_cjk_delete AFTER DELETE ON analyses
BEGIN
    DELETE FROM analyses_cjk WHERE rowid = OLD.seq;
    DELETE FROM analyses_cjk_pending WHERE seq = OLD.seq;
END;

-- The latest analysis of each document is the searchable one, as in analyses_fts.
INSERT INTO analyses_cjk_pending (seq)
SELECT a.seq FROM analyses AS a JOIN documents AS d ON d.id = a.document_id
WHERE a.seq = (SELECT max(seq) FROM analyses WHERE document_id = a.document_id)
  AND (d.text GLOB '*[ᄀ-ᇿ぀-ヿ㄰-㆏ㇰ-ㇿ㐀-䶿一-鿿가-힯豈-﫿ｦ-ﾟ𠀀-𯿿]*'
       OR coalesce(d.title, json_extract(a.result_json, '$.title'), '') GLOB '*[ᄀ-ᇿ぀-ヿ㄰-㆏ㇰ-ㇿ㐀-䶿一-鿿가-힯豈-﫿ｦ-ﾟ𠀀-𯿿]*');
