-- References that an import writes into every row: a company names its type, its customer
-- group and its account manager; a contact its company; a project its company, contact
-- person, project manager and branch. As foreign keys, PostgreSQL checked each reference of
-- each row with a query of its own (100,000 company inserts: 1.36-1.50 s with the checks,
-- 0.78-0.87 s without). The same rules are kept here, set-based:
--
-- - after each insert statement (a `COPY` of a whole chunk is one), the parents its rows
--   name are locked `FOR KEY SHARE`, each once (the lock a foreign key takes), and each must
--   exist;
-- - an update that changes a reference is checked per row, as a foreign key does;
-- - on the parents' side, at the end of a delete statement and over all its rows: a parent
--   still named refuses the delete (NO ACTION), a deleted company's contacts are deleted
--   (CASCADE) and a deleted contact is cleared from projects (SET NULL); ids are never
--   renumbered; a parent is not truncated while rows name it, unless they are truncated in
--   the same command.
--
-- With the locks this holds between concurrent transactions too: a delete waits for an
-- import that locked the parent and then sees its rows; an import whose parent was deleted
-- meanwhile finds it missing. The triggers take their (parent, column) or (child, column)
-- pairs as arguments. Errors carry the foreign-key error code, 23503, as before.

ALTER TABLE companies
    DROP CONSTRAINT companies_company_type_id_fkey,
    DROP CONSTRAINT companies_customer_group_id_fkey,
    DROP CONSTRAINT companies_account_manager_id_fkey;
ALTER TABLE contacts DROP CONSTRAINT contacts_company_id_fkey;
ALTER TABLE projects
    DROP CONSTRAINT projects_company_id_fkey,
    DROP CONSTRAINT projects_contact_id_fkey,
    DROP CONSTRAINT projects_project_manager_id_fkey,
    DROP CONSTRAINT projects_branch_id_fkey;

-- Locks the rows of `parent` with the given ids and raises unless every one exists.
CREATE FUNCTION tuonti_check_named(child TEXT, parent TEXT, ids BIGINT[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    locked BIGINT;
    missing BIGINT;
BEGIN
    IF cardinality(ids) = 0 THEN
        RETURN;
    END IF;
    EXECUTE format(
        'SELECT count(*) FROM (SELECT 1 FROM %I WHERE id = ANY($1) FOR KEY SHARE) AS locked',
        parent) INTO locked USING ids;
    IF locked < cardinality(ids) THEN
        EXECUTE format(
            'SELECT named FROM unnest($1) AS named
             WHERE NOT EXISTS (SELECT 1 FROM %I p WHERE p.id = named) LIMIT 1',
            parent) INTO missing USING ids;
        RAISE EXCEPTION 'insert or update on table "%" violates a foreign key reference to table "%"', child, parent
            USING ERRCODE = 'foreign_key_violation',
                  DETAIL = format('Key (id)=(%s) is not present in table "%s".', missing, parent),
                  TABLE = child;
    END IF;
END
$$;

-- After an insert statement; arguments: pairs of (parent table, column of the new rows).
CREATE FUNCTION tuonti_check_inserted_references() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    ids BIGINT[];
BEGIN
    FOR pair IN 0 .. TG_NARGS / 2 - 1 LOOP
        EXECUTE format(
            'SELECT ARRAY(SELECT DISTINCT %1$I FROM new_rows WHERE %1$I IS NOT NULL)',
            TG_ARGV[2 * pair + 1]) INTO ids;
        PERFORM tuonti_check_named(TG_TABLE_NAME, TG_ARGV[2 * pair], ids);
    END LOOP;
    RETURN NULL;
END
$$;

-- After a row's update that changed a reference; arguments as above.
CREATE FUNCTION tuonti_check_updated_references() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    now_named BIGINT;
    was_named BIGINT;
BEGIN
    FOR pair IN 0 .. TG_NARGS / 2 - 1 LOOP
        EXECUTE format('SELECT ($1).%1$I, ($2).%1$I', TG_ARGV[2 * pair + 1])
            INTO now_named, was_named USING NEW, OLD;
        IF now_named IS NOT NULL AND now_named IS DISTINCT FROM was_named THEN
            PERFORM tuonti_check_named(TG_TABLE_NAME, TG_ARGV[2 * pair], ARRAY[now_named]);
        END IF;
    END LOOP;
    RETURN NULL;
END
$$;

-- After a delete statement of a parent; arguments: pairs of (child table, its column).
CREATE FUNCTION tuonti_check_deleted_parents() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    ids BIGINT[] := ARRAY(SELECT id FROM old_rows);
    named BIGINT;
BEGIN
    -- The actions first, as PostgreSQL runs them: contacts go with their company (CASCADE),
    -- projects lose a deleted contact person (SET NULL).
    IF TG_TABLE_NAME = 'companies' THEN
        DELETE FROM contacts WHERE company_id = ANY(ids);
    ELSIF TG_TABLE_NAME = 'contacts' THEN
        UPDATE projects SET contact_id = NULL WHERE contact_id = ANY(ids);
    END IF;
    FOR pair IN 0 .. TG_NARGS / 2 - 1 LOOP
        EXECUTE format('SELECT %2$I FROM %1$I WHERE %2$I = ANY($1) LIMIT 1',
                       TG_ARGV[2 * pair], TG_ARGV[2 * pair + 1]) INTO named USING ids;
        IF named IS NOT NULL THEN
            RAISE EXCEPTION 'update or delete on table "%" violates a foreign key reference from table "%"', TG_TABLE_NAME, TG_ARGV[2 * pair]
                USING ERRCODE = 'foreign_key_violation',
                      DETAIL = format('Key (id)=(%s) is still referenced from table "%s".', named, TG_ARGV[2 * pair]),
                      TABLE = TG_TABLE_NAME;
        END IF;
    END LOOP;
    RETURN NULL;
END
$$;

-- After a truncation (when every table of the command is empty already); arguments as above.
CREATE FUNCTION tuonti_check_truncated_parent() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    named BOOLEAN;
BEGIN
    FOR pair IN 0 .. TG_NARGS / 2 - 1 LOOP
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM %1$I WHERE %2$I IS NOT NULL)',
                       TG_ARGV[2 * pair], TG_ARGV[2 * pair + 1]) INTO named;
        IF named THEN
            RAISE EXCEPTION 'cannot truncate table "%": rows of "%" name it', TG_TABLE_NAME, TG_ARGV[2 * pair]
                USING ERRCODE = 'foreign_key_violation', TABLE = TG_TABLE_NAME;
        END IF;
    END LOOP;
    RETURN NULL;
