-- Every company, contact and project names the import batch that created it and the one that
-- last changed it. As foreign keys, PostgreSQL checked both references with a query per row
-- (measured: 2.5 s of the 5 s that inserting 188,000 contacts took); an import writes one
-- batch id into every row. The same rule is kept here with one set-based check per insert
-- statement (a `COPY` of a whole chunk is one statement), and with a row trigger on updates
-- that change a reference. What the foreign keys' row locks added (a batch cannot be deleted
-- while a row that names it is being written) holds because import batches are history and
-- are never deleted or renumbered: the triggers on `import_batches` refuse it.

ALTER TABLE companies
    DROP CONSTRAINT companies_created_by_batch_fkey,
    DROP CONSTRAINT companies_updated_by_batch_fkey;
ALTER TABLE contacts
    DROP CONSTRAINT contacts_created_by_batch_fkey,
    DROP CONSTRAINT contacts_updated_by_batch_fkey;
ALTER TABLE projects
    DROP CONSTRAINT projects_created_by_batch_fkey,
    DROP CONSTRAINT projects_updated_by_batch_fkey;

-- After an insert statement: every batch the new rows name exists (each distinct id once).
CREATE FUNCTION tuonti_check_inserted_batch_refs() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    missing BIGINT;
BEGIN
    SELECT named.id INTO missing
    FROM (SELECT created_by_batch AS id FROM new_rows
          UNION SELECT updated_by_batch FROM new_rows) AS named
    WHERE named.id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM import_batches WHERE import_batches.id = named.id)
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'insert or update on table "%" violates a batch reference', TG_TABLE_NAME
            USING ERRCODE = 'foreign_key_violation',
                  DETAIL = format('Key (id)=(%s) is not present in table "import_batches".', missing),
                  TABLE = TG_TABLE_NAME;
    END IF;
    RETURN NULL;
END
$$;

-- After a row's update that changed a batch reference: the batches it names exist.
CREATE FUNCTION tuonti_check_updated_batch_refs() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    missing BIGINT;
BEGIN
    SELECT named.id INTO missing
    FROM (VALUES (NEW.created_by_batch), (NEW.updated_by_batch)) AS named (id)
    WHERE named.id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM import_batches WHERE import_batches.id = named.id)
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'insert or update on table "%" violates a batch reference', TG_TABLE_NAME
            USING ERRCODE = 'foreign_key_violation',
                  DETAIL = format('Key (id)=(%s) is not present in table "import_batches".', missing),
                  TABLE = TG_TABLE_NAME;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER companies_batch_refs_inserted AFTER INSERT ON companies
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION tuonti_check_inserted_batch_refs();
CREATE TRIGGER companies_batch_refs_updated AFTER UPDATE ON companies FOR EACH ROW
    WHEN (NEW.created_by_batch IS DISTINCT FROM OLD.created_by_batch
          OR NEW.updated_by_batch IS DISTINCT FROM OLD.updated_by_batch)
    EXECUTE FUNCTION tuonti_check_updated_batch_refs();

CREATE TRIGGER contacts_batch_refs_inserted AFTER INSERT ON contacts
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION tuonti_check_inserted_batch_refs();
CREATE TRIGGER contacts_batch_refs_updated AFTER UPDATE ON contacts FOR EACH ROW
    WHEN (NEW.created_by_batch IS DISTINCT FROM OLD.created_by_batch
          OR NEW.updated_by_batch IS DISTINCT FROM OLD.updated_by_batch)
    EXECUTE FUNCTION tuonti_check_updated_batch_refs();

CREATE TRIGGER projects_batch_refs_inserted AFTER INSERT ON projects
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION tuonti_check_inserted_batch_refs();
CREATE TRIGGER projects_batch_refs_updated AFTER UPDATE ON projects FOR EACH ROW
    WHEN (NEW.created_by_batch IS DISTINCT FROM OLD.created_by_batch
          OR NEW.updated_by_batch IS DISTINCT FROM OLD.updated_by_batch)
    EXECUTE FUNCTION tuonti_check_updated_batch_refs();

-- Import batches are kept: never deleted, never given another id.
CREATE FUNCTION tuonti_keep_import_batches() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'import batches are never deleted or renumbered'
        USING ERRCODE = 'restrict_violation', TABLE = 'import_batches';
END
$$;

CREATE TRIGGER import_batches_kept BEFORE DELETE ON import_batches FOR EACH ROW
    EXECUTE FUNCTION tuonti_keep_import_batches();
CREATE TRIGGER import_batches_id_kept BEFORE UPDATE OF id ON import_batches FOR EACH ROW
    WHEN (NEW.id IS DISTINCT FROM OLD.id)
    EXECUTE FUNCTION tuonti_keep_import_batches();
CREATE TRIGGER import_batches_not_truncated BEFORE TRUNCATE ON import_batches
    FOR EACH STATEMENT EXECUTE FUNCTION tuonti_keep_import_batches();
