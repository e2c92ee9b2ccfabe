-- No query filters or orders companies by country and name key together: names are looked up
-- by name key alone (companies_name_key) and compared by country afterwards. One index fewer
-- to fill for every company an import inserts.
DROP INDEX companies_country_name_key;
