-- Tuonti's first schema, SQLite dialect. The PostgreSQL migration of the same version creates
-- the same tables, columns and constraints; keep the two in step.
-- Timestamps are UTC. `*_key` columns hold the comparison key of a name (tuonti_domain::name_key
-- or email_key) and carry the unique indexes.

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    display_name TEXT NOT NULL,
    email TEXT NOT NULL,
    email_key TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'member')),
    active BOOLEAN NOT NULL DEFAULT 1,
    password_hash TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CONSTRAINT users_email_key_unique UNIQUE (email_key)
);

CREATE TABLE import_batches (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('import', 'undo')),
    started_by BIGINT NOT NULL REFERENCES users (id),
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    status TEXT NOT NULL CHECK (status IN ('applied', 'undone')),
    choices TEXT NOT NULL,
    created_count BIGINT NOT NULL DEFAULT 0,
    updated_count BIGINT NOT NULL DEFAULT 0,
    unchanged_count BIGINT NOT NULL DEFAULT 0,
    skipped_count BIGINT NOT NULL DEFAULT 0,
    rejected_count BIGINT NOT NULL DEFAULT 0,
    reverts BIGINT REFERENCES import_batches (id),
    undone_by BIGINT REFERENCES import_batches (id)
);

CREATE TABLE import_batch_files (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    batch_id BIGINT NOT NULL REFERENCES import_batches (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    sheet TEXT,
    header_row INTEGER,
    mapping TEXT NOT NULL
);
CREATE INDEX import_batch_files_batch ON import_batch_files (batch_id);
CREATE INDEX import_batch_files_sha256 ON import_batch_files (sha256);

CREATE TABLE company_types (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name_fi TEXT NOT NULL,
    name_sv TEXT,
    name_en TEXT,
    name_fi_key TEXT NOT NULL,
    name_sv_key TEXT,
    name_en_key TEXT,
    position INTEGER NOT NULL,
    archived BOOLEAN NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CONSTRAINT company_types_name_fi_key_unique UNIQUE (name_fi_key),
    CONSTRAINT company_types_name_sv_key_unique UNIQUE (name_sv_key),
    CONSTRAINT company_types_name_en_key_unique UNIQUE (name_en_key)
);

CREATE TABLE customer_groups (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    created_by_batch BIGINT REFERENCES import_batches (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CONSTRAINT customer_groups_name_key_unique UNIQUE (name_key)
);

CREATE TABLE companies (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    name_extension TEXT,
    business_id TEXT,
    vat_number TEXT,
    street_address TEXT,
    postal_code TEXT,
    city TEXT,
    country TEXT,
    phone TEXT,
    email TEXT,
    website TEXT,
    e_invoice_address TEXT,
    e_invoice_operator TEXT,
    company_type_id BIGINT NOT NULL REFERENCES company_types (id),
    customer_group_id BIGINT REFERENCES customer_groups (id),
    account_manager_id BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    created_by_batch BIGINT REFERENCES import_batches (id),
    updated_by_batch BIGINT REFERENCES import_batches (id),
    CONSTRAINT companies_business_id_unique UNIQUE (business_id)
);
CREATE INDEX companies_country_name_key ON companies (country, name_key);
CREATE INDEX companies_company_type ON companies (company_type_id);
CREATE INDEX companies_customer_group ON companies (customer_group_id);
CREATE INDEX companies_account_manager ON companies (account_manager_id);
CREATE INDEX companies_created_by_batch ON companies (created_by_batch);

CREATE TABLE contacts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id BIGINT NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    first_name TEXT,
    last_name TEXT NOT NULL,
    title TEXT,
    email TEXT,
    phone TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    created_by_batch BIGINT REFERENCES import_batches (id),
    updated_by_batch BIGINT REFERENCES import_batches (id)
);
CREATE INDEX contacts_company ON contacts (company_id);

CREATE TABLE projects (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id BIGINT NOT NULL REFERENCES companies (id),
    name TEXT NOT NULL,
    project_number TEXT,
    project_manager_id BIGINT REFERENCES users (id),
    status TEXT NOT NULL CHECK (status IN ('offer', 'active', 'on_hold', 'completed', 'cancelled')),
    start_date DATE,
    end_date DATE,
    value_cents BIGINT,
    currency TEXT NOT NULL DEFAULT 'EUR',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    created_by_batch BIGINT REFERENCES import_batches (id),
    updated_by_batch BIGINT REFERENCES import_batches (id),
    CONSTRAINT projects_project_number_unique UNIQUE (project_number)
);
CREATE INDEX projects_company ON projects (company_id);
CREATE INDEX projects_project_manager ON projects (project_manager_id);

CREATE TABLE import_batch_changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    batch_id BIGINT NOT NULL REFERENCES import_batches (id) ON DELETE CASCADE,
    entity TEXT NOT NULL,
    entity_id BIGINT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('created', 'updated', 'deleted')),
    before_image TEXT,
    after_image TEXT
);
CREATE INDEX import_batch_changes_batch ON import_batch_changes (batch_id);

CREATE TABLE mapping_profiles (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    mapping TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CONSTRAINT mapping_profiles_name_key_unique UNIQUE (name_key)
);

CREATE TABLE settings (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);
