//! The team's registers: members with encrypted details and the confidentiality gate on case data, meetings with
//! their notice, attendance and the absence letter, the directory of help and its public part, activities, reminders.

use domain::identity::Role;
use domain::team::{Attendance, MeetingStatus};
use jiff::SignedDuration;
use jiff::civil::date;
use store::Caller;
use store::StoreError;
use store::identity::Principal;
use store::notify::NotificationKind;
use store::team::{ActivityDraft, AttendanceInput, DirectoryDraft, MeetingInput, MemberDraft};
use uuid::Uuid;

use crate::procedure::{open, person, team};
use crate::support::*;

fn member(name: &str, account: Option<Uuid>, signed: &str) -> MemberDraft {
    MemberDraft {
        full_name: name.into(),
        email: "czlonek@example.org".into(),
        account_id: account.map(|a| a.to_string()).unwrap_or_default(),
        function: "member".into(),
        appointed_on: "2026-01-10".into(),
        confidentiality_signed_on: signed.into(),
        ..MemberDraft::default()
    }
}

async fn add_member(h: &Harness, chair: &Principal, draft: &MemberDraft) -> Uuid {
    let input = draft.validate(h.store.today()).unwrap();
    h.store.create_team_member(&Caller::local(chair), &input).await.unwrap()
}

#[tokio::test]
async fn members_are_kept_encrypted_read_with_an_audit_entry_and_only_by_the_team_staff() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let order =
        h.store.create_team_order(&Caller::local(&t.chair), "Zarządzenie nr 12/2026", "2026-01-05").await.unwrap();
    let mut draft = member("Zofia Przykładowa", None, "2026-01-12");
    draft.order_id = order.id.to_string();
    draft.function = "secretary".into();
    let id = add_member(&h, &t.chair, &draft).await;

    let list = h.store.team_members(&Caller::local(&t.chair)).await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].details.full_name, "Zofia Przykładowa");
    assert_eq!(list[0].order_id, Some(order.id));
    assert!(list[0].may_see_cases());
    assert_eq!(
        scalar(
            &h.store,
            "SELECT COUNT(*) FROM audit_entry WHERE action = 'read_personal_data' AND object_kind = 'team_member'"
        )
        .await,
        1
    );
    // The name is nowhere in clear.
    let clear = scalar(&h.store, "SELECT COUNT(*) FROM team_member WHERE function = 'secretary'").await;
    assert_eq!(clear, 1);

    // A stale edit is a conflict; a current one moves the version on.
    let input = draft.validate(h.store.today()).unwrap();
    assert!(matches!(
        h.store.update_team_member(&Caller::local(&t.chair), id, &input, 7).await,
        Err(StoreError::Conflict(_))
    ));
    h.store.update_team_member(&Caller::local(&t.chair), id, &input, 1).await.unwrap();

    // A group member, an aggregate viewer and a programme reporter never see members.
    let tenant = t.chair.tenant_id.unwrap();
    let viewer = person(&h, tenant, "podglad", &[Role::AggregateViewer]).await;
    let reporter = person(&h, tenant, "sprawozdawca", &[Role::ProgrammeReporter]).await;
    for p in [&t.social_worker, &viewer, &reporter] {
        assert!(matches!(h.store.team_members(&Caller::local(p)).await, Err(StoreError::NotFound)), "{}", p.login);
        assert!(matches!(h.store.team_member(&Caller::local(p), id).await, Err(StoreError::NotFound)));
    }

    // Bad input: the field says what is wrong.
    let bad = MemberDraft { function: "king".into(), appointed_on: "10/01/2026".into(), ..draft.clone() };
    let errors = bad.validate(h.store.today()).unwrap_err();
    assert_eq!(errors.for_field("function"), Some("err-choice-unknown"));
    assert_eq!(errors.for_field("appointed_on"), Some("err-date-format"));
    // An account of another municipality cannot be linked.
    let other = other_tenant(&h.store).await;
    let stranger = person(&h, other.id, "obcy", &[Role::GroupMember]).await;
    let linked = member("Obcy", Some(stranger.account_id), "").validate(h.store.today()).unwrap();
    assert!(matches!(h.store.create_team_member(&Caller::local(&t.chair), &linked).await, Err(StoreError::Invalid(_))));
}

