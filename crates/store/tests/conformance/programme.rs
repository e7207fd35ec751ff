//! The municipal programme: the computed indicators on a dataset shaped like the reference report's municipality
//! (Tomaszów Mazowiecki, 2024: 116 forms A, 19 procedures carried over, 119 forms D, 116 forms C, 163 support-group
//! meetings, 6 team meetings, 1477 visits), loaded through the real store functions; the programme's versions,
//! entered values with their checks, completeness and reminders, the report and the statutory set.

use domain::forms::records::RecordKind;
use domain::forms::{Answers, FormKind, FormVersion, ValidatedAnswers, definition, validate};
use domain::identity::Role;
use domain::procedure::lifecycle::{ClosingReason, GroupMemberKind};
use domain::programme::{ComputedKey, Goal, ProgrammeContent, ProgrammeIndicator, ProgrammeIndicatorSource, Task};
use jiff::{SignedDuration, Timestamp};
use store::Caller;
use store::identity::{NewAccount, Principal};
use store::procedure::{AppointmentBasis, CaseHandle, FormAIntake, validate_record};
use store::programme::{ComputedValue, EntryOutcome};
use store::{Store, StoreError};
use uuid::Uuid;

use crate::procedure::{person, pesel};
use crate::support::*;

/// The report year of the fixture (the harness clock starts in March 2026, so the carried-over cases are opened in
/// 2026 and the report year is 2027).
const YEAR: i16 = 2027;

fn zone() -> jiff::tz::TimeZone {
    domain::calendar::poland_zone()
}

fn local_minute(at: Timestamp) -> String {
    at.to_zoned(zone()).strftime("%Y-%m-%dT%H:%M").to_string()
}

fn local_day(at: Timestamp) -> String {
    at.to_zoned(zone()).date().to_string()
}

/// Moves the harness clock forward to `date` at 09:00 in Poland.
fn move_to(h: &Harness, date: &str) {
    let target = date.parse::<jiff::civil::Date>().unwrap().at(9, 0, 0, 0).to_zoned(zone()).unwrap().timestamp();
    let by = target.duration_since(h.now());
    assert!(by > SignedDuration::ZERO, "the clock only moves forward: {date}");
    h.advance(by);
}

fn validated(kind: FormKind, pairs: Vec<(&str, String)>) -> ValidatedAnswers {
    let answers: Answers = pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
    validate(definition(kind, FormVersion::V2023).unwrap(), &answers).unwrap_or_else(|e| panic!("{kind:?}: {e:?}"))
}

/// Family `i`: her PESEL and his (distinct birth dates, so nobody is recognised across families).
fn family(i: usize) -> (String, String) {
    let (month, day) = (i % 12 + 1, i / 12 + 1);
    (pesel(&format!("85{month:02}{day:02}0014")), pesel(&format!("83{month:02}{day:02}0017")))
}

fn form_a(i: usize, at: Timestamp, category: &str) -> ValidatedAnswers {
    let (her, him) = family(i);
    validated(
        FormKind::A,
        vec![
            ("header.filled_at", local_minute(at)),
            ("affected_persons[0].first_name", "Anna".into()),
            ("affected_persons[0].last_name", "Kowalska".into()),
            ("affected_persons[0].pesel", her),
            ("suspected_persons[0].first_name", "Jan".into()),
            ("suspected_persons[0].last_name", "Kowalski".into()),
            ("suspected_persons[0].pesel", him),
            ("violence.forms", "psychological".into()),
            ("household.children_present", "false".into()),
            ("firearm.has_firearm", "no".into()),
            ("filled_by.category", category.into()),
            ("filled_by.first_name", "Piotr".into()),
            ("filled_by.last_name", "Wiśniewski".into()),
            ("filled_by.institution", "Komenda Powiatowa Policji".into()),
        ],
    )
}

fn form_c(i: usize, at: Timestamp) -> ValidatedAnswers {
    let (her, _) = family(i);
    validated(
        FormKind::C,
        vec![
            ("header.place", "Tomaszów Mazowiecki".into()),
            ("header.date", local_day(at)),
            ("affected_person.first_name", "Anna".into()),
            ("affected_person.last_name", "Kowalska".into()),
            ("affected_person.pesel", her),
        ],
    )
}

