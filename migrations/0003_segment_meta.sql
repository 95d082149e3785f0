-- What search needs of every matching turn, without the turn's text: `segments` rows
-- carry the paragraphs and body inline, so reading one turn's speaker meant reading a
-- page of text. Here a row is a few dozen bytes, and the statement's date and year ride
-- along so facets and date sorting need no join to `statements` per match.
-- Kept in sync by the triggers below; filled once for archives that predate it.
CREATE TABLE segment_meta (
    rowid        INTEGER PRIMARY KEY,      -- = segments.rowid
    statement_pk INTEGER NOT NULL,
    kind         TEXT NOT NULL,
    speaker      TEXT,
    year         INTEGER,
    date         TEXT
);
CREATE INDEX segment_meta_statement ON segment_meta (statement_pk);

INSERT INTO segment_meta (rowid, statement_pk, kind, speaker, year, date)
SELECT s.rowid, s.statement_pk, s.kind, s.speaker, st.year, st.date
  FROM segments s JOIN statements st ON st.pk = s.statement_pk;

CREATE TRIGGER segment_meta_ai AFTER INSERT ON segments BEGIN
    INSERT INTO segment_meta (rowid, statement_pk, kind, speaker, year, date)
    SELECT new.rowid, new.statement_pk, new.kind, new.speaker, st.year, st.date
      FROM statements st WHERE st.pk = new.statement_pk;
END;
CREATE TRIGGER segment_meta_ad AFTER DELETE ON segments BEGIN
    DELETE FROM segment_meta WHERE rowid = old.rowid;
END;
CREATE TRIGGER segment_meta_au AFTER UPDATE OF statement_pk, kind, speaker ON segments BEGIN
    UPDATE segment_meta
       SET statement_pk = new.statement_pk, kind = new.kind, speaker = new.speaker,
           year = (SELECT year FROM statements WHERE pk = new.statement_pk),
           date = (SELECT date FROM statements WHERE pk = new.statement_pk)
     WHERE rowid = old.rowid;
END;
CREATE TRIGGER segment_meta_statement_au AFTER UPDATE OF date, year ON statements
WHEN old.date IS NOT new.date OR old.year IS NOT new.year BEGIN
    UPDATE segment_meta SET year = new.year, date = new.date WHERE statement_pk = new.pk;
END;
