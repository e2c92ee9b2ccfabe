CREATE INDEX contacts_company ON contacts (company_id);
