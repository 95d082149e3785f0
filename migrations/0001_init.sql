-- The whole archive in one SQLite file. Statements keep an integer `pk` for joins and
-- FTS rowids, and a public text `id` (the slug) that never changes once assigned.

CREATE TABLE statements (
    pk            INTEGER PRIMARY KEY,
    id            TEXT NOT NULL UNIQUE,
    title         TEXT,
    norm_title    TEXT,                 -- normalised title, for identity matching
    date          TEXT,                 -- YYYY-MM-DD
    year          INTEGER,              -- derived from date, for filters and facets
    time          TEXT,                 -- HH:MM
    place         TEXT,
    kind          TEXT NOT NULL,
    language      TEXT NOT NULL,
    languages     TEXT NOT NULL DEFAULT '[]',   -- JSON array of ISO 639-1 codes
    source_number TEXT,
    source_url    TEXT,
    text_hash     TEXT NOT NULL,        -- hash of the normalised text: decides "unchanged"
    imported_at   TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX statements_date ON statements (date DESC, pk);
CREATE INDEX statements_year ON statements (year);
CREATE INDEX statements_number ON statements (source_number, language);
CREATE INDEX statements_title ON statements (language, date, norm_title);
CREATE INDEX statements_hash ON statements (language, text_hash);
CREATE INDEX statements_kind ON statements (kind);

-- The original input of each statement, so it can be re-parsed without the files.
CREATE TABLE sources (
    statement_pk INTEGER PRIMARY KEY REFERENCES statements (pk) ON DELETE CASCADE,
    file_name    TEXT,
    format       TEXT NOT NULL,          -- 'text' (a page save) or 'row' (a dataset row)
    content      TEXT NOT NULL,          -- decoded text, or the row as a JSON object
    fields       TEXT                    -- JSON: hints that came with the input
);

-- Ids of statements merged into another one; the server redirects them (301).
-- Removing a statement removes the aliases that point to it.
CREATE TABLE aliases (
    alias        TEXT PRIMARY KEY,
    statement_id TEXT NOT NULL REFERENCES statements (id) ON DELETE CASCADE
);
CREATE INDEX aliases_target ON aliases (statement_id);

CREATE TABLE speakers (
    slug    TEXT PRIMARY KEY,
    name    TEXT NOT NULL,
    name_ru TEXT,
    role    TEXT
);

CREATE TABLE forums (
    slug    TEXT PRIMARY KEY,
    acronym TEXT NOT NULL,
    name    TEXT NOT NULL,
    name_ru TEXT
);

-- The links keep the names as the statement's parse gave them, so a statement reads back
-- exactly as parsed; `speakers` and `forums` hold the registry's current names.
CREATE TABLE statement_speakers (
    statement_pk INTEGER NOT NULL REFERENCES statements (pk) ON DELETE CASCADE,
    speaker      TEXT NOT NULL REFERENCES speakers (slug),
    position     INTEGER NOT NULL,
    name         TEXT NOT NULL,
    PRIMARY KEY (statement_pk, speaker)
) WITHOUT ROWID;
CREATE INDEX statement_speakers_speaker ON statement_speakers (speaker, statement_pk);

CREATE TABLE statement_forums (
    statement_pk INTEGER NOT NULL REFERENCES statements (pk) ON DELETE CASCADE,
    forum        TEXT NOT NULL REFERENCES forums (slug),
    position     INTEGER NOT NULL,
    acronym      TEXT NOT NULL,
    name         TEXT NOT NULL,
    PRIMARY KEY (statement_pk, forum)
) WITHOUT ROWID;
CREATE INDEX statement_forums_forum ON statement_forums (forum, statement_pk);

CREATE TABLE statement_tags (
    statement_pk INTEGER NOT NULL REFERENCES statements (pk) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    tag          TEXT NOT NULL,
    PRIMARY KEY (statement_pk, position)
) WITHOUT ROWID;

-- One row per turn. `body` is the paragraphs joined by blank lines: what FTS indexes.
CREATE TABLE segments (
    rowid        INTEGER PRIMARY KEY,
    statement_pk INTEGER NOT NULL REFERENCES statements (pk) ON DELETE CASCADE,
    n            INTEGER NOT NULL,
    kind         TEXT NOT NULL,
    speaker      TEXT,
    label        TEXT,
    note         TEXT,
    exchange     INTEGER,
    anchor       TEXT NOT NULL,
    title        TEXT,
    paragraphs   TEXT NOT NULL,          -- JSON array of strings
    body         TEXT NOT NULL,
    UNIQUE (statement_pk, n)
);
CREATE INDEX segments_speaker ON segments (speaker);

-- Full-text indexes, external-content over `segments.body` and `statements.title`,
-- kept in sync by the triggers below. The porter tables stem English words; the plain
-- ones keep words as written and serve prefix queries only, hence `detail=none`.
CREATE VIRTUAL TABLE segments_fts USING fts5 (
    body, content = 'segments', content_rowid = 'rowid',
    tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE segments_plain USING fts5 (
    body, content = 'segments', content_rowid = 'rowid',
    tokenize = 'unicode61 remove_diacritics 2', detail = none
);
CREATE VIRTUAL TABLE titles_fts USING fts5 (
    title, content = 'statements', content_rowid = 'pk',
    tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE titles_plain USING fts5 (
    title, content = 'statements', content_rowid = 'pk',
    tokenize = 'unicode61 remove_diacritics 2', detail = none
);

CREATE TRIGGER segments_ai AFTER INSERT ON segments BEGIN
    INSERT INTO segments_fts (rowid, body) VALUES (new.rowid, new.body);
    INSERT INTO segments_plain (rowid, body) VALUES (new.rowid, new.body);
END;
CREATE TRIGGER segments_ad AFTER DELETE ON segments BEGIN
    INSERT INTO segments_fts (segments_fts, rowid, body) VALUES ('delete', old.rowid, old.body);
    INSERT INTO segments_plain (segments_plain, rowid, body) VALUES ('delete', old.rowid, old.body);
END;
CREATE TRIGGER segments_au AFTER UPDATE OF body ON segments BEGIN
    INSERT INTO segments_fts (segments_fts, rowid, body) VALUES ('delete', old.rowid, old.body);
    INSERT INTO segments_plain (segments_plain, rowid, body) VALUES ('delete', old.rowid, old.body);
    INSERT INTO segments_fts (rowid, body) VALUES (new.rowid, new.body);
    INSERT INTO segments_plain (rowid, body) VALUES (new.rowid, new.body);
END;

CREATE TRIGGER statements_ai AFTER INSERT ON statements WHEN new.title IS NOT NULL BEGIN
    INSERT INTO titles_fts (rowid, title) VALUES (new.pk, new.title);
    INSERT INTO titles_plain (rowid, title) VALUES (new.pk, new.title);
END;
CREATE TRIGGER statements_ad AFTER DELETE ON statements WHEN old.title IS NOT NULL BEGIN
    INSERT INTO titles_fts (titles_fts, rowid, title) VALUES ('delete', old.pk, old.title);
    INSERT INTO titles_plain (titles_plain, rowid, title) VALUES ('delete', old.pk, old.title);
END;
-- One trigger for both halves of an update: the old title must leave the index before
-- the new one enters it, and an unchanged title is left alone.
CREATE TRIGGER statements_au AFTER UPDATE OF title ON statements
WHEN old.title IS NOT new.title BEGIN
    INSERT INTO titles_fts (titles_fts, rowid, title)
        SELECT 'delete', old.pk, old.title WHERE old.title IS NOT NULL;
    INSERT INTO titles_plain (titles_plain, rowid, title)
        SELECT 'delete', old.pk, old.title WHERE old.title IS NOT NULL;
    INSERT INTO titles_fts (rowid, title) SELECT new.pk, new.title WHERE new.title IS NOT NULL;
    INSERT INTO titles_plain (rowid, title) SELECT new.pk, new.title WHERE new.title IS NOT NULL;
END;

-- Bumped by every import that changes anything: the server's page cache and ETags key on it.
CREATE TABLE archive_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO archive_meta (key, value) VALUES ('generation', '0');
