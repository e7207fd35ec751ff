-- Issue 16, administration in the browser: the accounts list shows when each person last logged in. Kept on the
-- account (not looked up in the audit trail, which grows without bound) and set at every successful log-in.
ALTER TABLE account ADD COLUMN last_login_at TEXT;
