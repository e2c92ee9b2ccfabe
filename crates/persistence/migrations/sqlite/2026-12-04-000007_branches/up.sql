-- Branches of business ("toimialat"): a setup list like customer groups, classifying projects.
-- A project's branch is optional.
CREATE TABLE branches (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    created_by_batch BIGINT REFERENCES import_batches (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CONSTRAINT branches_name_key_unique UNIQUE (name_key)
);

ALTER TABLE projects ADD COLUMN branch_id BIGINT REFERENCES branches (id);
CREATE INDEX projects_branch ON projects (branch_id);
