-- Deferred full-text indexing for bulk writes.
--
-- Indexing each turn as it is inserted, from a trigger, interleaves two FTS5 tokenisers
-- with the table writes row by row; indexing the batch's turns in one `INSERT … SELECT`
-- per index just before the commit does the same work about twice as fast. A writer
-- that wants this puts a row in `fts_defer` inside its transaction: while the row is
-- there, inserted turns and titles are only listed in `fts_deferred`, and the writer
-- indexes them (`store::index_deferred`) and removes the row before it commits. Both
-- tables are empty outside such a transaction, so a rollback or a crash can never leave
-- an unindexed row behind. Deletes and updates keep the indexes exact either way: a row
-- still listed was never indexed, so there is nothing to take out of the index, and the
-- deferred indexing reads its current text.

CREATE TABLE fts_defer (
    deferring INTEGER PRIMARY KEY CHECK (deferring = 1)
);

CREATE TABLE fts_deferred (
    source INTEGER NOT NULL CHECK (source IN (0, 1)),  -- 0: segments.rowid, 1: statements.pk
    id     INTEGER NOT NULL,
    PRIMARY KEY (source, id)
) WITHOUT ROWID;

DROP TRIGGER segments_ai;
DROP TRIGGER segments_ad;
DROP TRIGGER segments_au;
DROP TRIGGER statements_ai;
DROP TRIGGER statements_ad;
DROP TRIGGER statements_au;

CREATE TRIGGER segments_ai AFTER INSERT ON segments
WHEN NOT EXISTS (SELECT 1 FROM fts_defer) BEGIN
    INSERT INTO segments_fts (rowid, body) VALUES (new.rowid, new.body);
    INSERT INTO segments_plain (rowid, body) VALUES (new.rowid, new.body);
END;
CREATE TRIGGER segments_ai_deferred AFTER INSERT ON segments
WHEN EXISTS (SELECT 1 FROM fts_defer) BEGIN
    INSERT INTO fts_deferred (source, id) VALUES (0, new.rowid);
END;
CREATE TRIGGER segments_ad AFTER DELETE ON segments BEGIN
    INSERT INTO segments_fts (segments_fts, rowid, body)
        SELECT 'delete', old.rowid, old.body
         WHERE NOT EXISTS (SELECT 1 FROM fts_deferred WHERE source = 0 AND id = old.rowid);
    INSERT INTO segments_plain (segments_plain, rowid, body)
        SELECT 'delete', old.rowid, old.body
         WHERE NOT EXISTS (SELECT 1 FROM fts_deferred WHERE source = 0 AND id = old.rowid);
    DELETE FROM fts_deferred WHERE source = 0 AND id = old.rowid;
END;
CREATE TRIGGER segments_au AFTER UPDATE OF body ON segments
WHEN NOT EXISTS (SELECT 1 FROM fts_deferred WHERE source = 0 AND id = old.rowid) BEGIN
    INSERT INTO segments_fts (segments_fts, rowid, body) VALUES ('delete', old.rowid, old.body);
    INSERT INTO segments_plain (segments_plain, rowid, body) VALUES ('delete', old.rowid, old.body);
    INSERT INTO segments_fts (rowid, body) VALUES (new.rowid, new.body);
    INSERT INTO segments_plain (rowid, body) VALUES (new.rowid, new.body);
END;

CREATE TRIGGER statements_ai AFTER INSERT ON statements
WHEN new.title IS NOT NULL AND NOT EXISTS (SELECT 1 FROM fts_defer) BEGIN
    INSERT INTO titles_fts (rowid, title) VALUES (new.pk, new.title);
    INSERT INTO titles_plain (rowid, title) VALUES (new.pk, new.title);
END;
CREATE TRIGGER statements_ai_deferred AFTER INSERT ON statements
WHEN EXISTS (SELECT 1 FROM fts_defer) BEGIN
    INSERT INTO fts_deferred (source, id) VALUES (1, new.pk);
END;
CREATE TRIGGER statements_ad AFTER DELETE ON statements BEGIN
    INSERT INTO titles_fts (titles_fts, rowid, title)
        SELECT 'delete', old.pk, old.title
         WHERE old.title IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM fts_deferred WHERE source = 1 AND id = old.pk);
    INSERT INTO titles_plain (titles_plain, rowid, title)
        SELECT 'delete', old.pk, old.title
         WHERE old.title IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM fts_deferred WHERE source = 1 AND id = old.pk);
    DELETE FROM fts_deferred WHERE source = 1 AND id = old.pk;
END;
-- The old title leaves the index before the new one enters it; an unchanged title, or
-- one of a statement whose indexing is still deferred, is left alone.
CREATE TRIGGER statements_au AFTER UPDATE OF title ON statements
WHEN old.title IS NOT new.title
 AND NOT EXISTS (SELECT 1 FROM fts_deferred WHERE source = 1 AND id = old.pk) BEGIN
    INSERT INTO titles_fts (titles_fts, rowid, title)
        SELECT 'delete', old.pk, old.title WHERE old.title IS NOT NULL;
    INSERT INTO titles_plain (titles_plain, rowid, title)
        SELECT 'delete', old.pk, old.title WHERE old.title IS NOT NULL;
    INSERT INTO titles_fts (rowid, title) SELECT new.pk, new.title WHERE new.title IS NOT NULL;
    INSERT INTO titles_plain (rowid, title) SELECT new.pk, new.title WHERE new.title IS NOT NULL;
END;

-- FTS5 holds the terms of pending inserts in a hash table and writes them out as a new
-- index segment whenever it outgrows `hashsize` (1 MiB by default): each of the importer's
-- batches made many small segments per index, to be merged again and again afterwards.
-- With 16 MiB they are few and large.
INSERT INTO segments_fts (segments_fts, rank) VALUES ('hashsize', 16777216);
INSERT INTO segments_plain (segments_plain, rank) VALUES ('hashsize', 16777216);
