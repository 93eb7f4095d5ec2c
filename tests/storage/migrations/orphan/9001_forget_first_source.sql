-- briefbot: foreign_keys=off
-- Deletes the first source while briefings still name it: foreign_key_check must refuse it.

DELETE FROM sources WHERE id = (SELECT min(id) FROM sources);
