//! The Blue Card procedure in storage: opening by form A, recognition of the same people, need-to-know, the
//! command log, deadlines.

use domain::forms::{Answers, FormKind, FormVersion, definition, validate};
use domain::identity::Role;
use domain::procedure::lifecycle::{ClosingReason, Command, GroupMemberKind};
use jiff::SignedDuration;
use store::Caller;
use store::StoreError;
use store::identity::{NewAccount, Principal};
use store::procedure::{AppointmentBasis, CaseAccess, FormAIntake};
use uuid::Uuid;

use crate::support::*;

pub(crate) fn pesel(first_ten: &str) -> String {
    domain::person::pesel::complete(first_ten).unwrap()
}

/// A police officer's form A: a wife, her husband, a neighbour who witnessed it. Filled the day the harness starts.
pub(crate) fn form_a(wife_pesel: &str, husband_pesel: &str) -> domain::forms::ValidatedAnswers {
    let answers: Answers = [
        ("header.filled_at", "2026-03-02T08:30"),
        ("affected_persons[0].first_name", "Anna"),
        ("affected_persons[0].last_name", "Kowalska"),
        ("affected_persons[0].pesel", wife_pesel),
        ("suspected_persons[0].first_name", "Jan"),
        ("suspected_persons[0].last_name", "Kowalski"),
        ("suspected_persons[0].pesel", husband_pesel),
        ("witnesses[0].first_name", "Maria"),
        ("witnesses[0].last_name", "Nowak"),
        ("violence.forms", "physical,psychological"),
        ("household.children_present", "false"),
        ("firearm.has_firearm", "no"),
        ("filled_by.category", "police"),
        ("filled_by.first_name", "Piotr"),
        ("filled_by.last_name", "Wiśniewski"),
        ("filled_by.institution", "Komenda Powiatowa Policji"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    validate(definition(FormKind::A, FormVersion::V2023).unwrap(), &answers).unwrap_or_else(|e| panic!("{e:?}"))
}

pub(crate) async fn person(h: &Harness, tenant: Uuid, login: &str, roles: &[Role]) -> Principal {
    let new = NewAccount { roles: roles.to_vec(), ..new_account(Some(tenant), login, "Osoba Testowa") };
    let (id, token) = h.store.create_account(&operator(), &new).await.unwrap();
    h.store.activate(&token, PASSWORD, PASSWORD, None).await.unwrap();
    // Art. 9c ust. 3: every account working with case data has signed its confidentiality declaration.
    store::testing::sign_confidentiality(&h.store, id).await;
    h.store.principal(id).await.unwrap()
}

pub(crate) struct Team {
    pub chair: Principal,
    pub initiator: Principal,
    pub social_worker: Principal,
    pub police: Principal,
    pub outsider: Principal,
}

pub(crate) async fn team(h: &Harness) -> Team {
    let t = tenant(&h.store).await;
    Team {
        chair: person(h, t.id, "przewodniczaca", &[Role::Chair]).await,
        initiator: person(h, t.id, "dzielnicowy", &[Role::Initiator]).await,
        social_worker: person(h, t.id, "pracownik.socjalny", &[Role::GroupMember]).await,
        police: person(h, t.id, "policjant.gdp", &[Role::GroupMember]).await,
        outsider: person(h, t.id, "inny.czlonek", &[Role::GroupMember]).await,
    }
}

pub(crate) async fn open(h: &Harness, t: &Team) -> Uuid {
    h.advance(SignedDuration::from_hours(1));
    match h
        .store
        .open_procedure(&Caller::local(&t.initiator), &form_a(&pesel("8503120840"), &pesel("8301050571")), false)
        .await
        .unwrap()
    {
        FormAIntake::Opened { id, .. } => id,
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_form_a_opens_a_numbered_procedure_with_its_answers_encrypted() {
    let h = Harness::new().await;
    let t = team(&h).await;
    h.advance(SignedDuration::from_hours(1));
    let intake = h
        .store
        .open_procedure(&Caller::local(&t.initiator), &form_a(&pesel("8503120840"), &pesel("8301050571")), false)
        .await
        .unwrap();
    let FormAIntake::Opened { id, number } = intake else { panic!("{intake:?}") };
    assert_eq!(number, "NK/2026/0001");
    assert_eq!(scalar(&h.store, "SELECT COUNT(*) FROM procedure_form").await, 1);
    let plaintext_rows = if is_postgres(&h.store) {
        "SELECT COUNT(*) FROM procedure_form WHERE position('Kowalska'::bytea in answers_enc) > 0"
    } else {
        "SELECT COUNT(*) FROM procedure_form WHERE instr(answers_enc, CAST('Kowalska' AS BLOB)) > 0"
    };
    assert_eq!(scalar(&h.store, plaintext_rows).await, 0, "no name in the clear at rest");
    let view = h.store.procedure_view(&h.store.case_access(&Caller::local(&t.chair), id).await.unwrap()).await.unwrap();
    assert_eq!(view.phase.as_str(), "opened");
    assert_eq!(view.forms[0].answers.get("affected_persons[0].last_name"), Some("Kowalska"));
    assert!(!audit_entries(&h.store, "read_personal_data").await.is_empty(), "reading the case is audited");
}

#[tokio::test]
async fn a_second_form_a_about_the_same_people_is_recognised_and_opens_nothing() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let first = open(&h, &t).await;
    // The husband again, this time with another wife PESEL: the suspected person's PESEL matches. The staff are
    // told which case; an initiator's form goes to the staff (a pending intake) and opens nothing.
    let again = h
        .store
        .open_procedure(&Caller::local(&t.chair), &form_a(&pesel("9001011230"), &pesel("8301050571")), false)
        .await
        .unwrap();
    let FormAIntake::AlreadyKnown { procedures } = again else { panic!("{again:?}") };
    assert_eq!(procedures.len(), 1);
    assert_eq!(procedures[0].id, first);
    assert_eq!(scalar(&h.store, "SELECT COUNT(*) FROM procedure").await, 1, "nothing was stored");
    let forwarded = h
        .store
        .open_procedure(&Caller::local(&t.initiator), &form_a(&pesel("9001011230"), &pesel("8301050571")), true)
        .await
        .unwrap();
    assert!(matches!(forwarded, FormAIntake::Forwarded { .. }), "{forwarded:?}");
    assert_eq!(scalar(&h.store, "SELECT COUNT(*) FROM procedure").await, 1, "still one case");
    // Unrelated people open a new procedure; asking explicitly opens one despite a match.
    let other = h
        .store
        .open_procedure(&Caller::local(&t.initiator), &form_a(&pesel("7001011230"), &pesel("6801011230")), false)
        .await
        .unwrap();
    assert!(matches!(other, FormAIntake::Opened { ref number, .. } if number == "NK/2026/0002"), "{other:?}");
    let forced = h
        .store
        .open_procedure(&Caller::local(&t.chair), &form_a(&pesel("8503120840"), &pesel("8301050571")), true)
        .await
        .unwrap();
    assert!(matches!(forced, FormAIntake::Opened { .. }));
}

#[tokio::test]
async fn only_those_with_a_need_to_know_reach_a_case_and_others_see_no_difference_from_a_missing_one() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let id = open(&h, &t).await;
    assert_eq!(h.store.case_access(&Caller::local(&t.chair), id).await.unwrap().access, CaseAccess::Team);
    assert_eq!(h.store.case_access(&Caller::local(&t.initiator), id).await.unwrap().access, CaseAccess::Initiator);
    assert!(
        matches!(h.store.case_access(&Caller::local(&t.social_worker), id).await, Err(StoreError::NotFound)),
        "not in the group yet"
    );
    assert!(matches!(h.store.case_access(&Caller::local(&t.chair), Uuid::now_v7()).await, Err(StoreError::NotFound)));
    // Another municipality's chair.
    let other = other_tenant(&h.store).await;
    let foreign_chair = person(&h, other.id, "obca.przewodniczaca", &[Role::Chair]).await;
    assert!(matches!(h.store.case_access(&Caller::local(&foreign_chair), id).await, Err(StoreError::NotFound)));
    // Group members reach it once appointed; the list shows each only what they may see.
    let handle = h.store.case_access(&Caller::local(&t.chair), id).await.unwrap();
    h.store
        .appoint_group(
            &handle,
            &[
                (t.social_worker.account_id, GroupMemberKind::SocialWorker),
                (t.police.account_id, GroupMemberKind::PoliceOfficer),
            ],
            AppointmentBasis::TeamDecision,
            1,
        )
        .await
        .unwrap();
    assert_eq!(h.store.case_access(&Caller::local(&t.social_worker), id).await.unwrap().access, CaseAccess::Group);
    assert!(matches!(h.store.case_access(&Caller::local(&t.outsider), id).await, Err(StoreError::NotFound)));
    assert_eq!(h.store.list_procedures(&t.police, 50, 0).await.unwrap().len(), 1);
    assert!(h.store.list_procedures(&t.outsider, 50, 0).await.unwrap().is_empty());
    let view = h.store.procedure_view(&h.store.case_access(&Caller::local(&t.chair), id).await.unwrap()).await.unwrap();
    for login in ["przewodniczaca", "dzielnicowy", "pracownik.socjalny", "policjant.gdp"] {
        assert!(view.who_can_see.iter().any(|l| l == login), "{login} missing from {:?}", view.who_can_see);
    }
    assert!(!view.who_can_see.iter().any(|l| l == "inny.czlonek"));
}

#[tokio::test]
async fn a_group_without_a_police_officer_is_refused_and_the_initiator_cannot_steer_the_case() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let id = open(&h, &t).await;
    let handle = h.store.case_access(&Caller::local(&t.chair), id).await.unwrap();
    let refused = h
        .store
        .appoint_group(
            &handle,
            &[(t.social_worker.account_id, GroupMemberKind::SocialWorker)],
            AppointmentBasis::TeamDecision,
            1,
        )
        .await;
    assert_eq!(field_error(refused, "command"), "err-group-needs-police-officer");
    let initiator = h.store.case_access(&Caller::local(&t.initiator), id).await.unwrap();
    assert!(matches!(
        h.store.apply_procedure_command(&initiator, &Command::RecordGroupMeeting, 1).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        h.store.appoint_group(&initiator, &[], AppointmentBasis::TeamDecision, 1).await,
        Err(StoreError::NotFound)
    ));
}

#[tokio::test]
async fn the_case_runs_to_closing_with_deadlines_and_a_timeline_and_a_stale_version_is_a_conflict() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let id = open(&h, &t).await;
    let chair = h.store.case_access(&Caller::local(&t.chair), id).await.unwrap();
    h.advance(SignedDuration::from_hours(20));
    h.store
        .appoint_group(
            &chair,
            &[
                (t.social_worker.account_id, GroupMemberKind::SocialWorker),
                (t.police.account_id, GroupMemberKind::PoliceOfficer),
            ],
            AppointmentBasis::TeamDecision,
            1,
        )
        .await
        .unwrap();
    let group = h.store.case_access(&Caller::local(&t.social_worker), id).await.unwrap();
    h.advance(SignedDuration::from_hours(48));
    h.store.apply_procedure_command(&group, &Command::RecordGroupMeeting, 2).await.unwrap();
    // Someone working from an older page.
    // Filled at the meeting of 5 March (a form C dated before the first meeting is refused).
    let form_c = crate::need_to_know::form_c("2026-03-05");
    let stale = h.store.add_form(&group, &form_c, 2).await;
    assert!(matches!(stale, Err(StoreError::Conflict(_))), "{stale:?}");
    h.store.add_form(&group, &form_c, 3).await.unwrap();
    // The one-click close is gone: a closing goes with its record.
    let bare =
        h.store.apply_procedure_command(&group, &Command::Close { reason: ClosingReason::ViolenceStopped }, 4).await;
    assert_eq!(field_error(bare, "command"), "err-close-needs-record");
    close_case(&h.store, &group, ClosingReason::ViolenceStopped, 4).await.unwrap();
    let refused = h.store.apply_procedure_command(&group, &Command::RecordFormD, 5).await;
    assert_eq!(field_error(refused, "command"), "err-command-needs-form-d");

    let view = h.store.procedure_view(&group).await.unwrap();
    assert_eq!(view.phase.as_str(), "closed");
    let kinds: Vec<&str> = view.timeline.iter().map(|e| e.kind.as_str()).collect();
    assert!(kinds.contains(&"procedure_opened") && kinds.contains(&"procedure_closed"), "{kinds:?}");
    let rules: Vec<&str> = view.deadlines.iter().map(|d| d.rule_id).collect();
    assert_eq!(
        rules,
        [
            "reg23_form_a_to_chair",
            "act_group_appointed",
            "reg23_form_a_to_group",
            "reg23_first_group_meeting",
            "reg23_notify_absent_suspect",
            "act_post_closing_monitoring"
        ]
    );
    assert!(view.deadlines.iter().all(|d| !d.legal_basis.is_empty()));
    assert!(
        matches!(view.deadlines[0].state, domain::procedure::deadlines::DeadlineState::MetOnTime { .. }),
        "{:?}",
        view.deadlines[0]
    );
}

