//! Search by person (issue 16): by surname, first name and surname, PESEL and case number, through blind indexes,
//! within need-to-know, each search audited without what was typed.

use domain::forms::{Answers, FormKind, FormVersion, ValidatedAnswers, definition, validate};
use domain::person::search::{SearchQuery, SearchRole};
use domain::procedure::lifecycle::{Command, GroupMemberKind};
use jiff::SignedDuration;
use store::Caller;
use store::Db;
use store::identity::Principal;
use store::procedure::{AppointmentBasis, FormAIntake, SearchResult};
use uuid::Uuid;

use crate::procedure::{Team, form_a, pesel, team};
use crate::support::*;

fn form(kind: FormKind, pairs: &[(&str, &str)]) -> ValidatedAnswers {
    let answers: Answers = pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    validate(definition(kind, FormVersion::V2023).unwrap(), &answers).unwrap_or_else(|e| panic!("{e:?}"))
}

/// A second family: a woman without PESEL, a man named Nowak (as the first case's witness).
fn second_form_a() -> ValidatedAnswers {
    form(
        FormKind::A,
        &[
            ("header.filled_at", "2026-03-02T09:30"),
            ("affected_persons[0].first_name", "Zofia"),
            ("affected_persons[0].last_name", "Żółkiewska"),
            ("suspected_persons[0].first_name", "Marek"),
            ("suspected_persons[0].last_name", "Nowak"),
            ("suspected_persons[0].pesel", &pesel("7902030371")),
            ("violence.forms", "psychological"),
            ("household.children_present", "false"),
            ("firearm.has_firearm", "no"),
            ("filled_by.category", "police"),
            ("filled_by.first_name", "Piotr"),
            ("filled_by.last_name", "Wiśniewski"),
            ("filled_by.institution", "Komenda Powiatowa Policji"),
        ],
    )
}

struct Cases {
    first: Uuid,
    second: Uuid,
    second_number: String,
}

/// Two cases. The first: Anna Kowalska (PESEL), Jan Kowalski (PESEL), witness Maria Nowak (no PESEL) on form A, its
/// group (social worker, police officer) appointed and met, and a form C naming Ewa Kowalska and Jan Kowalski again.
/// The second: Zofia Żółkiewska (no PESEL) and Marek Nowak, no group.
async fn cases(h: &Harness, t: &Team) -> Cases {
    h.advance(SignedDuration::from_hours(1));
    let FormAIntake::Opened { id: first, .. } = h
        .store
        .open_procedure(&Caller::local(&t.initiator), &form_a(&pesel("8503120840"), &pesel("8301050571")), false)
        .await
        .unwrap()
    else {
        panic!("not opened")
    };
    let chair = h.store.case_access(&Caller::local(&t.chair), first).await.unwrap();
    let members = [
        (t.social_worker.account_id, GroupMemberKind::SocialWorker),
        (t.police.account_id, GroupMemberKind::PoliceOfficer),
    ];
    h.store.appoint_group(&chair, &members, AppointmentBasis::TeamDecision, 1).await.unwrap();
    h.advance(SignedDuration::from_hours(24));
    h.store.apply_procedure_command(&chair, &Command::RecordGroupMeeting, 2).await.unwrap();
    let social = h.store.case_access(&Caller::local(&t.social_worker), first).await.unwrap();
    let form_c = form(
        FormKind::C,
        &[
            ("header.date", "2026-03-03"),
            ("affected_person.first_name", "Ewa"),
            ("affected_person.last_name", "Kowalska"),
            ("suspected_person.first_name", "Jan"),
            ("suspected_person.last_name", "Kowalski"),
        ],
    );
    h.store.add_form(&social, &form_c, 3).await.unwrap();
    let FormAIntake::Opened { id: second, number: second_number } =
        h.store.open_procedure(&Caller::local(&t.initiator), &second_form_a(), false).await.unwrap()
    else {
        panic!("not opened")
    };
    Cases { first, second, second_number }
}

