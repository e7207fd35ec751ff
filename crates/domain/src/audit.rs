//! The typed actions of the audit trail.
//!
//! The trail records who did what to which object and when; the store writes an entry in the same transaction as the
//! change or read it records, and chains the entries by hash so that an edit or a removal is detectable.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    LoginSucceeded,
    LoginFailed,
    SecondFactorFailed,
    Logout,
    ApiTokenRejected,
    ApiTokenIssued,
    Create,
    Update,
    Delete,
    /// A read of personal data (art. 30/32 GDPR accountability; every read is logged, not only writes).
    ReadPersonalData,
    RoleGranted,
    RoleRevoked,
    PasswordChanged,
    SecondFactorEnrolled,
    SecondFactorReset,
    ActivationIssued,
    KeyCreated,
    KeyRotated,
    BackupTaken,
    Restored,
    AccountDeactivated,
    AccountReactivated,
    ApiTokenRevoked,
    ResetRequested,
    ResetDecided,
    /// A calendar feed (.ics) read at its secret address, or a wrong address tried.
    FeedRead,
    /// A referral reference a county typed that names no referral of its own (issue 17): the fact, never the text.
    ReferenceRefused,
}

impl AuditAction {
    pub const ALL: [AuditAction; 27] = [
        AuditAction::LoginSucceeded,
        AuditAction::LoginFailed,
        AuditAction::SecondFactorFailed,
        AuditAction::Logout,
        AuditAction::ApiTokenRejected,
        AuditAction::ApiTokenIssued,
        AuditAction::Create,
        AuditAction::Update,
        AuditAction::Delete,
        AuditAction::ReadPersonalData,
        AuditAction::RoleGranted,
        AuditAction::RoleRevoked,
        AuditAction::PasswordChanged,
        AuditAction::SecondFactorEnrolled,
        AuditAction::SecondFactorReset,
        AuditAction::ActivationIssued,
        AuditAction::KeyCreated,
        AuditAction::KeyRotated,
        AuditAction::BackupTaken,
        AuditAction::Restored,
        AuditAction::AccountDeactivated,
        AuditAction::AccountReactivated,
        AuditAction::ApiTokenRevoked,
        AuditAction::ResetRequested,
        AuditAction::ResetDecided,
        AuditAction::FeedRead,
        AuditAction::ReferenceRefused,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::LoginSucceeded => "login_succeeded",
            AuditAction::LoginFailed => "login_failed",
            AuditAction::SecondFactorFailed => "second_factor_failed",
            AuditAction::Logout => "logout",
            AuditAction::ApiTokenRejected => "api_token_rejected",
            AuditAction::ApiTokenIssued => "api_token_issued",
            AuditAction::Create => "create",
            AuditAction::Update => "update",
            AuditAction::Delete => "delete",
            AuditAction::ReadPersonalData => "read_personal_data",
            AuditAction::RoleGranted => "role_granted",
            AuditAction::RoleRevoked => "role_revoked",
            AuditAction::PasswordChanged => "password_changed",
            AuditAction::SecondFactorEnrolled => "second_factor_enrolled",
            AuditAction::SecondFactorReset => "second_factor_reset",
            AuditAction::ActivationIssued => "activation_issued",
            AuditAction::KeyCreated => "key_created",
            AuditAction::KeyRotated => "key_rotated",
            AuditAction::BackupTaken => "backup_taken",
            AuditAction::Restored => "restored",
            AuditAction::AccountDeactivated => "account_deactivated",
            AuditAction::AccountReactivated => "account_reactivated",
            AuditAction::ApiTokenRevoked => "api_token_revoked",
            AuditAction::ResetRequested => "reset_requested",
            AuditAction::ResetDecided => "reset_decided",
            AuditAction::FeedRead => "feed_read",
            AuditAction::ReferenceRefused => "reference_refused",
        }
    }

    pub fn parse(s: &str) -> Option<AuditAction> {
        AuditAction::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_round_trips_through_its_name() {
        for a in AuditAction::ALL {
            assert_eq!(AuditAction::parse(a.as_str()), Some(a));
        }
    }
}
