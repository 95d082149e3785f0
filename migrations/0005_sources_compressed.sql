-- Sources are kept compressed: `codec` says how `content` is stored. 'none' is the
-- decoded text (or the row's JSON) as before; 'deflate' is that text's UTF-8 bytes as a
-- raw DEFLATE stream (RFC 1951) in a BLOB, about a third of the size. Every import writes
-- each source once to the log and once to the file, so this is most of the bytes a
-- statement costs beyond its turns. Existing rows stay as they are ('none').
ALTER TABLE sources ADD COLUMN codec TEXT NOT NULL DEFAULT 'none';

-- `segments_speaker_kind` (speaker, kind) serves every look-up by speaker: the index on
-- speaker alone only cost a write per turn.
DROP INDEX segments_speaker;