#[tokio::test]
async fn a_member_without_a_signed_declaration_reaches_no_case_data_until_it_is_recorded() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let id = open(&h, &t).await;
    let chair = h.store.case_access(&Caller::local(&t.chair), id).await.unwrap();
    h.store
        .appoint_group(
            &chair,
            &[
                (t.social_worker.account_id, domain::procedure::lifecycle::GroupMemberKind::SocialWorker),
                (t.police.account_id, domain::procedure::lifecycle::GroupMemberKind::PoliceOfficer),
            ],
            store::procedure::AppointmentBasis::TeamDecision,
            1,
        )
        .await
        .unwrap();
    assert!(h.store.case_access(&Caller::local(&t.police), id).await.is_ok());

    let draft = member("Piotr Policjant", Some(t.police.account_id), "");
    let member_id = add_member(&h, &t.chair, &draft).await;
    assert!(h.store.confidentiality_declaration_missing(&t.police).await.unwrap());
    assert!(matches!(h.store.case_access(&Caller::local(&t.police), id).await, Err(StoreError::NotFound)));
    assert!(h.store.list_procedures(&t.police, 50, 0).await.unwrap().is_empty());
    assert!(h.store.dashboard(&t.police, 50).await.unwrap().is_empty());
    // The others are not affected.
    assert!(h.store.case_access(&Caller::local(&t.social_worker), id).await.is_ok());

    let signed = MemberDraft { confidentiality_signed_on: "2026-03-02".into(), ..draft };
    h.store
        .update_team_member(&Caller::local(&t.chair), member_id, &signed.validate(h.store.today()).unwrap(), 1)
        .await
        .unwrap();
    assert!(h.store.case_access(&Caller::local(&t.police), id).await.is_ok());
    assert_eq!(h.store.list_procedures(&t.police, 50, 0).await.unwrap().len(), 1);
}

fn meeting_at(at: &str) -> MeetingInput {
    MeetingInput {
        scheduled_at: at.into(),
        mode: "remote".into(),
        video_link: "https://meet.example.org/zi".into(),
        agenda: "1. Sprawy bieżące".into(),
        ..MeetingInput::default()
    }
}

#[tokio::test]
async fn a_meeting_notice_reaches_the_members_with_an_invitation_and_three_unexcused_absences_draft_a_letter() {
    let h = Harness::new().await;
    let store = h.store.clone().with_email_outbox(true);
    let t = team(&h).await;
    let present =
        add_member(&h, &t.chair, &member("Anna Obecna", Some(t.social_worker.account_id), "2026-01-12")).await;
    let absent = add_member(&h, &t.chair, &member("Jan Nieobecny", Some(t.police.account_id), "2026-01-12")).await;

    // A remote meeting needs its link.
    let no_link = MeetingInput { video_link: String::new(), ..meeting_at("2026-03-20T10:00") };
    assert!(matches!(store.plan_team_meeting(&Caller::local(&t.chair), &no_link).await, Err(StoreError::Invalid(_))));

    let mut held = 0;
    for (planned, day) in
        [("2026-03-06T10:00", "2026-03-06"), ("2026-03-13T10:00", "2026-03-13"), ("2026-03-20T10:00", "2026-03-20")]
    {
        let id = store.plan_team_meeting(&Caller::local(&t.chair), &meeting_at(planned)).await.unwrap();
        if held == 0 {
            // Less than 7 days away with no notice: flagged.
            assert_eq!(store.team_overview(&t.chair).await.unwrap().notices_late, vec![id]);
            let told = store.send_team_meeting_notice(&Caller::local(&t.chair), id, 1).await.unwrap();
            assert_eq!(told, 2);
            assert!(store.team_overview(&t.chair).await.unwrap().notices_late.is_empty());
            let n = store.notifications(&t.police, 10).await.unwrap();
            assert_eq!(n[0].kind, NotificationKind::TeamMeetingScheduled);
            assert_eq!(scalar(&store, "SELECT COUNT(*) FROM email_outbox WHERE kind = 'meeting'").await, 2);
            assert!(matches!(
                store.send_team_meeting_notice(&Caller::local(&t.chair), id, 1).await,
                Err(StoreError::Conflict(_))
            ));
        }
        let target: jiff::Timestamp = format!("{day}T12:00:00Z").parse().unwrap();
        h.advance(target.duration_since(h.now()));
        let version =
            store.team_meetings(&t.chair, Some(2026)).await.unwrap().into_iter().find(|m| m.id == id).unwrap().version;
        // The absence was notified the day before: late, so unexcused (except the first, with special circumstances).
        let attendance = [
            AttendanceInput { member_id: present, present: true, ..AttendanceInput::default() },
            AttendanceInput {
                member_id: absent,
                present: false,
                absence_notified_on: jiff::civil::Date::strptime("%Y-%m-%d", day)
                    .unwrap()
                    .yesterday()
                    .unwrap()
                    .to_string(),
                special_circumstances: false,
            },
        ];
        store
            .hold_team_meeting(
                &Caller::local(&t.chair),
                id,
                &format!("{day}T10:00"),
                "Protokół",
                "Uchwała nr 1",
                &attendance,
                version,
            )
            .await
            .unwrap();
        held += 1;
        let m = store.team_meeting(&Caller::local(&t.chair), id).await.unwrap();
        assert_eq!(m.status, MeetingStatus::Held);
        assert_eq!(m.body.minutes, "Protokół");
        let jan = m.attendance.iter().find(|a| a.member_id == absent).unwrap();
        assert_eq!(jan.status, Attendance::Unexcused);
        if held < 3 {
            assert!(store.absence_letters(&Caller::local(&t.chair)).await.unwrap().is_empty());
        }
    }
    let letters = store.absence_letters(&Caller::local(&t.chair)).await.unwrap();
    assert_eq!(letters.len(), 1);
    assert_eq!(letters[0].member.details.full_name, "Jan Nieobecny");
    assert_eq!(letters[0].absences, vec![date(2026, 3, 6), date(2026, 3, 13), date(2026, 3, 20)]);
    // A held meeting is not changed again.
    let first = store.team_meetings(&t.chair, Some(2026)).await.unwrap().pop().unwrap();
    assert!(matches!(
        store.cancel_team_meeting(&Caller::local(&t.chair), first.id, first.version).await,
        Err(StoreError::Invalid(_))
    ));
    assert!(store.team_meetings(&t.chair, Some(2025)).await.unwrap().is_empty());
    assert!(matches!(store.team_meetings(&t.social_worker, None).await, Err(StoreError::NotFound)));
}

