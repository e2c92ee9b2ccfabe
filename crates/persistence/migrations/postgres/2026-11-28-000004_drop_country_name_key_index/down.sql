CREATE INDEX companies_country_name_key ON companies (country, name_key);
