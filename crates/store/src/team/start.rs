//! How far a new team has come in setting itself up (issue 16 item 11): the appointing order, members and their
//! confidentiality declarations, institutions, accounts for the support groups, the directory of help and the
//! programme. Every figure is a count over clear columns of the team's own municipality: nothing is decrypted, so
//! nothing is audited, and the progress can never be ticked by hand.

use domain::identity::Permission;
use serde::Serialize;

use crate::db::on_pool;
use crate::identity::Principal;
use crate::{Store, StoreError};

/// The counts behind each step of the start checklist.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct StartProgress {
    /// The mayor's orders appointing the team.
    pub orders: i64,
    /// Current members (not left).
    pub members: i64,
    /// Current members without a recorded confidentiality declaration.
    pub members_without_declaration: i64,
    /// The municipality's institutions.
    pub institutions: i64,
    /// Active accounts with the group-member role: without one, no support group can be appointed.
    pub group_member_accounts: i64,
    /// The team's own directory of help entries not archived (the seeded national helplines do not count).
    pub directory_entries: i64,
    /// Programmes adopted.
    pub programmes: i64,
}

/// One step of the checklist, in the order a new team takes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StartStep {
    Order,
    Members,
    Declarations,
    Institutions,
    Accounts,
    Directory,
    Programme,
}

impl StartStep {
    pub const ALL: [StartStep; 7] = [
        StartStep::Order,
        StartStep::Members,
        StartStep::Declarations,
        StartStep::Institutions,
        StartStep::Accounts,
        StartStep::Directory,
        StartStep::Programme,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StartStep::Order => "order",
            StartStep::Members => "members",
            StartStep::Declarations => "declarations",
            StartStep::Institutions => "institutions",
            StartStep::Accounts => "accounts",
            StartStep::Directory => "directory",
            StartStep::Programme => "programme",
        }
    }
}

impl StartProgress {
    /// Whether the data shows the step done. Declarations are done only once there are members and none lacks one.
    pub fn done(&self, step: StartStep) -> bool {
        match step {
            StartStep::Order => self.orders > 0,
            StartStep::Members => self.members > 0,
            StartStep::Declarations => self.members > 0 && self.members_without_declaration == 0,
            StartStep::Institutions => self.institutions > 0,
            StartStep::Accounts => self.group_member_accounts > 0,
            StartStep::Directory => self.directory_entries > 0,
            StartStep::Programme => self.programmes > 0,
        }
    }

    /// How many steps are done.
    pub fn done_count(&self) -> usize {
        StartStep::ALL.iter().filter(|s| self.done(**s)).count()
    }

    pub fn complete(&self) -> bool {
        self.done_count() == StartStep::ALL.len()
    }
}

impl Store {
    /// The start checklist's counts for the principal's municipality. The team's staff only (`ManageTeam`).
    pub async fn start_progress(&self, principal: &Principal) -> Result<StartProgress, StoreError> {
        let tenant = super::scope(principal, Permission::ManageTeam)?;
        let row: (i64, i64, i64, i64, i64, i64, i64) = on_pool!(&self.db, p => sqlx::query_as(
            "SELECT \
               (SELECT COUNT(*) FROM team_order WHERE tenant_id = $1), \
               (SELECT COUNT(*) FROM team_member WHERE tenant_id = $1 AND left_on IS NULL), \
               (SELECT COUNT(*) FROM team_member WHERE tenant_id = $1 AND left_on IS NULL \
                  AND confidentiality_signed_on IS NULL), \
               (SELECT COUNT(*) FROM institution WHERE tenant_id = $1), \
               (SELECT COUNT(*) FROM account a WHERE a.tenant_id = $1 AND a.active AND EXISTS \
                  (SELECT 1 FROM account_role r WHERE r.account_id = a.id AND r.role = 'group_member')), \
               (SELECT COUNT(*) FROM help_directory_entry WHERE tenant_id = $1 AND archived_at IS NULL \
                  AND national_key IS NULL), \
               (SELECT COUNT(*) FROM programme WHERE tenant_id = $1)")
            .bind(tenant).fetch_one(p).await)?;
        let (
            orders,
            members,
            members_without_declaration,
            institutions,
            group_member_accounts,
            directory_entries,
            programmes,
        ) = row;
        Ok(StartProgress {
            orders,
            members,
            members_without_declaration,
            institutions,
            group_member_accounts,
            directory_entries,
            programmes,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declarations_are_not_done_for_a_team_without_members() {
        let empty = StartProgress::default();
        assert!(!empty.done(StartStep::Declarations));
        assert_eq!(empty.done_count(), 0);
        let one = StartProgress { members: 1, ..StartProgress::default() };
        assert!(one.done(StartStep::Declarations) && one.done(StartStep::Members));
        let unsigned = StartProgress { members: 2, members_without_declaration: 1, ..StartProgress::default() };
        assert!(!unsigned.done(StartStep::Declarations));
    }
}
