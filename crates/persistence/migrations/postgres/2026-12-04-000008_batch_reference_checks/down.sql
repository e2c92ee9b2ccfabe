DROP TRIGGER import_batches_not_truncated ON import_batches;
DROP TRIGGER import_batches_id_kept ON import_batches;
DROP TRIGGER import_batches_kept ON import_batches;
DROP FUNCTION tuonti_keep_import_batches();
DROP TRIGGER projects_batch_refs_updated ON projects;
DROP TRIGGER projects_batch_refs_inserted ON projects;
DROP TRIGGER contacts_batch_refs_updated ON contacts;
DROP TRIGGER contacts_batch_refs_inserted ON contacts;
DROP TRIGGER companies_batch_refs_updated ON companies;
DROP TRIGGER companies_batch_refs_inserted ON companies;
DROP FUNCTION tuonti_check_updated_batch_refs();
DROP FUNCTION tuonti_check_inserted_batch_refs();
ALTER TABLE projects
    ADD CONSTRAINT projects_created_by_batch_fkey FOREIGN KEY (created_by_batch) REFERENCES import_batches (id),
    ADD CONSTRAINT projects_updated_by_batch_fkey FOREIGN KEY (updated_by_batch) REFERENCES import_batches (id);
ALTER TABLE contacts
    ADD CONSTRAINT contacts_created_by_batch_fkey FOREIGN KEY (created_by_batch) REFERENCES import_batches (id),
    ADD CONSTRAINT contacts_updated_by_batch_fkey FOREIGN KEY (updated_by_batch) REFERENCES import_batches (id);
ALTER TABLE companies
    ADD CONSTRAINT companies_created_by_batch_fkey FOREIGN KEY (created_by_batch) REFERENCES import_batches (id),
    ADD CONSTRAINT companies_updated_by_batch_fkey FOREIGN KEY (updated_by_batch) REFERENCES import_batches (id);
