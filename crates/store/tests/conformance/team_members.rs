//! The team's members' qualifications and its working groups (issue 18, items 6–7): a training history per member
//! (migrated from the single date without loss, read by the 12-month clock and the statutory set), the coordinators
//! per area of work, and the thematic working groups with their tasks and meetings, each reachable only by the
//! team's staff and the group's own members.

use domain::identity::Role;
use domain::team::{CoordinationArea, TrainingKind, TrainingState, WorkingTaskStatus};
use store::Caller;
use store::StoreError;
use store::identity::Principal;
use store::team::{GroupMeetingDraft, GroupTaskDraft, MemberDraft, TrainingDraft, WorkingGroupDraft, WorkingGroupRole};
use uuid::Uuid;

use crate::procedure::{person, team};
use crate::support::*;

fn member(name: &str, account: Option<Uuid>, appointed_on: &str) -> MemberDraft {
    MemberDraft {
        full_name: name.into(),
        account_id: account.map(|a| a.to_string()).unwrap_or_default(),
        function: "member".into(),
        appointed_on: appointed_on.into(),
        confidentiality_signed_on: "2026-01-12".into(),
        ..MemberDraft::default()
    }
}

async fn add_member(h: &Harness, chair: &Principal, draft: &MemberDraft) -> Uuid {
    let input = draft.validate(h.store.today()).unwrap();
    h.store.create_team_member(&Caller::local(chair), &input).await.unwrap()
}

fn training(kind: &str, title: &str, completed_on: &str) -> TrainingDraft {
    TrainingDraft {
        kind: kind.into(),
        title: title.into(),
        organiser: "Niebieska Linia IPZ".into(),
        completed_on: completed_on.into(),
        hours: "16".into(),
        certificate_number: "NL/2025/0417".into(),
        ..TrainingDraft::default()
    }
}

async fn audit_count(h: &Harness, kind: &str, action: &str) -> i64 {
    scalar(&h.store, &format!("SELECT COUNT(*) FROM audit_entry WHERE object_kind = '{kind}' AND action = '{action}'"))
        .await
}

async fn state(h: &Harness, chair: &Principal, id: Uuid) -> TrainingState {
    h.store.team_member(&Caller::local(chair), id).await.unwrap().training(h.store.today())
}

#[tokio::test]
async fn a_training_history_stops_the_mandatory_clock_and_keeps_the_certificate_sealed() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let today = h.store.today();
    // Appointed in March 2025: the training was due by 20 March 2026, so on 2 March it is due soon.
    let id = add_member(&h, &t.chair, &member("Anna Szkolona", None, "2025-03-20")).await;
    assert!(matches!(state(&h, &t.chair, id).await, TrainingState::DueSoon { .. }));

    // A Studium is a qualification but not the act's mandatory training: the clock still runs.
    let studium = training("studium_first_degree", "Studium Przeciwdziałania Przemocy I stopnia", "2025-11-20");
    let input = studium.validate(today).unwrap();
    h.store.add_member_training(&Caller::local(&t.chair), id, &input).await.unwrap();
    assert!(matches!(state(&h, &t.chair, id).await, TrainingState::DueSoon { .. }));
    let mandatory = training("mandatory", "Szkolenie dla członków zespołu interdyscyplinarnego", "2026-02-10");
    h.store.add_member_training(&Caller::local(&t.chair), id, &mandatory.validate(today).unwrap()).await.unwrap();
    assert_eq!(state(&h, &t.chair, id).await, TrainingState::Completed { on: jiff::civil::date(2026, 2, 10) });
    // The overview's reminder counts read the same history.
    let overview = h.store.team_overview(&t.chair).await.unwrap();
    assert_eq!((overview.trainings_due, overview.trainings_overdue), (0, 0));

    let history = h.store.member_trainings(&Caller::local(&t.chair), id).await.unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].kind, TrainingKind::Mandatory, "newest first");
    assert_eq!(history[1].certificate_number.as_deref(), Some("NL/2025/0417"));
    assert_eq!(history[1].hours, Some(16));
    // The certificate's number is nowhere in clear; the read is audited.
    let clear = if is_postgres(&h.store) {
        "SELECT COUNT(*) FROM team_member_training WHERE position('NL/2025'::bytea in certificate_enc) > 0"
    } else {
        "SELECT COUNT(*) FROM team_member_training WHERE instr(certificate_enc, 'NL/2025') > 0"
    };
    assert_eq!(scalar(&h.store, clear).await, 0);
    assert_eq!(audit_count(&h, "team_member_training", "read_personal_data").await, 1);
    assert_eq!(audit_count(&h, "team_member_training", "create").await, 2);

    // Removing the mandatory entry restarts the clock; removing it twice is "not found".
    h.store.remove_member_training(&Caller::local(&t.chair), id, history[0].id).await.unwrap();
    assert!(matches!(state(&h, &t.chair, id).await, TrainingState::DueSoon { .. }));
    assert!(matches!(
        h.store.remove_member_training(&Caller::local(&t.chair), id, history[0].id).await,
        Err(StoreError::NotFound)
    ));

    // Only the staff record; a group member neither records nor reads.
    assert!(matches!(
        h.store.add_member_training(&Caller::local(&t.social_worker), id, &input).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(h.store.member_trainings(&Caller::local(&t.social_worker), id).await, Err(StoreError::NotFound)));
    // Another municipality's chair does not find the member.
    let other = other_tenant(&h.store).await;
    let other_chair = person(&h, other.id, "inna.przewodniczaca", &[Role::Chair]).await;
    assert!(matches!(
        h.store.add_member_training(&Caller::local(&other_chair), id, &input).await,
        Err(StoreError::NotFound)
    ));
}

