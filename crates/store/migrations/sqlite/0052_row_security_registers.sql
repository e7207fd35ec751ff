-- Issue 17, item 6: the row-level security of 0041 extended to the team's, programme's and account registers is a
-- PostgreSQL wall (postgres/0052_row_security_registers.sql). SQLite has no such policies; an embedded installation
-- serves its municipality alone. Nothing changes here: the file keeps the two folders' versions the same.
SELECT 1;