#[tokio::test]
async fn the_chair_is_reminded_once_of_the_two_months_rule_and_of_training_due() {
    let h = Harness::new().await;
    let t = team(&h).await;
    h.store.create_team_order(&Caller::local(&t.chair), "12/2026", "2026-01-05").await.unwrap();
    let mut late = member("Nowa Osoba", None, "2026-01-12");
    late.appointed_on = "2025-03-20".into();
    add_member(&h, &t.chair, &late).await;
    // 2 March: the first meeting was due by 5 March, none is planned; training due by 20 March.
    let report = h.store.team_reminders().await.unwrap();
    assert_eq!(report.notified, 2);
    let n = h.store.notifications(&t.chair, 10).await.unwrap();
    let mut rules: Vec<_> = n.iter().map(|n| (n.kind, n.rule_id.clone().unwrap())).collect();
    rules.sort_by(|a, b| a.1.cmp(&b.1));
    assert_eq!(
        rules,
        vec![
            (NotificationKind::TeamReminder, "team-meeting-due".to_owned()),
            (NotificationKind::TeamReminder, "team-training-due".to_owned()),
        ]
    );
    assert_eq!(h.store.team_reminders().await.unwrap().notified, 0, "once only");
    h.advance(SignedDuration::from_hours(24 * 4));
    assert_eq!(h.store.team_reminders().await.unwrap().notified, 1, "then missed");
}

fn entry(name: &str, public: bool) -> DirectoryDraft {
    DirectoryDraft {
        name: name.into(),
        help_kinds: vec!["helpline".into(), "legal".into()],
        phone: "800 120 002".into(),
        languages: "pl en".into(),
        is_public: public,
        last_checked_on: "2025-03-01".into(),
        ..DirectoryDraft::default()
    }
}

