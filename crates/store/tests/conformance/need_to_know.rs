//! Need-to-know (issue 14): access comes from a current role in the case, never from having typed a form; an account
//! whose team membership ended loses it that day; no case data as staff or group member without a signed
//! confidentiality declaration, for every account.

use domain::forms::{Answers, FormKind, FormVersion, definition, validate};
use domain::identity::Role;
use domain::procedure::lifecycle::{ClosingReason, Command, GroupMemberKind};
use jiff::SignedDuration;
use jiff::civil::date;
use store::Caller;
use store::StoreError;
use store::identity::{NewAccount, Principal};
use store::procedure::AppointmentBasis;
use store::team::{DeclarationKind, MemberDraft};
use uuid::Uuid;

use crate::procedure::{form_a, open, person, pesel, team};
use crate::support::*;

/// An account created and activated, with no confidentiality declaration recorded.
async fn unsigned(h: &Harness, tenant: Uuid, login: &str, roles: &[Role]) -> Principal {
    let new = NewAccount { roles: roles.to_vec(), ..new_account(Some(tenant), login, "Osoba Spoza Zespołu") };
    let (id, token) = h.store.create_account(&operator(), &new).await.unwrap();
    h.store.activate(&token, PASSWORD, PASSWORD, None).await.unwrap();
    h.store.principal(id).await.unwrap()
}

pub(crate) fn form_c(day: &str) -> domain::forms::ValidatedAnswers {
    let answers: Answers = [
        ("header.place", "Tomaszów Mazowiecki"),
        ("header.date", day),
        ("affected_person.first_name", "Anna"),
        ("affected_person.last_name", "Kowalska"),
        ("affected_person.pesel", &crate::procedure::pesel("8503120840")),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    validate(definition(FormKind::C, FormVersion::V2023).unwrap(), &answers).unwrap_or_else(|e| panic!("{e:?}"))
}

#[tokio::test]
async fn a_group_member_who_typed_form_c_reads_nothing_once_the_monitoring_has_ended() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let id = open(&h, &t).await;
    let chair = h.store.case_access(&Caller::local(&t.chair), id).await.unwrap();
    let members = [
        (t.social_worker.account_id, GroupMemberKind::SocialWorker),
        (t.police.account_id, GroupMemberKind::PoliceOfficer),
    ];
    h.store.appoint_group(&chair, &members, AppointmentBasis::TeamDecision, 1).await.unwrap();
    let group = h.store.case_access(&Caller::local(&t.social_worker), id).await.unwrap();
    h.store.apply_procedure_command(&group, &Command::RecordGroupMeeting, 2).await.unwrap();
    h.store.add_form(&group, &form_c("2026-03-02"), 3).await.unwrap();
    close_case(&h.store, &group, ClosingReason::ViolenceStopped, 4).await.unwrap();
    h.advance(SignedDuration::from_hours(24 * 280));
    h.store.apply_procedure_command(&chair, &Command::EndMonitoring, 5).await.unwrap();

    // The form C the social worker typed gives them no way back in: not the case, not the list, not the meetings.
    assert!(matches!(h.store.case_access(&Caller::local(&t.social_worker), id).await, Err(StoreError::NotFound)));
    assert!(h.store.list_procedures(&t.social_worker, 50, 0).await.unwrap().is_empty());
    // The initiator still reads their own form A, and only it.
    let initiator = h.store.case_access(&Caller::local(&t.initiator), id).await.unwrap();
    let view = h.store.procedure_view(&initiator).await.unwrap();
    assert_eq!(view.forms.iter().map(|f| f.kind.as_str()).collect::<Vec<_>>(), ["A"]);
    // Who can see it says the same.
    let view = h.store.procedure_view(&h.store.case_access(&Caller::local(&t.chair), id).await.unwrap()).await.unwrap();
    assert!(!view.who_can_see.iter().any(|l| l == "pracownik.socjalny"), "{:?}", view.who_can_see);
}

async fn linked_member(h: &Harness, chair: &Principal, account: Uuid, function: &str) -> Uuid {
    let draft = MemberDraft {
        full_name: "Zofia Sekretarz".into(),
        email: "sekretarz@example.org".into(),
        account_id: account.to_string(),
        function: function.into(),
        appointed_on: "2026-01-10".into(),
        confidentiality_signed_on: "2026-01-12".into(),
        ..MemberDraft::default()
    };
    h.store.create_team_member(&Caller::local(chair), &draft.validate(h.store.today()).unwrap()).await.unwrap()
}

