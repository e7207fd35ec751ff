//! Notifications: written with the change they report, escalation once per (procedure, rule, state), the e-mail
//! outbox queued, claimed, retried and never lost.

use domain::identity::Role;
use domain::procedure::deadlines::DeadlineState;
use domain::procedure::lifecycle::GroupMemberKind;
use jiff::SignedDuration;
use store::Caller;
use store::StoreError;
use store::notify::{MAX_ATTEMPTS, Meeting, NotificationKind};
use uuid::Uuid;

use crate::procedure::{Team, open, person, team};
use crate::support::*;

fn members(t: &Team) -> [(Uuid, GroupMemberKind); 2] {
    [(t.social_worker.account_id, GroupMemberKind::SocialWorker), (t.police.account_id, GroupMemberKind::PoliceOfficer)]
}

#[tokio::test]
async fn appointed_members_are_notified_with_the_appointment_and_a_refused_appointment_notifies_no_one() {
    let h = Harness::new().await;
    let store = h.store.clone().with_email_outbox(true);
    let t = team(&h).await;
    let id = open(&h, &t).await;
    let chair = store.case_access(&Caller::local(&t.chair), id).await.unwrap();
    // A stale version: refused as a whole, so no notification either.
    let stale = store.appoint_group(&chair, &members(&t), store::procedure::AppointmentBasis::TeamDecision, 7).await;
    assert!(matches!(stale, Err(StoreError::Conflict(_))), "{stale:?}");
    assert_eq!(store.unread_notifications(t.social_worker.account_id).await.unwrap(), 0);
    assert_eq!(scalar(&store, "SELECT COUNT(*) FROM email_outbox").await, 0);

    store.appoint_group(&chair, &members(&t), store::procedure::AppointmentBasis::TeamDecision, 1).await.unwrap();
    for member in [&t.social_worker, &t.police] {
        assert_eq!(store.unread_notifications(member.account_id).await.unwrap(), 1);
        let list = store.notifications(member, 50).await.unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].kind, NotificationKind::GroupAppointed);
        assert_eq!(list[0].procedure_id, Some(id));
        assert!(list[0].procedure_number.as_deref().unwrap().starts_with("NK/2026/"));
        assert!(!list[0].read);
    }
    assert_eq!(store.unread_notifications(t.outsider.account_id).await.unwrap(), 0);
    assert_eq!(store.unread_notifications(t.chair.account_id).await.unwrap(), 0);
    // One plain e-mail per member (both have an address).
    assert_eq!(store.outbox_counts().await.unwrap().queued, 2);

    assert_eq!(store.mark_notifications_read(&t.police).await.unwrap(), 1);
    assert_eq!(store.unread_notifications(t.police.account_id).await.unwrap(), 0);
    assert!(store.notifications(&t.police, 50).await.unwrap()[0].read);
    assert_eq!(store.unread_notifications(t.social_worker.account_id).await.unwrap(), 1, "only one's own");
}

#[tokio::test]
async fn without_smtp_there_is_no_outbox_and_an_account_without_address_gets_the_notification_only() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let id = open(&h, &t).await;
    let chair = h.store.case_access(&Caller::local(&t.chair), id).await.unwrap();
    h.store.appoint_group(&chair, &members(&t), store::procedure::AppointmentBasis::TeamDecision, 1).await.unwrap();
    assert_eq!(h.store.unread_notifications(t.police.account_id).await.unwrap(), 1);
    assert_eq!(scalar(&h.store, "SELECT COUNT(*) FROM email_outbox").await, 0, "outbox disabled");

    let store = h.store.clone().with_email_outbox(true);
    execute(&store, &format!("UPDATE account SET email_enc = NULL WHERE login = '{}'", t.police.login)).await.unwrap();
    let handle = store.case_access(&Caller::local(&t.chair), id).await.unwrap();
    let meeting = meeting_at(&h, 0);
    store.notify_meeting(&handle, &[t.police.account_id, t.social_worker.account_id], &meeting).await.unwrap();
    assert_eq!(store.unread_notifications(t.police.account_id).await.unwrap(), 2);
    assert_eq!(store.outbox_counts().await.unwrap().queued, 1, "only the member with an address");
}

fn meeting_at(h: &Harness, sequence: u32) -> Meeting {
    Meeting {
        uid: Uuid::from_u128(42),
        sequence,
        start: h.now() + SignedDuration::from_hours(48),
        end: h.now() + SignedDuration::from_hours(50),
        cancelled: false,
    }
}