#[tokio::test]
async fn the_public_directory_shows_only_public_current_entries_and_an_institution_in_use_lists_its_dependents() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let tenant = t.chair.tenant_id.unwrap();
    let ops = h.store.create_institution(&operator(), tenant, "MOPS", "social_welfare").await.unwrap();
    let mut public = entry("Niebieska Linia", true);
    public.institution_id = ops.id.to_string();
    let today = h.store.today();
    let a = h.store.create_directory_entry(&Caller::local(&t.chair), &public.validate(today).unwrap()).await.unwrap();
    let b = h
        .store
        .create_directory_entry(&Caller::local(&t.chair), &entry("Wewnętrzny kontakt", false).validate(today).unwrap())
        .await
        .unwrap();
    let c = h
        .store
        .create_directory_entry(&Caller::local(&t.chair), &entry("Zamknięty punkt", true).validate(today).unwrap())
        .await
        .unwrap();
    h.store.archive_directory_entry(&Caller::local(&t.chair), c, true, 1).await.unwrap();

    // The national helplines every municipality starts with are public too; of the team's own, only the public,
    // current one.
    let public_entries = h.store.public_directory(tenant).await.unwrap();
    let national = public_entries.iter().filter(|e| e.national_key.is_some()).count();
    assert_eq!(national, store::team::NATIONAL_HELPLINES.len());
    let shown: Vec<_> = public_entries.into_iter().filter(|e| e.national_key.is_none()).map(|e| e.id).collect();
    assert_eq!(shown, vec![a]);
    // Group members see the whole current directory; they do not change it.
    let all: Vec<_> = h
        .store
        .directory(&t.social_worker, false)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.national_key.is_none())
        .map(|e| e.id)
        .collect();
    assert_eq!(all.len(), 2);
    assert!(all.contains(&b));
    assert!(matches!(
        h.store.create_directory_entry(&Caller::local(&t.social_worker), &public.validate(today).unwrap()).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(h.store.directory(&t.initiator, false).await, Err(StoreError::NotFound)));
    // Reviewed more than a year ago: due.
    assert_eq!(h.store.team_overview(&t.chair).await.unwrap().reviews_due, 2);
    assert!(matches!(
        h.store.update_directory_entry(&Caller::local(&t.chair), a, &public.validate(today).unwrap(), 9).await,
        Err(StoreError::Conflict(_))
    ));

    let bad = DirectoryDraft { website: "javascript:alert(1)".into(), help_kinds: vec![], ..public.clone() };
    let errors = bad.validate(today).unwrap_err();
    assert_eq!(errors.for_field("website"), Some("err-website-format"));
    assert_eq!(errors.for_field("help_kinds"), Some("err-required"));

    add_member(&h, &t.chair, &MemberDraft { institution_id: ops.id.to_string(), ..member("Ktoś z MOPS", None, "") })
        .await;
    let deps = h.store.institution_team_dependents(tenant, ops.id).await.unwrap();
    let kinds: Vec<_> = deps.iter().map(|d| d.kind).collect();
    assert_eq!(kinds, vec!["team_member", "help_directory_entry"]);
    assert_eq!(deps[1].label, "Niebieska Linia");
}

#[tokio::test]
async fn activities_are_listed_by_year_and_changed_at_their_version() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let draft = ActivityDraft {
        kind: "workshop".into(),
        held_on: "2026-02-10".into(),
        title: "Warsztaty w SP nr 3".into(),
        participants: "54".into(),
        materials_handed_out: "120".into(),
        ..ActivityDraft::default()
    };
    let id = h.store.create_activity(&Caller::local(&t.chair), &draft.validate().unwrap()).await.unwrap();
    let old = ActivityDraft { held_on: "2025-11-25".into(), kind: "campaign".into(), ..draft.clone() };
    h.store.create_activity(&Caller::local(&t.chair), &old.validate().unwrap()).await.unwrap();
    let list = h.store.activities(&t.chair, 2026).await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].participants, 54);
    assert_eq!(h.store.activities(&t.chair, 2025).await.unwrap().len(), 1);
    let bad =
        ActivityDraft { participants: "-3".into(), kind: "party".into(), ..draft.clone() }.validate().unwrap_err();
    assert_eq!(bad.for_field("participants"), Some("err-count-range"));
    assert_eq!(bad.for_field("kind"), Some("err-choice-unknown"));
    let changed = ActivityDraft { participants: "60".into(), ..draft }.validate().unwrap();
    h.store.update_activity(&Caller::local(&t.chair), id, &changed, 1).await.unwrap();
    assert!(matches!(
        h.store.update_activity(&Caller::local(&t.chair), id, &changed, 1).await,
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(h.store.activities(&t.social_worker, 2026).await, Err(StoreError::NotFound)));
    h.store.delete_activity(&Caller::local(&t.chair), id, 2).await.unwrap();
    assert!(h.store.activities(&t.chair, 2026).await.unwrap().is_empty());
}

#[tokio::test]
async fn who_fills_a_form_is_prefilled_with_the_position_the_team_register_keeps_for_the_account() {
    // Arrange
    let h = Harness::new().await;
    let t = team(&h).await;
    let before = h.store.filler(&t.police).await.unwrap();
    let draft = MemberDraft {
        position: "dzielnicowy".into(),
        ..member("Piotr Dzielnicowy", Some(t.police.account_id), "2026-01-10")
    };

    // Act
    let id = add_member(&h, &t.chair, &draft).await;
    let after = h.store.filler(&t.police).await.unwrap();
    let left = MemberDraft { left_on: "2026-02-01".into(), ..draft };
    h.store
        .update_team_member(&Caller::local(&t.chair), id, &left.validate(h.store.today()).unwrap(), 1)
        .await
        .unwrap();
    let gone = h.store.filler(&t.police).await.unwrap();

    // Assert
    assert_eq!(before.position, "", "an account that is no member's has no position to offer");
    assert_eq!(after.position, "dzielnicowy");
    assert_eq!(after.full_name, "Osoba Testowa");
    assert_eq!(gone.position, "", "a member who left no longer speaks for the team's register");
}

