CREATE INDEX companies_company_type ON companies (company_type_id);
CREATE INDEX companies_customer_group ON companies (customer_group_id);
CREATE INDEX companies_account_manager ON companies (account_manager_id);
