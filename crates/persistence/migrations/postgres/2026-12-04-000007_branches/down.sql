DROP INDEX projects_branch;
ALTER TABLE projects DROP COLUMN branch_id;
DROP TABLE branches;
