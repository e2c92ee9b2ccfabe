ALTER TABLE import_batch_files DROP COLUMN choices;
