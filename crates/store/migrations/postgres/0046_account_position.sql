-- Issue 16, form A's part XIV ("who filled the form"): a person who opens form A without being a member of the team
-- (a police officer, a teacher, a nurse) has no entry in the team's register, so nothing could prefill their
-- position. The account now keeps its own position, typed by the person in their account settings or by whoever
-- manages the account. It may identify the person together with the institution, so it is encrypted like the
-- account's name (key context "account.position"). A nullable column without a default: no table rewrite.
ALTER TABLE account ADD COLUMN position_enc BYTEA;
