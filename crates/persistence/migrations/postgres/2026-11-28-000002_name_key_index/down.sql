DROP INDEX companies_name_key;