#[tokio::test]
async fn an_initiator_who_is_no_member_keeps_a_position_of_their_own_sealed_and_the_chair_may_set_it() {
    // Arrange: the initiator has no entry in the team's register; a member of another municipality is a stranger.
    let h = Harness::new().await;
    let t = team(&h).await;
    let other = other_tenant(&h.store).await;
    let stranger = crate::procedure::person(&h, other.id, "przewodniczaca.inna", &[Role::Chair]).await;
    assert_eq!(h.store.filler(&t.initiator).await.unwrap().position, "");

    // Act
    h.store.set_own_position(&Caller::local(&t.initiator), "  starszy dzielnicowy ").await.unwrap();
    let own = h.store.filler(&t.initiator).await.unwrap();
    let too_long = h.store.set_own_position(&Caller::local(&t.initiator), &"x".repeat(121)).await;
    let two_lines = h.store.set_own_position(&Caller::local(&t.initiator), "dzielnicowy\nrewiru 3").await;
    h.store
        .set_account_position(&Caller::local(&t.chair), t.social_worker.account_id, "pracownik socjalny")
        .await
        .unwrap();
    let by_stranger = h.store.set_account_position(&Caller::local(&stranger), t.initiator.account_id, "ktoś").await;
    let by_member = h.store.set_account_position(&Caller::local(&t.police), t.initiator.account_id, "ktoś").await;

    // Assert
    assert_eq!(own.position, "starszy dzielnicowy", "trimmed and prefilled into form A's part XIV");
    assert_eq!(h.store.own_position(&t.initiator).await.unwrap(), "starszy dzielnicowy");
    let refused = |r: Result<(), StoreError>| match r {
        Err(StoreError::Invalid(e)) => e.for_field("position").map(str::to_owned),
        other => panic!("{other:?}"),
    };
    assert_eq!(refused(too_long).as_deref(), Some("err-position-too-long"));
    assert_eq!(refused(two_lines).as_deref(), Some("err-position-one-line"));
    assert_eq!(h.store.own_position(&t.initiator).await.unwrap(), "starszy dzielnicowy", "a refusal changes nothing");
    assert_eq!(h.store.filler(&t.social_worker).await.unwrap().position, "pracownik socjalny");
    assert!(matches!(by_stranger, Err(StoreError::NotFound)), "another municipality's chair learns nothing");
    assert!(matches!(by_member, Err(StoreError::NotFound)), "a group member manages no accounts");
    let listed = h.store.list_accounts(&operator(), t.chair.tenant_id).await.unwrap();
    let initiator = listed.iter().find(|a| a.id == t.initiator.account_id).unwrap();
    assert_eq!(initiator.position, "starszy dzielnicowy", "the accounts list shows it");
    let sealed = if is_postgres(&h.store) {
        "SELECT COUNT(*) FROM account WHERE position('dzielnicowy'::bytea in position_enc) > 0"
    } else {
        "SELECT COUNT(*) FROM account WHERE instr(position_enc, CAST('dzielnicowy' AS BLOB)) > 0"
    };
    assert_eq!(scalar(&h.store, sealed).await, 0, "no position in the clear at rest");
    assert_eq!(scalar(&h.store, "SELECT COUNT(*) FROM account WHERE position_enc IS NOT NULL").await, 2);

    // A member's own position wins over the register's: the holder keeps it current.
    let draft =
        MemberDraft { position: "dzielnicowy".into(), ..member("Piotr", Some(t.police.account_id), "2026-01-10") };
    add_member(&h, &t.chair, &draft).await;
    assert_eq!(h.store.filler(&t.police).await.unwrap().position, "dzielnicowy", "the register's when none of its own");
    h.store.set_own_position(&Caller::local(&t.police), "kierownik rewiru").await.unwrap();
    assert_eq!(h.store.filler(&t.police).await.unwrap().position, "kierownik rewiru");
    h.store.set_own_position(&Caller::local(&t.police), " ").await.unwrap();
    assert_eq!(h.store.filler(&t.police).await.unwrap().position, "dzielnicowy", "cleared, the register's again");
}