async fn member_leaves(h: &Harness, chair: &Principal, id: Uuid, left_on: &str, term_ends_on: &str) {
    let member = h.store.team_member(&Caller::local(chair), id).await.unwrap();
    let draft = MemberDraft {
        full_name: "Zofia Sekretarz".into(),
        email: "sekretarz@example.org".into(),
        account_id: member.account_id.map(|a| a.to_string()).unwrap_or_default(),
        function: member.function.as_str().into(),
        appointed_on: "2026-01-10".into(),
        confidentiality_signed_on: "2026-01-12".into(),
        left_on: left_on.into(),
        term_ends_on: term_ends_on.into(),
        ..MemberDraft::default()
    };
    let input = draft.validate(h.store.today()).unwrap();
    h.store.update_team_member(&Caller::local(chair), id, &input, member.version).await.unwrap();
}

#[tokio::test]
async fn a_secretary_who_left_the_team_reads_no_case_from_that_day() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let tenant = t.chair.tenant_id.unwrap();
    let secretary = person(&h, tenant, "sekretarz", &[Role::Secretary]).await;
    let member = linked_member(&h, &t.chair, secretary.account_id, "secretary").await;
    let id = open(&h, &t).await;
    assert!(h.store.case_access(&Caller::local(&secretary), id).await.is_ok(), "a current secretary sees the case");
    assert_eq!(h.store.list_procedures(&secretary, 50, 0).await.unwrap().len(), 1);

    let today = h.store.today().to_string();
    member_leaves(&h, &t.chair, member, &today, "").await;
    assert!(
        matches!(h.store.case_access(&Caller::local(&secretary), id).await, Err(StoreError::NotFound)),
        "left today"
    );
    assert!(h.store.list_procedures(&secretary, 50, 0).await.unwrap().is_empty());
    assert!(h.store.dashboard(&secretary, 50).await.unwrap().is_empty());
    let (from, to) = (h.now() - SignedDuration::from_hours(24 * 30), h.now() + SignedDuration::from_hours(24));
    assert!(matches!(h.store.timeliness(&Caller::local(&secretary), from, to).await, Err(StoreError::NotFound)));
    let view = h.store.procedure_view(&h.store.case_access(&Caller::local(&t.chair), id).await.unwrap()).await.unwrap();
    assert!(!view.who_can_see.iter().any(|l| l == "sekretarz"), "{:?}", view.who_can_see);

    // A term that ended yesterday is the same, whatever the left date says.
    let yesterday = h.store.today().yesterday().unwrap().to_string();
    member_leaves(&h, &t.chair, member, "", &yesterday).await;
    assert!(
        matches!(h.store.case_access(&Caller::local(&secretary), id).await, Err(StoreError::NotFound)),
        "term over"
    );
    // A term running to today still counts today.
    member_leaves(&h, &t.chair, member, "", &today).await;
    assert!(h.store.case_access(&Caller::local(&secretary), id).await.is_ok(), "the last day of the term");
}