#[tokio::test]
async fn an_overdue_group_appointment_shows_as_overdue() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let id = open(&h, &t).await;
    h.advance(SignedDuration::from_hours(24 * 10));
    let view = h.store.procedure_view(&h.store.case_access(&Caller::local(&t.chair), id).await.unwrap()).await.unwrap();
    let group = view.deadlines.iter().find(|d| d.rule_id == "act_group_appointed").unwrap();
    assert!(matches!(group.state, domain::procedure::deadlines::DeadlineState::Overdue { .. }), "{group:?}");
}

#[tokio::test]
async fn a_form_a_with_a_minor_as_the_suspected_person_or_from_the_future_is_refused() {
    let h = Harness::new().await;
    let t = team(&h).await;
    h.advance(SignedDuration::from_hours(1));
    let mut answers = form_a(&pesel("8503120840"), &pesel("8301050571")).to_answers();
    answers.insert("suspected_persons[0].pesel", pesel("1225010000"));
    let minor = validate(definition(FormKind::A, FormVersion::V2023).unwrap(), &answers).unwrap();
    let refused = h.store.open_procedure(&Caller::local(&t.initiator), &minor, false).await;
    assert_eq!(field_error(refused, "suspected_persons[0].pesel"), "err-suspected-minor");
    let mut answers = form_a(&pesel("8503120840"), &pesel("8301050571")).to_answers();
    answers.insert("header.filled_at", "2027-01-01T10:00");
    let future = validate(definition(FormKind::A, FormVersion::V2023).unwrap(), &answers).unwrap();
    assert_eq!(
        field_error(h.store.open_procedure(&Caller::local(&t.initiator), &future, false).await, "header.filled_at"),
        "err-date-in-future"
    );
    assert_eq!(scalar(&h.store, "SELECT COUNT(*) FROM procedure").await, 0);
}

