-- The owner of a support-plan item (issue 15, item 8): a member of the case's support group or an institution,
-- chosen from a list, no longer free text. SQLite twin of postgres/0021_plan_owner.sql.
--
-- In clear beside the encrypted record, so the reminder before the item's due day reaches its owner and figures can
-- count by owner without decrypting: the kind ('member' or 'institution'), the member's account or the institution's
-- code (domain::tenant::InstitutionKind). Not personal data: the member's name is read from the account when shown.
-- Items recorded before keep NULL here and their free text in the encrypted body, shown as typed.
ALTER TABLE case_record ADD COLUMN owner_kind TEXT;
ALTER TABLE case_record ADD COLUMN owner_account_id BLOB REFERENCES account (id);
ALTER TABLE case_record ADD COLUMN owner_institution TEXT;