#[tokio::test]
async fn a_meeting_invitation_is_queued_claimed_with_the_decrypted_address_and_retried_until_given_up() {
    let h = Harness::new().await;
    let store = h.store.clone().with_email_outbox(true);
    let t = team(&h).await;
    let id = open(&h, &t).await;
    let chair = store.case_access(&Caller::local(&t.chair), id).await.unwrap();
    store.appoint_group(&chair, &members(&t), store::procedure::AppointmentBasis::TeamDecision, 1).await.unwrap();
    // The initiator cannot schedule; a meeting must end after it starts; recipients must be of the municipality.
    let initiator = store.case_access(&Caller::local(&t.initiator), id).await.unwrap();
    let meeting = meeting_at(&h, 1);
    assert!(matches!(
        store.notify_meeting(&initiator, &[t.police.account_id], &meeting).await,
        Err(StoreError::NotFound)
    ));
    let backwards = Meeting { end: meeting.start, ..meeting.clone() };
    assert_eq!(
        field_error(store.notify_meeting(&chair, &[t.police.account_id], &backwards).await, "end"),
        "err-meeting-ends-before-start"
    );
    let other = other_tenant(&store).await;
    let foreign = person(&h, other.id, "obcy.czlonek", &[Role::GroupMember]).await;
    assert_eq!(
        field_error(store.notify_meeting(&chair, &[foreign.account_id], &meeting).await, "recipients"),
        "err-group-member-unknown"
    );
    assert_eq!(store.unread_notifications(foreign.account_id).await.unwrap(), 0);

    let group = store.case_access(&Caller::local(&t.social_worker), id).await.unwrap();
    store.notify_meeting(&group, &[t.police.account_id], &meeting).await.unwrap();
    let kinds: Vec<_> = store.notifications(&t.police, 50).await.unwrap().iter().map(|n| n.kind).collect();
    assert_eq!(kinds, [NotificationKind::MeetingScheduled, NotificationKind::GroupAppointed]);

    let claimed = store.claim_due_emails(10).await.unwrap();
    assert_eq!(claimed.len(), 3, "two appointment notices and one invitation");
    assert!(claimed.iter().all(|e| e.to == "zofia.zolkiewska@ops.example.pl"));
    let invitation = claimed.iter().find(|e| e.meeting.is_some()).unwrap();
    assert_eq!(invitation.meeting.as_ref(), Some(&meeting));
    assert_eq!(invitation.procedure_id, Some(id));
    assert!(!format!("{invitation:?}").contains('@'), "no address in debug output");
    // Each address read is in the audit trail.
    let reads = audit_entries(&store, "read_personal_data").await;
    assert_eq!(reads.iter().filter(|e| e.object_kind == "account").count(), 3);
    // Claimed e-mails are held: a second sender gets nothing.
    assert!(store.claim_due_emails(10).await.unwrap().is_empty());

    for e in &claimed {
        if e.meeting.is_none() {
            store.email_sent(e.id).await.unwrap();
        }
    }
    store.email_failed(invitation.id, "connection refused").await.unwrap();
    let counts = store.outbox_counts().await.unwrap();
    assert_eq!((counts.sent, counts.queued, counts.retrying, counts.failed), (2, 1, 1, 0));
    let problems = store.outbox_problems(10).await.unwrap();
    assert_eq!(problems.len(), 1);
    assert_eq!(
        (problems[0].id, problems[0].error.as_str(), problems[0].given_up),
        (invitation.id, "connection refused", false)
    );
    // Back-off: not due yet, due after a minute.
    assert!(store.claim_due_emails(10).await.unwrap().is_empty());
    h.advance(SignedDuration::from_secs(61));
    let again = store.claim_due_emails(10).await.unwrap();
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].attempts, 1);
    for _ in 1..MAX_ATTEMPTS {
        store.email_failed(invitation.id, "connection refused").await.unwrap();
    }
    let counts = store.outbox_counts().await.unwrap();
    assert_eq!((counts.queued, counts.failed), (0, 1), "given up, and kept");
    assert!(store.outbox_problems(10).await.unwrap()[0].given_up);
    h.advance(SignedDuration::from_hours(24 * 30));
    assert!(store.claim_due_emails(10).await.unwrap().is_empty());
}

#[tokio::test]
async fn escalation_notifies_the_chair_and_deputy_once_per_procedure_rule_and_state() {
    let h = Harness::new().await;
    let store = h.store.clone().with_email_outbox(true);
    let t = team(&h).await;
    let tenant_id = t.chair.tenant_id.unwrap();
    let deputy = person(&h, tenant_id, "zastepca", &[Role::DeputyChair]).await;
    let secretary = person(&h, tenant_id, "sekretarz", &[Role::Secretary]).await;
    let id = open(&h, &t).await;
    // Not yet near: nothing to say.
    let urgent = |store: &store::Store| {
        let chair = t.chair.clone();
        let store = store.clone();
        async move {
            store.dashboard(&chair, 10).await.unwrap()[0]
                .deadlines
                .iter()
                .filter(|d| matches!(d.state, DeadlineState::DueSoon { .. } | DeadlineState::Overdue { .. }))
                .count()
        }
    };
    let first = store.escalate_deadlines().await.unwrap();
    assert_eq!(first.cases, 1);
    assert_eq!(first.notified, 2 * urgent(&store).await);
    h.advance(SignedDuration::from_hours(24 * 10));
    // The group's appointment (art. 9a ust. 10a) and form A to its members (REG23 §8) are both overdue.
    assert_eq!(urgent(&store).await, 2, "the group appointment and form A to the group are overdue");
    let overdue = store.escalate_deadlines().await.unwrap();
    assert_eq!(overdue.notified, 2 * 2, "chair and deputy, for each");
    let rerun = store.escalate_deadlines().await.unwrap();
    assert_eq!(rerun.notified, 0, "a rerun notifies no one twice");
    let list = store.notifications(&t.chair, 50).await.unwrap();
    assert_eq!(list[0].kind, NotificationKind::DeadlineOverdue);
    assert_eq!(list[0].procedure_id, Some(id));
    assert!(list[0].rule_id.is_some());
    assert_eq!(store.unread_notifications(deputy.account_id).await.unwrap(), list.len() as i64);
    assert_eq!(store.unread_notifications(secretary.account_id).await.unwrap(), 0);
    assert_eq!(store.unread_notifications(t.social_worker.account_id).await.unwrap(), 0);
    // Another municipality's chair hears nothing of this case.
    let other = other_tenant(&store).await;
    let foreign_chair = person(&h, other.id, "obca.przewodniczaca", &[Role::Chair]).await;
    h.advance(SignedDuration::from_hours(1));
    assert_eq!(store.escalate_deadlines().await.unwrap().notified, 0);
    assert_eq!(store.unread_notifications(foreign_chair.account_id).await.unwrap(), 0);
    // Each notification queued its e-mail in the same transaction.
    assert_eq!(store.outbox_counts().await.unwrap().queued, 2 * list.len() as i64);
}