#[tokio::test]
async fn a_training_with_impossible_dates_or_hours_is_refused_beside_the_field() {
    let h = Harness::new().await;
    let today = h.store.today();
    let future = training("mandatory", "Szkolenie", "2026-03-03");
    assert_eq!(future.validate(today).unwrap_err().for_field("completed_on"), Some("err-date-in-future"));
    let backwards = TrainingDraft { starts_on: "2026-02-10".into(), ..training("further", "Kurs", "2026-02-01") };
    assert_eq!(
        backwards.validate(today).unwrap_err().for_field("completed_on"),
        Some("err-training-ends-before-start")
    );
    let hours = TrainingDraft { hours: "0".into(), ..training("further", "Kurs", "2026-02-01") };
    assert_eq!(hours.validate(today).unwrap_err().for_field("hours"), Some("err-training-hours-range"));
    let kind = training("course", "Kurs", "2026-02-01");
    assert_eq!(kind.validate(today).unwrap_err().for_field("kind"), Some("err-choice-unknown"));
    let untitled = training("further", " ", "2026-02-01");
    assert_eq!(untitled.validate(today).unwrap_err().for_field("title"), Some("err-required"));
    let two_days = TrainingDraft { starts_on: "2026-01-30".into(), ..training("further", "Kurs", "2026-01-31") };
    assert!(two_days.validate(today).is_ok());
}

#[tokio::test]
async fn the_migration_turns_each_single_training_date_into_one_mandatory_entry() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let trained = add_member(&h, &t.chair, &member("Jan Dawny", None, "2025-01-10")).await;
    let untrained = add_member(&h, &t.chair, &member("Ewa Nowa", None, "2025-01-10")).await;
    // A member as the registers kept them before migration 0045: one date on the member's row (the first member,
    // by its time-ordered id; the ids are blobs on SQLite, so no text literal would match them).
    execute(
        &h.store,
        "UPDATE team_member SET training_completed_on = '2025-06-30' \
         WHERE id = (SELECT id FROM team_member ORDER BY id LIMIT 1)",
    )
    .await
    .unwrap();
    assert_eq!(scalar(&h.store, "SELECT COUNT(*) FROM team_member WHERE training_completed_on IS NOT NULL").await, 1);
    // The migration's own statement, run on that data.
    let migration = if is_postgres(&h.store) {
        include_str!("../../migrations/postgres/0045_member_trainings_and_working_groups.sql")
    } else {
        include_str!("../../migrations/sqlite/0045_member_trainings_and_working_groups.sql")
    };
    // Its comments hold semicolons too: drop them before cutting the file into statements.
    let statements: String =
        migration.lines().filter(|l| !l.trim_start().starts_with("--")).collect::<Vec<_>>().join("\n");
    let backfill = statements
        .split(';')
        .find(|s| s.contains("INSERT INTO team_member_training"))
        .expect("the migration carries the dates over");
    assert_eq!(execute(&h.store, backfill).await.unwrap(), 1);

    let members = h.store.team_members(&Caller::local(&t.chair)).await.unwrap();
    let old = members.iter().find(|m| m.training_completed_on.is_some()).expect("the date survived");
    assert_eq!(old.id, trained);
    assert_eq!(old.training(h.store.today()), TrainingState::Completed { on: jiff::civil::date(2025, 6, 30) });
    let history = h.store.member_trainings(&Caller::local(&t.chair), old.id).await.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!((history[0].kind, history[0].title.as_deref()), (TrainingKind::Mandatory, None));
    let other = members.iter().find(|m| m.id == untrained).unwrap();
    assert!(matches!(other.training(h.store.today()), TrainingState::Overdue { .. }));
}

