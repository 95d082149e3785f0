-- A speaker's answers are counted from this index alone, without reading the turns' text.
CREATE INDEX segments_speaker_kind ON segments (speaker, kind);