END
$$;

CREATE FUNCTION tuonti_keep_ids() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the ids of table "%" are never changed (rows name them)', TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation', TABLE = TG_TABLE_NAME;
END
$$;

-- The children's side.
CREATE TRIGGER companies_references_inserted AFTER INSERT ON companies
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION tuonti_check_inserted_references(
        'company_types', 'company_type_id', 'customer_groups', 'customer_group_id',
        'users', 'account_manager_id');
CREATE TRIGGER companies_references_updated AFTER UPDATE ON companies FOR EACH ROW
    WHEN (NEW.company_type_id IS DISTINCT FROM OLD.company_type_id
          OR NEW.customer_group_id IS DISTINCT FROM OLD.customer_group_id
          OR NEW.account_manager_id IS DISTINCT FROM OLD.account_manager_id)
    EXECUTE FUNCTION tuonti_check_updated_references(
        'company_types', 'company_type_id', 'customer_groups', 'customer_group_id',
        'users', 'account_manager_id');
CREATE TRIGGER contacts_references_inserted AFTER INSERT ON contacts
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION tuonti_check_inserted_references('companies', 'company_id');
CREATE TRIGGER contacts_references_updated AFTER UPDATE ON contacts FOR EACH ROW
    WHEN (NEW.company_id IS DISTINCT FROM OLD.company_id)
    EXECUTE FUNCTION tuonti_check_updated_references('companies', 'company_id');
CREATE TRIGGER projects_references_inserted AFTER INSERT ON projects
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION tuonti_check_inserted_references(
        'companies', 'company_id', 'contacts', 'contact_id',
        'users', 'project_manager_id', 'branches', 'branch_id');
