-- Byline schema version 13: the pairs index (migration 0010) is written again, for two reasons.
--
-- 々, 〆 and 〇 (U+3005 to U+3007: the iteration mark, the closing mark and the ideographic zero) were missing from
-- the characters written without spaces, so 人々, 様々 or 時々 split into lone characters and could never be found.
-- The trigger below is 0010's with them added to its GLOB class, which is bot.search_query.CJK_CHARS: keep the two
-- in step.
--
-- And Byline now writes that index in Unicode's composed form (NFC), as a query is typed and normalised: Korean or
-- Japanese text stored decomposed (NFD, as some Mac tools save it: Hangul as separate jamo, が as か plus a mark)
-- was indexed as pairs no query could ever spell. The stored text is not changed (flag offsets point into it).
--
-- So every searchable analysis with such characters is queued again, and its old row deleted; Byline writes the
-- new rows when the store next opens (see bot.store_cjk), as it did for 0010.

DROP TRIGGER analyses_cjk_insert;

CREATE TRIGGER analyses_cjk_insert AFTER INSERT ON analyses
BEGIN
    DELETE FROM analyses_cjk
    WHERE rowid IN (SELECT seq FROM analyses WHERE document_id = NEW.document_id AND seq <> NEW.seq);
    DELETE FROM analyses_cjk_pending
    WHERE seq IN (SELECT seq FROM analyses WHERE document_id = NEW.document_id AND seq <> NEW.seq);
    INSERT INTO analyses_cjk_pending (seq)
    SELECT NEW.seq FROM documents AS d
    WHERE d.id = NEW.document_id
      AND (d.text GLOB '*[ᄀ-ᇿ々-〇぀-ヿ㄰-㆏ㇰ-ㇿ㐀-䶿一-鿿가-힯豈-﫿ｦ-ﾟ𠀀-𯿿]*'
           OR coalesce(d.title, json_extract(NEW.result_json, '$.title'), '') GLOB '*[ᄀ-ᇿ々-〇぀-ヿ㄰-㆏ㇰ-ㇿ㐀-䶿一-鿿가-힯豈-﫿ｦ-ﾟ𠀀-𯿿]*');
END;

DELETE FROM analyses_cjk;

-- The latest analysis of each document is the searchable one, as in analyses_fts.
INSERT OR IGNORE INTO analyses_cjk_pending (seq)
SELECT a.seq FROM analyses AS a JOIN documents AS d ON d.id = a.document_id
WHERE a.seq = (SELECT max(seq) FROM analyses WHERE document_id = a.document_id)
  AND (d.text GLOB '*[ᄀ-ᇿ々-〇぀-ヿ㄰-㆏ㇰ-ㇿ㐀-䶿一-鿿가-힯豈-﫿ｦ-ﾟ𠀀-𯿿]*'
       OR coalesce(d.title, json_extract(a.result_json, '$.title'), '') GLOB '*[ᄀ-ᇿ々-〇぀-ヿ㄰-㆏ㇰ-ㇿ㐀-䶿一-鿿가-힯豈-﫿ｦ-ﾟ𠀀-𯿿]*');
