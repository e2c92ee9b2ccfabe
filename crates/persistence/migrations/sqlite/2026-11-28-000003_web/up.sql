-- What the web server (tuonti-server) keeps in the database so that any number of server
-- processes can serve one admin: sessions, one-time login links, failed logins (for
-- throttling), import wizards with their uploaded files, and import jobs with their outputs.
-- Tokens are stored only as SHA-256 hashes (lower-case hex).

CREATE TABLE web_sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    CONSTRAINT web_sessions_token_hash_unique UNIQUE (token_hash)
);
CREATE INDEX web_sessions_user ON web_sessions (user_id);

CREATE TABLE login_links (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    CONSTRAINT login_links_token_hash_unique UNIQUE (token_hash)
);

CREATE TABLE login_failures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email_key TEXT NOT NULL,
    failed_at TIMESTAMP NOT NULL
);
CREATE INDEX login_failures_email_key ON login_failures (email_key, failed_at);

CREATE TABLE import_wizards (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users (id),
    status TEXT NOT NULL CHECK (status IN ('open', 'imported', 'cancelled')),
    state TEXT NOT NULL,
    batch_id BIGINT REFERENCES import_batches (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX import_wizards_user ON import_wizards (user_id, status);

CREATE TABLE import_wizard_files (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    wizard_id BIGINT NOT NULL REFERENCES import_wizards (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    content BLOB NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX import_wizard_files_wizard ON import_wizard_files (wizard_id);

CREATE TABLE import_jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    wizard_id BIGINT NOT NULL REFERENCES import_wizards (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('preview', 'import')),
    status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
    rows_done BIGINT NOT NULL DEFAULT 0,
    result TEXT,
    error TEXT,
    batch_id BIGINT REFERENCES import_batches (id),
    started_at TIMESTAMP NOT NULL,
    heartbeat_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP
);
CREATE INDEX import_jobs_wizard ON import_jobs (wizard_id);

CREATE TABLE import_job_outputs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id BIGINT NOT NULL REFERENCES import_jobs (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    content BLOB NOT NULL
);
CREATE INDEX import_job_outputs_job ON import_job_outputs (job_id);
