-- The distinct words of the turns' unstemmed index. A search for a prefix reads the
-- words it stands for from a copy of this list kept in memory, and matches each word on
-- its own: FTS5's own prefix query merges the words' rowid lists one row at a time
-- across all of them, which costs about three times as much.
CREATE VIRTUAL TABLE segments_plain_vocab USING fts5vocab(segments_plain, row);
