-- contacts (company_id) is the first column of contacts_company_email, which serves every
-- lookup and every foreign-key check by company; a second index only costs each insert.
DROP INDEX contacts_company;