#[tokio::test]
async fn a_form_a_about_a_family_in_monitoring_reopens_their_case_when_attached() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let id = open(&h, &t).await;
    let chair = h.store.case_access(&Caller::local(&t.chair), id).await.unwrap();
    let members = [
        (t.social_worker.account_id, GroupMemberKind::SocialWorker),
        (t.police.account_id, GroupMemberKind::PoliceOfficer),
    ];
    h.store.appoint_group(&chair, &members, AppointmentBasis::TeamDecision, 1).await.unwrap();
    h.store.apply_procedure_command(&chair, &Command::RecordGroupMeeting, 2).await.unwrap();
    close_case(&h.store, &chair, ClosingReason::NoGrounds, 3).await.unwrap();
    h.advance(SignedDuration::from_hours(24 * 30));
    let mut answers = form_a(&pesel("8503120840"), &pesel("8301050571")).to_answers();
    answers.insert("header.filled_at", "2026-04-01T09:00");
    let later = validate(definition(FormKind::A, FormVersion::V2023).unwrap(), &answers).unwrap();
    // Not to an unrelated case, and not to a case id that does not exist.
    assert!(matches!(
        h.store.attach_form_a(&Caller::local(&t.chair), Uuid::now_v7(), &later).await,
        Err(StoreError::NotFound)
    ));
    // Attaching is the staff's: an initiator does not learn of the case, so cannot name it.
    assert!(matches!(h.store.attach_form_a(&Caller::local(&t.initiator), id, &later).await, Err(StoreError::NotFound)));
    let state = h.store.attach_form_a(&Caller::local(&t.chair), id, &later).await.unwrap();
    assert_eq!(state.phase().as_str(), "in_progress", "monitoring ended by a new incident: the case runs again");
}