#[tokio::test]
async fn coordinators_per_area_are_kept_with_the_member_and_listed_by_area() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let mut draft = member("Maria Koordynatorka", None, "2025-01-10");
    draft.coordination_areas = vec!["elderly".into(), "children".into(), "children".into()];
    let id = add_member(&h, &t.chair, &draft).await;
    let m = h.store.team_member(&Caller::local(&t.chair), id).await.unwrap();
    assert_eq!(m.coordination_areas, vec![CoordinationArea::Children, CoordinationArea::Elderly]);
    let areas = h.store.team_coordinators(&t.chair).await.unwrap();
    assert_eq!(areas.len(), CoordinationArea::ALL.len(), "every area, even without a coordinator");
    let children = areas.iter().find(|a| a.area == CoordinationArea::Children).unwrap();
    assert_eq!(children.member_ids, vec![id]);
    assert!(areas.iter().find(|a| a.area == CoordinationArea::Programmes).unwrap().member_ids.is_empty());

    // A change replaces the areas; one who left coordinates nothing.
    let mut changed = m.to_draft();
    changed.coordination_areas = vec!["programmes".into()];
    changed.left_on = "2026-02-01".into();
    h.store
        .update_team_member(&Caller::local(&t.chair), id, &changed.validate(h.store.today()).unwrap(), m.version)
        .await
        .unwrap();
    let areas = h.store.team_coordinators(&t.chair).await.unwrap();
    assert!(areas.iter().all(|a| a.member_ids.is_empty()));
    assert_eq!(
        h.store.team_member(&Caller::local(&t.chair), id).await.unwrap().coordination_areas,
        vec![CoordinationArea::Programmes]
    );
    let bad = MemberDraft { coordination_areas: vec!["kings".into()], ..draft };
    assert_eq!(bad.validate(h.store.today()).unwrap_err().for_field("coordination_areas"), Some("err-choice-unknown"));
    assert!(matches!(h.store.team_coordinators(&t.social_worker).await, Err(StoreError::NotFound)));
}