fn form_d(i: usize, at: Timestamp) -> ValidatedAnswers {
    let (_, him) = family(i);
    validated(
        FormKind::D,
        vec![
            ("header.place", "Tomaszów Mazowiecki".into()),
            ("header.date", local_day(at)),
            ("suspected_person.first_name", "Jan".into()),
            ("suspected_person.last_name", "Kowalski".into()),
            ("suspected_person.pesel", him),
        ],
    )
}

fn record(kind: RecordKind, pairs: Vec<(&str, String)>) -> ValidatedAnswers {
    let answers: Answers = pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
    validate_record(kind, &answers).unwrap_or_else(|e| panic!("{kind:?}: {e:?}"))
}

struct Town {
    tenant: Uuid,
    chair: Principal,
    initiator: Principal,
    social: Principal,
    police: Principal,
}

async fn town(h: &Harness) -> Town {
    let t = tenant(&h.store).await;
    Town {
        tenant: t.id,
        chair: person(h, t.id, "przewodniczaca", &[Role::Chair]).await,
        initiator: person(h, t.id, "dzielnicowy", &[Role::Initiator]).await,
        social: person(h, t.id, "pracownik.socjalny", &[Role::GroupMember]).await,
        police: person(h, t.id, "policjant.gdp", &[Role::GroupMember]).await,
    }
}

/// Opens case `i` now (form A filled half an hour ago) and appoints its group; the chair's handle.
async fn open_case(h: &Harness, t: &Town, i: usize, category: &str) -> CaseHandle {
    let filled = h.now().checked_sub(SignedDuration::from_mins(30)).unwrap();
    let FormAIntake::Opened { id, .. } =
        h.store.open_procedure(&Caller::local(&t.initiator), &form_a(i, filled, category), false).await.unwrap()
    else {
        panic!("case {i} recognised as known")
    };
    let chair = h.store.case_access(&Caller::local(&t.chair), id).await.unwrap();
    let members =
        [(t.social.account_id, GroupMemberKind::SocialWorker), (t.police.account_id, GroupMemberKind::PoliceOfficer)];
    h.store.appoint_group(&chair, &members, AppointmentBasis::TeamDecision, 1).await.unwrap();
    chair
}

/// Plans a group meeting an hour from now and records it held (the clock moves two hours).
async fn hold_meeting(h: &Harness, case: &CaseHandle) {
    let starts = h.now().checked_add(SignedDuration::from_hours(1)).unwrap();
    let planned = record(
        RecordKind::Meeting,
        vec![
            ("meeting.starts_at", local_minute(starts)),
            ("meeting.with_whom", "group_only".into()),
            ("meeting.mode", "in_person".into()),
            ("meeting.place", "MOPS".into()),
        ],
    );
    let id = h.store.add_record(case, &planned).await.unwrap();
    h.advance(SignedDuration::from_hours(2));
    let minutes = record(
        RecordKind::MeetingMinutes,
        vec![
            ("minutes.held_at", local_minute(starts)),
            ("minutes.members_present", "pracownik socjalny, funkcjonariusz Policji".into()),
            ("minutes.affected_attended", "not_invited".into()),
            ("minutes.suspected_attended", "not_invited".into()),
            ("minutes.course", "Analiza sytuacji rodziny.".into()),
        ],
    );
    let version = h.store.procedure_version(case).await.unwrap();
    h.store.hold_meeting(case, id, &minutes, 1, version).await.unwrap();
}

async fn add_form(h: &Harness, case: &CaseHandle, form: &ValidatedAnswers) {
    let version = h.store.procedure_version(case).await.unwrap();
    h.store.add_form(case, form, version).await.unwrap();
}

async fn visits(h: &Harness, case: &CaseHandle, n: usize) {
    for _ in 0..n {
        let visit = record(
            RecordKind::HomeVisit,
            vec![
                ("visit.on", local_day(h.now())),
                ("visit.by", "MOPS, pracownik socjalny".into()),
                ("visit.findings", "Bez zmian.".into()),
            ],
        );
        h.store.add_record(case, &visit).await.unwrap();
    }
}

