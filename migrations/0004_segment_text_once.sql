-- A turn's text is stored once, in `body` (its paragraphs joined by blank lines, which is
-- what FTS5 indexes and snippets quote). A whitespace-normalised paragraph holds no
-- newline, so the paragraphs are read back by splitting `body` at blank lines, and the
-- JSON copy of the same text is no longer written on every import.
ALTER TABLE segments DROP COLUMN paragraphs;