CREATE TRIGGER projects_references_updated AFTER UPDATE ON projects FOR EACH ROW
    WHEN (NEW.company_id IS DISTINCT FROM OLD.company_id
          OR NEW.contact_id IS DISTINCT FROM OLD.contact_id
          OR NEW.project_manager_id IS DISTINCT FROM OLD.project_manager_id
          OR NEW.branch_id IS DISTINCT FROM OLD.branch_id)
    EXECUTE FUNCTION tuonti_check_updated_references(
        'companies', 'company_id', 'contacts', 'contact_id',
        'users', 'project_manager_id', 'branches', 'branch_id');

-- The parents' side: who names each parent (contacts, named by projects, are SET NULL and
-- so not listed; a company's contacts are deleted with it and so not listed either).
CREATE TRIGGER company_types_deleted AFTER DELETE ON company_types
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION tuonti_check_deleted_parents('companies', 'company_type_id');
CREATE TRIGGER customer_groups_deleted AFTER DELETE ON customer_groups
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION tuonti_check_deleted_parents('companies', 'customer_group_id');
CREATE TRIGGER users_deleted AFTER DELETE ON users
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION tuonti_check_deleted_parents(
        'companies', 'account_manager_id', 'projects', 'project_manager_id');
CREATE TRIGGER branches_deleted AFTER DELETE ON branches
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION tuonti_check_deleted_parents('projects', 'branch_id');
CREATE TRIGGER companies_deleted AFTER DELETE ON companies
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION tuonti_check_deleted_parents('projects', 'company_id');
CREATE TRIGGER contacts_deleted AFTER DELETE ON contacts
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION tuonti_check_deleted_parents();

CREATE TRIGGER company_types_not_truncated AFTER TRUNCATE ON company_types
    FOR EACH STATEMENT EXECUTE FUNCTION tuonti_check_truncated_parent('companies', 'company_type_id');
CREATE TRIGGER customer_groups_not_truncated AFTER TRUNCATE ON customer_groups
    FOR EACH STATEMENT EXECUTE FUNCTION tuonti_check_truncated_parent('companies', 'customer_group_id');
CREATE TRIGGER users_not_truncated AFTER TRUNCATE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION tuonti_check_truncated_parent(
        'companies', 'account_manager_id', 'projects', 'project_manager_id');
CREATE TRIGGER branches_not_truncated AFTER TRUNCATE ON branches
    FOR EACH STATEMENT EXECUTE FUNCTION tuonti_check_truncated_parent('projects', 'branch_id');
CREATE TRIGGER companies_not_truncated AFTER TRUNCATE ON companies
    FOR EACH STATEMENT EXECUTE FUNCTION tuonti_check_truncated_parent(
        'contacts', 'company_id', 'projects', 'company_id');
CREATE TRIGGER contacts_not_truncated AFTER TRUNCATE ON contacts
    FOR EACH STATEMENT EXECUTE FUNCTION tuonti_check_truncated_parent('projects', 'contact_id');

CREATE TRIGGER company_types_id_kept BEFORE UPDATE OF id ON company_types FOR EACH ROW
    WHEN (NEW.id IS DISTINCT FROM OLD.id) EXECUTE FUNCTION tuonti_keep_ids();
CREATE TRIGGER customer_groups_id_kept BEFORE UPDATE OF id ON customer_groups FOR EACH ROW
    WHEN (NEW.id IS DISTINCT FROM OLD.id) EXECUTE FUNCTION tuonti_keep_ids();
CREATE TRIGGER users_id_kept BEFORE UPDATE OF id ON users FOR EACH ROW
    WHEN (NEW.id IS DISTINCT FROM OLD.id) EXECUTE FUNCTION tuonti_keep_ids();
CREATE TRIGGER branches_id_kept BEFORE UPDATE OF id ON branches FOR EACH ROW
    WHEN (NEW.id IS DISTINCT FROM OLD.id) EXECUTE FUNCTION tuonti_keep_ids();
CREATE TRIGGER companies_id_kept BEFORE UPDATE OF id ON companies FOR EACH ROW
    WHEN (NEW.id IS DISTINCT FROM OLD.id) EXECUTE FUNCTION tuonti_keep_ids();
CREATE TRIGGER contacts_id_kept BEFORE UPDATE OF id ON contacts FOR EACH ROW
    WHEN (NEW.id IS DISTINCT FROM OLD.id) EXECUTE FUNCTION tuonti_keep_ids();
