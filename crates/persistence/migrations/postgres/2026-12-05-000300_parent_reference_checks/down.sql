DROP TRIGGER contacts_id_kept ON contacts;
DROP TRIGGER companies_id_kept ON companies;
DROP TRIGGER branches_id_kept ON branches;
DROP TRIGGER users_id_kept ON users;
DROP TRIGGER customer_groups_id_kept ON customer_groups;
DROP TRIGGER company_types_id_kept ON company_types;
DROP TRIGGER contacts_not_truncated ON contacts;
DROP TRIGGER companies_not_truncated ON companies;
DROP TRIGGER branches_not_truncated ON branches;
DROP TRIGGER users_not_truncated ON users;
DROP TRIGGER customer_groups_not_truncated ON customer_groups;
DROP TRIGGER company_types_not_truncated ON company_types;
DROP TRIGGER contacts_deleted ON contacts;
DROP TRIGGER companies_deleted ON companies;
DROP TRIGGER branches_deleted ON branches;
DROP TRIGGER users_deleted ON users;
DROP TRIGGER customer_groups_deleted ON customer_groups;
DROP TRIGGER company_types_deleted ON company_types;
DROP TRIGGER projects_references_updated ON projects;
DROP TRIGGER projects_references_inserted ON projects;
DROP TRIGGER contacts_references_updated ON contacts;
DROP TRIGGER contacts_references_inserted ON contacts;
DROP TRIGGER companies_references_updated ON companies;
DROP TRIGGER companies_references_inserted ON companies;
DROP FUNCTION tuonti_keep_ids();
DROP FUNCTION tuonti_check_truncated_parent();
DROP FUNCTION tuonti_check_deleted_parents();
DROP FUNCTION tuonti_check_updated_references();
DROP FUNCTION tuonti_check_inserted_references();
DROP FUNCTION tuonti_check_named(TEXT, TEXT, BIGINT[]);
ALTER TABLE projects
    ADD CONSTRAINT projects_branch_id_fkey FOREIGN KEY (branch_id) REFERENCES branches (id),
    ADD CONSTRAINT projects_project_manager_id_fkey FOREIGN KEY (project_manager_id) REFERENCES users (id),
    ADD CONSTRAINT projects_contact_id_fkey FOREIGN KEY (contact_id) REFERENCES contacts (id) ON DELETE SET NULL,
    ADD CONSTRAINT projects_company_id_fkey FOREIGN KEY (company_id) REFERENCES companies (id);
ALTER TABLE contacts
    ADD CONSTRAINT contacts_company_id_fkey FOREIGN KEY (company_id) REFERENCES companies (id) ON DELETE CASCADE;
ALTER TABLE companies
    ADD CONSTRAINT companies_account_manager_id_fkey FOREIGN KEY (account_manager_id) REFERENCES users (id),
    ADD CONSTRAINT companies_customer_group_id_fkey FOREIGN KEY (customer_group_id) REFERENCES customer_groups (id),
    ADD CONSTRAINT companies_company_type_id_fkey FOREIGN KEY (company_type_id) REFERENCES company_types (id);
