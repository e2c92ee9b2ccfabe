-- SQLite 3.35+ drops a column that no index or constraint of another column names.
DROP INDEX projects_branch;
ALTER TABLE projects DROP COLUMN branch_id;
DROP TABLE branches;
