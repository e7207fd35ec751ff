//! Appointing a case's support group: on what the appointment rests, the accounts it may name, the step itself.

use domain::procedure::lifecycle::{Command, GroupMemberKind, ProcedureState};
use jiff::Timestamp;
use uuid::Uuid;

use super::{CaseAccess, CaseHandle};
use crate::db::on_tx;
use crate::{Store, StoreError};

/// On what the appointment of a support group rests. The act gives it to the team (art. 9a ust. 10a); in practice
/// teams delegate it to the chair in their rules (art. 9a ust. 6b), which a 2024 parliamentary question found the
/// act does not clearly allow (procedure.md §1.6, GP-GDP \[S\]). Ostoja records which it was for each group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppointmentBasis {
    /// A decision of the team.
    TeamDecision,
    /// The chair, under a delegation written in the team's rules.
    ChairUnderDelegation,
}

impl AppointmentBasis {
    pub const ALL: [AppointmentBasis; 2] = [AppointmentBasis::TeamDecision, AppointmentBasis::ChairUnderDelegation];

    pub fn as_str(self) -> &'static str {
        match self {
            AppointmentBasis::TeamDecision => "team_decision",
            AppointmentBasis::ChairUnderDelegation => "chair_under_delegation",
        }
    }

    pub fn parse(s: &str) -> Result<AppointmentBasis, &'static str> {
        AppointmentBasis::ALL.into_iter().find(|b| b.as_str() == s.trim()).ok_or("err-group-basis-required")
    }
}

impl Store {
    /// The team appoints the support group with these accounts of the municipality (at least a social worker and a
    /// police officer, art. 9a ust. 11). Only the team (chair, deputy, secretary) may.
    #[tracing::instrument(name = "store.op", level = "debug", skip_all, fields(op = "appoint_group", procedure = %handle.procedure_id))]
    pub async fn appoint_group(
        &self,
        handle: &CaseHandle,
        members: &[(Uuid, GroupMemberKind)],
        basis: AppointmentBasis,
        expected_version: i64,
    ) -> Result<ProcedureState, StoreError> {
        self.appoint_group_at(handle, members, basis, None, expected_version).await
    }

    /// [`Store::appoint_group`] on the day the team (or the chair) really appointed it, default now.
    pub async fn appoint_group_at(
        &self,
        handle: &CaseHandle,
        members: &[(Uuid, GroupMemberKind)],
        basis: AppointmentBasis,
        occurred_at: Option<Timestamp>,
        expected_version: i64,
    ) -> Result<ProcedureState, StoreError> {
        if handle.access != CaseAccess::Team {
            return Err(StoreError::NotFound);
        }
        let kinds: Vec<GroupMemberKind> = members.iter().map(|(_, k)| *k).collect();
        let mut tx = self.db.begin().await?;
        for (account, _) in members {
            let ok: Option<(Uuid,)> = on_tx!(&mut tx, c => sqlx::query_as(
                "SELECT a.id FROM account a JOIN account_role r ON r.account_id = a.id \
                 WHERE a.id = $1 AND a.tenant_id = $2 AND a.active AND r.role = 'group_member'")
                .bind(*account).bind(handle.tenant_id).fetch_optional(c).await)?;
            if ok.is_none() {
                return Err(StoreError::invalid("members", "err-group-member-unknown"));
            }
        }
        self.check_appointment_members(&mut tx, handle, &kinds).await?;
        let command = Command::AppointGroup { members: kinds };
        let state = self.apply_at(&mut tx, handle, &command, occurred_at, "occurred_at", expected_version).await?;
        on_tx!(&mut tx, c => sqlx::query("UPDATE procedure SET group_basis = $2 WHERE id = $1")
            .bind(handle.procedure_id).bind(basis.as_str()).execute(c).await.map(|r| r.rows_affected()))?;
        for (account, kind) in members {
            on_tx!(&mut tx, c => sqlx::query(
                "INSERT INTO group_member (procedure_id, account_id, kind) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                .bind(handle.procedure_id).bind(*account).bind(kind.as_str()).execute(c).await.map(|r| r.rows_affected()))?;
        }
        // The members hear of it in the same transaction (notify area).
        let accounts: Vec<Uuid> = members.iter().map(|(a, _)| *a).collect();
        let note = crate::notify::NewNotification {
            tenant_id: handle.tenant_id,
            kind: crate::notify::NotificationKind::GroupAppointed,
            procedure_id: Some(handle.procedure_id),
            rule_id: None,
            once_key: None,
        };
        crate::notify::notify_in(self, &mut tx, &accounts, &note).await?;
        tx.commit().await?;
        Ok(state)
    }
}

impl Store {
    /// The municipality's active accounts that can sit in a support group, by login (no personal data): what the
    /// team chooses from when it appoints a group.
    pub async fn group_member_candidates(&self, handle: &CaseHandle) -> Result<Vec<(Uuid, String)>, StoreError> {
        if handle.access != CaseAccess::Team {
            return Err(StoreError::NotFound);
        }
        Ok(crate::db::on_pool!(&self.db, p => sqlx::query_as(
            "SELECT a.id, a.login FROM account a JOIN account_role r ON r.account_id = a.id \
             WHERE a.tenant_id = $1 AND a.active AND r.role = 'group_member' ORDER BY a.login")
            .bind(handle.tenant_id).fetch_all(p).await)?)
    }
}
