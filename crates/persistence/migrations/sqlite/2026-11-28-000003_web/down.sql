DROP TABLE import_job_outputs;
DROP TABLE import_jobs;
DROP TABLE import_wizard_files;
DROP TABLE import_wizards;
DROP TABLE login_failures;
DROP TABLE login_links;
DROP TABLE web_sessions;
