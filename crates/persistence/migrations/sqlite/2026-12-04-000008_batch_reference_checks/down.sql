DROP TRIGGER import_batches_id_kept;
DROP TRIGGER import_batches_kept;
