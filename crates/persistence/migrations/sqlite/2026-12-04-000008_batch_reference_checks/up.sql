-- Import batches are history: never deleted or renumbered (as on PostgreSQL, where the
-- companies', contacts' and projects' batch references are checked per statement and rely on
-- it). SQLite keeps those references as foreign keys.
CREATE TRIGGER import_batches_kept BEFORE DELETE ON import_batches
BEGIN
    SELECT RAISE(ABORT, 'import batches are never deleted or renumbered');
END;
CREATE TRIGGER import_batches_id_kept BEFORE UPDATE OF id ON import_batches
WHEN NEW.id IS NOT OLD.id
BEGIN
    SELECT RAISE(ABORT, 'import batches are never deleted or renumbered');
END;