async fn letter(h: &Harness, case: &CaseHandle, addressee: &str) {
    let letter = record(
        RecordKind::Letter,
        vec![
            ("letter.on", local_day(h.now())),
            ("letter.addressee", addressee.into()),
            ("letter.subject", "Wniosek o wgląd w sytuację rodziny.".into()),
        ],
    );
    h.store.add_record(case, &letter).await.unwrap();
}

async fn close(h: &Harness, case: &CaseHandle, reason: ClosingReason) {
    let version = h.store.procedure_version(case).await.unwrap();
    close_case(&h.store, case, reason, version).await.unwrap();
}

/// A literal of a UUID and of an instant in the engine's SQL (the fixture's direct inserts).
fn uuid_lit(store: &Store, id: Uuid) -> String {
    if is_postgres(store) { format!("'{id}'") } else { format!("X'{}'", id.simple()) }
}

fn ts_lit(store: &Store, at: &str) -> String {
    let at: Timestamp = at.parse().unwrap();
    if is_postgres(store) { format!("'{at}'") } else { format!("'{at:.6}'") }
}

async fn insert(store: &Store, sql: String) {
    execute(store, &sql).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
}

/// Team meetings, activities and the directory by direct insert: the team helper's store functions for these
/// registers are not on main yet (migration 0006_team is).
async fn registers(h: &Harness, tenant: Uuid) {
    let s = &h.store;
    let t = uuid_lit(s, tenant);
    let now = ts_lit(s, &h.now().to_string());
    let meetings = [
        ("2026-11-20T10:00:00Z", "held"),
        ("2027-01-20T10:00:00Z", "held"),
        ("2027-03-17T10:00:00Z", "held"),
        ("2027-05-19T10:00:00Z", "held"),
        ("2027-07-21T10:00:00Z", "held"),
        ("2027-09-22T10:00:00Z", "held"),
        ("2027-11-24T10:00:00Z", "held"),
        ("2027-12-15T10:00:00Z", "cancelled"),
    ];
    let blob = if is_postgres(s) { "'\\x00'::bytea" } else { "X'00'" };
    for (when, status) in meetings {
        let at = ts_lit(s, when);
        let held = if status == "held" { at.clone() } else { "NULL".to_owned() };
        insert(
            s,
            format!(
                "INSERT INTO team_meeting (id, tenant_id, scheduled_at, mode, status, held_at, body_enc, created_at, updated_at) \
                 VALUES ({}, {t}, {at}, 'in_person', '{status}', {held}, {blob}, {now}, {now})",
                uuid_lit(s, Uuid::now_v7())
            ),
        )
        .await;
    }
    // 7 trainings with 101 participants, 4 training-needs diagnoses, a conference with 20, 3 workshops handing out 304
    // materials; one training in 2026 that must not count.
    let mut activities: Vec<(&str, &str, i32, i32)> = vec![
        ("training", "2027-02-10", 15, 0),
        ("training", "2027-03-10", 14, 0),
        ("training", "2027-04-10", 14, 0),
        ("training", "2027-05-10", 14, 0),
        ("training", "2027-06-10", 14, 0),
        ("training", "2027-09-10", 15, 0),
        ("training", "2027-10-10", 15, 0),
        ("training", "2026-10-10", 30, 0),
        ("conference", "2027-04-22", 20, 0),
        ("workshop", "2027-05-05", 60, 100),
        ("workshop", "2027-06-05", 60, 104),
        ("workshop", "2027-11-05", 60, 100),
    ];
    for d in ["2027-01-15", "2027-01-16", "2027-01-17", "2027-01-18"] {
        activities.push(("training_needs_diagnosis", d, 0, 0));
    }
    for (kind, on, participants, materials) in activities {
        insert(
            s,
            format!(
                "INSERT INTO activity (id, tenant_id, kind, held_on, title, participants, materials_handed_out, created_at, updated_at) \
                 VALUES ({}, {t}, '{kind}', '{on}', 'Działanie', {participants}, {materials}, {now}, {now})",
                uuid_lit(s, Uuid::now_v7())
            ),
        )
        .await;
    }
    // 5 helplines and 15 institutions working with persons using violence, one archived entry of each kind.
    let mut entries: Vec<(&str, &str, bool)> = Vec::new();
    for _ in 0..5 {
        entries.push(("helpline legal", "2027-03-01", false));
    }
    for _ in 0..15 {
        entries.push(("programme_for_persons_using_violence psychological", "2027-06-30", false));
    }
    entries.push(("helpline", "2025-01-01", true));
    entries.push(("programme_for_persons_using_violence", "2025-01-01", true));
    for (kinds, checked, archived) in entries {
        let archived = if archived { ts_lit(s, "2027-02-01T00:00:00Z") } else { "NULL".to_owned() };
        insert(
            s,
            format!(
                "INSERT INTO help_directory_entry (id, tenant_id, name, help_kinds, last_checked_on, archived_at, created_at, updated_at) \
                 VALUES ({}, {t}, 'Punkt', '{kinds}', '{checked}', {archived}, {now}, {now})",
                uuid_lit(s, Uuid::now_v7())
            ),
        )
        .await;
    }
}

