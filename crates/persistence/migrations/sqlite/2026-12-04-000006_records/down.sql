ALTER TABLE import_batches DROP COLUMN counts_by_kind;

DROP INDEX projects_created_by_batch;
DROP INDEX projects_contact;
ALTER TABLE projects DROP COLUMN contact_id;
ALTER TABLE projects DROP COLUMN description;

DROP INDEX contacts_created_by_batch;
DROP INDEX contacts_company_name;
DROP INDEX contacts_company_email;
ALTER TABLE contacts DROP COLUMN name_key;
ALTER TABLE contacts DROP COLUMN email_key;

DROP INDEX companies_customer_number;
ALTER TABLE companies DROP COLUMN notes;
ALTER TABLE companies DROP COLUMN customer_number;