#[tokio::test]
async fn a_group_member_from_outside_the_team_reads_nothing_before_their_declaration_is_recorded() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let tenant = t.chair.tenant_id.unwrap();
    let probation = unsigned(&h, tenant, "kurator", &[Role::GroupMember]).await;
    let id = open(&h, &t).await;
    let chair = h.store.case_access(&Caller::local(&t.chair), id).await.unwrap();
    let members = [
        (t.social_worker.account_id, GroupMemberKind::SocialWorker),
        (t.police.account_id, GroupMemberKind::PoliceOfficer),
        (probation.account_id, GroupMemberKind::ProbationOfficer),
    ];
    h.store.appoint_group(&chair, &members, AppointmentBasis::TeamDecision, 1).await.unwrap();
    assert!(
        matches!(h.store.case_access(&Caller::local(&probation), id).await, Err(StoreError::NotFound)),
        "no declaration yet"
    );
    assert!(h.store.list_procedures(&probation, 50, 0).await.unwrap().is_empty());
    let listed = h.store.account_declarations(&t.chair).await.unwrap();
    let row = listed.iter().find(|a| a.login == "kurator").expect("listed for the staff");
    assert_eq!(row.signed_on, None);

    // Only the staff record it, never dated in the future.
    assert!(matches!(
        h.store
            .record_account_declaration(
                &Caller::local(&t.police),
                probation.account_id,
                DeclarationKind::Declaration,
                date(2026, 3, 1)
            )
            .await,
        Err(StoreError::NotFound)
    ));
    let future = h
        .store
        .record_account_declaration(
            &Caller::local(&t.chair),
            probation.account_id,
            DeclarationKind::Authorisation,
            date(2026, 4, 1),
        )
        .await;
    assert_eq!(field_error(future, "signed_on"), "err-date-in-future");
    h.store
        .record_account_declaration(
            &Caller::local(&t.chair),
            probation.account_id,
            DeclarationKind::Authorisation,
            date(2026, 3, 1),
        )
        .await
        .unwrap();
    assert!(
        h.store.case_access(&Caller::local(&probation), id).await.is_ok(),
        "signed: the group member works the case"
    );
    let listed = h.store.account_declarations(&t.chair).await.unwrap();
    let row = listed.iter().find(|a| a.login == "kurator").unwrap();
    assert_eq!((row.kind, row.signed_on), (Some(DeclarationKind::Authorisation), Some(date(2026, 3, 1))));
    assert_eq!(
        audit_entries(&h.store, "update").await.iter().filter(|e| e.object_kind == "account_confidentiality").count(),
        1
    );

    // A chair without any declaration sees no case either.
    let chair2 = unsigned(&h, tenant, "zastepca", &[Role::DeputyChair]).await;
    assert!(matches!(h.store.case_access(&Caller::local(&chair2), id).await, Err(StoreError::NotFound)));
    // An initiator reads back the form A they filled without one (it is what they wrote).
    let officer = unsigned(&h, tenant, "policjant.interwencja", &[Role::Initiator]).await;
    assert!(h.store.list_procedures(&officer, 50, 0).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_form_a_about_people_in_a_case_from_outside_the_staff_waits_for_them_and_the_look_up_is_audited() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let id = open(&h, &t).await;
    let tenant = t.chair.tenant_id.unwrap();
    let teacher = person(&h, tenant, "nauczycielka", &[Role::Initiator]).await;
    let answers =
        crate::procedure::form_a(&crate::procedure::pesel("8503120840"), &crate::procedure::pesel("9001011230"));
    let intake = h.store.open_procedure(&Caller::local(&teacher), &answers, true).await.unwrap();
    let store::procedure::FormAIntake::Forwarded { intake_id } = intake else { panic!("{intake:?}") };
    assert_eq!(scalar(&h.store, "SELECT COUNT(*) FROM procedure").await, 1, "nothing opened");
    let notes = h.store.notifications(&t.chair, 10).await.unwrap();
    assert_eq!(notes.iter().filter(|n| n.kind == store::notify::NotificationKind::IntakePending).count(), 1);
    assert!(notes.iter().all(|n| n.procedure_id.is_none()), "the notice names no case");
    assert!(!h.store.sees_recognition(&teacher).await.unwrap());
    assert!(h.store.sees_recognition(&t.chair).await.unwrap());

    // Only the staff see it, with the case it matched.
    assert!(matches!(h.store.pending_intakes(&teacher).await, Err(StoreError::NotFound)));
    assert!(matches!(h.store.pending_intakes(&t.social_worker).await, Err(StoreError::NotFound)));
    let pending = h.store.pending_intakes(&t.chair).await.unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].matched.iter().map(|p| p.id).collect::<Vec<_>>(), [id]);
    // Attached, it is the teacher's own form A in the case: she reads it back, and only it.
    let resolution = store::procedure::IntakeResolution::Attach(id);
    assert!(matches!(
        h.store.resolve_intake(&Caller::local(&teacher), intake_id, resolution).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(h.store.resolve_intake(&Caller::local(&t.chair), intake_id, resolution).await.unwrap(), id);
    assert!(h.store.pending_intakes(&t.chair).await.unwrap().is_empty());
    let hers = h.store.procedure_view(&h.store.case_access(&Caller::local(&teacher), id).await.unwrap()).await.unwrap();
    assert_eq!(hers.forms.len(), 1);
    assert_eq!(
        hers.forms[0].answers.get("suspected_persons[0].pesel"),
        Some(crate::procedure::pesel("9001011230").as_str())
    );

    // Each look-up: who, the kinds of key, the matched case; no PESEL.
    let lookups: Vec<_> = audit_entries(&h.store, "read_personal_data")
        .await
        .into_iter()
        .filter(|e| e.object_kind == "person_match")
        .collect();
    assert_eq!(lookups.len(), 3, "the first form, the teacher's and the chair's check on attaching it");
    let hers = lookups.iter().find(|e| e.actor_login.as_deref() == Some("nauczycielka")).unwrap();
    assert_eq!(hers.detail, format!("recognition look-up; keys: name-dob,pesel; matched: {id}"));
    assert!(lookups.iter().all(|e| !e.detail.contains(&crate::procedure::pesel("8503120840"))));
}

/// The running cases on `who`'s home page, by id.
async fn home(h: &Harness, who: &Principal) -> Vec<Uuid> {
    let mut ids: Vec<Uuid> = h.store.running_cases(who).await.unwrap().iter().map(|c| c.summary.id).collect();
    ids.sort();
    ids
}

/// The same cases as the case list gives them (the rule's own query), those whose clocks still run.
async fn listed_running(h: &Harness, who: &Principal) -> Vec<Uuid> {
    let listed = h.store.list_procedures(who, 500, 0).await.unwrap();
    let mut ids: Vec<Uuid> =
        listed.iter().filter(|c| c.phase != "monitoring_ended" && c.phase != "transferred_out").map(|c| c.id).collect();
    ids.sort();
    ids
}

/// The home page keeps each group member's places between looks (`Store::running_cases`); whoever loses a way into
/// a case loses it there on the very next look, and the page always lists exactly the running cases the case list's
/// own query gives, for every kind of account.
#[tokio::test]
async fn the_home_page_drops_a_case_at_once_when_its_group_member_is_replaced_or_leaves_the_team() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let record = linked_member(&h, &t.chair, t.social_worker.account_id, "member").await;
    let id = open(&h, &t).await;
    // Another family's case, which only the staff see.
    let other = match h
        .store
        .open_procedure(&Caller::local(&t.initiator), &form_a(&pesel("9002150123"), &pesel("8807220456")), false)
        .await
        .unwrap()
    {
        store::procedure::FormAIntake::Opened { id, .. } => id,
        intake => panic!("{intake:?}"),
    };
    let chair = h.store.case_access(&Caller::local(&t.chair), id).await.unwrap();
    let members = [
        (t.social_worker.account_id, GroupMemberKind::SocialWorker),
        (t.police.account_id, GroupMemberKind::PoliceOfficer),
    ];
    h.store.appoint_group(&chair, &members, AppointmentBasis::TeamDecision, 1).await.unwrap();
    let everyone = [&t.chair, &t.social_worker, &t.police, &t.initiator, &t.outsider];
    for who in everyone {
        assert_eq!(home(&h, who).await, listed_running(&h, who).await, "{}", who.login);
    }
    assert_eq!(home(&h, &t.social_worker).await, vec![id]);
    assert_eq!(home(&h, &t.chair).await.len(), 2, "the staff see {other} too");

    // Leaves the team today: off the home page at once, though the places were kept a moment ago.
    let today = h.store.today().to_string();
    member_leaves(&h, &t.chair, record, &today, "").await;
    assert!(home(&h, &t.social_worker).await.is_empty(), "left the team today");
    member_leaves(&h, &t.chair, record, "", "").await;
    assert_eq!(home(&h, &t.social_worker).await, vec![id], "back in the team");

    // Replaced in the group: off at once; the one who joined sees it at once.
    let chair = h.store.case_access(&Caller::local(&t.chair), id).await.unwrap();
    assert!(home(&h, &t.outsider).await.is_empty());
    h.store.replace_group_member(&chair, t.social_worker.account_id, t.outsider.account_id, None, 2).await.unwrap();
    assert!(home(&h, &t.social_worker).await.is_empty(), "replaced");
    assert_eq!(home(&h, &t.outsider).await, vec![id], "joined");
    for who in everyone {
        assert_eq!(home(&h, who).await, listed_running(&h, who).await, "{}", who.login);
    }
}
