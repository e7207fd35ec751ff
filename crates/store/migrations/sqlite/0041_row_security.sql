-- Issue 17, item 6: row-level security between municipalities is a PostgreSQL wall (postgres/0041_row_security.sql).
-- SQLite has no such policies; an embedded installation serves its municipality alone. Nothing changes here: the
-- file keeps the two folders' versions the same.
SELECT 1;