/// The reference municipality's year, loaded through the store. Returns the town and one closed case's handle.
async fn reference_town(h: &Harness) -> Town {
    let t = town(h).await;
    // 2026: 21 cases; 19 run into 2027, 2 are closed in 2026. Their forms and visits count for 2026, not 2027.
    let mut carried = Vec::new();
    for i in 0..21 {
        h.advance(SignedDuration::from_hours(24 * 7));
        let case = open_case(h, &t, i, "police").await;
        hold_meeting(h, &case).await;
        add_form(h, &case, &form_c(i, h.now())).await;
        add_form(h, &case, &form_d(i, h.now())).await;
        visits(h, &case, 2).await;
        if i < 2 {
            close(h, &case, ClosingReason::ViolenceStopped).await;
        } else {
            carried.push((i, case));
        }
    }
    // 2027: 116 forms A opening cases (80 by the Police, 36 by social workers), each with its group's first meeting,
    // form C and form D; 47 second meetings; 1477 visits; three forms D for carried-over cases; letters; closings.
    move_to(h, "2027-01-04");
    for n in 0..116 {
        let i = 100 + n;
        let category = if n < 80 { "police" } else { "social_worker" };
        let case = open_case(h, &t, i, category).await;
        hold_meeting(h, &case).await;
        add_form(h, &case, &form_c(i, h.now())).await;
        add_form(h, &case, &form_d(i, h.now())).await;
        if n < 47 {
            hold_meeting(h, &case).await;
        }
        visits(h, &case, if n < 85 { 13 } else { 12 }).await;
        match n {
            0 | 1 => letter(h, &case, "family_court").await,
            2 => letter(h, &case, "police").await,
            3 | 4 => close(h, &case, ClosingReason::ViolenceStopped).await,
            5 => close(h, &case, ClosingReason::NoGrounds).await,
            _ => {}
        }
        if let Some((j, case)) = carried.get(n).filter(|_| n < 3) {
            add_form(h, case, &form_d(*j, h.now())).await;
        }
        // A further incident: a new form A about the same family, attached to the running case.
        if n == 10 {
            add_form(h, &case, &form_a(i, h.now().checked_sub(SignedDuration::from_mins(5)).unwrap(), "police")).await;
        }
        h.advance(SignedDuration::from_hours(70));
    }
    registers(h, t.tenant).await;
    move_to(h, "2028-01-20");
    t
}

fn value(values: &[ComputedValue], key: ComputedKey) -> &ComputedValue {
    values.iter().find(|v| v.key == key).unwrap_or_else(|| panic!("{key:?} missing"))
}

fn part(v: &ComputedValue, name: &str) -> i64 {
    v.breakdown.iter().find(|(p, _)| p == name).map_or(0, |(_, n)| *n)
}

