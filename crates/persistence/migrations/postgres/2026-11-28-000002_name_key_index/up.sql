-- Look companies up by name key alone: duplicates by name are found across countries first,
-- then compared by country, and the (country, name_key) index cannot serve a lookup by name.
CREATE INDEX companies_name_key ON companies (name_key);