/// The dashboard replays all its cases in one batch; each case's deadlines there must be exactly those of its own
/// page, whatever state it is in (a batch that mixed up two logs would show one family's clocks on another's line).
#[tokio::test]
async fn the_dashboard_shows_each_case_with_the_deadlines_of_its_own_page() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let pesels = [("8503120840", "8301050571"), ("9001010845", "8802020576"), ("7506070841", "7405060573")];
    let mut ids = Vec::new();
    for (wife, husband) in pesels {
        h.advance(SignedDuration::from_hours(1));
        match h
            .store
            .open_procedure(&Caller::local(&t.initiator), &form_a(&pesel(wife), &pesel(husband)), false)
            .await
            .unwrap()
        {
            FormAIntake::Opened { id, .. } => ids.push(id),
            other => panic!("{other:?}"),
        }
    }
    let members = [
        (t.social_worker.account_id, GroupMemberKind::SocialWorker),
        (t.police.account_id, GroupMemberKind::PoliceOfficer),
    ];
    // The first stays opened; the second gets a group; the third a group and a first meeting.
    for (k, id) in ids.iter().enumerate().skip(1) {
        let chair = h.store.case_access(&Caller::local(&t.chair), *id).await.unwrap();
        h.advance(SignedDuration::from_hours(30));
        h.store.appoint_group(&chair, &members, AppointmentBasis::TeamDecision, 1).await.unwrap();
        if k == 2 {
            let group = h.store.case_access(&Caller::local(&t.social_worker), *id).await.unwrap();
            h.store.apply_procedure_command(&group, &Command::RecordGroupMeeting, 2).await.unwrap();
        }
    }
    // Late enough for some clocks to be overdue.
    h.advance(SignedDuration::from_hours(24 * 6));
    let dashboard = h.store.dashboard(&t.chair, 10).await.unwrap();
    assert_eq!(dashboard.len(), 3);
    let mut seen = std::collections::BTreeSet::new();
    for case in &dashboard {
        let handle = h.store.case_access(&Caller::local(&t.chair), case.summary.id).await.unwrap();
        let page = h.store.procedure_view(&handle).await.unwrap();
        assert_eq!(case.deadlines, page.deadlines, "{}", case.summary.number);
        seen.insert(case.deadlines.iter().map(|d| format!("{}:{:?}", d.rule_id, d.state)).collect::<Vec<_>>());
    }
    assert_eq!(seen.len(), 3, "three cases in three different states: {seen:?}");
}