async fn search(h: &Harness, who: &Principal, typed: &str) -> SearchResult {
    let query = SearchQuery::parse(typed).unwrap_or_else(|e| panic!("{typed}: {e}"));
    h.store.search_procedures(&Caller::local(who), &query).await.unwrap()
}

/// The cases found, each with its roles.
async fn found(h: &Harness, who: &Principal, typed: &str) -> Vec<(Uuid, Vec<SearchRole>)> {
    search(h, who, typed).await.hits.into_iter().map(|hit| (hit.id, hit.roles)).collect()
}

#[tokio::test]
async fn a_case_is_found_by_surname_full_name_pesel_and_number_once_with_the_matched_roles() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let c = cases(&h, &t).await;
    use SearchRole::*;

    // Anna on form A and Ewa on form C: one case, once.
    assert_eq!(found(&h, &t.chair, "Kowalska").await, [(c.first, vec![AffectedPerson])]);
    assert_eq!(found(&h, &t.chair, "Anna Kowalska").await, [(c.first, vec![AffectedPerson])]);
    assert_eq!(found(&h, &t.chair, "kowalska  ANNA").await, [(c.first, vec![AffectedPerson])]);
    // Jan Kowalski on form A and form C: once.
    assert_eq!(found(&h, &t.chair, "Jan Kowalski").await, [(c.first, vec![SuspectedPerson])]);
    assert_eq!(found(&h, &t.chair, &pesel("8503120840")).await, [(c.first, vec![AffectedPerson])]);
    assert_eq!(found(&h, &t.chair, &c.second_number.to_lowercase()).await, [(c.second, vec![])]);
    // Without PESEL, found by name; typed without Polish letters.
    assert_eq!(found(&h, &t.chair, "Zofia Zolkiewska").await, [(c.second, vec![AffectedPerson])]);
    // The same surname in two cases and two roles, newest case first.
    assert_eq!(found(&h, &t.chair, "Nowak").await, [(c.second, vec![SuspectedPerson]), (c.first, vec![Witness])]);
    assert_eq!(found(&h, &t.chair, "Maria Nowak").await, [(c.first, vec![Witness])]);
    // A first name alone is not a surname; a wrong pair finds nothing.
    assert!(found(&h, &t.chair, "Anna").await.is_empty());
    assert!(found(&h, &t.chair, "Marek Kowalski").await.is_empty());
}

#[tokio::test]
async fn a_case_the_reader_may_not_see_is_answered_exactly_as_no_match() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let c = cases(&h, &t).await;
    let nothing = search(&h, &t.social_worker, "Kowalczyk").await;
    assert_eq!(nothing, SearchResult { hits: vec![], truncated: false });

    // The social worker is in the first case's group only.
    assert_eq!(found(&h, &t.social_worker, "Nowak").await, [(c.first, vec![SearchRole::Witness])]);
    for hidden in ["Zofia Żółkiewska", "Żółkiewska", "Marek Nowak", &pesel("7902030371"), &c.second_number] {
        assert_eq!(search(&h, &t.social_worker, hidden).await, nothing, "{hidden}");
    }
    // A member of no group finds nothing at all.
    for typed in ["Kowalska", "Nowak", &pesel("8503120840")] {
        assert_eq!(search(&h, &t.outsider, typed).await, nothing, "{typed}");
    }
    // The initiator filed both forms A but not the form C: Ewa Kowalska, named only on form C, finds nothing.
    assert_eq!(found(&h, &t.initiator, "Anna Kowalska").await, [(c.first, vec![SearchRole::AffectedPerson])]);
    assert_eq!(search(&h, &t.initiator, "Ewa Kowalska").await, nothing);
    assert_eq!(found(&h, &t.chair, "Ewa Kowalska").await, [(c.first, vec![SearchRole::AffectedPerson])]);

    // The trail says the same for a hidden match as for no match: no case.
    let entries: Vec<_> = audit_entries(&h.store, "read_personal_data")
        .await
        .into_iter()
        .filter(|e| e.object_kind == "case_list" && e.actor_login.as_deref() == Some("pracownik.socjalny"))
        .collect();
    assert!(entries.iter().all(|e| !e.detail.contains(&c.second.to_string())), "a hidden case is not recorded");
}

