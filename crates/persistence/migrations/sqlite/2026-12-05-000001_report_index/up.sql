-- Reports by a company's keys join every project to its company. A covering index in company
-- order lets the join read projects and companies in the same order, without a lookup of
-- each project's row: it replaces projects_company (same first column, so it serves the
-- foreign key and the lookups by company as well).
CREATE INDEX projects_report ON projects (
    company_id, status, value_cents, start_date, created_at, branch_id, project_manager_id,
    created_by_batch
);
DROP INDEX projects_company;

