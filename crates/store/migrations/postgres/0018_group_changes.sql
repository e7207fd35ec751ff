-- A support group changes as its case does (art. 9a ust. 12b–12c): the team extends it, replaces a member who left,
-- names its coordinator. A member who left keeps their row (the timeline and the audit trail name the change) with
-- left_at set, and loses access to the case from that instant (store/src/access.rs). joined_at is NULL for a member
-- appointed with the group; by_extension marks those the team added later (the statutory "groups functioning in
-- extended composition").
ALTER TABLE group_member ADD COLUMN joined_at TIMESTAMPTZ;
ALTER TABLE group_member ADD COLUMN left_at TIMESTAMPTZ;
ALTER TABLE group_member ADD COLUMN by_extension BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE group_member ADD COLUMN coordinator BOOLEAN NOT NULL DEFAULT FALSE;
