-- What each file of an import started from: its company type, customer group and managers
-- (its own choices over the import's), as JSON written by the importer; none for batches
-- recorded before.
ALTER TABLE import_batch_files ADD COLUMN choices TEXT;
