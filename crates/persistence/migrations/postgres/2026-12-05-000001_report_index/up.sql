-- Reports by a company's keys join every project to its company. A covering index in company
-- order (the measures as INCLUDE columns) allows index-only scans of projects for the join:
-- it replaces projects_company (same key, so it serves the foreign key and the lookups by
-- company as well).
CREATE INDEX projects_report ON projects (company_id) INCLUDE (
    status, value_cents, start_date, created_at, branch_id, project_manager_id,
    created_by_batch
);
DROP INDEX projects_company;

