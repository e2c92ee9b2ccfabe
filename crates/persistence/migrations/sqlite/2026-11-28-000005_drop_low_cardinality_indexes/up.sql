-- The indexes on a company's type, customer group and account manager hold a handful of
-- distinct values each, yet every company an import inserts adds an entry to all three: about
-- a quarter of the time SQLite spends inserting a large import. What they served reads most
-- of the table anyway (the companies list loads every match ordered by name; the usage counts
-- and moves of setup changes are rare admin actions), and a scan of the table is fast at the
-- sizes an import creates. The index on created_by_batch stays: undo and batch details find a
-- batch's companies through it.
DROP INDEX companies_company_type;
DROP INDEX companies_customer_group;
DROP INDEX companies_account_manager;