#[tokio::test]
async fn the_reference_municipalitys_year_gives_the_reference_reports_figures() {
    let h = Harness::new().await;
    let t = reference_town(&h).await;
    let values = h.store.computed_indicators(&t.chair, YEAR, true).await.unwrap();
    let total = |k| value(&values, k).total;
    // The figures of the reference report (Tomaszów Mazowiecki, 2024).
    assert_eq!(total(ComputedKey::ProceduresOpened), 116);
    assert_eq!(total(ComputedKey::ProceduresContinued), 19);
    assert_eq!(total(ComputedKey::ProceduresTotal), 135);
    assert_eq!(total(ComputedKey::FormsD), 119);
    assert_eq!(total(ComputedKey::FormsC), 116);
    assert_eq!(total(ComputedKey::GroupMeetingsHeld), 163);
    assert_eq!(total(ComputedKey::TeamMeetingsHeld), 6);
    assert_eq!(total(ComputedKey::HomeVisits), 1477);
    // And every other computed indicator on the same data.
    let opened = value(&values, ComputedKey::ProceduresOpened);
    assert_eq!((part(opened, "police"), part(opened, "social_worker")), (80, 36));
    assert_eq!(total(ComputedKey::FurtherIncidents), 1);
    assert_eq!(total(ComputedKey::GroupsCreated), 116);
    let letters = value(&values, ComputedKey::Letters);
    assert_eq!((letters.total, part(letters, "family_court"), part(letters, "police")), (3, 2, 1));
    let closures = value(&values, ComputedKey::Closures);
    assert_eq!((part(closures, "violence_stopped"), part(closures, "no_grounds")), (2, 1));
    // Two closed in 2026 and three in 2027, all still monitored in 2027.
    assert_eq!(total(ComputedKey::PostClosingMonitoring), 5);
    assert_eq!(total(ComputedKey::ReferralSteps), 0);
    assert_eq!(total(ComputedKey::Trainings), 7);
    assert_eq!(total(ComputedKey::PersonsTrained), 101);
    assert_eq!(total(ComputedKey::TrainingNeedsDiagnoses), 4);
    assert_eq!(total(ComputedKey::ConferenceParticipants), 20);
    assert_eq!(total(ComputedKey::Workshops), 3);
    assert_eq!(total(ComputedKey::MaterialsHandedOut), 304);
    assert_eq!(total(ComputedKey::Supervisions), 0);
    assert_eq!(total(ComputedKey::Helplines), 5);
    assert_eq!(total(ComputedKey::ProgrammesForPersonsUsingViolence), 15);
    let reviewed = value(&values, ComputedKey::DirectoryReviewed);
    assert_eq!((reviewed.total, reviewed.note.as_deref()), (20, Some("2027-06-30")));
    // Persons: one woman and one man per family of the 135 cases, the further form A's family counted once.
    let affected = value(&values, ComputedKey::PersonsAffected);
    assert_eq!((affected.total, part(affected, "women"), part(affected, "children")), (135, 135, 0));
    let suspected = value(&values, ComputedKey::PersonsSuspected);
    assert_eq!((suspected.total, part(suspected, "men")), (135, 135));
    assert!(!audit_entries(&h.store, "read_personal_data").await.is_empty());

    // The year before has its own figures: 21 opened, their forms and visits.
    let before = h.store.computed_indicators(&t.chair, YEAR - 1, false).await.unwrap();
    assert_eq!(value(&before, ComputedKey::ProceduresOpened).total, 21);
    assert_eq!(value(&before, ComputedKey::HomeVisits).total, 42);
    assert_eq!(value(&before, ComputedKey::TeamMeetingsHeld).total, 1);
    assert_eq!(value(&before, ComputedKey::Trainings).total, 1);

    // The same through the all-municipalities query, without persons.
    let all = h.store.all_tenants_indicators(YEAR).await.unwrap();
    let mine = &all[&t.tenant];
    for key in
        [ComputedKey::ProceduresOpened, ComputedKey::ProceduresContinued, ComputedKey::HomeVisits, ComputedKey::FormsD]
    {
        assert_eq!(value(mine, key).total, value(&values, key).total, "{key:?}");
    }
    assert!(h.store.bare_indicator_queries(YEAR).await.unwrap() > 0);

    // The records behind a figure: the team may open them (audited); a group member may not.
    let visits = h.store.indicator_records(&t.chair, ComputedKey::HomeVisits, YEAR).await.unwrap();
    assert_eq!(visits.len(), 1477);
    assert!(visits.iter().all(|r| r.procedure_number.starts_with("NK/2027/") && r.record_id.is_some()));
    let continued = h.store.indicator_records(&t.chair, ComputedKey::ProceduresContinued, YEAR).await.unwrap();
    assert_eq!(continued.len(), 19);
    assert!(continued.iter().all(|r| r.procedure_number.starts_with("NK/2026/")));
    assert!(matches!(
        h.store.indicator_records(&t.social, ComputedKey::HomeVisits, YEAR).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(h.store.computed_indicators(&t.social, YEAR, false).await, Err(StoreError::NotFound)));

    // The statutory set: figures only, due on 10 February.
    let statutory = h.store.statutory_set(&t.chair, YEAR).await.unwrap();
    assert_eq!(statutory.deadline, "2028-02-10");
    let line = |id: &str| statutory.lines.iter().find(|l| l.id == id).unwrap().value;
    assert_eq!(
        (line("procedures_opened"), line("forms_c"), line("forms_d"), line("team_meetings")),
        (116, 116, 119, 6)
    );
    let csv = statutory.to_csv();
    assert!(csv.contains(";procedures_opened;") && !csv.contains("Kowalsk"), "{csv}");
}

async fn reporter(h: &Harness, tenant: Uuid, institution: Uuid, login: &str) -> Principal {
    let new = NewAccount {
        roles: vec![Role::ProgrammeReporter],
        institution_id: Some(institution),
        ..new_account(Some(tenant), login, "Osoba Sprawozdająca")
    };
    let (id, token) = h.store.create_account(&operator(), &new).await.unwrap();
    h.store.activate(&token, PASSWORD, PASSWORD, None).await.unwrap();
    store::testing::sign_confidentiality(&h.store, id).await;
    h.store.principal(id).await.unwrap()
}

fn programme(mops: Uuid, police: Uuid) -> ProgrammeContent {
    ProgrammeContent {
        strategic_goal: "Zwiększenie skuteczności działań podmiotów w systemie pomocy.".into(),
        goals: vec![Goal {
            id: "g2".into(),
            title: "Wzmocnienie ochrony osób doznających przemocy domowej.".into(),
            tasks: vec![Task {
                id: "g2t6".into(),
                title: "Wspólne wizyty w środowiskach zagrożonych przemocą.".into(),
                institutions: vec![mops, police],
                from_year: 2026,
                to_year: 2030,
                indicators: vec![
                    ProgrammeIndicator {
                        id: "g2t6i1".into(),
                        name: "liczba interwencji w środowiskach".into(),
                        source: ProgrammeIndicatorSource::Entered { institutions: vec![mops, police] },
                        targets: [(2027, 400)].into_iter().collect(),
                    },
                    ProgrammeIndicator {
                        id: "g2t6i2".into(),
                        name: "liczba wizyt".into(),
                        source: ProgrammeIndicatorSource::Computed { key: ComputedKey::HomeVisits },
                        targets: [(2026, 1000), (2027, 1400)].into_iter().collect(),
                    },
                ],
            }],
        }],
    }
}

#[tokio::test]
async fn institutions_enter_their_own_values_and_the_report_follows_the_version_in_force() {
    let h = Harness::new().await;
    let t = town(&h).await;
    let mops = h
        .store
        .create_institution(&operator(), t.tenant, "Miejski Ośrodek Pomocy Społecznej", "social_welfare")
        .await
        .unwrap();
    let kpp = h.store.create_institution(&operator(), t.tenant, "Komenda Powiatowa Policji", "police").await.unwrap();
    let mops_reporter = reporter(&h, t.tenant, mops.id, "sprawozdawca.mops").await;
    let kpp_reporter = reporter(&h, t.tenant, kpp.id, "sprawozdawca.kpp").await;
    let content = programme(mops.id, kpp.id);

    // Only the team adopts the programme.
    let refused =
        h.store.create_programme(&mops_reporter, "Program", 2026, 2030, "2026-01-01", "Uchwała", &content).await;
    assert!(matches!(refused, Err(StoreError::NotFound)));
    let id = h
        .store
        .create_programme(
            &t.chair,
            "Miejski Program 2026–2030",
            2026,
            2030,
            "2026-01-01",
            "Uchwała nr 1/2026",
            &content,
        )
        .await
        .unwrap();

    // Each reporter sees the indicators of their own institution only.
    let mine = h.store.reporter_indicators(&mops_reporter, id, 2026).await.unwrap();
    assert_eq!(mine.iter().map(|i| i.indicator_id.as_str()).collect::<Vec<_>>(), ["g2t6i1"]);
    assert!(matches!(h.store.reporter_indicators(&t.social, id, 2026).await, Err(StoreError::NotFound)));
    let enter = |p: &Principal, year: i16, raw: &'static str, confirmed: bool, version: i64| {
        let p = p.clone();
        let store: Store = h.store.clone();
        async move { store.enter_indicator_value(&p, id, "g2t6i1", year, raw, "", confirmed, version).await }
    };
    // Not a number, negative: refused with the reason.
    assert_eq!(field_error(enter(&mops_reporter, 2026, "dużo", false, 0).await, "value"), "err-indicator-not-a-number");
    assert_eq!(field_error(enter(&mops_reporter, 2026, "-4", false, 0).await, "value"), "err-indicator-negative");
    assert_eq!(enter(&mops_reporter, 2026, "100", false, 0).await.unwrap(), EntryOutcome::Saved { version: 1 });
    // The computed indicator cannot be entered.
    let computed = h.store.enter_indicator_value(&mops_reporter, id, "g2t6i2", 2026, "5", "", false, 0).await;
    assert!(matches!(computed, Err(StoreError::NotFound)));

    // Completeness: the Police have not entered 2026; a reminder reaches their reporter once a day.
    let missing = h.store.missing_entries(&t.chair, id, 2026).await.unwrap();
    assert_eq!(missing.iter().map(|m| m.institution_name.as_str()).collect::<Vec<_>>(), ["Komenda Powiatowa Policji"]);
    assert_eq!(h.store.remind_missing_entries(&t.chair, id, 2026).await.unwrap(), 1);
    assert_eq!(h.store.remind_missing_entries(&t.chair, id, 2026).await.unwrap(), 0, "once a day");
    assert_eq!(h.store.unread_notifications(kpp_reporter.account_id).await.unwrap(), 1);
    assert!(matches!(h.store.remind_missing_entries(&mops_reporter, id, 2026).await, Err(StoreError::NotFound)));
    enter(&kpp_reporter, 2026, "310", false, 0).await.unwrap();

    // 2027: far off last year's value asks to confirm; nothing stored until confirmed. A stale version conflicts.
    move_to(&h, "2027-03-01");
    assert_eq!(
        enter(&mops_reporter, 2027, "1000", false, 0).await.unwrap(),
        EntryOutcome::NeedsConfirmation { last_year: 100 }
    );
    assert_eq!(h.store.reporter_indicators(&mops_reporter, id, 2027).await.unwrap()[0].value, None);
    assert_eq!(enter(&mops_reporter, 2027, "1000", true, 0).await.unwrap(), EntryOutcome::Saved { version: 1 });
    assert!(matches!(enter(&mops_reporter, 2027, "120", false, 0).await, Err(StoreError::Conflict(_))));
    assert_eq!(enter(&mops_reporter, 2027, "120", false, 1).await.unwrap(), EntryOutcome::Saved { version: 2 });
    enter(&kpp_reporter, 2027, "300", false, 0).await.unwrap();

    // The council amends the programme from 1 July 2027: the 2027 report follows it and names it.
    let mut amended = content.clone();
    amended.goals[0].tasks[0].indicators[1].targets.insert(2027, 1500);
    assert!(matches!(
        h.store.amend_programme(&t.chair, id, "2027-07-01", "Uchwała nr 2/2027", &amended, 7).await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(h.store.amend_programme(&t.chair, id, "2027-07-01", "Uchwała nr 2/2027", &amended, 1).await.unwrap(), 2);
    h.store
        .set_report_narrative(&t.chair, id, 2027, "g2", "Zespół prowadził wizyty wspólnie z Policją.", 0)
        .await
        .unwrap();
    assert!(matches!(
        h.store.set_report_narrative(&t.chair, id, 2027, "g2", "Inaczej.", 0).await,
        Err(StoreError::Conflict(_))
    ));

    let viewer = person(&h, t.tenant, "podglad", &[Role::AggregateViewer]).await;
    let report = h.store.annual_report(&viewer, id, 2027).await.unwrap();
    assert_eq!((report.version_number, report.version_resolution.as_str()), (2, "Uchwała nr 2/2027"));
    assert_eq!(report.years, [2026, 2027]);
    let task = &report.goals[0].tasks[0];
    assert_eq!(report.goals[0].numeral, "I");
    assert_eq!(report.goals[0].narrative, "Zespół prowadził wizyty wspólnie z Policją.");
    assert_eq!(task.institutions, ["Miejski Ośrodek Pomocy Społecznej", "Komenda Powiatowa Policji"]);
    assert_eq!(task.time_frame, "2026–2030");
    let entered = &task.indicators[0];
    assert_eq!(entered.values.iter().map(|v| v.value).collect::<Vec<_>>(), [Some(410), Some(420)]);
    assert_eq!((entered.target, entered.target_met()), (Some(400), Some(true)));
    assert_eq!(task.indicators[1].target, Some(1500));
    assert_eq!(task.indicators[1].values[1].value, Some(0));
    // A 2026 report still follows the first version.
    assert_eq!(h.store.annual_report(&viewer, id, 2026).await.unwrap().version_number, 1);
    assert!(matches!(h.store.annual_report(&t.social, id, 2027).await, Err(StoreError::NotFound)));
}

/// The speed of the computed indicators on an existing data directory (docs/benchmarks.md): one municipality-year
/// (the demo municipality) and every municipality at once, against the bare aggregate queries. Ignored; run with
/// `OSTOJA_BENCH_DATA_DIR` (and `OSTOJA_BENCH_DATABASE_URL` for PostgreSQL) and `--run-ignored only`.
#[tokio::test]
#[ignore = "a benchmark on an existing data set"]
async fn bench_computed_indicators() {
    let Ok(dir) = std::env::var("OSTOJA_BENCH_DATA_DIR") else { return };
    let options = store::StorageOptions {
        data_dir: dir.into(),
        database_url: std::env::var("OSTOJA_BENCH_DATABASE_URL").ok(),
        master_key_file: None,
    };
    let store = Store::open(&options, std::sync::Arc::new(domain::clock::SystemClock)).await.unwrap();
    let year: i16 = std::env::var("OSTOJA_BENCH_YEAR").ok().and_then(|y| y.parse().ok()).unwrap_or(2025);
    let (chair, _) = store.account_by_login("demo.chair").await.unwrap();
    let chair = store.principal(chair).await.unwrap();
    let time = |f: std::time::Duration| f.as_secs_f64() * 1000.0;
    for round in 0..4 {
        let t = std::time::Instant::now();
        let one = store.computed_indicators(&chair, year, false).await.unwrap();
        let one_ms = time(t.elapsed());
        let t = std::time::Instant::now();
        let with_persons = store.computed_indicators(&chair, year, true).await.unwrap();
        let persons_ms = time(t.elapsed());
        let t = std::time::Instant::now();
        let all = store.all_tenants_indicators(year).await.unwrap();
        let all_ms = time(t.elapsed());
        let t = std::time::Instant::now();
        let rows = store.bare_indicator_queries(year).await.unwrap();
        let bare_ms = time(t.elapsed());
        let opened = value(&one, ComputedKey::ProceduresOpened).total;
        let persons = value(&with_persons, ComputedKey::PersonsAffected).total;
        println!(
            "round {round}: one municipality {one_ms:.1} ms (opened {opened}); with persons {persons_ms:.1} ms ({persons} persons); \
             all {} municipalities {all_ms:.1} ms; bare SQL {bare_ms:.1} ms ({rows} rows); ratio {:.2}",
            all.len(),
            all_ms / bare_ms
        );
    }
}