#[tokio::test]
async fn every_search_is_audited_without_what_was_typed_and_the_index_holds_no_plaintext() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let c = cases(&h, &t).await;
    let typed = ["Kowalska", "Anna Kowalska", &pesel("8503120840"), &c.second_number, "Kowalczyk"];
    for s in typed {
        search(&h, &t.chair, s).await;
    }
    let entries: Vec<_> = audit_entries(&h.store, "read_personal_data")
        .await
        .into_iter()
        .filter(|e| e.object_kind == "case_list" && e.object_id.as_deref() == Some("search"))
        .collect();
    assert_eq!(entries.len(), typed.len());
    assert!(entries.iter().all(|e| e.actor_login.as_deref() == Some("przewodniczaca")));
    for e in &entries {
        let detail = e.detail.to_lowercase();
        for s in typed {
            assert!(!detail.contains(&s.to_lowercase()), "{s} in {detail}");
        }
        assert!(!detail.contains("kowal") && !detail.contains("anna"), "{detail}");
    }
    let kinds: Vec<&str> = entries.iter().map(|e| e.detail.split("; ").nth(1).unwrap_or_default()).collect::<Vec<_>>();
    for kind in ["kind: surname", "kind: full_name", "kind: pesel", "kind: case_number"] {
        assert!(kinds.contains(&kind), "{kind} in {kinds:?}");
    }
    assert!(entries.iter().any(|e| e.detail.ends_with(&format!("found: {}", c.first))));
    assert!(entries.iter().any(|e| e.detail.ends_with("found: none")));

    // The index: keyed hashes only. Nothing of the names or the PESEL is in it, in any case or spelling.
    let rows: Vec<(Vec<u8>, String)> = match h.store.db() {
        Db::Sqlite(p, _) => sqlx::query_as("SELECT key_hash, role FROM person_search").fetch_all(p).await,
        Db::Postgres(p) => sqlx::query_as("SELECT key_hash, role FROM person_search").fetch_all(p).await,
    }
    .unwrap();
    assert!(rows.len() > 10, "every person of every form is indexed: {}", rows.len());
    for (hash, role) in &rows {
        assert_eq!(hash.len(), 32);
        assert!(SearchRole::parse(role).is_some());
        for plain in ["kowal", "Kowal", "KOWAL", "nowak", "zolk", "anna", &pesel("8503120840")[..6]] {
            assert!(!contains_bytes(hash, plain.as_bytes()), "{plain}");
        }
    }
    // Every form is marked as indexed, none waits.
    assert_eq!(scalar(&h.store, "SELECT COUNT(*) FROM procedure_form WHERE search_indexed = 0").await, 0);
}

#[tokio::test]
async fn forms_stored_before_the_index_are_indexed_by_the_pass_at_start() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let c = cases(&h, &t).await;
    // As after the upgrade: the forms are there, the index is empty.
    execute(&h.store, "DELETE FROM person_search").await.unwrap();
    execute(&h.store, "UPDATE procedure_form SET search_indexed = 0").await.unwrap();
    assert!(found(&h, &t.chair, "Kowalska").await.is_empty());
    assert_eq!(h.store.forms_pending_search_index(&t.chair).await.unwrap(), 3);

    assert_eq!(h.store.index_pending_forms().await.unwrap(), 3);
    assert_eq!(h.store.forms_pending_search_index(&t.chair).await.unwrap(), 0);
    assert_eq!(h.store.index_pending_forms().await.unwrap(), 0, "a second pass has nothing to do");
    assert_eq!(found(&h, &t.chair, "Kowalska").await, [(c.first, vec![SearchRole::AffectedPerson])]);
    assert_eq!(found(&h, &t.chair, "Żółkiewska").await, [(c.second, vec![SearchRole::AffectedPerson])]);
    let passes: Vec<_> = all_audit_entries(&h.store)
        .await
        .into_iter()
        .filter(|e| e.object_kind == "procedure_batch" && e.detail.starts_with("search index built"))
        .collect();
    assert_eq!(passes.len(), 1, "the pass that decrypted the forms is in the trail");
}