/// The home page's running cases keep each case's replayed state between calls (by the version of its log): a step
/// recorded after the first call must show in the next one, the deadlines must equal the case page's every time, and
/// a case whose monitoring ended leaves the list.
#[tokio::test]
async fn the_running_cases_follow_every_step_recorded_between_two_looks() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let id = match h
        .store
        .open_procedure(&Caller::local(&t.initiator), &form_a(&pesel("8503120840"), &pesel("8301050571")), false)
        .await
        .unwrap()
    {
        FormAIntake::Opened { id, .. } => id,
        other => panic!("{other:?}"),
    };
    let chair = h.store.case_access(&Caller::local(&t.chair), id).await.unwrap();
    let (hr, tr) = (&h, &t);
    let same_as_page = |cases: Vec<store::procedure::DashboardCase>| async move {
        assert_eq!(cases.len(), 1);
        let handle = hr.store.case_access(&Caller::local(&tr.chair), id).await.unwrap();
        let page = hr.store.procedure_view(&handle).await.unwrap();
        assert_eq!(cases[0].deadlines, page.deadlines);
        assert_eq!(cases[0].summary.phase, page.phase.as_str());
        cases[0].deadlines.iter().map(|d| format!("{}:{:?}", d.rule_id, d.state)).collect::<Vec<_>>()
    };
    h.advance(SignedDuration::from_hours(2));
    let before = same_as_page(h.store.running_cases(&t.chair).await.unwrap()).await;
    // Asked twice without a change: the kept state gives the same answer.
    assert_eq!(same_as_page(h.store.running_cases(&t.chair).await.unwrap()).await, before);
    h.store
        .appoint_group(
            &chair,
            &[
                (t.social_worker.account_id, GroupMemberKind::SocialWorker),
                (t.police.account_id, GroupMemberKind::PoliceOfficer),
            ],
            AppointmentBasis::TeamDecision,
            1,
        )
        .await
        .unwrap();
    let appointed = same_as_page(h.store.running_cases(&t.chair).await.unwrap()).await;
    assert_ne!(appointed, before, "the appointment shows at once: {before:?}");
    let group = h.store.case_access(&Caller::local(&t.social_worker), id).await.unwrap();
    h.store.apply_procedure_command(&group, &Command::RecordGroupMeeting, 2).await.unwrap();
    let met = same_as_page(h.store.running_cases(&t.chair).await.unwrap()).await;
    assert_ne!(met, appointed, "the first meeting shows at once");
    // Time alone moves a deadline from pending to overdue, with the state kept.
    h.advance(SignedDuration::from_hours(24 * 40));
    let later = same_as_page(h.store.running_cases(&t.chair).await.unwrap()).await;
    assert_ne!(later, met, "forty days later the same state has other deadlines");
}
