CREATE INDEX projects_company ON projects (company_id);
DROP INDEX projects_report;
