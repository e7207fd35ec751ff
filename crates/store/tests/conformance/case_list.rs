//! The filtered, paged case list: each filter narrows, none widens need-to-know.

use domain::forms::{Answers, FormKind, FormVersion, definition, validate};
use domain::identity::Role;
use domain::procedure::lifecycle::{Command, GroupMemberKind};
use jiff::{SignedDuration, Timestamp};
use store::Caller;
use store::identity::{NewAccount, Principal};
use store::procedure::{CaseListFilter, FormAIntake, ProcedureSummary};
use uuid::Uuid;

use crate::support::*;

const SURNAMES: [(&str, &str); 4] =
    [("Kowalska", "Kowalski"), ("Nowak", "Nowak"), ("Wójcik", "Wójcik"), ("Mazur", "Mazur")];

fn form_a(filled_at: &str, serial: u32) -> domain::forms::ValidatedAnswers {
    let (her, his) = SURNAMES[serial as usize % SURNAMES.len()];
    let pesel = |ten: String| domain::person::pesel::complete(&ten).unwrap();
    let answers: Answers = [
        ("header.filled_at", filled_at.to_owned()),
        ("affected_persons[0].first_name", "Anna".to_owned()),
        ("affected_persons[0].last_name", her.to_owned()),
        ("affected_persons[0].pesel", pesel(format!("850312{serial:03}4"))),
        ("suspected_persons[0].first_name", "Jan".to_owned()),
        ("suspected_persons[0].last_name", his.to_owned()),
        ("suspected_persons[0].pesel", pesel(format!("830105{serial:03}5"))),
        ("violence.forms", "psychological".to_owned()),
        ("household.children_present", "false".to_owned()),
        ("firearm.has_firearm", "no".to_owned()),
        ("filled_by.category", "police".to_owned()),
        ("filled_by.first_name", "Piotr".to_owned()),
        ("filled_by.last_name", "Wiśniewski".to_owned()),
        ("filled_by.institution", "Komenda Powiatowa Policji".to_owned()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    validate(definition(FormKind::A, FormVersion::V2023).unwrap(), &answers).unwrap_or_else(|e| panic!("{e:?}"))
}

async fn person(h: &Harness, tenant: Uuid, login: &str, roles: &[Role]) -> Principal {
    let new = NewAccount { roles: roles.to_vec(), ..new_account(Some(tenant), login, "Osoba Testowa") };
    let (id, token) = h.store.create_account(&operator(), &new).await.unwrap();
    h.store.activate(&token, PASSWORD, PASSWORD, None).await.unwrap();
    store::testing::sign_confidentiality(&h.store, id).await;
    h.store.principal(id).await.unwrap()
}

fn numbers(rows: &[ProcedureSummary]) -> Vec<&str> {
    rows.iter().map(|r| r.number.as_str()).collect()
}

fn at(s: &str) -> Timestamp {
    s.parse().unwrap()
}

#[tokio::test]
async fn filters_narrow_the_list_pages_follow_and_a_member_never_sees_a_case_outside_their_groups() {
    let h = Harness::new().await;
    let t = tenant(&h.store).await;
    let chair = person(&h, t.id, "przewodniczaca", &[Role::Chair]).await;
    let initiator = person(&h, t.id, "dzielnicowy", &[Role::Initiator]).await;
    let social = person(&h, t.id, "pracownik.socjalny", &[Role::GroupMember]).await;
    let police = person(&h, t.id, "policjant", &[Role::GroupMember]).await;
    let outsider = person(&h, t.id, "inny.czlonek", &[Role::GroupMember]).await;

    // Four cases: one from 2025, three from 2026 (the harness starts on 2026-03-02).
    let mut ids = Vec::new();
    for (i, filled) in
        ["2025-12-20T10:00", "2026-01-05T10:00", "2026-02-10T10:00", "2026-03-01T10:00"].iter().enumerate()
    {
        h.advance(SignedDuration::from_mins(1));
        let FormAIntake::Opened { id, .. } = h
            .store
            .open_procedure(&Caller::local(&initiator), &form_a(filled, u32::try_from(i).unwrap() + 1), false)
            .await
            .unwrap()
        else {
            panic!("a new case was expected")
        };
        ids.push(id);
    }
    // The group (social worker, police) gets the January and February cases; February's group has met.
    for (n, id) in ids[1..3].iter().enumerate() {
        let handle = h.store.case_access(&Caller::local(&chair), *id).await.unwrap();
        let members =
            [(social.account_id, GroupMemberKind::SocialWorker), (police.account_id, GroupMemberKind::PoliceOfficer)];
        h.store.appoint_group(&handle, &members, store::procedure::AppointmentBasis::TeamDecision, 1).await.unwrap();
        if n == 1 {
            let group = h.store.case_access(&Caller::local(&social), *id).await.unwrap();
            h.store.apply_procedure_command(&group, &Command::RecordGroupMeeting, 2).await.unwrap();
        }
    }
    let list = |p: &Principal, f: CaseListFilter, limit: i64, offset: i64| {
        let (store, p) = (&h.store, p.clone());
        async move { store.list_procedures_filtered(&p, &f, limit, offset).await.unwrap() }
    };
    let all = list(&chair, CaseListFilter::default(), 50, 0).await;
    assert_eq!(numbers(&all), ["NK/2026/0003", "NK/2026/0002", "NK/2026/0001", "NK/2025/0001"]);

    let opened = CaseListFilter { phase: Some("opened"), ..CaseListFilter::default() };
    assert_eq!(numbers(&list(&chair, opened.clone(), 50, 0).await), ["NK/2026/0003", "NK/2025/0001"]);
    let in_progress = CaseListFilter { phase: Some("in_progress"), ..CaseListFilter::default() };
    assert_eq!(numbers(&list(&chair, in_progress.clone(), 50, 0).await), ["NK/2026/0002"]);

    let january = CaseListFilter {
        opened_from: Some(at("2026-01-01T00:00:00+01:00")),
        opened_before: Some(at("2026-02-01T00:00:00+01:00")),
        ..CaseListFilter::default()
    };
    assert_eq!(numbers(&list(&chair, january.clone(), 50, 0).await), ["NK/2026/0001"]);
    let year_2025 = CaseListFilter { number: Some(" 2025/ ".into()), ..CaseListFilter::default() };
    assert_eq!(numbers(&list(&chair, year_2025, 50, 0).await), ["NK/2025/0001"]);
    let lower = CaseListFilter { number: Some("nk/2026/0002".into()), ..CaseListFilter::default() };
    assert_eq!(numbers(&list(&chair, lower, 50, 0).await), ["NK/2026/0002"]);
    // LIKE's wildcards are taken literally.
    let wildcard = CaseListFilter { number: Some("NK_2026".into()), ..CaseListFilter::default() };
    assert!(list(&chair, wildcard, 50, 0).await.is_empty());
    let percent = CaseListFilter { number: Some("%".into()), ..CaseListFilter::default() };
    assert!(list(&chair, percent, 50, 0).await.is_empty());

    // Paging walks the same order.
    assert_eq!(numbers(&list(&chair, CaseListFilter::default(), 2, 0).await), ["NK/2026/0003", "NK/2026/0002"]);
    assert_eq!(numbers(&list(&chair, CaseListFilter::default(), 2, 2).await), ["NK/2026/0001", "NK/2025/0001"]);

    // Need-to-know first: the member sees only the group's two cases, whatever the filter says.
    assert_eq!(numbers(&list(&social, CaseListFilter::default(), 50, 0).await), ["NK/2026/0002", "NK/2026/0001"]);
    assert!(list(&social, opened.clone(), 50, 0).await.is_empty(), "the opened cases are not the member's");
    assert_eq!(numbers(&list(&social, in_progress, 50, 0).await), ["NK/2026/0002"]);
    assert_eq!(numbers(&list(&police, january, 50, 0).await), ["NK/2026/0001"]);
    for filter in
        [CaseListFilter::default(), opened, CaseListFilter { number: Some("NK".into()), ..CaseListFilter::default() }]
    {
        assert!(list(&outsider, filter, 50, 0).await.is_empty());
    }
    // The initiator sees the four they opened.
    assert_eq!(list(&initiator, CaseListFilter::default(), 50, 0).await.len(), 4);
}
