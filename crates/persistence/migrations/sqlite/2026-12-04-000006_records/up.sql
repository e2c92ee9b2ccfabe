-- What a migration from another system needs: the previous system's customer number (the
-- first key an import matches a company by; text, leading zeros kept, unique when present) and
-- notes on companies; comparison keys on contacts (a contact is matched within its company by
-- email, else by full name); a project's description and its customer contact; indexes that
-- undo and batch details use to find what a batch created; a batch's counts per record kind.
ALTER TABLE companies ADD COLUMN customer_number TEXT;
ALTER TABLE companies ADD COLUMN notes TEXT;
CREATE UNIQUE INDEX companies_customer_number ON companies (customer_number);

ALTER TABLE contacts ADD COLUMN email_key TEXT;
ALTER TABLE contacts ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
CREATE INDEX contacts_company_email ON contacts (company_id, email_key);
CREATE INDEX contacts_company_name ON contacts (company_id, name_key);
CREATE INDEX contacts_created_by_batch ON contacts (created_by_batch);

ALTER TABLE projects ADD COLUMN description TEXT;
ALTER TABLE projects ADD COLUMN contact_id BIGINT REFERENCES contacts (id) ON DELETE SET NULL;
CREATE INDEX projects_contact ON projects (contact_id);
CREATE INDEX projects_created_by_batch ON projects (created_by_batch);

ALTER TABLE import_batches ADD COLUMN counts_by_kind TEXT;