#[tokio::test]
async fn a_working_group_is_managed_by_the_staff_and_its_chair_and_worked_in_by_its_members_only() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let today = h.store.today();
    let tenant = t.chair.tenant_id.unwrap();
    let police = person(&h, tenant, "policjant.grupa", &[Role::GroupMember]).await;
    let chair_member =
        add_member(&h, &t.chair, &member("Katarzyna Przewodnicząca", Some(t.social_worker.account_id), "2025-01-10"))
            .await;
    let member_id = add_member(&h, &t.chair, &member("Piotr Członek", Some(police.account_id), "2025-01-10")).await;
    let outsider_member =
        add_member(&h, &t.chair, &member("Olga Spoza", Some(t.outsider.account_id), "2025-01-10")).await;

    let draft = WorkingGroupDraft {
        name: "Grupa ds. seniorów".into(),
        purpose: "Rozpoznanie przemocy wobec osób starszych; kampania w przychodniach.".into(),
        established_on: "2026-01-15".into(),
        chair_member_id: chair_member.to_string(),
        member_ids: vec![member_id.to_string()],
        ..WorkingGroupDraft::default()
    };
    let input = draft.validate(today).unwrap();
    assert_eq!(input.member_ids, vec![chair_member, member_id], "the chair is a member");
    // Only the staff set a group up.
    assert!(matches!(
        h.store.create_working_group(&Caller::local(&t.social_worker), &input).await,
        Err(StoreError::NotFound)
    ));
    let group = h.store.create_working_group(&Caller::local(&t.chair), &input).await.unwrap();

    // Who sees what: the staff all, the members their own, anyone else nothing.
    assert_eq!(h.store.working_groups(&t.chair).await.unwrap()[0].role, WorkingGroupRole::Staff);
    assert_eq!(h.store.working_groups(&t.social_worker).await.unwrap()[0].role, WorkingGroupRole::Chair);
    assert_eq!(h.store.working_groups(&police).await.unwrap()[0].role, WorkingGroupRole::Member);
    assert!(h.store.working_groups(&t.outsider).await.unwrap().is_empty());
    assert!(h.store.working_groups(&t.initiator).await.unwrap().is_empty());
    assert!(matches!(h.store.working_group(&Caller::local(&t.outsider), group).await, Err(StoreError::NotFound)));

    // A member records a task and a meeting; the chair changes the group; a member may not.
    let task = GroupTaskDraft {
        title: "Ulotka dla przychodni".into(),
        owner_member_id: member_id.to_string(),
        due_on: "2026-04-30".into(),
        status: "open".into(),
    };
    let task_input = task.validate().unwrap();
    let task_id = h.store.add_group_task(&Caller::local(&police), group, &task_input).await.unwrap();
    let foreign_owner = GroupTaskDraft { owner_member_id: outsider_member.to_string(), ..task.clone() };
    assert_eq!(
        field_error(
            h.store.add_group_task(&Caller::local(&police), group, &foreign_owner.validate().unwrap()).await,
            "owner_member_id"
        ),
        "err-working-group-not-a-member"
    );
    assert!(matches!(
        h.store.add_group_task(&Caller::local(&t.outsider), group, &task_input).await,
        Err(StoreError::NotFound)
    ));
    let done = GroupTaskDraft { status: "done".into(), ..task };
    h.store.update_group_task(&Caller::local(&police), group, task_id, &done.validate().unwrap(), 1).await.unwrap();
    assert!(matches!(
        h.store.update_group_task(&Caller::local(&police), group, task_id, &done.validate().unwrap(), 1).await,
        Err(StoreError::Conflict(_))
    ));

    let meeting = GroupMeetingDraft {
        held_on: "2026-02-20".into(),
        agenda: "1. Ulotka. 2. Kampania.".into(),
        minutes: "Pani Nowakowska z przychodni przekaże ulotki.".into(),
        attended: vec![chair_member.to_string(), member_id.to_string()],
    };
    let meeting_id =
        h.store.record_group_meeting(&Caller::local(&police), group, &meeting.validate(today).unwrap()).await.unwrap();
    // Real dates: not in the future, not before the group was set up.
    let future = GroupMeetingDraft { held_on: "2026-03-03".into(), ..meeting.clone() };
    assert_eq!(future.validate(today).unwrap_err().for_field("held_on"), Some("err-date-in-future"));
    let early = GroupMeetingDraft { held_on: "2026-01-14".into(), ..meeting.clone() };
    assert_eq!(
        field_error(
            h.store.record_group_meeting(&Caller::local(&police), group, &early.validate(today).unwrap()).await,
            "held_on"
        ),
        "err-working-group-meeting-before-group"
    );
    let stranger = GroupMeetingDraft { attended: vec![outsider_member.to_string()], ..meeting.clone() };
    assert_eq!(
        field_error(
            h.store.record_group_meeting(&Caller::local(&police), group, &stranger.validate(today).unwrap()).await,
            "attended"
        ),
        "err-working-group-not-a-member"
    );

    let renamed = WorkingGroupDraft { name: "Grupa ds. osób starszych".into(), ..draft.clone() };
    let renamed = renamed.validate(today).unwrap();
    assert!(matches!(
        h.store.update_working_group(&Caller::local(&police), group, &renamed, 1).await,
        Err(StoreError::NotFound)
    ));
    h.store.update_working_group(&Caller::local(&t.social_worker), group, &renamed, 1).await.unwrap();
    // Set up after its first meeting: refused beside the field.
    let later = WorkingGroupDraft { established_on: "2026-02-25".into(), ..draft.clone() };
    assert_eq!(
        field_error(
            h.store.update_working_group(&Caller::local(&t.chair), group, &later.validate(today).unwrap(), 2).await,
            "established_on"
        ),
        "err-working-group-after-meetings"
    );

    let detail = h.store.working_group(&Caller::local(&police), group).await.unwrap();
    assert_eq!(detail.group.name, "Grupa ds. osób starszych");
    assert_eq!(detail.members[0], (chair_member, "Katarzyna Przewodnicząca".to_owned()), "the chair first");
    assert_eq!(detail.tasks[0].status, WorkingTaskStatus::Done);
    assert_eq!(detail.meetings[0].id, meeting_id);
    assert_eq!(detail.meetings[0].attended.len(), 2);
    assert_eq!(detail.meetings[0].body.minutes, "Pani Nowakowska z przychodni przekaże ulotki.");

    // The minutes are sealed; every change and every read is in the audit trail.
    let clear = if is_postgres(&h.store) {
        "SELECT COUNT(*) FROM working_group_meeting WHERE position('Nowakowska'::bytea in body_enc) > 0"
    } else {
        "SELECT COUNT(*) FROM working_group_meeting WHERE instr(body_enc, 'Nowakowska') > 0"
    };
    assert_eq!(scalar(&h.store, clear).await, 0);
    assert_eq!(audit_count(&h, "working_group", "create").await, 1);
    assert_eq!(audit_count(&h, "working_group", "update").await, 1);
    assert_eq!(audit_count(&h, "working_group_task", "update").await, 1);
    assert_eq!(audit_count(&h, "working_group_meeting", "create").await, 1);
    assert_eq!(audit_count(&h, "working_group", "read_personal_data").await, 1);

    // A member who leaves the team leaves the group's reach.
    let police_member = h.store.team_member(&Caller::local(&t.chair), member_id).await.unwrap();
    let mut gone = police_member.to_draft();
    gone.left_on = "2026-03-01".into();
    h.store
        .update_team_member(&Caller::local(&t.chair), member_id, &gone.validate(today).unwrap(), police_member.version)
        .await
        .unwrap();
    assert!(matches!(h.store.working_group(&Caller::local(&police), group).await, Err(StoreError::NotFound)));
}
